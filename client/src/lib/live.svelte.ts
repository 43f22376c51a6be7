import type { Ack } from '$realtime/events';
import type { AreaSlug } from '$realtime/vocabulary';
import type { AreaCount, BoardSnapshot, IdeaView, OwnIdeaOffBoard, Tallies, VoteResult } from '$realtime/schemas/board';
import type { CommandResult } from '$realtime/commands';
import { ApiError, call, callForAck } from './api';
import { touchSession } from './session-cookie';
import { RETRY_MS } from './retry';
import { lastingSocket, type BoardSocket } from './socket';

/** `idle` is the server-rendered state: nothing is claimed before the browser has connected. */
export type ConnectionState = 'idle' | 'connecting' | 'live' | 'offline';

export interface LiveListener {
  /** A fresh snapshot replaced the ideas: after the first connect and after every reconnect. */
  snapshot?(snapshot: BoardSnapshot): void;
  created?(idea: IdeaView): void;
  /** Taken down by reports or a facilitator: already gone from `ideas`. */
  removed?(ideaId: string): void;
  /** Put back by a facilitator: already in `ideas` again, with its votes. */
  restored?(idea: IdeaView): void;
  /** Counts for ideas this client holds nothing about (beyond the snapshot's limit). */
  unknown?(counts: Tallies): void;
}

export const COMMAND_TIMEOUT_MS = 8000;

type IdeaPageView = CommandResult<'idea:get'>;

/** Best first, then newest first among equals: the server's own ranking, so both agree on order. */
export function compareTop(a: IdeaView, b: IdeaView): number {
  return b.votes - a.votes || compareNew(a, b);
}

export function compareNew(a: IdeaView, b: IdeaView): number {
  return descending(a.createdAt, b.createdAt) || descending(a.id, b.id);
}

/** A page load that started before a vote this long ago may not know of it yet. */
const JUST_VOTED_MS = 10_000;

// ISO timestamps and hex ids both sort correctly as plain strings.
const descending = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/**
 * One board (an area, or all of them) kept current over Socket.IO. Ideas live in a deep `$state`
 * record so a tally tick re-renders only the counts that moved, never the lists around them.
 */
export class LiveBoard {
  readonly area: AreaSlug | null;
  status = $state<ConnectionState>('idle');
  ideas: Record<string, IdeaView> = $state({});
  ideaCounts: Partial<Record<AreaSlug, number>> = $state({});
  /** This person's own ideas taken off the board (or refused) while the page was open, and why. */
  withheld: Record<string, OwnIdeaOffBoard> = $state({});

  #socket: BoardSocket | null = null;
  #listeners = new Set<LiveListener>();
  /** Ideas with a vote in flight: ticks would make the optimistic count flicker, so they wait here. */
  #held = new Map<string, number | null>();
  /** When this person last voted on each idea here (performance.now()): for `seed`. */
  #votedAt = new Map<string, number>();
  /**
   * Ideas taken down, with whether this person had voted for one (a restore broadcast cannot know).
   * Keeps a late tally, a page's older data or a fetch in flight from bringing one back.
   */
  #takenDown = new Map<string, boolean>();
  /** Ideas a snapshot left out that we are asking the server about; a restore meanwhile settles it. */
  #checking = new Set<string>();

  constructor(area: AreaSlug | null, ideas: IdeaView[] = [], counts: AreaCount[] = []) {
    this.area = area;
    this.seed(ideas);
    this.#setCounts(counts);
  }

