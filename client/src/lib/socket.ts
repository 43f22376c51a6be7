import { io } from 'socket.io-client';
import { carry, type BoardSocket } from './socket-riders';
import { RETRY_MS } from './retry';

export type { BoardSocket } from './socket-riders';

/**
 * A socket, not yet connected, that comes back by itself. Socket.IO reconnects after network
 * trouble, but not when the server hung up, nor after its middleware refused the handshake (say,
 * sessions briefly unavailable); a screen on a wall must come back from those too. `offline` hears
 * every drop; `closed` says when the page has let the socket go.
 */
export function lastingSocket(closed: () => boolean, offline: () => void = () => undefined): BoardSocket {
  const socket: BoardSocket = io({ autoConnect: false });
  const drop = carry(socket);
  socket.on('disconnect', (reason) => {
    offline();
    if (closed()) drop();
    if (reason === 'io server disconnect') setTimeout(() => !closed() && socket.connect(), RETRY_MS);
  });
  socket.on('connect_error', () => {
    offline();
    if (!socket.active) setTimeout(() => !closed() && socket.connect(), RETRY_MS);
  });
  return socket;
}
