import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { boardRoom, type ClientToServerEvents, type ServerToClientEvents } from '../../realtime/events.js';
import type { AreaSlug } from '../../realtime/vocabulary.js';
import { boardWatch, voteTarget } from '../../realtime/schemas/board.js';
import { serve } from './ipc.js';

export type NaiveApi = {
  listen: { params: null; result: { port: number } };
};

/**
 * The design the board replaces: the same libraries and contract, counts in memory, and one
 * `tally:changed` broadcast for every vote. Its cost grows with votes × viewers.
 */
const area = process.argv[2] as AreaSlug;
const counts = new Map<string, number>();
const voted = new Set<string>();

const httpServer = createServer();
const io = new Server<ClientToServerEvents, ServerToClientEvents>(httpServer, {
  serveClient: false,
  pingInterval: 25_000,
  pingTimeout: 20_000,
  maxHttpBufferSize: 32 * 1024,
});

io.on('connection', (socket) => {
  socket.on('board:watch', (payload, ack) => {
    const input = boardWatch.safeParse(payload);
    if (!input.success) return ack({ ok: false, code: 'BAD_REQUEST', message: input.error.message });
    void socket.join(boardRoom(input.data.area));
    ack({ ok: true, data: { area: input.data.area ?? null, ideas: [], areas: [] } });
  });
  socket.on('vote:cast', (payload, ack) => {
    const input = voteTarget.safeParse(payload);
    if (!input.success) return ack({ ok: false, code: 'BAD_REQUEST', message: input.error.message });
    const { ideaId } = input.data;
    const pair = `${ideaId}:${socket.id}`;
    let votes = counts.get(ideaId) ?? 0;
    if (!voted.has(pair)) {
      voted.add(pair);
      counts.set(ideaId, ++votes);
      io.to(boardRoom(area)).emit('tally:changed', { counts: { [ideaId]: votes } });
    }
    ack({ ok: true, data: { ideaId, votes, votedByMe: true } });
  });
});

serve<NaiveApi>({
  async listen() {
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    return { port: (httpServer.address() as AddressInfo).port };
  },
});
