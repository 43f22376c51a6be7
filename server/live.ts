import type { Server, Socket } from 'socket.io';
import {
  AREAS_ROOM,
  BOARD_ROOM_ALL,
  boardRoom,
  isBoardRoom,
  MODERATORS_ROOM,
  userRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
  type SyncedIdea,
  type VoteMove,
} from '../realtime/events.js';
import type { Tallies } from '../realtime/schemas.js';
import type { BoardState, IdeaEntry } from './board-state.js';
import type { IdeaEvents } from './ideas.js';
import type { ModerationEvents, WithheldIdea } from './moderation.js';
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
/** At most this share of the app's CPU time goes to tally broadcasts; the rest keeps votes and acks moving. */
const BROADCAST_SHARE = 0.8;
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
export class LiveBroadcaster implements IdeaEvents, VoteEvents, ModerationEvents {
  private readonly tickMs: number;
  private readonly slice: number;
  private moves: VoteMove[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** Each phase's watchers by board: a step touches only the sockets of boards whose counts changed. */
  private readonly phases: Map<string, Set<Watcher>>[];
  private readonly phaseSizes: number[];
  private readonly watchers = new Map<string, Watcher>();
  /** The ideas whose counts changed in each of the last `phases.length` phase steps: one phase's changes since its last frame. */
  private recent: IdeaEntry[][] = [];
  private turn = 0;
  /** Phase steps taken so far. */
  private step = 0;
  /** The step at which each idea's count last changed, by id: what a lagging watcher has missed. */
  private readonly changedAt = new Map<string, number>();
  /** Each phase's watchers that skipped a frame because their connection had not taken the last one. */
  private readonly lagging: Set<Watcher>[];

  constructor(
    private readonly io: BoardIo,
    private readonly state: BoardState,
    private readonly clustered: boolean,
    options: LiveOptions = {},
  ) {
    this.tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    this.slice = options.slice ?? DEFAULT_SLICE;
    this.phases = Array.from({ length: Math.max(1, options.phases ?? DEFAULT_PHASES) }, () => new Map<string, Set<Watcher>>());
    this.phaseSizes = this.phases.map(() => 0);
    this.lagging = this.phases.map(() => new Set<Watcher>());
    // Rooms are where sockets' boards are kept (they also route idea broadcasts), so watchers follow
    // them, disconnects included. The adapter must be the final one: build this after connecting Redis.
    const rooms = io.of('/').adapter;
    rooms.on('join-room', (room: string, socketId: string) => this.enter(room, socketId));
    rooms.on('leave-room', (room: string, socketId: string) => this.leave(room, socketId));
    if (clustered) io.on('board:sync', (payload) => this.receiveSync(payload));
  }

  /**
   * Steps through the phases every `tickMs / phases`, or less often when writing takes long (a large
   * audience): steps are spaced so that writing uses at most BROADCAST_SHARE of the time. Writing is
   * counted in this process's CPU time, not on the clock: while a step writes, the core may be
   * running another process (the embedded database, on a small box), and that time was never ours
   * to give back. Steps keep to a timeline, so timers that fire late on a busy event loop do not add
   * up over the steps of a tick; a step late by more than a whole step gives up the rest of the delay.
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
    this.share({ ideas: [entry] });
  }

  ideaEdited(entry: IdeaEntry): void {
    this.io.to(boardRoom(entry.area)).to(BOARD_ROOM_ALL).emit('idea:updated', { idea: this.state.view(entry, false) });
    this.share({ edited: [entry] });
  }

  ideaRemoved(entry: IdeaEntry): void {
    this.io.to(boardRoom(entry.area)).to(BOARD_ROOM_ALL).emit('idea:removed', { ideaId: entry.id, area: entry.area });
    this.share({ removed: [entry.id] });
  }

  ideaRestored(entry: IdeaEntry): void {
    this.io.to(boardRoom(entry.area)).to(BOARD_ROOM_ALL).emit('idea:restored', { idea: this.state.view(entry, false) });
    this.share({ ideas: [entry] });
  }

  /** Through the adapter, so facilitators on every server hear of it; they fetch the queue themselves. */
  queueChanged(): void {
    this.io.to(MODERATORS_ROOM).emit('moderation:changed');
  }

  ideaWithheld(authorId: string, idea: WithheldIdea): void {
    this.io.to(userRoom(authorId)).emit('idea:withheld', idea);
  }

  voteMoved(move: VoteMove): void {
    if (this.clustered) this.moves.push(move);
  }

  /** One phase step: this phase's watchers get what changed since its last step; resolves with the CPU milliseconds spent writing. */
  async tick(): Promise<number> {
    if (this.moves.length > 0) {
      this.share({ votes: this.moves });
      this.moves = [];
    }
    const step = ++this.step;
    const { ideas, areaCounts } = this.state.takeChanges();
    for (const idea of ideas) this.changedAt.set(idea.id, step);
    if (areaCounts) this.io.local.to(BOARD_ROOM_ALL).to(AREAS_ROOM).emit('areas:changed', { areas: this.state.ideaCounts() });
    this.recent.push(ideas);
    if (this.recent.length > this.phases.length) this.recent.shift();
    const phase = this.turn;
    this.turn = (this.turn + 1) % this.phases.length;
    const changed = new Set(this.recent.flat());
    let writing = changed.size > 0 ? await this.sendPhase(phase, step, changed) : 0;
    if (this.lagging[phase]!.size > 0) writing += await this.catchUp(phase);
    return writing;
  }

  /** The phase's last step was one round ago: its watchers have missed what changed after it. */
  private async sendPhase(phase: number, step: number, changed: Set<IdeaEntry>): Promise<number> {
    let writing = 0;
    for (const [board, watchers] of this.phases[phase]!) {
      const counts = this.countsFor(board, changed);
      if (counts) writing += await this.sendTallies(board, [...watchers], counts, step - this.phases.length);
    }
    return writing;
  }

  /**
   * Watchers that skipped frames get one with every count that changed since their last frame, once
   * their connection has taken what it had: a slow phone catches up in one message instead of
   * working through a backlog of stale counts, and the server holds at most one frame for it.
   */
  private async catchUp(phase: number): Promise<number> {
    const missedSince = new Map<string, Watcher[]>();
    for (const watcher of this.lagging[phase]!) {
      if (watcher.board === null) this.lagging[phase]!.delete(watcher);
      else if (tallyRoute(watcher) !== 'busy') {
        const key = `${watcher.board} ${watcher.missedSince}`;
        missedSince.get(key)?.push(watcher) ?? missedSince.set(key, [watcher]);
      }
    }
    if (missedSince.size === 0) return 0;
    // Each idea as it is now (an edit replaces its entry); one gone from the board is forgotten.
    const current: [IdeaEntry, number][] = [];
    for (const [ideaId, at] of this.changedAt) {
      const idea = this.state.get(ideaId);
      if (idea) current.push([idea, at]);
      else this.changedAt.delete(ideaId);
    }
    let writing = 0;
    for (const watchers of missedSince.values()) {
      const { board, missedSince: since } = watchers[0]!;
      const changed = new Set(current.filter(([, at]) => at > since).map(([idea]) => idea));
      for (const watcher of watchers) {
        this.lagging[phase]!.delete(watcher);
        watcher.lagging = false;
      }
      const counts = this.countsFor(board!, changed);
      if (counts) writing += await this.sendTallies(board!, watchers, counts, since);
    }
    return writing;
  }

  private countsFor(board: string, changed: Set<IdeaEntry>): Tallies | null {
    let counts: Tallies | null = null;
    for (const idea of changed) {
      if (board === BOARD_ROOM_ALL || board === boardRoom(idea.area)) (counts ??= {})[idea.id] = idea.votes;
    }
    return counts;
  }

  /**
   * One WebSocket frame with the counts changed after step `since`, encoded once, written straight
   * to each watcher's connection: Socket.IO's own broadcast costs about twice the write itself per
   * socket (packet objects, events, stream callbacks), which at thousands of viewers is most of the
   * core. Sockets on polling or mid-upgrade get the usual emit. A watcher whose connection still
   * holds an earlier message skips the frame and is caught up later, so order is kept.
   */
  private async sendTallies(board: string, watchers: Watcher[], counts: Tallies, since: number): Promise<number> {
    const frame = textFrame(`42${JSON.stringify(['tally:changed', { counts }])}`);
    let writing = 0;
    for (let from = 0; from < watchers.length; from += this.slice) {
      if (from > 0) await nextTurn();
      const began = process.cpuUsage();
      for (let i = from; i < Math.min(from + this.slice, watchers.length); i++) {
        const watcher = watchers[i]!;
        // Checked at the write: a socket may have left the board or the server while the loop turned.
        if (watcher.board !== board || watcher.lagging) continue;
        const route = tallyRoute(watcher);
        if (route === 'busy') this.fallBehind(watcher, since);
        else if (route === 'engine') watcher.socket.emit('tally:changed', { counts });
        else route.write(frame);
      }
      const spent = process.cpuUsage(began);
      writing += (spent.user + spent.system) / 1000;
    }
    return writing;
  }

  /** It misses every count that changed after step `since`, up to the frame it can take. */
  private fallBehind(watcher: Watcher, since: number): void {
    watcher.lagging = true;
    watcher.missedSince = since;
    this.lagging[watcher.phase]!.add(watcher);
  }

  /** A socket that joins a board joins the phase with the fewest watchers, so every step writes about the same number. */
  private enter(room: string, socketId: string): void {
    if (!isBoardRoom(room)) return;
    const socket = this.io.of('/').sockets.get(socketId);
    if (!socket) return;
    const current = this.watchers.get(socketId)?.board;
    if (current) this.leave(current, socketId);
    let phase = 0;
    for (let p = 1; p < this.phaseSizes.length; p++) if (this.phaseSizes[p]! < this.phaseSizes[phase]!) phase = p;
    this.phaseSizes[phase]!++;
    const watcher: Watcher = {
      socket,
      conn: socket.conn as unknown as EngineConnection,
      phase,
      board: room,
      transport: null,
      tcp: null,
      lagging: false,
      missedSince: 0,
    };
    this.watchers.set(socketId, watcher);
    const boards = this.phases[phase]!;
    const watchers = boards.get(room);
    if (watchers) watchers.add(watcher);
    else boards.set(room, new Set([watcher]));
  }

  private leave(room: string, socketId: string): void {
    const watcher = this.watchers.get(socketId);
    if (!watcher || watcher.board !== room) return;
    this.watchers.delete(socketId);
    watcher.board = null;
    this.lagging[watcher.phase]!.delete(watcher);
    this.phaseSizes[watcher.phase]!--;
    const boards = this.phases[watcher.phase]!;
    const watchers = boards.get(room);
    watchers?.delete(watcher);
    if (watchers?.size === 0) boards.delete(room);
  }

  private share({ ideas = [], edited = [], removed = [], votes = [] }: { ideas?: IdeaEntry[]; edited?: IdeaEntry[]; removed?: string[]; votes?: VoteMove[] }): void {
    if (!this.clustered) return;
    this.io.serverSideEmit('board:sync', { ideas: ideas.map(synced), edited: edited.map(synced), removed, votes });
  }

  private receiveSync(payload: Parameters<InterServerEvents['board:sync']>[0]): void {
    // An idea new to this server may be one put back after hiding: its votes are in the ballots.
    for (const idea of payload.ideas) {
      if (this.state.get(idea.id)) this.state.upsertIdea(idea);
      else this.state.restoreIdea(idea);
    }
    // A rewording must not bring back an idea this server has since seen taken down.
    for (const idea of payload.edited ?? []) if (this.state.get(idea.id)) this.state.upsertIdea(idea);
    for (const ideaId of payload.removed ?? []) this.state.removeIdea(ideaId);
    for (const move of payload.votes) this.state.applyVoteMove(move);
  }
}

const synced = ({ id, area, title, body, createdAt }: IdeaEntry): SyncedIdea => ({ id, area, title, body, createdAt });

/** Private fields of engine.io and ws (pinned versions) that tell how a tally can reach a connection. */
interface EngineTransport {
  name: string;
  writable: boolean;
  socket?: { _socket?: TcpSocket };
}
interface EngineConnection {
  readyState: string;
  writeBuffer: unknown[];
  transport: EngineTransport;
}
type TcpSocket = NodeJS.WritableStream & { readonly writableLength: number };

/** A socket watching a board, with the few objects its writes check kept at hand. */
interface Watcher {
  readonly socket: BoardSocket;
  readonly conn: EngineConnection;
  readonly phase: number;
  /** Null once the socket has left the board: a step already under way skips it. */
  board: string | null;
  /** The transport `tcp` was found on: when the connection upgrades, it is looked up again. */
  transport: EngineTransport | null;
  tcp: TcpSocket | null;
  /** Skipped a frame and waits to be caught up with everything changed after step `missedSince`. */
  lagging: boolean;
  missedSince: number;
}

/**
 * How a tally reaches this watcher now: straight onto the TCP socket under an open WebSocket with
 * nothing queued; through engine.io (polling, upgrading, a send in flight); or not at all while the
 * connection still holds an earlier message, in engine.io's queue or in the socket's own buffer.
 */
function tallyRoute(watcher: Watcher): TcpSocket | 'engine' | 'busy' {
  const { conn } = watcher;
  const { transport } = conn;
  if (transport !== watcher.transport) {
    watcher.transport = transport;
    watcher.tcp = transport.name === 'websocket' ? (transport.socket?._socket ?? null) : null;
  }
  if (conn.writeBuffer.length > 0 || (watcher.tcp !== null && watcher.tcp.writableLength > 0)) return 'busy';
  return watcher.tcp && conn.readyState === 'open' && transport.writable ? watcher.tcp : 'engine';
}
