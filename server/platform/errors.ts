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

/** What a client may see of any error: our own message, or a generic one for everything else. */
export function publicError(error: unknown): { status: number; code: ErrorCode; message: string; fields?: Record<string, string>; terms?: string[]; until?: string | null } {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message, fields: error.fields, ...(error.terms ? { terms: error.terms } : {}), ...(error.until !== undefined ? { until: error.until } : {}) };
  return { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' };
}
