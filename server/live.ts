import type { Server } from 'socket.io';
import {
  BOARD_ROOM_ALL,
  boardRoom,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../realtime/events.js';
import type { AreaSlug, TallyChange } from '../realtime/schemas.js';
import type { BoardState, IdeaEntry } from './board-state.js';
import type { IdeaEvents } from './ideas.js';
import type { VoteEvents } from './votes.js';

export type BoardIo = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * Pushes the board to sockets. New ideas go out at once (through the adapter, so every server's
 * sockets get them); counts go out on a tick, one message per board with only what changed, each
 * server to its own sockets, after the servers have told each other their vote deltas.
 */
export class LiveBroadcaster implements IdeaEvents, VoteEvents {
  private readonly deltas = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: BoardIo,
    private readonly state: BoardState,
    private readonly clustered: boolean,
    private readonly tickMs: number,
  ) {
    if (clustered) io.on('board:sync', (payload) => this.receiveSync(payload));
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
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

  votesMoved(ideaId: string, delta: number): void {
    if (this.clustered) this.deltas.set(ideaId, (this.deltas.get(ideaId) ?? 0) + delta);
  }

  tick(): void {
    if (this.deltas.size > 0) {
      this.share([], [...this.deltas]);
      this.deltas.clear();
    }
    const { ideas, areaCounts } = this.state.takeChanges();
    if (ideas.length > 0) this.broadcastTallies(ideas);
    if (areaCounts) this.io.local.to(BOARD_ROOM_ALL).emit('areas:changed', { areas: this.state.ideaCounts() });
  }

  private broadcastTallies(ideas: IdeaEntry[]): void {
    const byArea = new Map<AreaSlug, TallyChange[]>();
    const all: TallyChange[] = [];
    for (const idea of ideas) {
      const change = { ideaId: idea.id, votes: idea.votes };
      all.push(change);
      const list = byArea.get(idea.area);
      if (list) list.push(change);
      else byArea.set(idea.area, [change]);
    }
    this.io.local.to(BOARD_ROOM_ALL).emit('tally:changed', { changes: all });
    for (const [area, changes] of byArea) this.io.local.to(boardRoom(area)).emit('tally:changed', { changes });
  }

  private share(ideas: IdeaEntry[], deltas: [string, number][]): void {
    if (!this.clustered) return;
    this.io.serverSideEmit('board:sync', {
      ideas: ideas.map(({ id, area, title, body, createdAt }) => ({ id, area, title, body, createdAt })),
      deltas,
    });
  }

  private receiveSync(payload: Parameters<InterServerEvents['board:sync']>[0]): void {
    for (const idea of payload.ideas) this.state.upsertIdea(idea);
    for (const [ideaId, delta] of payload.deltas) this.state.applyVoteDelta(ideaId, delta);
  }
}
