import { z } from 'zod';
import { COMMAND_DOCS, type CommandDoc, type DocumentedCommand } from '../../../realtime/command-docs.js';
import { COMMANDS, isSuspendable, type HttpRoute, type Who } from '../../../realtime/commands.js';
import * as commonSchemas from '../../../realtime/schemas/common.js';
import { ERROR_STATUS, ROLES, type ErrorCode } from '../../../realtime/vocabulary.js';
import type { JsonSchema } from './types.js';

/** The errors: what each code means, why a command can answer it, and the shape they travel in. */

/** What each code means, for the intro; each travels under one HTTP status (ERROR_STATUS). */
export const ERROR_MEANINGS: Record<ErrorCode, string> = {
  BAD_REQUEST: 'The input does not match the command\u2019s schema (the message names the field), or the body is not JSON (413 when over 16 kB).',
  REPHRASE: 'Word screening refused words in the text: `terms` lists them as written; reword them and send again.',
  UNAUTHENTICATED: 'No session where one is needed, or not signed in to an account where that is needed; a wrong e-mail or password.',
  FORBIDDEN: 'The caller\u2019s role does not allow it, a write came from a foreign origin, or the board\u2019s rules refuse it just now.',
  SUSPENDED: 'Staff suspended the caller (or, for a guest, their network) from writing: `until` in the error is when it ends (ISO 8601), null for good. Reading, signing out and appealing still work.',
  NOT_FOUND: 'No such thing (or no such route).',
  RATE_LIMITED: 'Too many just now: the message ends \u201cplease try again in N seconds\u201d.',
  UNAVAILABLE: 'Busy (another server is changing the same thing, or the database is behind) or a store failed: try again.',
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
  appealId: { noun: 'appeal' },
  suspensionId: { noun: 'suspension' },
  userId: { noun: 'member' },
  slug: { noun: 'organisation' },
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

const isWrite = (route: HttpRoute | undefined) => route !== undefined && route.method !== 'GET';
const STAFF: readonly Who[] = ROLES.slice(1);

/** Why a command can answer each code: what the table implies, then what its doc adds. */
export function errorReasons(name: DocumentedCommand, fields: string[], via: 'http' | 'socket'): Partial<Record<ErrorCode, string>> {
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

export const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

export function errorSchema(): JsonSchema {
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
