import { AREAS_ROOM, BOARD_ROOM_ALL, boardRoom } from '../../realtime/events.js';
import type { Tallies } from '../../realtime/schemas/board.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import type { ClusterSync } from './cluster-sync.js';
import type { BoardIo } from './io.js';
import { log } from '../platform/log.js';
import { TallyRoute, type TallyFrame } from './tally-route.js';
import { WatcherRegistry, type Watcher } from './watchers.js';
import { routeOf } from './ws-frame.js';
import type { SessionBoards } from './session-boards.js';

/** Each watcher gets its board's changed counts once per tick: this bounds how long a vote waits to be seen. */
export const DEFAULT_TICK_MS = 100;
/**
 * Watchers are split into this many phases and one phase is sent per 1/PHASES of a tick. Sent all at
 * once, a tick's broadcast takes a large audience tens of milliseconds to write, so the last viewer
 * saw a vote up to a tick plus that burst late; in phases each viewer still gets one frame per tick,
 * but the writing is spread over the tick, and every viewer sees a counted vote within one tick.
 */
const DEFAULT_PHASES = 10;
/** At most this share of the app's CPU time goes to tally broadcasts; the rest keeps votes and acks moving. */
const BROADCAST_SHARE = 0.8;

export interface TickOptions {
  tickMs?: number;
  phases?: number;
  /** Sockets written in one go (see DEFAULT_SLICE). */
  slice?: number;
}

/**
 * Counts go out on a tick: each watcher gets one message per tick with only the counts of its board
 * that changed, each server to its own sockets, after the servers have told each other their vote moves.
 */
export class TallyTicker {
  private readonly tickMs: number;
  private readonly watchers: WatcherRegistry;
  private readonly route: TallyRoute;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  /** The ideas whose counts changed in each of the last `phases` phase steps: one phase's changes since its last frame. */
  private recent: IdeaEntry[][] = [];
  private turn = 0;
  /** Phase steps taken so far. */
  private step = 0;
  /** The step at which each idea's count last changed, by id: what a lagging watcher has missed. */
  private readonly changedAt = new Map<string, number>();
  /**
   * The same for comment counts: cards count comments, and the counts ride in the tally frames, since a
   * message of their own to every viewer cost as much as the tallies at 50 comments a second.
   */
  private recentComments: IdeaEntry[][] = [];
  private readonly commentedAt = new Map<string, number>();
  /** The same for live sessions' boards, whose counts are their rooms' own: per step, per board, the ideas that moved. */
  private recentRooms: Map<string, Set<string>>[] = [];
  private readonly roomChangedAt = new Map<string, Map<string, number>>();

