import { z } from 'zod';
import { BROADCASTS } from '../../realtime/broadcasts.js';
import { COMMAND_DOCS, type CommandDoc, type DocumentedCommand } from '../../realtime/command-docs.js';
import { COMMANDS, isSuspendable, type CommandName, type HttpRoute, type Who } from '../../realtime/commands.js';
import * as accountSchemas from '../../realtime/schemas/accounts.js';
import * as boardSchemas from '../../realtime/schemas/board.js';
import * as campaignSchemas from '../../realtime/schemas/campaign.js';
import * as commonSchemas from '../../realtime/schemas/common.js';
import * as conferenceSchemas from '../../realtime/schemas/conference.js';
import * as discussionSchemas from '../../realtime/schemas/discussion.js';
import * as moderationSchemas from '../../realtime/schemas/moderation.js';
import { ERROR_STATUS, JOIN_CODE_LENGTH, ROLES, type ErrorCode } from '../../realtime/vocabulary.js';

/**
 * The API reference as an OpenAPI 3.1 document, made from the command table: each row with a REST
 * route is an operation (its zod schemas as JSON Schema, its caller, the errors it can answer), and
 * the socket commands and broadcasts ride along under `x-socket-io`. Pure: served at
 * /api/openapi.json and rendered into docs/api.md by scripts/api-docs.ts.
 */

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

/** The session cookie's name (server/sessions.ts SESSION_COOKIE; the test holds them together). */
export const SESSION_COOKIE_NAME = 'reclaim_session';
const SECURITY_SCHEME = 'session';
const SERVICE_TAG = 'Service';
const DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Groups for the reference, by the command name's prefix, in this order. */
const TAGS: { name: string; description: string; prefixes: string[] }[] = [
  { name: 'Sessions', description: 'The session cookie: a guest\u2019s, a member\u2019s, a facilitator\u2019s.', prefixes: ['session', 'facilitator'] },
  { name: 'Accounts', description: 'Signing up and in, passwords, profiles.', prefixes: ['auth', 'profile'] },
  { name: 'Board', description: 'Areas, ideas and votes.', prefixes: ['areas', 'area', 'ideas', 'idea', 'vote', 'board'] },
  { name: 'Discussion', description: 'Comments on ideas.', prefixes: ['comments', 'comment'] },
  { name: 'Notifications', description: 'What happened to ideas a person voted for or discussed.', prefixes: ['notifications'] },
  { name: 'Moderation', description: 'The staff queue and the board\u2019s switches.', prefixes: ['moderation', 'tallies'] },
  { name: 'Campaign', description: 'Evidence, supporting organisations, the conference.', prefixes: ['evidence', 'organisations', 'conference'] },
  { name: 'Live sessions', description: 'Sessions a hall joins by code, run by facilitators.', prefixes: ['live'] },
  { name: 'Admin', description: 'People and their roles.', prefixes: ['admin'] },
];

export function tagOf(name: string): string {
  const prefix = name.split(':')[0]!;
  return TAGS.find((tag) => tag.prefixes.includes(prefix))?.name ?? prefix;
}

/** What each code means, for the intro; each travels under one HTTP status (ERROR_STATUS). */
const ERROR_MEANINGS: Record<ErrorCode, string> = {
  BAD_REQUEST: 'The input does not match the command\u2019s schema (the message names the field), or the body is not JSON (413 when over 16 kB).',
  REPHRASE: 'Word screening refused words in the text: `terms` lists them as written; reword them and send again.',
  UNAUTHENTICATED: 'No session where one is needed, or not signed in to an account where that is needed; a wrong e-mail or password.',
  FORBIDDEN: 'The caller\u2019s role does not allow it, a write came from a foreign origin, or the board\u2019s rules refuse it just now.',
  SUSPENDED: 'Staff suspended the caller (or, for a guest, their network) from writing: `until` in the error is when it ends (ISO 8601), null for good. Reading, signing out and appealing still work.',
  NOT_FOUND: 'No such thing (or no such route).',
  RATE_LIMITED: 'Too many just now: the message ends \u201cplease try again in N seconds\u201d.',
  UNAVAILABLE: 'Busy (another server is changing the same thing) or a store failed: try again.',
  INTERNAL: 'Something unexpected failed; the message says nothing more.',
};

