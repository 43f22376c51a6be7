import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '$realtime/events';

export type BoardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const RETRY_MS = 3000;

type Rider = (socket: BoardSocket) => void;
/** What every socket of the page carries besides its own purpose (the header's bell). */
const riders = new Set<Rider>();
const open = new Set<BoardSocket>();

/**
 * Hears through whichever sockets the page opens, now and later: the server sends what concerns one
 * person to all their sockets, so the header needs no connection of its own. Returns the way out.
 */
export function rideEverySocket(rider: Rider): () => void {
  riders.add(rider);
  for (const socket of open) rider(socket);
  return () => riders.delete(rider);
}

/**
 * A socket, not yet connected, that comes back by itself. Socket.IO reconnects after network
 * trouble, but not when the server hung up, nor after its middleware refused the handshake (say,
 * sessions briefly unavailable); a screen on a wall must come back from those too. `offline` hears
 * every drop; `closed` says when the page has let the socket go.
 */
export function lastingSocket(closed: () => boolean, offline: () => void = () => undefined): BoardSocket {
  const socket: BoardSocket = io({ autoConnect: false });
  open.add(socket);
  for (const rider of riders) rider(socket);
  socket.on('disconnect', (reason) => {
    offline();
    if (closed()) open.delete(socket);
    if (reason === 'io server disconnect') setTimeout(() => !closed() && socket.connect(), RETRY_MS);
  });
  socket.on('connect_error', () => {
    offline();
    if (!socket.active) setTimeout(() => !closed() && socket.connect(), RETRY_MS);
  });
  return socket;
}
