import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { COMMANDS, type CommandName, type HttpRoute, type NewSession, type SessionCookie } from '../../realtime/commands.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import { authenticate, originAllowed, sessionCookie, sessionTokenFrom } from '../accounts/auth.js';
import { toCsv } from '../platform/csv.js';
import type { CallerInput, Dispatcher } from './dispatch.js';
import { HttpError, publicError } from '../platform/errors.js';
import { SESSION_COOKIE, type SessionService } from '../accounts/sign-in-sessions.js';
import { openApiJson } from './openapi/document.js';

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser | null;
    sessionToken?: string | null;
  }
}

export interface ApiDeps {
  dispatcher: Dispatcher;
  sessions: SessionService;
  allowedOrigins: readonly string[];
  databaseHealthy: () => Promise<boolean>;
  /** Whether Redis is connected, with several servers (null: one server, no Redis). Reported, never a failure: the server serves without it. */
  redisUp: (() => boolean) | null;
  /** PUBLIC_URL is https: the session cookie is Secure even when the hop from a proxy is plain http. */
  secureCookies: boolean;
  /** The public moderation log as CSV (moderation/log.ts). */
  moderationLogCsv: () => Promise<string>;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HTTP_COMMANDS = (Object.keys(COMMANDS) as CommandName[]).flatMap((name) => {
  const spec = COMMANDS[name];
  return 'http' in spec ? [{ name, route: spec.http as HttpRoute }] : [];
});

/** The HTTP adapter: each command with a REST route becomes an Express route that calls the dispatcher. */
export function apiRouter(deps: ApiDeps): Router {
  const router = express.Router();
  // The API reference (OpenAPI 3.1, from the command table): before the session lookup, it needs none.
  router.get('/openapi.json', (_req, res) => void res.type('application/json').send(openApiJson()));

  router.use((req, _res, next) => {
    if (!UNSAFE.has(req.method)) return next();
    if (!originAllowed(req.get('origin'), req.get('host'), deps.allowedOrigins) || req.get('sec-fetch-site') === 'cross-site') {
      throw new HttpError('FORBIDDEN', 'Cross-site requests may not change the board.');
    }
    // A cross-site HTML form can only send form encodings; insisting on JSON closes that door too.
    const sendsBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (sendsBody && !req.is('application/json')) {
      throw new HttpError('BAD_REQUEST', 'Send the body as application/json.');
    }
    next();
  });
  router.use(express.json({ limit: '16kb' }));
  router.use(async (req, res, next) => {
    const session = await authenticate(deps.sessions, req.get('cookie'));
    req.user = session?.user ?? null;
    req.sessionToken = session ? sessionTokenFrom(req.get('cookie')) : null;
    if (session?.renewedExpiresAt && req.sessionToken) setSessionCookie(res, sessionCookie(req.sessionToken, session.renewedExpiresAt, req.secure || deps.secureCookies));
    next();
  });

  router.get('/healthz', async (_req, res) => {
    const db = await deps.databaseHealthy();
    const redis = deps.redisUp === null ? {} : { redis: deps.redisUp() ? 'up' : 'down' };
    res.status(db ? 200 : 503).json({ ok: db, db: db ? 'up' : 'down', ...redis });
  });

  /**
   * A session's results as a spreadsheet, every round: rank, idea, area, the room's votes, the votes staff
   * voided, the round, and the idea's votes online (the board's, not the room's); nothing about who voted.
   */
  router.get('/live/:code/results.csv', async (req, res) => {
    const results = await deps.dispatcher.run('live:results', { code: req.params.code }, callerOf(req, res, deps.secureCookies));
    const rows = results.rounds.flatMap((round) => round.rows.map((row) => [row.rank, row.title, row.area, row.votes, row.voided, round.n, row.online]));
    res.type('text/csv').attachment(`results-${results.session.code}${results.final ? '' : '-provisional'}.csv`);
    res.send(toCsv(['rank', 'idea', 'area', 'votes', 'voided', 'round', 'online'], rows));
  });

  /** The screening terms as a spreadsheet, for staff: `term,action,list`. */
  router.get('/moderation/terms.csv', async (req, res) => {
    const { csv } = await deps.dispatcher.run('moderation:terms-csv', {}, callerOf(req, res, deps.secureCookies));
    res.type('text/csv').attachment('screening-terms.csv');
    res.send(csv);
  });

  /** The public moderation log as a spreadsheet: UTF-8 with a BOM, formula-safe, no names. */
  router.get('/moderation/log.csv', async (_req, res) => {
    res.type('text/csv; charset=utf-8').attachment('moderation-log.csv');
    res.send(await deps.moderationLogCsv());
  });

  for (const { name, route } of HTTP_COMMANDS) {
    const register = router[route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'].bind(router);
    register(route.path, async (req: Request, res: Response) => {
      const result = await deps.dispatcher.run(name, input(req, route), callerOf(req, res, deps.secureCookies));
      if (route.status === 204) res.status(204).end();
      else res.status(route.status ?? 200).json(result);
    });
  }

  router.use((req) => {
    throw new HttpError('NOT_FOUND', `No API route ${req.method} ${req.baseUrl}${req.path}.`);
  });
  router.use(apiErrorHandler);
  return router;
}

/** Path parameters join the query (GET), the JSON body, or both (DELETE): one object for the command's schema. */
function input(req: Request, route: HttpRoute): unknown {
  const params = req.params as Record<string, string>;
  if (route.method === 'GET') return { ...(req.query as object), ...params };
  const body: unknown = req.body ?? {};
  // A DELETE may say how in its body (`DELETE /api/profile {keepPosts}`), or in its query.
  if (route.method === 'DELETE') return { ...(req.query as object), ...(typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}), ...params };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError('BAD_REQUEST', 'The body must be a JSON object.');
  return { ...body, ...params };
}

function callerOf(req: Request, res: Response, secureCookies: boolean): CallerInput {
  return { user: req.user ?? null, via: 'http', token: req.sessionToken ?? null, cookie: cookieOf(req, res, secureCookies), socket: null, address: req.ip ?? null };
}

function cookieOf(req: Request, res: Response, secureCookies: boolean): SessionCookie {
  const secure = req.secure || secureCookies;
  return {
    set: (session: NewSession) => setSessionCookie(res, sessionCookie(session.token, session.expiresAt, secure)),
    clear: () => setSessionCookie(res, sessionCookie('', new Date(0), secure)),
  };
}

/** One session cookie per answer: a later one (signing out after a renewal) replaces the earlier. */
function setSessionCookie(res: Response, cookie: string): void {
  const previous = [res.getHeader('Set-Cookie') ?? []].flat().map(String);
  res.setHeader('Set-Cookie', [...previous.filter((c) => !c.startsWith(`${SESSION_COOKIE}=`)), cookie]);
}

/** The API's one error handler: our HttpErrors as they are, body-parser's 4xx as bad requests, the rest hidden. */
export function apiErrorHandler(error: unknown, req: Request, res: Response, _next: NextFunction): void {
  // A path parameter that is no percent-encoding (`/api/ideas/%E0%A4%A`): Express's router could not decode it.
  if (error instanceof URIError) {
    res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'The address is not validly encoded.' } });
    return;
  }
  const parserStatus = (error as { status?: number; type?: string }).type ? (error as { status?: number }).status : undefined;
  if (parserStatus && parserStatus >= 400 && parserStatus < 500) {
    const message = parserStatus === 413 ? 'The body is too large.' : 'The body is not valid JSON.';
    res.status(parserStatus).json({ error: { code: 'BAD_REQUEST', message } });
    return;
  }
  const { status, code, message, terms, until } = publicError(error);
  // Through the request's own logger, so the line carries its request id.
  if (status >= 500 && code !== 'UNAVAILABLE') req.log.error({ err: error }, 'API request failed');
  res.status(status).json({ error: { code, message, ...(terms ? { terms } : {}), ...(until !== undefined ? { until } : {}) } });
}