  constructor(
    private readonly io: BoardIo,
    private readonly state: BoardState,
    private readonly sync: ClusterSync | null,
    private readonly rooms: Pick<SessionBoards, 'isSession' | 'tally' | 'takeChanges'>,
    options: TickOptions = {},
  ) {
    this.tickMs = options.tickMs ?? DEFAULT_TICK_MS;
    this.watchers = new WatcherRegistry(io, Math.max(1, options.phases ?? DEFAULT_PHASES));
    this.route = new TallyRoute(this.watchers, options.slice);
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
    const stepMs = this.tickMs / this.watchers.phases.length;
    let due = performance.now() + stepMs;
    const run = async () => {
      const began = performance.now();
      // One failed broadcast must not stop the ticking; later steps carry the next changes.
      const writing = await this.tick().catch((error: unknown) => {
        log.error({ err: error }, 'tally tick failed');
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

  /** One phase step: this phase's watchers get what changed since its last step; resolves with the CPU milliseconds spent writing. */
  async tick(): Promise<number> {
    this.sync?.flushVotes();
    const { phases, lagging } = this.watchers;
    const step = ++this.step;
    const { ideas, areaCounts } = this.state.takeChanges();
    for (const idea of ideas) this.changedAt.set(idea.id, step);
    if (areaCounts) this.io.local.to(BOARD_ROOM_ALL).to(AREAS_ROOM).emit('areas:changed', { areas: this.state.ideaCounts() });
    const discussed = this.state.takeCommentChanges();
    for (const idea of discussed) this.commentedAt.set(idea.id, step);
    const rooms = this.rooms.takeChanges();
    for (const [board, moved] of rooms) {
      const at = this.roomChangedAt.get(board) ?? new Map<string, number>();
      for (const id of moved) at.set(id, step);
      this.roomChangedAt.set(board, at);
    }
    this.recent.push(ideas);
    this.recentComments.push(discussed);
    this.recentRooms.push(rooms);
    if (this.recent.length > phases.length) this.recent.shift();
    if (this.recentComments.length > phases.length) this.recentComments.shift();
    if (this.recentRooms.length > phases.length) this.recentRooms.shift();
    const phase = this.turn;
    this.turn = (this.turn + 1) % phases.length;
    const changed = new Set(this.recent.flat());
    const commented = new Set(this.recentComments.flat());
    const roomsMoved = mergeRooms(this.recentRooms);
    const any = changed.size > 0 || commented.size > 0 || roomsMoved.size > 0;
    let writing = any ? await this.sendPhase(phase, step, { changed, commented, rooms: roomsMoved }) : 0;
    if (lagging[phase]!.size > 0) writing += await this.catchUp(phase);
    return writing;
  }

  /** The phase's last step was one round ago: its watchers have missed what changed after it. */
  private async sendPhase(phase: number, step: number, moved: Moved): Promise<number> {
    const { phases } = this.watchers;
    let writing = 0;
    for (const [board, watchers] of phases[phase]!) {
      const frame = this.frameFor(board, moved);
      if (frame) writing += await this.route.send(board, [...watchers], frame, step - phases.length);
    }
    return writing;
  }

  /**
   * Watchers that skipped frames get one with every count that changed since their last frame, once
   * their connection has taken what it had: a slow phone catches up in one message instead of
   * working through a backlog of stale counts, and the server holds at most one frame for it.
   */
  private async catchUp(phase: number): Promise<number> {
    const lagging = this.watchers.lagging[phase]!;
    const missedSince = new Map<string, Watcher[]>();
    for (const watcher of lagging) {
      if (watcher.board === null) lagging.delete(watcher);
      else if (routeOf(watcher) !== 'busy') {
        const key = `${watcher.board} ${watcher.missedSince}`;
        missedSince.get(key)?.push(watcher) ?? missedSince.set(key, [watcher]);
      }
    }
    if (missedSince.size === 0) return 0;
    const current = this.currentOf(this.changedAt);
    const currentComments = this.currentOf(this.commentedAt);
    let writing = 0;
    for (const watchers of missedSince.values()) {
      const { board, missedSince: since } = watchers[0]!;
      const changed = new Set(current.filter(([, at]) => at > since).map(([idea]) => idea));
      const commented = new Set(currentComments.filter(([, at]) => at > since).map(([idea]) => idea));
      const roomMoved = [...(this.roomChangedAt.get(board!) ?? [])].filter(([, at]) => at > since).map(([id]) => id);
      for (const watcher of watchers) {
        lagging.delete(watcher);
        watcher.lagging = false;
      }
      const frame = this.frameFor(board!, { changed, commented, rooms: new Map([[board!, new Set(roomMoved)]]) });
      if (frame) writing += await this.route.send(board!, watchers, frame, since);
    }
    return writing;
  }

  /** Each idea as it is now (an edit replaces its entry), with the step it last changed at; one gone from the board is forgotten. */
  private currentOf(changedAt: Map<string, number>): [IdeaEntry, number][] {
    const current: [IdeaEntry, number][] = [];
    for (const [ideaId, at] of changedAt) {
      const idea = this.state.get(ideaId);
      if (idea) current.push([idea, at]);
      else changedAt.delete(ideaId);
    }
    return current;
  }

  /**
   * What a board's watchers get of the changes: vote counts, and comment counts for cards; a live
   * session's screens get their room's counts only (no comment counts, none of the board's votes);
   * null when none of them concern it.
   */
  private frameFor(board: string, { changed, commented, rooms }: Moved): TallyFrame | null {
    if (this.rooms.isSession(board)) {
      const moved = rooms.get(board);
      const counts = moved?.size ? this.rooms.tally(board, moved) : null;
      return counts ? { counts } : null;
    }
    const scope = (idea: IdeaEntry) => board === BOARD_ROOM_ALL || board === boardRoom(idea.area);
    let counts: Tallies | null = null;
    for (const idea of changed) if (scope(idea)) (counts ??= {})[idea.id] = idea.votes;
    let comments: Tallies | null = null;
    for (const idea of commented) if (scope(idea)) (comments ??= {})[idea.id] = this.state.commentCount(idea.id);
    if (!counts && !comments) return null;
    return comments ? { counts: counts ?? {}, comments } : { counts: counts! };
  }
}

/** What changed over the last round of phases: board counts, comment counts, and rooms' counts by session board. */
interface Moved {
  changed: Set<IdeaEntry>;
  commented: Set<IdeaEntry>;
  rooms: Map<string, Set<string>>;
}

function mergeRooms(steps: Map<string, Set<string>>[]): Map<string, Set<string>> {
  const merged = new Map<string, Set<string>>();
  for (const step of steps) for (const [board, ids] of step) merged.set(board, new Set([...(merged.get(board) ?? []), ...ids]));
  return merged;
}
