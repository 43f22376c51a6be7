import type { NotificationView } from '$realtime/schemas/discussion';
import { rideEverySocket, type BoardSocket } from './socket-riders';

/**
 * The header's bell, heard live over the page's sockets. One per browser tab, so it is written only
 * in the browser (socket events, the page's own actions); the server-rendered count comes from the
 * layout's data, and this only says what changed since.
 */
class NotificationBell {
  /** The count the server last sent live; null until then, so the page's data counts. */
  #unread = $state<number | null>(null);
  /** Arrived while the page was open, newest first: the notifications page shows them above its list. */
  #arrived = $state<NotificationView[]>([]);
  #heard = new WeakSet<BoardSocket>();
  #leave: (() => void) | null = null;

  unread(loaded: number): number {
    return this.#unread ?? loaded;
  }

  get arrived(): NotificationView[] {
    return this.#arrived;
  }

  /** Starts hearing; the returned function stops (for `$effect` cleanup). */
  listen(): () => void {
    this.#leave ??= rideEverySocket((socket) => {
      if (this.#heard.has(socket)) return;
      this.#heard.add(socket);
      socket.on('notification:new', ({ notification, unread }) => {
        if (this.#arrived.some((known) => known.id === notification.id)) return;
        this.#arrived = [notification, ...this.#arrived];
        this.#unread = unread;
      });
    });
    return () => {
      this.#leave?.();
      this.#leave = null;
    };
  }

  /** All read (the page's data is read again): what arrived is in it now. */
  read() {
    this.#unread = 0;
    this.#arrived = [];
  }
}

export const bell = new NotificationBell();
