import type { OrganisationView } from '$realtime/schemas/accounts';
import { call } from './api';
import { lastingSocket, type BoardSocket } from './socket';

/**
 * How many organisations support the campaign, kept current on every open screen: the server says
 * so to every socket when staff approve one. After a reconnect the count is read again, since an
 * approval made meanwhile went unheard.
 */
export class SupporterCount {
  count = $state(0);
  #onchange: () => void;

  /** `onchange` hears each change after the first render, e.g. to reload a list of names. */
  constructor(initial: number, onchange: () => void = () => undefined) {
    this.count = initial;
    this.#onchange = onchange;
  }

  /** Follows the count on a socket a page already holds; returns what stops it. */
  follow(socket: BoardSocket): () => void {
    let reconnect = false;
    const changed = ({ count }: { count: number }) => {
      if (count === this.count) return;
      this.count = count;
      this.#onchange();
    };
    const connected = () => {
      if (reconnect) void this.#reread().then((count) => count !== null && changed({ count }));
      reconnect = true;
    };
    socket.on('supporters:changed', changed);
    socket.on('connect', connected);
    return () => {
      socket.off('supporters:changed', changed);
      socket.off('connect', connected);
    };
  }

  /** For a page with no socket of its own. */
  connect(): () => void {
    let closed = false;
    const socket = lastingSocket(() => closed);
    const stop = this.follow(socket);
    socket.connect();
    return () => {
      closed = true;
      stop();
      socket.disconnect();
    };
  }

  async #reread(): Promise<number | null> {
    try {
      return (await call('organisations:list', {})).organisations.length;
    } catch {
      return null;
    }
  }
}

/** What the /supporters load `depends` on: an approval elsewhere reloads its list. */
export const SUPPORTERS_DEPENDENCY = 'app:supporters';