/** What an id in the input names, for "No idea with that `ideaId`"; `code` only where it is a join code. */
const NOUNS: Record<string, { noun: string; schema?: z.ZodType }> = {
  ideaId: { noun: 'idea on the board' },
  commentId: { noun: 'comment' },
  code: { noun: 'live session', schema: commonSchemas.liveCode },
  evidenceId: { noun: 'evidence item' },
  submissionId: { noun: 'submission' },
  requestId: { noun: 'request to join' },
  userId: { noun: 'member' },
  slug: { noun: 'organisation' },
  appealId: { noun: 'appeal' },
  suspensionId: { noun: 'suspension' },
};

/** The input's fields that name something that may not exist. */
function lookups(input: z.ZodType, fields: string[]): string[] {
  const shape = input instanceof z.ZodObject ? (input.shape as Record<string, z.ZodType>) : {};
  const bare = (field: z.ZodType | undefined): z.ZodType | undefined => (field instanceof z.ZodOptional || field instanceof z.ZodDefault ? bare(field.unwrap() as z.ZodType) : field);
  return fields.filter((field) => {
    const known = NOUNS[field];
    return known !== undefined && (known.schema === undefined || bare(shape[field]) === known.schema);
  });
}

const INTRO = `The board\u2019s API, generated from its command table (\`realtime/commands.ts\`): each command is one row \u2014 its input schema, who may call it, its REST route, its result \u2014 reached over HTTP, Socket.IO and the SvelteKit pages alike, with the same checks and the same errors.

- **Same origin, JSON.** Requests and answers are JSON; a body is at most 16 kB. A write (\`POST\`, \`PUT\`, \`PATCH\`, \`DELETE\`) must send its body as \`application/json\` and come from the board\u2019s own origin (or one of \`ALLOWED_ORIGINS\`): a foreign \`Origin\` or \`Sec-Fetch-Site: cross-site\` is refused with 403.
- **Sessions.** The \`${SESSION_COOKIE_NAME}\` cookie (HttpOnly, SameSite=Lax) carries the session. \`GET /api/session\` starts a guest session when the request has none \u2014 no sign-up, so a hall can vote in seconds; signing up or in replaces it. The API and sockets never start a session by themselves: call \`GET /api/session\` first. Ending a session (signing out, expiry, a new password) disconnects its sockets on every server.
- **Roles.** participant < moderator < facilitator < admin, each allowed everything the one before it is; a *member* is signed in to an account, a *guest* is not. Each operation names its caller (\`x-caller\`, and the role in its \`security\`).
- **Input.** Path parameters join the JSON body \u2014 for \`GET\` and \`DELETE\`, the query \u2014 into one object, parsed with the command\u2019s schema. Text is trimmed (and control characters dropped) before its length is checked.
- **Errors.** \`{"error": {"code": "\u2026", "message": "\u2026"}}\`; \`message\` is for people; \`REPHRASE\` adds \`terms\`, the words to reword. Each code has one status:

| status | code | meaning |
|---|---|---|
${(Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => `| ${ERROR_STATUS[code]} | \`${code}\` | ${ERROR_MEANINGS[code]} |`).join('\n')}

