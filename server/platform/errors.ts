import type { ZodError } from 'zod';
import { ERROR_STATUS, type ErrorCode } from '../../realtime/vocabulary.js';

/** The one error type services throw on purpose; every adapter (HTTP, socket ack, page) translates it. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** For forms: the message to show beside each input that was refused. */
    readonly fields?: Record<string, string>,
    /** For REPHRASE: the words, as the author wrote them, that screening refused. */
    readonly terms?: string[],
    /** SUSPENDED: when the suspension ends (ISO 8601), or null for good. */
    readonly until?: string | null,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export function badRequest(error: ZodError): HttpError {
  const fields: Record<string, string> = {};
  const messages = error.issues.map((issue) => {
    const field = issue.path[0];
    if (typeof field === 'string' && !(field in fields)) fields[field] = issue.message;
    return (issue.path.length ? `${issue.path.join('.')}: ` : '') + issue.message;
  });
  return new HttpError('BAD_REQUEST', messages.join('; '), fields);
}

export const DATABASE_AWAY = 'The board is briefly unavailable: please try again in a few seconds.';
/** A vote refused because the database is behind (see group-commit.ts): nothing was counted. */
export const DATABASE_BEHIND = 'So many votes are arriving that the board is behind: yours was not counted. Please try again in a moment.';

/** The driver's and mongoose's ways of saying the database cannot be reached (not that it refused something). */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
]);

/** A socket's ways of saying the other end went away (the driver passes some on as they are). */
const SOCKET_GONE = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED']);

/** Whether an error only says that the database is away for now: 503 UNAVAILABLE, not 500. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; typeof e === 'object' && e !== null && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    if (typeof name === 'string' && UNREACHABLE.has(name)) return true;
    // A connection the database closed under a write (the driver's own words, or the socket's).
    if (typeof name === 'string' && name.startsWith('Mongo') && typeof message === 'string' && /^connection .* closed$/.test(message)) return true;
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && SOCKET_GONE.has(code)) return true;
    // mongoose, holding an operation asked for while disconnected: "Operation `votes.find()` buffering timed out after 1500ms".
    if (name === 'MongooseError' && typeof message === 'string' && /buffering timed out/.test(message)) return true;
  }
  return false;
}

/** What a client may see of any error: our own message, or a generic one for everything else. */
export function publicError(error: unknown): { status: number; code: ErrorCode; message: string; fields?: Record<string, string>; terms?: string[]; until?: string | null } {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message, fields: error.fields, ...(error.terms ? { terms: error.terms } : {}), ...(error.until !== undefined ? { until: error.until } : {}) };
  if (isDatabaseUnavailable(error)) return { status: 503, code: 'UNAVAILABLE', message: DATABASE_AWAY };
  return { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' };
}
