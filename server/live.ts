import type { Server } from 'socket.io';
import {
  BOARD_ROOM_ALL,
  boardRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
  type VoteMove,
} from '../realtime/events.js';
import type { AreaSlug, Tallies } from '../realtime/schemas.js';
import type { BoardState, IdeaEntry } from './board-state.js';
import type { IdeaEvents } from './ideas.js';
import type { VoteEvents } from './votes.js';
import { textFrame } from './ws-frame.js';

export type BoardIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Counts go out at most this often: a vote waits for the next tick, so this bounds its wait. */
export const DEFAULT_TICK_MS = 100;
/** At most this share of the core goes to tally broadcasts; the rest keeps votes, acks and the database moving. */
const BROADCAST_SHARE = 0.75;
/**
 * Sockets written in one go. Between slices the event loop reads incoming votes and database
 * replies, so a broadcast to thousands of viewers never holds a vote back for more than one slice.
 */
export const DEFAULT_SLICE = 500;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Pushes the board to sockets. New ideas go out at once (through the adapter, so every server's
 * sockets get them); counts go out on a tick, one message per board with only what changed, each
 * server to its own sockets, after the servers have told each other their vote deltas.
 */
export class LiveBroadcaster implements IdeaEvents, VoteEvents {
  private moves: VoteMove[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly io: BoardIo,
    private readonly state: BoardState,
    private readonly clustered: boolean,
    private readonly tickMs: number = DEFAULT_TICK_MS,
    private readonly slice: number = DEFAULT_SLICE,
  ) {
    if (clustered) io.on('board:sync', (payload) => this.receiveSync(payload));
  }

  /**
   * Ticks every `tickMs`, or less often when broadcasting takes long (a large audience): the next
   * tick waits until writing has used at most BROADCAST_SHARE of the time since the last one began.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    const run = async () => {
      const began = performance.now();
      // One failed broadcast must not stop the ticking; later ticks carry the next changes.
      const writing = await this.tick().catch((error: unknown) => {
        console.error('tally tick failed:', error);
        return 0;
      });
      const elapsed = performance.now() - began;
      if (this.running) this.timer = setTimeout(run, Math.max(0, Math.max(this.tickMs, writing / BROADCAST_SHARE) - elapsed)).unref();
    };
    this.timer = setTimeout(run, this.tickMs).unref();
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

  /** Sends what changed since the last tick; resolves with the milliseconds spent writing. */
  async tick(): Promise<number> {
    if (this.moves.length > 0) {
      this.share([], this.moves);
      this.moves = [];
    }
    const { ideas, areaCounts } = this.state.takeChanges();
    if (areaCounts) this.io.local.to(BOARD_ROOM_ALL).emit('areas:changed', { areas: this.state.ideaCounts() });
    return ideas.length > 0 ? this.broadcastTallies(ideas) : 0;
  }

  private async broadcastTallies(ideas: IdeaEntry[]): Promise<number> {
    const byArea = new Map<AreaSlug, Tallies>();
    const all: Tallies = {};
    for (const idea of ideas) {
      all[idea.id] = idea.votes;
      let counts = byArea.get(idea.area);
      if (!counts) byArea.set(idea.area, (counts = {}));
      counts[idea.id] = idea.votes;
    }
    let writing = await this.sendTallies(BOARD_ROOM_ALL, all);
    for (const [area, counts] of byArea) writing += await this.sendTallies(boardRoom(area), counts);
    return writing;
  }

  /**
   * One WebSocket frame, encoded once, written straight to each watcher's connection: Socket.IO's
   * own broadcast costs about twice the write itself per socket (packet objects, events, stream
   * callbacks), which at thousands of viewers is most of the core. Sockets that are not on an idle
   * WebSocket (polling, upgrading, with packets queued) get the usual emit, so order is kept.
   */
  private async sendTallies(room: string, counts: Tallies): Promise<number> {
    const members = this.io.of('/').adapter.rooms.get(room);
    if (!members?.size) return 0;
    const watchers = [...members];
    const frame = textFrame(`42${JSON.stringify(['tally:changed', { counts }])}`);
    let writing = 0;
    for (let from = 0; from < watchers.length; from += this.slice) {
      if (from > 0) await nextTurn();
      const began = performance.now();
      // Re-read each slice: a socket may have left the board or the server while the loop turned.
      const current = this.io.of('/').adapter.rooms.get(room);
      const others: string[] = [];
      for (const id of watchers.slice(from, from + this.slice)) {
        const socket = current?.has(id) ? this.io.of('/').sockets.get(id) : undefined;
        if (!socket) continue;
        // Private fields of engine.io and ws (pinned versions): the idle WebSocket's TCP socket.
        const conn = socket.conn as unknown as { readyState: string; writeBuffer: unknown[]; transport: { name: string; writable: boolean; socket?: { _socket?: NodeJS.WritableStream } } };
        const tcp = conn.transport.socket?._socket;
        if (tcp && conn.readyState === 'open' && conn.transport.name === 'websocket' && conn.transport.writable && conn.writeBuffer.length === 0) tcp.write(frame);
        else others.push(id);
      }
      if (others.length) this.io.local.to(others).emit('tally:changed', { counts });
      writing += performance.now() - began;
    }
    return writing;
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
