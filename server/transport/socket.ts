import proxyaddr from 'proxy-addr';
import { COMMANDS, type SocketCommandName } from '../../realtime/commands.js';
import { sessionRoom, userRoom, type Ack } from '../../realtime/events.js';
import { authenticate, originAllowed } from '../accounts/auth.js';
import type { Dispatcher } from './dispatch.js';
import { HttpError, publicError } from '../platform/errors.js';
import type { BoardIo, BoardSocket } from './io.js';
import { log } from '../platform/log.js';
import { RateLimiter } from '../platform/rate-limit.js';
import type { SessionService } from '../accounts/sign-in-sessions.js';

export interface SocketDeps {
  dispatcher: Dispatcher;
  sessions: SessionService;
  allowedOrigins: readonly string[];
  /** Which proxies may name the client in X-Forwarded-For (Express's compiled `trust proxy`). */
  trustProxy: (address: string, hop: number) => boolean;
}

const COMMANDS_PER_WINDOW = 40;
const COMMAND_WINDOW_MS = 10_000;
const SOCKET_COMMANDS = (Object.keys(COMMANDS) as (keyof typeof COMMANDS)[]).filter(
  (name): name is SocketCommandName => 'socket' in COMMANDS[name],
);

/** The Socket.IO adapter: the handshake ties a socket to its session, and each socket command goes to the dispatcher. */
export function attachSocketHandlers(io: BoardIo, deps: SocketDeps): () => void {
  const limiter = new RateLimiter(COMMANDS_PER_WINDOW, COMMAND_WINDOW_MS);

  io.use(async (socket, next) => {
    const { headers } = socket.handshake;
    if (!originAllowed(headers.origin, headers.host, deps.allowedOrigins)) {
      return next(new Error('FORBIDDEN: this origin may not connect'));
    }
    try {
      const session = await authenticate(deps.sessions, headers.cookie);
      socket.data.address = proxyaddr(socket.request as Parameters<typeof proxyaddr>[0], deps.trustProxy);
      socket.data.user = session?.user ?? null;
      socket.data.sessionId = session?.id ?? null;
      socket.data.sessionExpiresAt = session?.expiresAt.getTime() ?? null;
      socket.data.board = null;
      socket.data.idea = null;
      next();
    } catch (error) {
      log.warn({ err: error }, 'socket handshake: sessions unavailable');
      next(new Error('UNAVAILABLE: please retry'));
    }
  });

  const listeners = commandListeners(deps.dispatcher, limiter);
  io.on('connection', (socket) => {
    const { user, sessionId } = socket.data;
    if (user && sessionId) void socket.join([userRoom(user.id), sessionRoom(sessionId)]);
    for (const [event, listener] of listeners) socket.on(event, listener);
  });

  const sweep = setInterval(() => {
    limiter.sweep();
    closeLapsedSockets(io);
  }, 60_000);
  sweep.unref();
  return () => clearInterval(sweep);
}

/**
 * A socket lives no longer than the session it came with (a facilitator's lapses twelve hours after
 * its last use), whenever the database's daily sweep removes the session. A session renewed since (by
 * using the site) lets the socket reconnect at once with its new expiry.
 */
export function closeLapsedSockets(io: BoardIo, now = Date.now()): void {
  for (const socket of io.of('/').sockets.values()) {
    const lapses = socket.data.sessionExpiresAt;
    if (lapses != null && lapses <= now) socket.disconnect(true);
  }
}

/** Socket.IO calls a listener with the socket as `this`. */
type CommandListener = (this: BoardSocket, payload: unknown, ack: unknown) => Promise<void>;

/**
 * One listener per command for the whole server, not a closure per command per socket: those would be
 * a large share of a connection's heap objects, and a major GC marks every object of every connection.
 */
function commandListeners(dispatcher: Dispatcher, limiter: RateLimiter): [SocketCommandName, CommandListener][] {
  return SOCKET_COMMANDS.map((name) => [
    name,
    async function (payload, ack) {
      if (typeof payload === 'function' && ack === undefined) [payload, ack] = [undefined, payload];
      if (typeof ack !== 'function') return;
      const reply = ack as (response: Ack<unknown>) => void;
      try {
        if (limiter.take(this.id) > 0) throw new HttpError('RATE_LIMITED', 'Too many requests: slow down a little.');
        const data = await dispatcher.run(name, payload, { user: this.data.user, via: 'socket', token: null, cookie: null, socket: this, address: this.data.address ?? null });
        reply({ ok: true, data });
      } catch (error) {
        const { code, message, status, terms, until } = publicError(error);
        if (status >= 500) log.error({ err: error, command: name, socket: this.id }, 'socket command failed');
        reply({ ok: false, code, message, ...(terms ? { terms } : {}), ...(until !== undefined ? { until } : {}) });
      }
    },
  ]);
}
