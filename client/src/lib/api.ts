import type { Ack, CommandName, CommandPayload, CommandResult, Commands } from '$realtime/commands';
import type { ErrorCode } from '$realtime/vocabulary';

/** A command's REST route as the table declares it, to the letter; `never` for one without. */
export type RouteOf<N extends CommandName> = Commands[N] extends { http: { method: infer M; path: infer P } } ? { method: M; path: P } : never;

/**
 * The routes the browser calls, copied from realtime/commands.ts: the table imports zod, and the
 * phone's page must not carry it (its one call, `session:get`, is in session-cookie.ts). The `satisfies` makes each entry match its row exactly, so a route
 * changed in the table stops the build here instead of failing in a browser.
 */
const ROUTES = {
  'idea:get': { method: 'GET', path: '/ideas/:ideaId' },
  'ideas:similar': { method: 'GET', path: '/ideas/similar' },
  'vote:cast': { method: 'PUT', path: '/ideas/:ideaId/vote' },
  'vote:retract': { method: 'DELETE', path: '/ideas/:ideaId/vote' },
  'comment:helpful': { method: 'PUT', path: '/comments/:commentId/helpful' },
  'comment:unhelpful': { method: 'DELETE', path: '/comments/:commentId/helpful' },
  'organisations:list': { method: 'GET', path: '/organisations' },
  'tallies:split': { method: 'GET', path: '/moderation/tallies' },
} as const satisfies { [N in CommandName]?: RouteOf<N> };

export type ApiCommand = keyof typeof ROUTES;

/** What the API answered instead of a result: its error `code` and a message people may see. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One command over HTTP, with this browser's session cookie: the route's `:params` are taken from
 * `input`, the rest goes in the query (GET, DELETE; a list as `a,b,c`) or as the JSON body. Resolves
 * to the command's result (null for a 204); a refusal rejects with an ApiError, a network failure
 * (or an abort) with what fetch threw.
 */
export async function call<N extends ApiCommand>(name: N, input: CommandPayload<N>, init: { signal?: AbortSignal } = {}): Promise<CommandResult<N>> {
  const { method, path } = ROUTES[name];
  const rest: Record<string, unknown> = { ...(input as object) };
  const filled = path.replace(/:(\w+)/g, (_, param: string) => {
    const value = rest[param];
    delete rest[param];
    return encodeURIComponent(String(value));
  });
  const fields = Object.entries(rest).filter(([, value]) => value !== undefined);
  const inQuery = method === 'GET' || method === 'DELETE';
  const query = inQuery && fields.length ? `?${new URLSearchParams(fields.map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]))}` : '';
  const body = !inQuery && fields.length ? JSON.stringify(Object.fromEntries(fields)) : undefined;
  const response = await fetch(`/api${filled}${query}`, {
    method,
    credentials: 'same-origin',
    signal: init.signal,
    ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
  });
  if (response.status === 204) return null as CommandResult<N>;
  const answer = (await response.json().catch(() => null)) as { error?: { code?: ErrorCode; message?: string } } | null;
  if (!response.ok) throw new ApiError(response.status, answer?.error?.code ?? 'INTERNAL', answer?.error?.message ?? '');
  return answer as CommandResult<N>;
}

/**
 * `call` answered as a socket acks, for a write that goes over HTTP when the socket cannot take it:
 * `what` ends the message of a refusal without one ("Your vote was not saved.") and of a lost network.
 */
export async function callForAck<N extends ApiCommand>(name: N, input: CommandPayload<N>, what: string): Promise<Ack<CommandResult<N>>> {
  try {
    return { ok: true, data: await call(name, input) };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, code: err.code, message: err.message || what };
    return { ok: false, code: 'UNAVAILABLE', message: `You seem to be offline. ${what}` };
  }
}
