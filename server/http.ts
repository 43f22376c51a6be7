import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { facilitatorSignIn, ideaEdit, ideaInput, ideaListQuery, objectId, reportBody, reviewSetting } from '../realtime/schemas.js';
import { authenticate, originAllowed, sessionCookie, sessionTokenFrom } from './auth.js';
import type { SessionUser } from './context.js';
import { badRequest, HttpError, publicError } from './errors.js';
import type { IdeaService } from './ideas.js';
import type { ModerationService } from './moderation.js';
import type { SessionService } from './sessions.js';
import type { VoteService } from './votes.js';

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser | null;
  }
}

export interface ApiDeps {
  sessions: SessionService;
  ideas: IdeaService;
  votes: VoteService;
  moderation: ModerationService;
  allowedOrigins: readonly string[];
  databaseHealthy: () => Promise<boolean>;
}

const idParams = z.object({ id: objectId });
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw badRequest(result.error);
  return result.data;
}

function requireUser(req: Request): SessionUser {
  if (!req.user) throw new HttpError('UNAUTHENTICATED', 'No session: call GET /api/session first (it sets the session cookie).');
  return req.user;
}

export function apiRouter(deps: ApiDeps): Router {
  const router = express.Router();

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
    const token = sessionTokenFrom(req.get('cookie'));
    if (session?.renewedExpiresAt && token) res.append('Set-Cookie', sessionCookie(token, session.renewedExpiresAt, req.secure));
    next();
  });

  router.get('/session', async (req, res) => {
    if (req.user) return res.json({ user: req.user });
    const created = await deps.sessions.createGuestSession();
    res.append('Set-Cookie', sessionCookie(created.token, created.expiresAt, req.secure));
    res.json({ user: created.user });
  });

  /** Signing out: this browser's session ends (on a shared device, a facilitator's powers with it). */
  router.delete('/session', async (req, res) => {
    const token = sessionTokenFrom(req.get('cookie'));
    if (token) await deps.sessions.invalidate(token);
    res.append('Set-Cookie', sessionCookie('', new Date(0), req.secure));
    res.status(204).end();
  });

  router.get('/healthz', async (_req, res) => {
    const db = await deps.databaseHealthy();
    res.status(db ? 200 : 503).json({ ok: db, db: db ? 'up' : 'down' });
  });

  router.get('/areas', async (_req, res) => {
    res.json(await deps.ideas.listAreas());
  });

  router.get('/ideas', async (req, res) => {
    const query = parse(ideaListQuery, req.query);
    res.json(await deps.ideas.list(query, req.user?.id ?? null));
  });

  router.post('/ideas', async (req, res) => {
    const user = requireUser(req);
    const input = parse(ideaInput, req.body ?? {});
    res.status(201).json(await deps.ideas.create(input, user.id));
  });

  router.get('/ideas/:id', async (req, res) => {
    const { id } = parse(idParams, req.params);
    res.json({ idea: await deps.ideas.get(id, req.user?.id ?? null) });
  });

  router.patch('/ideas/:id', async (req, res) => {
    const user = requireUser(req);
    const { id } = parse(idParams, req.params);
    res.json({ idea: await deps.ideas.edit(id, user.id, parse(ideaEdit, req.body ?? {})) });
  });

  router.put('/ideas/:id/vote', async (req, res) => {
    const user = requireUser(req);
    const { id } = parse(idParams, req.params);
    res.json(await deps.votes.cast(id, user.id));
  });

  router.delete('/ideas/:id/vote', async (req, res) => {
    const user = requireUser(req);
    const { id } = parse(idParams, req.params);
    res.json(await deps.votes.retract(id, user.id));
  });

  router.post('/ideas/:id/report', async (req, res) => {
    const user = requireUser(req);
    const { id } = parse(idParams, req.params);
    res.json(await deps.moderation.report({ ideaId: id, ...parse(reportBody, req.body ?? {}) }, user.id));
  });

  router.post('/facilitator/session', async (req, res) => {
    const user = requireUser(req);
    const { code } = parse(facilitatorSignIn, req.body ?? {});
    const created = await deps.moderation.signIn(code, user, sessionTokenFrom(req.get('cookie')));
    res.append('Set-Cookie', sessionCookie(created.token, created.expiresAt, req.secure));
    res.json({ user: created.user });
  });

  router.get('/moderation', async (req, res) => {
    const user = requireUser(req);
    const [items, setting] = await Promise.all([deps.moderation.queue(user), deps.moderation.reviewSetting(user)]);
    res.json({ items, ...setting });
  });

  router.put('/moderation/settings', async (req, res) => {
    const user = requireUser(req);
    res.json(await deps.moderation.setReview(parse(reviewSetting, req.body ?? {}), user));
  });

  router.post('/ideas/:id/publish', async (req, res) => {
    const user = requireUser(req);
    const { id } = parse(idParams, req.params);
    res.json({ item: await deps.moderation.publish(id, user) });
  });

  router.post('/ideas/:id/hide', async (req, res) => {
    const user = requireUser(req);
    const { id } = parse(idParams, req.params);
    res.json({ item: await deps.moderation.hide(id, user) });
  });

  router.post('/ideas/:id/restore', async (req, res) => {
    const user = requireUser(req);
    const { id } = parse(idParams, req.params);
    res.json({ item: await deps.moderation.restore(id, user) });
  });

  router.use((req) => {
    throw new HttpError('NOT_FOUND', `No API route ${req.method} ${req.baseUrl}${req.path}.`);
  });
  router.use(apiErrorHandler);
  return router;
}

/** The API's one error handler: our HttpErrors as they are, body-parser's 4xx as bad requests, the rest hidden. */
export function apiErrorHandler(error: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const parserStatus = (error as { status?: number; type?: string }).type ? (error as { status?: number }).status : undefined;
  if (parserStatus && parserStatus >= 400 && parserStatus < 500) {
    const message = parserStatus === 413 ? 'The body is too large.' : 'The body is not valid JSON.';
    res.status(parserStatus).json({ error: { code: 'BAD_REQUEST', message } });
    return;
  }
  const { status, code, message } = publicError(error);
  if (status >= 500) console.error(error);
  res.status(status).json({ error: { code, message } });
}
