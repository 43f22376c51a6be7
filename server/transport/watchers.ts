import { isBoardRoom } from '../../realtime/events.js';
import type { BoardIo, BoardSocket } from './io.js';
import { engineConnection, type RawConnection } from './ws-frame.js';

/** A socket watching a board, with the few objects its writes check kept at hand. */
export interface Watcher extends RawConnection {
  readonly socket: BoardSocket;
  readonly phase: number;
  /** Null once the socket has left the board: a step already under way skips it. */
  board: string | null;
  /** Skipped a frame and waits to be caught up with everything changed after step `missedSince`. */
  lagging: boolean;
  missedSince: number;
}

/**
 * Who watches which board, split into phases that the tally ticker sends one after another. Rooms
 * are where sockets' boards are kept (they also route idea broadcasts), so watchers follow them,
 * disconnects included. The adapter must be the final one: build this after connecting Redis.
 */
export class WatcherRegistry {
  /** Each phase's watchers by board: a step touches only the sockets of boards whose counts changed. */
  readonly phases: Map<string, Set<Watcher>>[];
  /** Each phase's watchers that skipped a frame because their connection had not taken the last one. */
  readonly lagging: Set<Watcher>[];
  private readonly phaseSizes: number[];
  private readonly bySocket = new Map<string, Watcher>();

  constructor(
    private readonly io: BoardIo,
    phases: number,
  ) {
    this.phases = Array.from({ length: phases }, () => new Map<string, Set<Watcher>>());
    this.phaseSizes = this.phases.map(() => 0);
    this.lagging = this.phases.map(() => new Set<Watcher>());
    const rooms = io.of('/').adapter;
    rooms.on('join-room', (room: string, socketId: string) => this.enter(room, socketId));
    rooms.on('leave-room', (room: string, socketId: string) => this.leave(room, socketId));
  }

  /** It misses every count that changed after step `since`, up to the frame it can take. */
  fallBehind(watcher: Watcher, since: number): void {
    watcher.lagging = true;
    watcher.missedSince = since;
    this.lagging[watcher.phase]!.add(watcher);
  }

  /** A socket that joins a board joins the phase with the fewest watchers, so every step writes about the same number. */
  private enter(room: string, socketId: string): void {
    if (!isBoardRoom(room)) return;
    const socket = this.io.of('/').sockets.get(socketId);
    if (!socket) return;
    const current = this.bySocket.get(socketId)?.board;
    if (current) this.leave(current, socketId);
    let phase = 0;
    for (let p = 1; p < this.phaseSizes.length; p++) if (this.phaseSizes[p]! < this.phaseSizes[phase]!) phase = p;
    this.phaseSizes[phase]!++;
    const watcher: Watcher = {
      socket,
      conn: engineConnection(socket),
      phase,
      board: room,
      transport: null,
      tcp: null,
      lagging: false,
      missedSince: 0,
    };
    this.bySocket.set(socketId, watcher);
    const boards = this.phases[phase]!;
    const watchers = boards.get(room);
    if (watchers) watchers.add(watcher);
    else boards.set(room, new Set([watcher]));
  }

  private leave(room: string, socketId: string): void {
    const watcher = this.bySocket.get(socketId);
    if (!watcher || watcher.board !== room) return;
    this.bySocket.delete(socketId);
    watcher.board = null;
    this.lagging[watcher.phase]!.delete(watcher);
    this.phaseSizes[watcher.phase]!--;
    const boards = this.phases[watcher.phase]!;
    const watchers = boards.get(room);
    watchers?.delete(watcher);
    if (watchers?.size === 0) boards.delete(room);
  }
}