- **Rate limits** count per person and per network (a hall shares one address, so those are wide); each operation lists its own.`;

const SOCKET_INTRO = `Socket.IO on the same origin (path \`/socket.io\`), with the session cookie: the handshake ties the socket to the session (a foreign \`Origin\` is refused), so load the page or call \`GET /api/session\` before connecting. A command is an emit with an ack: \`socket.emit(name, payload, ack)\`, answered \`{ok: true, data}\` or \`{ok: false, code, message}\` with the codes above (\`REPHRASE\` adds \`terms\`). Each socket may send 40 commands per 10 seconds (then \`RATE_LIMITED\`). Tallies go out at most once per 100 ms tick, with only the counts that changed; a slow connection skips frames and gets what it missed in one.`;

/**
 * The exported schemas of realtime/schemas/ that become components, named as exported (ideaView →
 * IdeaView): enums everywhere, objects and records in answers (a client reads inputs field by field).
 */
function componentNames(kinds: readonly (new (...args: never[]) => z.ZodType)[]): Map<z.ZodType, string> {
  const names = new Map<z.ZodType, string>();
  for (const [name, value] of Object.entries({ ...commonSchemas, ...boardSchemas, ...discussionSchemas, ...moderationSchemas, ...accountSchemas, ...conferenceSchemas, ...campaignSchemas })) {
    if (kinds.some((kind) => value instanceof kind) && !names.has(value as z.ZodType)) names.set(value as z.ZodType, name[0]!.toUpperCase() + name.slice(1));
  }
  return names;
}

type Registry = NonNullable<Parameters<typeof z.toJSONSchema>[1]>['metadata'];

class SchemaConverter {
  readonly components: Record<string, JsonSchema> = {};
  private readonly registries = {
    input: SchemaConverter.naming(componentNames([z.ZodEnum])),
    output: SchemaConverter.naming(componentNames([z.ZodEnum, z.ZodObject, z.ZodRecord])),
  };

  /** A registry that names these schemas; their metadata (descriptions) still come from zod's global registry. */
  private static naming(names: Map<z.ZodType, string>): Registry {
    return {
      get: (schema: z.ZodType) => {
        const meta = z.globalRegistry.get(schema);
        const id = names.get(schema);
        return id ? { ...meta, id } : meta;
      },
    } as unknown as Registry;
  }

  /** JSON Schema of what a client sends (`io: 'input'`) or receives (`'output'`), with refs to the components. */
  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      metadata: this.registries[io],
      override: (ctx) => {
        if (ctx.zodSchema === commonSchemas.liveCode) (ctx.jsonSchema as JsonSchema).description ??= JOIN_CODE;
        // Cleaned text: a transform, then the checks on the result. Its input side is a bare string,
        // so the lengths (and format) of the result are carried over; a pattern is not (a join code is
        // typed in any case).
        const def = ctx.zodSchema._zod.def;
        if (io !== 'input' || def.type !== 'pipe') return;
        const out = z.toJSONSchema(def.out as z.ZodType, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as JsonSchema;
        const target = ctx.jsonSchema as JsonSchema;
        for (const key of ['minLength', 'maxLength', 'format']) if (key in out && !(key in target)) target[key] = out[key];
      },
    }) as JsonSchema;
    const { $defs, ...root } = json;
    for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) {
      const tidy = this.tidy(def) as JsonSchema;
      const known = this.components[id];
      if (known && JSON.stringify(known) !== JSON.stringify(tidy)) throw new Error(`Two different schemas are both named ${id}.`);
      this.components[id] = tidy;
    }
    return this.tidy(root) as JsonSchema;
  }

  /** Refs to components, no `$schema`, and no Number.MAX_SAFE_INTEGER bounds (zod\u2019s `int()`, not a rule of ours). */
  private tidy(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.tidy(item));
    if (typeof value !== 'object' || value === null) return value;
    const out: JsonSchema = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === '$schema') continue;
      if (key === 'maximum' && item === Number.MAX_SAFE_INTEGER) continue;
      if (key === 'minimum' && item === Number.MIN_SAFE_INTEGER) continue;
      if (key === '$ref' && typeof item === 'string') out[key] = item.replace('#/$defs/', '#/components/schemas/');
      else out[key] = this.tidy(item);
    }
    return out;
  }
}

/** The fields of an object schema (allOf of objects merged), or none. */
export function objectFields(schema: JsonSchema): { properties: Record<string, JsonSchema>; required: string[] } {
  const parts = Array.isArray(schema.allOf) ? (schema.allOf as JsonSchema[]) : [schema];
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const part of parts) {
    Object.assign(properties, (part.properties ?? {}) as Record<string, JsonSchema>);
    required.push(...((part.required ?? []) as string[]));
  }
  return { properties, required: [...new Set(required)] };
}

const JOIN_CODE = `A join code: ${JOIN_CODE_LENGTH} letters and digits, in any case; spaces and dashes are ignored.`;
const pathParams = (path: string) => [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]!);
export const openApiPath = (path: string) => '/api' + path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
const isWrite = (route: HttpRoute | undefined) => route !== undefined && route.method !== 'GET';
const STAFF: readonly Who[] = ROLES.slice(1);

