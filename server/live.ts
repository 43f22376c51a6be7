import type { Server, Socket } from 'socket.io';
import {
  BOARD_ROOM_ALL,
  boardRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
  type VoteMove,
} from '../realtime/events.js';
import type { Tallies } from '../realtime/schemas.js';
import type { BoardState, IdeaEntry } from './board-state.js';
import type { IdeaEvents } from './ideas.js';
import type { VoteEvents } from './votes.js';
import { textFrame } from './ws-frame.js';

export type BoardIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type BoardSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Each watcher gets its board's changed counts once per tick: this bounds how long a vote waits to be seen. */
export const DEFAULT_TICK_MS = 100;
/**
 * Watchers are split into this many phases and one phase is sent per 1/PHASES of a tick. Sent all at
 * once, a tick's broadcast takes a large audience tens of milliseconds to write, so the last viewer
 * saw a vote up to a tick plus that burst late; in phases each viewer still gets one frame per tick,
 * but the writing is spread over the tick, and every viewer sees a counted vote within one tick.
 */
export const DEFAULT_PHASES = 10;
/** At most this share of the core goes to tally broadcasts; the rest keeps votes, acks and the database moving. */
const BROADCAST_SHARE = 0.75;
/**
 * Sockets written in one go. Between slices the event loop reads incoming votes and database
 * replies, so a broadcast to thousands of viewers never holds a vote back for more than one slice.
 */
export const DEFAULT_SLICE = 500;

