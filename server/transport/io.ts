import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server, type Socket } from 'socket.io';
import type { ClientToServerEvents, InterServerEvents, ServerToClientEvents, SocketData } from '../../realtime/events.js';

/** Socket.IO's server and sockets, typed with the wire contract. */
export type BoardIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type BoardSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type RedisPair = { pub: ReturnType<typeof createClient>; sub: ReturnType<typeof createClient> };

/** Socket.IO on the app's HTTP server; with `redisUrl`, joined to the other servers through the Redis adapter. */
export async function createIo(httpServer: HttpServer, redisUrl: string | undefined): Promise<{ io: BoardIo; redis: RedisPair | null }> {
  const io: BoardIo = new Server(httpServer, {
    serveClient: false,
    pingInterval: 25_000,
    pingTimeout: 20_000,
    maxHttpBufferSize: 32 * 1024,
  });
  if (!redisUrl) return { io, redis: null };
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  return { io, redis: { pub, sub } };
}
