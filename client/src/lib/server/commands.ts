import { error, fail, type Cookies } from '@sveltejs/kit';
import { PAGE_GATEWAY_KEY, type CommandError, type CommandResult, type PageCommandName, type PageGateway, type ValidatedSession } from '$realtime/commands';
import { AREA_SLUGS, ERROR_STATUS, atLeast, type AreaSlug, type ErrorCode, type Role } from '$realtime/vocabulary';

/** What of a request the adapter reads: who is asking, and their cookies. */
export interface PageEvent {
  cookies: Cookies;
  url: URL;
  locals: App.Locals;
  getClientAddress(): string;
}

/** The gateway Express published for this process (server/gateway.ts). */
function gateway(): PageGateway {
  const published = (globalThis as Record<symbol, PageGateway | undefined>)[PAGE_GATEWAY_KEY];
  if (!published) {
    throw new Error('No page gateway on globalThis: the SvelteKit handler must be mounted by the Express server (server/main.ts), which publishes it first.');
  }
  return published;
}

function cookieOptions(url: URL) {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:' || gateway().secureCookies } as const;
}

/**
 * Runs a command of the table as the person behind this request, through the same dispatcher as the
 * API and the sockets. A first write starts their guest session, whose cookie this sets.
 */
export function run<N extends PageCommandName>(event: PageEvent, name: N, input: unknown = {}): Promise<CommandResult<N>> {
  const pages = gateway();
  return pages.run(name, input, {
    user: event.locals.user,
    token: event.cookies.get(pages.sessionCookieName) ?? null,
    address: clientAddress(event),
    cookie: {
      set: (session) => {
        event.cookies.set(pages.sessionCookieName, session.token, { ...cookieOptions(event.url), expires: session.expiresAt });
        event.locals.user = session.user;
      },
      clear: () => {
        event.cookies.delete(pages.sessionCookieName, cookieOptions(event.url));
        event.locals.user = null;
      },
    },
  });
}

/** Behind Express, adapter-node reads the socket's address; a request built in a test may have none. */
function clientAddress(event: PageEvent): string | null {
  try {
    return event.getClientAddress();
  } catch {
    return null;
  }
}

/** The session this request's cookie holds; an expired or revoked one is dropped, so the next write starts afresh. */
export async function authenticate(event: PageEvent): Promise<ValidatedSession | null> {
  const pages = gateway();
  const token = event.cookies.get(pages.sessionCookieName);
  if (!token) return null;
  const session = await pages.authenticate(token);
  // Sliding expiry: the browser must learn the new date or it drops a session the server still honours.
  if (session?.renewedExpiresAt) event.cookies.set(pages.sessionCookieName, token, { ...cookieOptions(event.url), expires: session.renewedExpiresAt });
  if (!session) event.cookies.delete(pages.sessionCookieName, cookieOptions(event.url));
  return session;
}

/** Whether the database can be reached now: while it is away, pages say so (503) rather than wait for it. */
export const databaseUp = (): boolean => gateway().databaseUp();

/** A refusal that says only that the database is away for now. */
export const isUnavailable = (err: unknown): boolean => isRefusal(err) && err.code === 'UNAVAILABLE';

export const UNAVAILABLE_MESSAGE = 'The board is briefly unavailable. Please try again in a few seconds: nothing you have done is lost.';

const GENERIC = 'Something went wrong on our side. Please try again in a moment.';

function isRefusal(err: unknown): err is CommandError {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code in ERROR_STATUS;
}

/** Status and message people may see; anything but a refusal is logged and hidden behind a generic text. */
function describe(err: unknown): { status: number; code: ErrorCode; message: string; fields?: Record<string, string>; terms?: string[] } {
  if (isRefusal(err) && err.code !== 'INTERNAL') return { status: ERROR_STATUS[err.code], code: err.code, message: err.message || GENERIC, fields: err.fields, terms: err.terms };
  if (!isRefusal(err)) console.error(err);
  return { status: 500, code: 'INTERNAL', message: GENERIC };
}

/**
 * For form actions: a refusal becomes `fail(status, { ...extra, code, message, errors })`, with a message per
 * refused field (shown beside it) and, when fields were refused, `invalid` as the form's own message.
 * REPHRASE also carries `terms`, the words to reword (each field's message names its own).
 */
export function refused<T extends object>(err: unknown, extra: T, invalid?: string) {
  const { status, code, message, fields, terms } = describe(err);
  const errors = Object.fromEntries(Object.entries(fields ?? {}).map(([field, text]) => [field, sentence(text)]));
  return fail(status, { ...extra, code, message: fields && invalid ? invalid : message, errors: errors as Record<string, string | undefined>, terms: terms ?? [] });
}

/** For load functions: a refusal becomes SvelteKit's error page. */
export function raise(err: unknown): never {
  const { status, message } = describe(err);
  error(status, message);
}

/** A challenge slug from the URL, or the 404 page. */
export function areaOr404(slug: string): AreaSlug {
  if (!(AREA_SLUGS as readonly string[]).includes(slug)) error(404, 'There is no challenge with that name.');
  return slug as AreaSlug;
}

/** Whether the person behind this request may do what `role` may: pages offer staff controls only to them (the command still checks). */
export const holds = (event: { locals: App.Locals }, role: Role) => event.locals.user !== null && atLeast(event.locals.user.role, role);

/** The challenge a `?area=` names, or null for all of them (an unknown one too: a filter, not a page). */
export function areaParam(url: URL): AreaSlug | null {
  const slug = url.searchParams.get('area');
  return slug && (AREA_SLUGS as readonly string[]).includes(slug) ? (slug as AreaSlug) : null;
}

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1) + '.';