export interface LiveOptions {
  tickMs?: number;
  phases?: number;
  slice?: number;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Pushes the board to sockets. New ideas go out at once (through the adapter, so every server's
 * sockets get them); counts go out on a tick, each watcher getting one message per tick with only
 * the counts of its board that changed, each server to its own sockets, after the servers have told
 * each other their vote moves.
 */
export class LiveBroadcaster implements IdeaEvents, VoteEvents {
  private readonly tickMs: number;
  private readonly slice: number;
  private moves: VoteMove[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** Socket ids by phase. */
  private readonly phases: Set<string>[];
  /** The ideas whose counts changed in each of the last `phases.length` phase steps: one phase's changes since its last frame. */
  private recent: IdeaEntry[][] = [];
  private turn = 0;

  constructor(
    private readonly io: BoardIo,
    private readonly state: BoardState,
    private readonly clustered: boolean,
    options: LiveOptions = {},
  ) {
    this.tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    this.slice = options.slice ?? DEFAULT_SLICE;
    this.phases = Array.from({ length: Math.max(1, options.phases ?? DEFAULT_PHASES) }, () => new Set<string>());
    io.on('connection', (socket) => {
      this.enter(socket.id);
      socket.on('disconnect', () => this.leave(socket.id));
    });
    if (clustered) io.on('board:sync', (payload) => this.receiveSync(payload));
  }

  /**
   * Steps through the phases every `tickMs / phases`, or less often when writing takes long (a large
   * audience): steps are spaced so that writing uses at most BROADCAST_SHARE of the time. They keep
   * to a timeline, so timers that fire late on a busy event loop do not add up over the steps of a
   * tick; a step late by more than a whole step gives up the rest of the delay.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    const stepMs = this.tickMs / this.phases.length;
    let due = performance.now() + stepMs;
    const run = async () => {
      const began = performance.now();
      // One failed broadcast must not stop the ticking; later steps carry the next changes.
      const writing = await this.tick().catch((error: unknown) => {
        console.error('tally tick failed:', error);
        return 0;
      });
      due = Math.max(due, began - stepMs) + Math.max(stepMs, writing / BROADCAST_SHARE);
      if (this.running) this.timer = setTimeout(run, Math.max(0, due - performance.now())).unref();
    };
    this.timer = setTimeout(run, stepMs).unref();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  ideaCreated(entry: IdeaEntry): void {
    this.io.to(boardRoom(entry.area)).to(BOARD_ROOM_ALL).emit('idea:created', { idea: this.state.view(entry, false) });
    this.share([entry], []);
  }

  ideaEdited(entry: IdeaEntry): void {
    this.io.to(boardRoom(entry.area)).to(BOARD_ROOM_ALL).emit('idea:updated', { idea: this.state.view(entry, false) });
    this.share([entry], []);
  }

  voteMoved(move: VoteMove): void {
    if (this.clustered) this.moves.push(move);
  }

  /** One phase step: this phase's watchers get what changed since its last step; resolves with the milliseconds spent writing. */
  async tick(): Promise<number> {
    if (this.moves.length > 0) {
      this.share([], this.moves);
      this.moves = [];
    }
    const { ideas, areaCounts } = this.state.takeChanges();
    if (areaCounts) this.io.local.to(BOARD_ROOM_ALL).emit('areas:changed', { areas: this.state.ideaCounts() });
    this.recent.push(ideas);
    if (this.recent.length > this.phases.length) this.recent.shift();
    const phase = this.turn;
    this.turn = (this.turn + 1) % this.phases.length;
    const changed = new Set(this.recent.flat());
    return changed.size > 0 ? this.sendPhase(phase, changed) : 0;
  }

  private async sendPhase(phase: number, changed: Set<IdeaEntry>): Promise<number> {
    const byBoard = new Map<string, BoardSocket[]>();
    for (const id of this.phases[phase]!) {
      const socket = this.io.of('/').sockets.get(id);
      const board = socket?.data.board;
      if (!socket || !board) continue;
      const watchers = byBoard.get(board);
      if (watchers) watchers.push(socket);
      else byBoard.set(board, [socket]);
    }
    let writing = 0;
    for (const [board, watchers] of byBoard) {
      const counts: Tallies = {};
      for (const idea of changed) if (board === BOARD_ROOM_ALL || board === boardRoom(idea.area)) counts[idea.id] = idea.votes;
      if (Object.keys(counts).length > 0) writing += await this.sendTallies(board, watchers, counts);
    }
    return writing;
  }

  /**
   * One WebSocket frame, encoded once, written straight to each watcher's connection: Socket.IO's
   * own broadcast costs about twice the write itself per socket (packet objects, events, stream
   * callbacks), which at thousands of viewers is most of the core. Sockets that are not on an idle
   * WebSocket (polling, upgrading, with packets queued) get the usual emit, so order is kept.
   */
  private async sendTallies(board: string, watchers: BoardSocket[], counts: Tallies): Promise<number> {
    const frame = textFrame(`42${JSON.stringify(['tally:changed', { counts }])}`);
    let writing = 0;
    for (let from = 0; from < watchers.length; from += this.slice) {
      if (from > 0) await nextTurn();
      const began = performance.now();
      for (const socket of watchers.slice(from, from + this.slice)) {
        // Checked at the write: a socket may have left the board or the server while the loop turned.
        if (!socket.connected || socket.data.board !== board) continue;
        // Private fields of engine.io and ws (pinned versions): the idle WebSocket's TCP socket.
        const conn = socket.conn as unknown as { readyState: string; writeBuffer: unknown[]; transport: { name: string; writable: boolean; socket?: { _socket?: NodeJS.WritableStream } } };
        const tcp = conn.transport.socket?._socket;
        if (tcp && conn.readyState === 'open' && conn.transport.name === 'websocket' && conn.transport.writable && conn.writeBuffer.length === 0) tcp.write(frame);
        else socket.emit('tally:changed', { counts });
      }
      writing += performance.now() - began;
    }
    return writing;
  }

  /** A new socket joins the phase with the fewest sockets, so every step writes about the same number. */
  private enter(socketId: string): void {
    let smallest = 0;
    for (let phase = 1; phase < this.phases.length; phase++) if (this.phases[phase]!.size < this.phases[smallest]!.size) smallest = phase;
    this.phases[smallest]!.add(socketId);
  }

  private leave(socketId: string): void {
    for (const phase of this.phases) phase.delete(socketId);
  }

  private share(ideas: IdeaEntry[], votes: VoteMove[]): void {
    if (!this.clustered) return;
    this.io.serverSideEmit('board:sync', {
      ideas: ideas.map(({ id, area, title, body, createdAt }) => ({ id, area, title, body, createdAt })),
      votes,
    });
  }

  private receiveSync(payload: Parameters<InterServerEvents['board:sync']>[0]): void {
    for (const idea of payload.ideas) this.state.upsertIdea(idea);
    for (const move of payload.votes) this.state.applyVoteMove(move);
  }
}
