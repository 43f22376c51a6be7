import type { Tallies } from '../../realtime/schemas/board.js';

/** One tally message: the vote counts that moved, and the comment counts that moved (cards only). */
export interface TallyFrame {
  counts: Tallies;
  comments?: Tallies;
}
import type { Watcher, WatcherRegistry } from './watchers.js';
import { routeOf, textFrame } from './ws-frame.js';

/**
 * Sockets written in one go. Between slices the event loop reads incoming votes and database
 * replies, so a broadcast to thousands of viewers never holds a vote back for more than one slice.
 */
const DEFAULT_SLICE = 500;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** How tally frames reach the watchers of a board. */
export class TallyRoute {
  constructor(
    private readonly watchers: WatcherRegistry,
    private readonly slice = DEFAULT_SLICE,
  ) {}

  /**
   * One WebSocket frame with the counts changed after step `since`, encoded once, written straight
   * to each watcher's connection when it is an idle WebSocket (see ws-frame.ts); sockets on polling
   * or mid-upgrade get the usual emit. A watcher whose connection still holds an earlier message
   * skips the frame and is caught up later, so order is kept. Resolves with the CPU milliseconds spent writing.
   */
  async send(board: string, watchers: Watcher[], payload: TallyFrame, since: number): Promise<number> {
    const frame = textFrame(`42${JSON.stringify(['tally:changed', payload])}`);
    let writing = 0;
    for (let from = 0; from < watchers.length; from += this.slice) {
      if (from > 0) await nextTurn();
      const began = process.cpuUsage();
      for (let i = from; i < Math.min(from + this.slice, watchers.length); i++) {
        const watcher = watchers[i]!;
        // Checked at the write: a socket may have left the board or the server while the loop turned.
        if (watcher.board !== board || watcher.lagging) continue;
        const route = routeOf(watcher);
        if (route === 'busy') this.watchers.fallBehind(watcher, since);
        else if (route === 'engine') watcher.socket.emit('tally:changed', payload);
        else route.write(frame);
      }
      const spent = process.cpuUsage(began);
      writing += (spent.user + spent.system) / 1000;
    }
    return writing;
  }
}
