import type { Who } from '../../../realtime/commands.js';
import type { ErrorCode } from '../../../realtime/vocabulary.js';

/** The shapes of the OpenAPI document (document.ts) and of its `x-socket-io` section (socket.ts). */

export type JsonSchema = { [key: string]: unknown };

export interface Operation {
  /** The command's name; the few routes that are no command have names of their own (EXTRA_OPERATIONS). */
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  'x-caller': Who;
  /** Also an acked socket command of the same name. */
  'x-socket'?: true;
  security: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, Response>;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
  style?: 'form';
  explode?: false;
  description?: string;
}

export interface Response {
  description: string;
  content?: { [type: string]: { schema: JsonSchema } };
}

export interface SocketCommand {
  summary: string;
  description?: string;
  'x-caller': Who;
  /** The REST route of the same command, as `METHOD /api/path`. */
  'x-http'?: string;
  input: JsonSchema;
  /** The ack's `data`. */
  result: JsonSchema;
  /** The codes an ack can carry and why, by code. */
  errors: Partial<Record<ErrorCode, string>>;
}

export interface Broadcast {
  description: string;
  to: string;
  after: readonly string[];
  /** Null: the event carries nothing. */
  payload: JsonSchema | null;
}

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  jsonSchemaDialect: string;
  servers: { url: string; description: string }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
  'x-socket-io': {
    description: string;
    commands: Record<string, SocketCommand>;
    broadcasts: Record<string, Broadcast>;
  };
}