/** Why a command can answer each code: what the table implies, then what its doc adds. */
function errorReasons(name: DocumentedCommand, fields: string[], via: 'http' | 'socket'): Partial<Record<ErrorCode, string>> {
  const spec = COMMANDS[name];
  const route = 'http' in spec ? (spec.http as HttpRoute) : undefined;
  const doc: CommandDoc = COMMAND_DOCS[name];
  const write = isWrite(route);
  const reasons: Partial<Record<ErrorCode, string[]>> = {};
  const add = (code: ErrorCode, reason: string) => (reasons[code] ??= []).push(reason);

  const body = via === 'http' && write && route!.method !== 'DELETE';
  if (body) add('BAD_REQUEST', fields.length ? 'The body is not a JSON object, or the input does not match its schema.' : 'The body is not JSON.');
  else if (fields.length) add('BAD_REQUEST', 'The input does not match its schema.');
  const noSession = via === 'http' ? 'No session: call `GET /api/session` first.' : 'No session: load the page (or `GET /api/session`) and reconnect.';
  if (spec.who === 'participant') add('UNAUTHENTICATED', noSession);
  if (spec.who === 'member') add('UNAUTHENTICATED', 'Not signed in to an account.');
  if (STAFF.includes(spec.who)) {
    add('UNAUTHENTICATED', noSession);
    add('FORBIDDEN', spec.who === 'admin' ? 'Not an admin.' : `Not a ${spec.who} or above.`);
  }
  if (via === 'http' && write) add('FORBIDDEN', 'A foreign origin.');
  if (isSuspendable(spec) && spec.who !== 'anyone' && !STAFF.includes(spec.who)) add('SUSPENDED', 'The caller is suspended (`until` says till when).');
  for (const field of lookups(spec.input, fields)) add('NOT_FOUND', `No ${NOUNS[field]!.noun} with that \`${field}\`.`);
  for (const [code, reason] of Object.entries(doc.errors ?? {}) as [ErrorCode, string][]) if (code !== 'UNAVAILABLE') add(code, reason);
  if (write) add('UNAVAILABLE', 'Busy, or the store failed: try again.');
  if (doc.errors?.UNAVAILABLE) add('UNAVAILABLE', doc.errors.UNAVAILABLE);

  const byStatus = (Object.keys(reasons) as ErrorCode[]).sort((a, b) => ERROR_STATUS[a] - ERROR_STATUS[b]);
  return Object.fromEntries(byStatus.map((code) => [code, reasons[code]!.join(' ')]));
}

function security(who: Who): Record<string, string[]>[] {
  if (who === 'anyone') return [{}, { [SECURITY_SCHEME]: [] }];
  return [{ [SECURITY_SCHEME]: who === 'participant' ? [] : [who] }];
}

const SUCCESS: Record<number, string> = { 200: 'OK.', 201: 'Created.', 202: 'Accepted.', 204: 'Done; no content.' };
const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

function operation(name: DocumentedCommand, route: HttpRoute, convert: SchemaConverter): Operation {
  const spec = COMMANDS[name];
  const doc: CommandDoc = COMMAND_DOCS[name];
  const input = objectFields(convert.convert(spec.input, 'input'));
  const params = pathParams(route.path);
  const rest = Object.keys(input.properties).filter((field) => !params.includes(field));
  const inQuery = route.method === 'GET' || route.method === 'DELETE';

  const parameters: Parameter[] = params.map((param) => ({ name: param, in: 'path', required: true, schema: input.properties[param] ?? { type: 'string' } }));
  if (inQuery) {
    for (const field of rest) {
      const schema = input.properties[field]!;
      parameters.push({ name: field, in: 'query', required: input.required.includes(field), schema, ...(schema.type === 'array' ? { style: 'form' as const, explode: false as const } : {}) });
    }
  }
  let requestBody: Operation['requestBody'];
  if (!inQuery && rest.length) {
    const required = input.required.filter((field) => rest.includes(field));
    const body: JsonSchema = { type: 'object', properties: Object.fromEntries(rest.map((field) => [field, input.properties[field]!])) };
    if (required.length) body.required = required;
    requestBody = { required: required.length > 0, content: { 'application/json': { schema: body } } };
  }
  const status = route.status ?? 200;
  const responses: Record<string, Response> = {
    [status]: status === 204 ? { description: SUCCESS[204]! } : { description: SUCCESS[status]!, content: { 'application/json': { schema: convert.convert(spec.result, 'output') } } },
  };
  for (const [code, reason] of Object.entries(errorReasons(name, Object.keys(input.properties), 'http'))) {
    // Codes sharing a status (REPHRASE with BAD_REQUEST, SUSPENDED with FORBIDDEN): one response, each reason named.
    const status = ERROR_STATUS[code as ErrorCode];
    const said = responses[status]?.description;
    responses[status] = { description: said ? `${said} \`${code}\`: ${reason}` : code !== 'BAD_REQUEST' && code !== 'FORBIDDEN' ? `\`${code}\`: ${reason}` : reason, content: errorContent };
  }
  responses.default = { description: 'INTERNAL: something unexpected failed.', content: errorContent };

  const op: Operation = {
    operationId: name,
    tags: [tagOf(name)],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    'x-caller': spec.who,
    ...('socket' in spec ? { 'x-socket': true as const } : {}),
    security: security(spec.who),
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
  };
  return op;
}

