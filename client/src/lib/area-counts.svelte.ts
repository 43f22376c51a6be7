import type { AreaSlug } from '$realtime/vocabulary';
import type { AreaCount } from '$realtime/schemas/board';
import { lastingSocket, type BoardSocket } from './socket';

/**
 * How many ideas each area has, kept current for a page that shows nothing more (the home page).
 * It asks for the counts alone: no ideas on connecting and no tallies, which a whole-board watch
 * would send ten times a second.
 */
export class AreaCounts {
  counts: Partial<Record<AreaSlug, number>> = $state({});

  constructor(initial: AreaCount[]) {
    this.#set(initial);
  }

  /** `also` follows something else on the same socket (the home page's supporters' count), so the page opens one. */
  connect(also?: (socket: BoardSocket) => () => void): () => void {
    let closed = false;
    const socket = lastingSocket(() => closed);
    const stopAlso = also?.(socket);
    // After every reconnect too: counts that moved meanwhile went unheard.
    socket.on('connect', () => socket.emit('areas:watch', {}, (ack) => ack.ok && this.#set(ack.data.areas)));
    socket.on('areas:changed', ({ areas }) => this.#set(areas));
    socket.connect();
    return () => {
      closed = true;
      stopAlso?.();
      socket.disconnect();
    };
  }

  #set(areas: AreaCount[]) {
    for (const { slug, ideaCount } of areas) this.counts[slug] = ideaCount;
  }
}
