import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '$realtime/events';

export type BoardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

type Rider = (socket: BoardSocket) => void;
/** What every socket of the page carries besides its own purpose (the header's bell). */
const riders = new Set<Rider>();
const open = new Set<BoardSocket>();

/**
 * Hears through whichever sockets the page opens, now and later: the server sends what concerns one
 * person to all their sockets, so the header needs no connection of its own. Kept apart from the
 * socket client itself, so a page whose header listens does not load that client before it needs it.
 * Returns the way out.
 */
export function rideEverySocket(rider: Rider): () => void {
  riders.add(rider);
  for (const socket of open) rider(socket);
  return () => riders.delete(rider);
}

/** A socket the page opened: every rider hears through it until it closes. */
export function carry(socket: BoardSocket): () => void {
  open.add(socket);
  for (const rider of riders) rider(socket);
  return () => open.delete(socket);
}
