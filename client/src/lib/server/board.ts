import { error, fail, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { AREA_SLUGS, type AreaSlug, type ErrorCode } from '$realtime/schemas';
import type { BoardContext, SessionUser } from '../../../../server/context';

// Same value as BOARD_CONTEXT_KEY in server/context.ts. Symbol.for() lets us reach it without
// importing that module, which would bundle server code into the SvelteKit build.
const BOARD_CONTEXT_KEY = Symbol.for('reclaim.board.context');

/** The services Express published for this process. */
export function board(): BoardContext {
  const ctx = (globalThis as Record<symbol, BoardContext | undefined>)[BOARD_CONTEXT_KEY];
  if (!ctx) {
    throw new Error(
      'No BoardContext on globalThis[Symbol.for("reclaim.board.context")]: the SvelteKit handler must be ' +
        'mounted by the Express server (server/main.ts), which publishes the context first.',
    );
  }
  return ctx;
}

export function setSessionCookie(event: { cookies: Cookies; url: URL }, token: string, expires: Date) {
  event.cookies.set(board().sessionCookieName, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: event.url.protocol === 'https:',
    expires,
  });
}

/** Form actions that write need someone to write as; a first vote or idea starts a guest session. */
export async function requireUser(event: RequestEvent): Promise<SessionUser> {
  if (event.locals.user) return event.locals.user;
  const session = await board().createGuestSession();
  setSessionCookie(event, session.token, session.expiresAt);
  event.locals.user = session.user;
  return session.user;
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
};

const GENERIC = 'Something went wrong on our side. Please try again in a moment.';

/** Status and message people may see; unknown errors are logged and hidden behind a generic text. */
function describe(err: unknown): { status: number; message: string } {
  const code = (err as { code?: unknown } | null)?.code;
  const status = typeof code === 'string' ? STATUS[code as ErrorCode] : undefined;
  if (status) return { status, message: (err as Error).message || GENERIC };
  console.error(err);
  return { status: 500, message: GENERIC };
}

/** For form actions: a service error becomes `fail(status, { message, ...extra })`. */
export function failWith<T extends object>(err: unknown, extra: T) {
  const { status, message } = describe(err);
  return fail(status, { ...extra, message });
}

/** For load functions: a service error becomes SvelteKit's error page. */
export function raise(err: unknown): never {
  const { status, message } = describe(err);
  error(status, message);
}

/** A challenge slug from the URL, or the 404 page. */
export function areaOr404(slug: string): AreaSlug {
  if (!(AREA_SLUGS as readonly string[]).includes(slug)) error(404, 'There is no challenge with that name.');
  return slug as AreaSlug;
}
