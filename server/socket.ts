import type { z } from 'zod';
import { AREAS_ROOM, boardRoom, MODERATORS_ROOM, userRoom, type Ack, type ClientToServerEvents } from '../realtime/events.js';
import { boardWatch, ideaInput, noArguments, reportInput, voteTarget, type BoardSnapshot } from '../realtime/schemas.js';
import { authenticate, originAllowed } from './auth.js';
import type { BoardState } from './board-state.js';
import type { ModerationService } from './moderation.js';
import { badRequest, HttpError, publicError } from './errors.js';
import type { IdeaService } from './ideas.js';
import type { BoardIo, BoardSocket } from './io.js';
import { RateLimiter } from './rate-limit.js';
import type { SessionService } from './sessions.js';
import type { VoteLedger } from './vote-ledger.js';
import type { VoteService } from './votes.js';

export interface SocketDeps {
  sessions: SessionService;
  ideas: IdeaService;
  votes: VoteService;
  moderation: ModerationService;
  state: BoardState;
  ledger: VoteLedger;
  allowedOrigins: readonly string[];
}

/** Ideas a board snapshot carries at most, best first; clients fetch any other idea by id. */
export const SNAPSHOT_LIMIT = 500;
const COMMANDS_PER_WINDOW = 40;
const COMMAND_WINDOW_MS = 10_000;

export function attachSocketHandlers(io: BoardIo, deps: SocketDeps): void {
  const commandLimiter = new RateLimiter(COMMANDS_PER_WINDOW, COMMAND_WINDOW_MS);
  const sweep = setInterval(() => commandLimiter.sweep(), 60_000);
  sweep.unref();
  io.engine.on('close', () => clearInterval(sweep));

  io.use(async (socket, next) => {
    const { headers } = socket.handshake;
    if (!originAllowed(headers.origin, headers.host, deps.allowedOrigins)) {
      return next(new Error('FORBIDDEN: this origin may not connect'));
    }
    try {
      const session = await authenticate(deps.sessions, headers.cookie);
      socket.data.userId = session?.user.id ?? null;
      socket.data.facilitator = session?.user.kind === 'facilitator';
      socket.data.board = null;
      next();
    } catch {
      next(new Error('UNAVAILABLE: please retry'));
    }
  });

  const handlers = Object.entries(commandHandlers(deps, commandLimiter)) as [CommandEvent, CommandHandler][];
  io.on('connection', (socket) => {
    if (socket.data.userId) void socket.join(userRoom(socket.data.userId));
    for (const [event, handler] of handlers) socket.on(event, handler);
  });
}

type CommandEvent = keyof ClientToServerEvents;
/** Socket.IO calls a listener with the socket as `this`: one function serves every connection. */
type CommandHandler = (this: BoardSocket, payload: unknown, ack: unknown) => Promise<void>;

/**
 * One listener per command for the whole server, not a closure per command per socket: those were
 * 24 of a connection's 186 heap objects, and a major GC marks every object of every connection.
 */
function commandHandlers(deps: SocketDeps, limiter: RateLimiter): Record<CommandEvent, CommandHandler> {
  const command =
    <S extends z.ZodType, R>(schema: S, run: (socket: BoardSocket, input: z.infer<S>) => Promise<R>): CommandHandler =>
    async function (payload, ack) {
      if (typeof payload === 'function' && ack === undefined) [payload, ack] = [undefined, payload];
      if (typeof ack !== 'function') return;
      const reply = ack as (response: Ack<R>) => void;
      try {
        if (limiter.take(this.id) > 0) throw new HttpError('RATE_LIMITED', 'Too many requests: slow down a little.');
        const parsed = schema.safeParse(payload);
        if (!parsed.success) throw badRequest(parsed.error);
        reply({ ok: true, data: await run(this, parsed.data) });
      } catch (error) {
        const { code, message, status } = publicError(error);
        if (status >= 500) console.error(error);
        reply({ ok: false, code, message });
      }
    };

  return {
    'board:watch': command(boardWatch, (socket, input) => watch(socket, deps, input.area ?? null)),
    'areas:watch': command(noArguments, async (socket) => {
      await socket.join(AREAS_ROOM);
      return { areas: deps.state.ideaCounts() };
    }),
    'idea:create': command(ideaInput, (socket, input) => deps.ideas.create(input, requireUser(socket))),
    'vote:cast': command(voteTarget, (socket, input) => deps.votes.cast(input.ideaId, requireUser(socket))),
    'vote:retract': command(voteTarget, (socket, input) => deps.votes.retract(input.ideaId, requireUser(socket))),
    'idea:report': command(reportInput, (socket, input) => deps.moderation.report(input, requireUser(socket))),
    'moderation:watch': command(noArguments, async (socket) => {
      if (!socket.data.facilitator) throw new HttpError('FORBIDDEN', 'Only facilitators can watch the moderation queue: sign in at /moderate.');
      await socket.join(MODERATORS_ROOM);
      return { watching: true as const };
    }),
  };
}

function requireUser(socket: BoardSocket): string {
  if (!socket.data.userId) throw new HttpError('UNAUTHENTICATED', 'No session: load the page (or GET /api/session) and reconnect.');
  return socket.data.userId;
}

async function watch(socket: BoardSocket, deps: SocketDeps, area: BoardSnapshot['area']): Promise<BoardSnapshot> {
  const room = boardRoom(area);
  if (socket.data.board && socket.data.board !== room) await socket.leave(socket.data.board);
  await socket.join(room);
  socket.data.board = room;
  const entries = deps.state.ranked(area).slice(0, SNAPSHOT_LIMIT);
  const mine = socket.data.userId ? deps.ledger.votedBy(socket.data.userId, entries.map((e) => e.id)) : new Set<string>();
  return {
    area,
    ideas: entries.map((entry) => deps.state.view(entry, mine.has(entry.id))),
    areas: deps.state.ideaCounts(),
  };
}