/** The routes server/http.ts serves besides the table's: health, this document, a session's results and the screening terms as CSV. */
function extraPaths(): Record<string, Record<string, Operation>> {
  const extra = (operationId: string, tag: string, summary: string, description: string, responses: Record<string, Response>, parameters?: Parameter[]): Operation => ({
    operationId,
    tags: [tag],
    summary,
    description,
    'x-caller': 'anyone',
    security: [{}],
    ...(parameters ? { parameters } : {}),
    responses,
  });
  const health = (ok: boolean) => ({ type: 'object', properties: { ok: { const: ok }, db: { const: ok ? 'up' : 'down' } }, required: ['ok', 'db'] });
  return {
    '/api/live/{code}/results.csv': {
      get: extra(
        'live:results.csv',
        tagOf('live:results'),
        'A live session\u2019s results as a spreadsheet',
        'As `GET /api/live/{code}/results`, as CSV: columns `rank,idea,area,votes,voided` (`voided`: votes staff voided, not in `votes`), nothing about who voted; an attachment named `results-<code>.csv` (`-provisional` before voting closes).',
        {
          200: { description: 'OK.', content: { 'text/csv': { schema: { type: 'string' } } } },
          400: { description: 'The input does not match its schema.', content: errorContent },
          404: { description: 'No live session with that `code`.', content: errorContent },
          default: { description: 'INTERNAL: something unexpected failed.', content: errorContent },
        },
        [{ name: 'code', in: 'path', required: true, schema: { type: 'string', description: JOIN_CODE } }],
      ),
    },
    '/api/moderation/terms.csv': {
      get: {
        ...extra('moderation:terms.csv', tagOf('moderation:terms'), 'Word screening\u2019s list as a spreadsheet', 'As `GET /api/moderation/terms`, as CSV: columns `term,action,list` (`built-in` or `staff`), formula-safe; `POST /api/moderation/terms/import` takes it back.', {
          200: { description: 'OK.', content: { 'text/csv': { schema: { type: 'string' } } } },
          401: { description: 'No session: call `GET /api/session` first.', content: errorContent },
          403: { description: 'Not a moderator or above.', content: errorContent },
          default: { description: 'INTERNAL: something unexpected failed.', content: errorContent },
        }),
        'x-caller': 'moderator',
        security: security('moderator'),
      },
    },
    '/api/moderation/log.csv': {
      get: extra(
        'moderation:log.csv',
        tagOf('moderation:log'),
        'The public moderation log as a spreadsheet',
        'As `GET /api/moderation/log`, every page at once (the latest 10,000 entries), as CSV in UTF-8 with a byte-order mark: columns `at,action,reason,by,kind,id,title`, `[removed post]` for a title left out. Cells a spreadsheet would read as a formula start with an apostrophe.',
        {
          200: { description: 'OK.', content: { 'text/csv': { schema: { type: 'string' } } } },
          default: { description: 'INTERNAL: something unexpected failed.', content: errorContent },
        },
      ),
    },
    '/api/healthz': {
      get: extra('healthz', SERVICE_TAG, 'Whether the server and its database are up', 'For load balancers and monitors.', {
        200: { description: 'Up.', content: { 'application/json': { schema: health(true) } } },
        503: { description: 'The database is down.', content: { 'application/json': { schema: health(false) } } },
      }),
    },
    '/api/openapi.json': {
      get: extra('openapi', SERVICE_TAG, 'This document', 'OpenAPI 3.1, generated from the command table.', {
        200: { description: 'OK.', content: { 'application/json': { schema: { type: 'object' } } } },
      }),
    },
  };
}