  /**
   * Adds server-rendered ideas (a page load, a later page of the list) to what the socket keeps current.
   * Data reloaded after a post may have been read before a vote this person made meanwhile: for an idea
   * voted on a moment ago (or still on its way) this board's pressed state wins, and while the socket is
   * live so does its count, which ticks keep fresher than a page load.
   */
  seed(ideas: IdeaView[]) {
    for (const idea of ideas) {
      if (this.#takenDown.has(idea.id)) continue;
      const known = this.ideas[idea.id];
      const justVoted = this.#held.has(idea.id) || performance.now() - (this.#votedAt.get(idea.id) ?? -Infinity) < JUST_VOTED_MS;
      if (!known) this.ideas[idea.id] = { ...idea };
      else if (justVoted) Object.assign(known, { ...idea, votes: known.votes, votedByMe: known.votedByMe });
      else Object.assign(known, this.status === 'live' ? { ...idea, votes: known.votes } : idea);
    }
  }

  listen(listener: LiveListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Connects and keeps watching across reconnects. Pages where people vote ask for a session first:
   * the socket handshake only carries the cookie if it exists before connecting.
   */
  connect({ session, extend }: { session: boolean; extend?: (socket: BoardSocket) => void }): () => void {
    let closed = false;
    this.status = 'connecting';
    const ready = session ? ensureSession() : Promise.resolve();
    void ready.then(() => {
      if (closed) return;
      const socket = lastingSocket(
        () => closed,
        () => (this.status = 'offline'),
      );
      this.#socket = socket;
      socket.on('connect', () => void this.#watch(socket));
      // A board's watchers always get the votes online (only a live session's screens may get null).
      socket.on('idea:created', ({ idea }) => this.#created({ ...idea, votes: idea.votes ?? 0 }));
      socket.on('idea:updated', ({ idea }) => this.#updated({ ...idea, votes: idea.votes ?? 0 }));
      socket.on('idea:removed', ({ ideaId, area }) => this.remove(ideaId, area));
      socket.on('idea:restored', ({ idea }) => this.#restored({ ...idea, votes: idea.votes ?? 0 }));
      socket.on('idea:withheld', (idea) => {
        if (this.area === null || idea.area === this.area) this.withheld[idea.id] = idea;
      });
      socket.on('idea:merged', ({ ideaId, area }) => this.remove(ideaId, area));
      socket.on('idea:status', ({ ideaId, status }) => {
        const idea = this.ideas[ideaId];
        if (idea) idea.status = status;
      });
      // Cards count the discussion; the idea page keeps the comments themselves (discussion.svelte.ts).
      socket.on('tally:changed', ({ counts, comments }) => {
        this.#tally(counts);
        if (comments) this.#discussed(comments);
      });
      socket.on('areas:changed', ({ areas }) => this.#setCounts(areas));
      // An idea page follows its discussion over the same connection as the board's counts.
      extend?.(socket);
      socket.connect();
    });
    return () => {
      closed = true;
      this.#socket?.disconnect();
      this.#socket = null;
      this.status = 'idle';
    };
  }

  /**
   * Drops an idea at once. Public because the person whose report took it down is told so before the
   * broadcast may have arrived; both calls together count it once.
   */
  remove(ideaId: string, area: AreaSlug) {
    if (this.#takenDown.has(ideaId)) return;
    const count = this.ideaCounts[area];
    if (count !== undefined) this.ideaCounts[area] = Math.max(0, count - 1);
    this.#drop(ideaId);
  }

  #drop(ideaId: string) {
    this.#takenDown.set(ideaId, this.ideas[ideaId]?.votedByMe ?? false);
    this.#checking.delete(ideaId);
    delete this.ideas[ideaId];
    for (const l of this.#listeners) l.removed?.(ideaId);
  }

  /** Optimistic: the button shows the new state at once and rolls back if the server says no. */
  async vote(ideaId: string, cast: boolean): Promise<{ ok: true } | { ok: false; message: string }> {
    const idea = this.ideas[ideaId];
    if (!idea || idea.votedByMe === cast || this.#held.has(ideaId)) return { ok: true };
    const before = idea.votes;
    this.#votedAt.set(ideaId, performance.now());
    idea.votedByMe = cast;
    idea.votes = Math.max(0, before + (cast ? 1 : -1));
    this.#held.set(ideaId, null);
    try {
      const result = await this.#sendVote(ideaId, cast);
      if (result.ok) {
        idea.votes = result.data.votes ?? idea.votes;
        idea.votedByMe = result.data.votedByMe;
        this.#votedAt.set(ideaId, performance.now());
        return { ok: true };
      }
      idea.votedByMe = !cast;
      idea.votes = this.#held.get(ideaId) ?? before;
      return { ok: false, message: result.message };
    } finally {
      this.#held.delete(ideaId);
    }
  }

  async #sendVote(ideaId: string, cast: boolean): Promise<Ack<VoteResult>> {
    const socket = this.#socket;
    if (socket?.connected) {
      const result = await socket
        .timeout(COMMAND_TIMEOUT_MS)
        .emitWithAck(cast ? 'vote:cast' : 'vote:retract', { ideaId })
        .catch((): Ack<VoteResult> => ({ ok: false, code: 'UNAVAILABLE', message: 'The board is not answering. Please try again.' }));
      if (result.ok || result.code !== 'UNAUTHENTICATED') return result;
      // The socket connected before this browser had a session (or it expired): get one, and
      // reconnect so later votes go through the socket again.
      await ensureSession(true);
      socket.disconnect().connect();
    }
    return voteOverHttp(ideaId, cast);
  }

  async #watch(socket: BoardSocket) {
    this.status = 'connecting';
    const result = await socket
      .timeout(COMMAND_TIMEOUT_MS)
      .emitWithAck('board:watch', this.area ? { area: this.area } : {})
      .catch(() => null);
    if (!result?.ok) {
      // Without a snapshot the page would look live while showing stale counts: say so, and retry.
      this.status = 'offline';
      setTimeout(() => socket.connected && void this.#watch(socket), RETRY_MS);
      return;
    }
    const snapshot = result.data;
    const ideas: Record<string, IdeaView> = {};
    for (const idea of snapshot.ideas) {
      ideas[idea.id] = idea;
      // Put back while this client was away.
      this.#takenDown.delete(idea.id);
    }
    // Ideas beyond the snapshot's limit that a page already shows stay, and keep receiving ticks. One
    // may instead have been taken down while we were away (a phone asleep in a pocket): ask about those.
    const missing: string[] = [];
    for (const [id, idea] of Object.entries(this.ideas)) {
      if (!ideas[id] && (this.area === null || idea.area === this.area)) {
        ideas[id] = idea;
        missing.push(id);
      }
    }
    for (const id of this.#held.keys()) {
      const mine = this.ideas[id];
      if (mine && ideas[id]) ideas[id] = mine;
    }
    this.ideas = ideas;
    this.#setCounts(snapshot.areas);
    this.status = 'live';
    for (const l of this.#listeners) l.snapshot?.(snapshot);
    for (const id of missing) void this.#dropIfGone(id);
  }

  /** The snapshot's area counts already left the idea out, so only the idea goes. */
  async #dropIfGone(ideaId: string) {
    this.#checking.add(ideaId);
    const gone = await ideaGone(ideaId);
    if (gone && this.#checking.has(ideaId) && !this.#takenDown.has(ideaId)) this.#drop(ideaId);
    this.#checking.delete(ideaId);
  }

  #created(idea: IdeaView) {
    if (this.ideas[idea.id]) return;
    this.ideas[idea.id] = idea;
    // Only the whole-board room hears `areas:changed`; area pages keep their own count current.
    const count = this.ideaCounts[idea.area];
    if (count !== undefined) this.ideaCounts[idea.area] = count + 1;
    for (const l of this.#listeners) l.created?.(idea);
  }

  /** An upsert, not news: the idea returns with its votes, and this person's own vote if we saw it. */
  #restored(idea: IdeaView) {
    if (this.area !== null && idea.area !== this.area) return;
    const votedByMe = this.#takenDown.get(idea.id);
    this.#takenDown.delete(idea.id);
    this.#checking.delete(idea.id);
    const known = this.ideas[idea.id];
    if (known) {
      known.title = idea.title;
      known.body = idea.body;
      known.status = idea.status;
      known.comments = idea.comments;
      if (!this.#held.has(idea.id)) known.votes = idea.votes;
    } else {
      this.ideas[idea.id] = { ...idea, votedByMe: votedByMe ?? false };
      const count = this.ideaCounts[idea.area];
      if (count !== undefined) this.ideaCounts[idea.area] = count + 1;
    }
    for (const l of this.#listeners) l.restored?.(this.ideas[idea.id]!);
  }

  /** Only the words change: this client's own count and pressed state stay as they are. */
  #updated({ id, title, body }: IdeaView) {
    const idea = this.ideas[id];
    if (!idea) return;
    idea.title = title;
    idea.body = body;
  }

  #discussed(counts: Record<string, number>) {
    for (const [ideaId, comments] of Object.entries(counts)) {
      const idea = this.ideas[ideaId];
      if (idea) idea.comments = comments;
    }
  }

  #tally(counts: Tallies) {
    const unknown: Tallies = {};
    let anyUnknown = false;
    for (const [ideaId, votes] of Object.entries(counts)) {
      const idea = this.ideas[ideaId];
      if (!idea) {
        // A tick built just before the idea came down: not a climber to fetch.
        if (this.#takenDown.has(ideaId)) continue;
        unknown[ideaId] = votes;
        anyUnknown = true;
      } else if (this.#held.has(ideaId)) this.#held.set(ideaId, votes);
      else if (idea.votes !== votes) idea.votes = votes;
    }
    if (anyUnknown) for (const l of this.#listeners) l.unknown?.(unknown);
  }

  #setCounts(counts: AreaCount[]) {
    for (const { slug, ideaCount } of counts) this.ideaCounts[slug] = ideaCount;
  }
}

let session: Promise<void> | null = null;

/** GET /api/session sets the HttpOnly cookie when there is none; asked once per page unless forced. */
export function ensureSession(force = false): Promise<void> {
  if (force || !session) {
    session = touchSession();
  }
  return session;
}

export function voteOverHttp(ideaId: string, cast: boolean): Promise<Ack<VoteResult>> {
  return callForAck(cast ? 'vote:cast' : 'vote:retract', { ideaId }, 'Your vote was not saved.');
}

/** True only when the server says the idea is not there (404) or now counts towards another, never because the network failed. */
async function ideaGone(id: string): Promise<boolean> {
  try {
    return (await call('idea:get', { ideaId: id })).mergedInto !== null;
  } catch (err) {
    return err instanceof ApiError && err.status === 404;
  }
}

/** Fetches one idea the board has not sent us, e.g. one climbing into the top ten from far below; a merged duplicate is not on the board. */
export async function fetchIdea(id: string): Promise<IdeaView | null> {
  try {
    const page = await call('idea:get', { ideaId: id });
    return page.mergedInto ? null : page.idea;
  } catch {
    return null;
  }
}
