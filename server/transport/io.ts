import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../realtime/events.js';
import { log } from '../platform/log.js';

/** Socket.IO's server and sockets, typed with the wire contract. */
export type BoardIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type BoardSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

type RedisClient = ReturnType<typeof createClient>;

/**
 * The Redis clients joining this server to the others: `pub` publishes the adapter's messages and
 * carries the rate limits and the document locks, `sub` hears the other servers.
 */
export interface RedisPair {
  pub: RedisClient;
  sub: RedisClient;
  /** Whether both clients are connected now (the health check reports it). */
  readonly up: boolean;
  /** Calls `listener` whenever both clients are back after Redis went away: the messages of the gap are lost. */
  onRejoin(listener: () => void): void;
}

/**
 * Redis going away must not take the server with it: errors are logged (an `error` event with no
 * listener would throw), the clients reconnect by themselves, and no command waits for Redis to come
 * back (no offline queue): rate limits fall back to memory, locks to this server's own queue, and a
 * broadcast reaches this server's sockets only. The adapter publishes without awaiting, so its
 * refusals are dropped here rather than left unhandled.
 */
function joinRedis(url: string): RedisPair {
  const options = { url, disableOfflineQueue: true, socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2_000) } };
  const pub = createClient(options);
  const sub = pub.duplicate();
  const publish = pub.publish.bind(pub);
  Object.defineProperty(pub, 'publish', {
    value: (channel: string, message: string) =>
      publish(channel, message).catch((error: unknown) => {
        log.debug({ err: error, channel }, 'a message to the other servers was lost: Redis is away');
        return 0;
      }),
  });

  const listeners: (() => void)[] = [];
  const down = new Set<string>();
  let lost = false;
  for (const [name, client] of [['pub', pub], ['sub', sub]] as const) {
    const away = (error?: Error) => {
      if (!down.has(name)) log.warn({ err: error, client: name }, 'Redis is away: this server serves alone until it is back');
      down.add(name);
      lost = true;
    };
    client.on('error', away);
    client.on('reconnecting', () => away());
    client.on('ready', () => {
      down.delete(name);
      if (down.size > 0 || !lost) return;
      lost = false;
      log.info('Redis is back: catching up with the other servers');
      for (const listener of listeners) listener();
    });
  }
  return {
    pub,
    sub,
    get up() {
      return pub.isReady && sub.isReady;
    },
    onRejoin: (listener) => void listeners.push(listener),
  };
}

/** Socket.IO on the app's HTTP server; with `redisUrl`, joined to the other servers through the Redis adapter. */
export async function createIo(httpServer: HttpServer, redisUrl: string | undefined): Promise<{ io: BoardIo; redis: RedisPair | null }> {
  const io: BoardIo = new Server(httpServer, {
    serveClient: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 32 * 1024,
  });
  if (!redisUrl) return { io, redis: null };
  const redis = joinRedis(redisUrl);
  await Promise.all([redis.pub.connect(), redis.sub.connect()]);
  io.adapter(createAdapter(redis.pub, redis.sub));
  return { io, redis };
}
