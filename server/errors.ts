import type { ErrorCode } from '../realtime/schemas.js';
import type { ZodError } from 'zod';

const STATUS: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The one error type services throw on purpose; HTTP routes and socket acks both translate it. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}

export function badRequest(error: ZodError): HttpError {
  const messages = error.issues.map((issue) => {
    const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
    return where + issue.message;
  });
  return new HttpError('BAD_REQUEST', messages.join('; '));
}

/** What a client may see of any error: our own message, or a generic one for everything else. */
export function publicError(error: unknown): { status: number; code: ErrorCode; message: string } {
  if (error instanceof HttpError) return { status: error.status, code: error.code, message: error.message };
  return { status: 500, code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' };
}