/** The operations that are no command of the table. */
export const EXTRA_OPERATIONS = ['live:results.csv', 'moderation:terms.csv', 'moderation:log.csv', 'healthz', 'openapi'] as const;

function errorSchema(): JsonSchema {
  return {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: {
          code: { type: 'string', enum: Object.keys(ERROR_STATUS) },
          message: { type: 'string', description: 'For people.' },
          terms: { type: 'array', items: { type: 'string' }, description: 'REPHRASE: the words, as written, to reword.' },
        },
        required: ['code', 'message'],
      },
    },
    required: ['error'],
  };
}

function build(): OpenApiDocument {
  const convert = new SchemaConverter();
  const names = Object.keys(COMMANDS) as CommandName[];
  const paths: Record<string, Record<string, Operation>> = {};
  for (const name of names) {
    const spec = COMMANDS[name];
    if (!('http' in spec)) continue;
    const route = spec.http as HttpRoute;
    (paths[openApiPath(route.path)] ??= {})[route.method.toLowerCase()] = operation(name as DocumentedCommand, route, convert);
  }
  Object.assign(paths, extraPaths());

  const commands: Record<string, SocketCommand> = {};
  for (const name of names) {
    const spec = COMMANDS[name];
    if (!('socket' in spec)) continue;
    const doc: CommandDoc = COMMAND_DOCS[name as DocumentedCommand];
    const input = convert.convert(spec.input, 'input');
    const route = 'http' in spec ? (spec.http as HttpRoute) : undefined;
    commands[name] = {
      summary: doc.summary,
      ...(doc.description ? { description: doc.description } : {}),
      'x-caller': spec.who,
      ...(route ? { 'x-http': `${route.method} ${openApiPath(route.path)}` } : {}),
      input,
      result: convert.convert(spec.result, 'output'),
      errors: errorReasons(name as DocumentedCommand, Object.keys(objectFields(input).properties), 'socket'),
    };
  }
  const broadcasts: Record<string, Broadcast> = {};
  for (const [event, broadcast] of Object.entries(BROADCASTS)) {
    broadcasts[event] = {
      description: broadcast.description,
      to: broadcast.to,
      after: broadcast.after,
      payload: broadcast.payload ? convert.convert(broadcast.payload, 'output') : null,
    };
  }

  const usedTags = new Set(Object.values(paths).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags)));
  const known = TAGS.filter((tag) => usedTags.has(tag.name)).map(({ name, description }) => ({ name, description }));
  const others = [...usedTags].filter((tag) => !TAGS.some((t) => t.name === tag) && tag !== SERVICE_TAG).map((name) => ({ name, description: '' }));

  return {
    openapi: '3.1.0',
    info: { title: 'Recl@im the Internet \u2014 live ideas board API', version: '1', description: INTRO },
    jsonSchemaDialect: DIALECT,
    servers: [{ url: '/', description: 'The board\u2019s own origin.' }],
    tags: [...known, ...others, { name: SERVICE_TAG, description: 'Health and this document.' }],
    paths,
    components: {
      schemas: { Error: errorSchema(), ...Object.fromEntries(Object.entries(convert.components).sort(([a], [b]) => (a < b ? -1 : 1))) },
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE_NAME,
          description: 'Set by `GET /api/session` (a guest session) and by signing up or in. Where an operation lists a role, the session must hold it (or one above it; `member`: signed in to an account).',
        },
      },
    },
    'x-socket-io': { description: SOCKET_INTRO, commands, broadcasts },
  };
}

let cached: string | undefined;

/** The document, made afresh (callers may change it). */
export function openApiDocument(): OpenApiDocument {
  return build();
}

/** The document as served: made once per process. */
export function openApiJson(): string {
  return (cached ??= JSON.stringify(build()));
}
