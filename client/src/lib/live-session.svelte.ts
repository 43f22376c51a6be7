import type { Ack, CommandPayload } from '$realtime/commands';
import type { AreaSlug } from '$realtime/vocabulary';
import type { IdeaView, Tallies, VoteResult } from '$realtime/schemas/board';
import type { LiveIdeaView, LiveSessionView, LiveSnapshot, LiveStateView } from '$realtime/schemas/conference';
import { touchSession } from './session-cookie';
import type { VoteFlagView } from '$realtime/schemas/moderation';
import type { ConnectionState } from './live.svelte';
import { competitionRanks, type Rank } from './ranks';
import { RETRY_MS } from './retry';
import type { BoardSocket } from './socket';

const COMMAND_TIMEOUT_MS = 8000;
/** After a reveal, how long the counts may take to arrive before a screen asks for them itself. */
const REVEAL_CHECK_MS = 1000;
/** Spread over this long, a thousand phones asking at once do not arrive as one wave. */
const REVEAL_SPREAD_MS = 2000;
/** Taps kept in the browser longer than this are dropped unsent: the debate they were for is over. */
const KEPT_TAPS_MS = 12 * 60 * 60 * 1000;

export type VoteOutcome = { ok: true } | { ok: false; message: string };

export interface LiveSessionListener {
  /** An idea joined the session while this screen was open (approved from the room, or new in its areas). */
  created?(idea: LiveIdeaView): void;
  /** A vote tapped earlier (maybe while offline) was refused when it was finally sent. */
  refused?(message: string): void;
}

/** Most votes first, then the newest among equals: the board's own order. */
export function compareLive(a: LiveIdeaView, b: LiveIdeaView): number {
  return (b.votes ?? 0) - (a.votes ?? 0) || (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1);
}

/**
 * One live session as every screen of it sees it — phone, projector, console — kept current over
 * Socket.IO: its state (applied in `seq` order, so screens agree), its ideas and their counts.
 *
 * Votes are intents: the last tap per idea is what gets sent, at once when connected, otherwise on
 * the next reconnect. Cast and retract are idempotent on the server, so resending an intent whose
 * ack was lost counts it once. Phones keep unsent taps in localStorage too: a tab the browser drops
 * while the hall's wifi is down sends them when it is opened again.
 */
export class LiveSession {
  readonly session: LiveSessionView;
  readonly #staff: boolean;
  /** Whose taps these are: a phone keeps them only for the person who made them. */
  readonly #voter: string | null;
  status = $state<ConnectionState>('idle');
  live: LiveStateView = $state()!;
  /** As the server last told: `votes` is its count (null while hidden), `votedByMe` the confirmed vote. */
  ideas: Record<string, LiveIdeaView> = $state({});
  /** Facilitators: ideas from the room waiting for approval. */
  pending: IdeaView[] = $state([]);
  /** Facilitators: vote bursts flagged on the session's ideas, by flag id (staff void them at /moderate). */
  flags: Record<string, VoteFlagView> = $state({});
  /** Taps not yet confirmed, by idea: true to vote, false to take it back. */
  wanted: Record<string, boolean> = $state({});

  /** The session's ideas on its screens: not hidden by a facilitator. */
  visible = $derived(Object.values(this.ideas).filter((idea) => !this.live.hidden.includes(idea.id)));
  ranked = $derived([...this.visible].map((idea) => this.#shown(idea)).sort(compareLive));
  /** Shared places ("=2") by idea id, from the counts as this person sees them. */
  ranks = $derived(new Map(competitionRanks(this.ranked.map((idea) => idea.votes ?? 0)).map((rank, i): [string, Rank] => [this.ranked[i]!.id, rank])));

  #socket: BoardSocket | null = null;
  #listeners = new Set<LiveSessionListener>();
  #sending = new Set<string>();
  /** Tallies heard while an idea's vote is in flight: applying them would count the vote twice for a moment. */
  #held = new Map<string, number>();
  #retry: ReturnType<typeof setTimeout> | undefined;
  #reveal: ReturnType<typeof setTimeout> | undefined;
  /** When each unconfirmed tap was made: kept taps expire by it. */
  #tappedAt = new Map<string, number>();

  /**
   * `staff`: a facilitator's console, which hears counts even while the room does not. `voter`: the
   * person voting on this phone, whose unsent taps the browser keeps.
   */
  constructor(snapshot: LiveSnapshot, { staff = false, voter = null }: { staff?: boolean; voter?: string | null } = {}) {
    this.session = snapshot.session;
    this.#staff = staff;
    this.#voter = voter;
    this.#apply(snapshot);
  }

  /** Facilitators always see counts; the room not while they are hidden. */
  get countsShown(): boolean {
    return !this.live.countsHidden || this.#staff;
  }

  get connected(): boolean {
    return this.status === 'live';
  }

  /** What this person sees for an idea: the server's count moved by their own unconfirmed tap. */
  voted(idea: LiveIdeaView): boolean {
    return this.wanted[idea.id] ?? idea.votedByMe;
  }

  #shown(idea: LiveIdeaView): LiveIdeaView {
    const voted = this.voted(idea);
    if (voted === idea.votedByMe || idea.votes === null) return idea;
    return { ...idea, votedByMe: voted, votes: Math.max(0, idea.votes + (voted ? 1 : -1)) };
  }

  listen(listener: LiveSessionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Connects, and joins the session again after every reconnect, taking its current state. The socket
   * client is the largest part of this page, so it is fetched once the page is up: on a hall's wifi the
   * ideas and their buttons come first, and a tap made before the socket arrives waits in `wanted`,
   * as one made offline does, and goes out when the session is joined.
   */
  connect(): () => void {
    let closed = false;
    this.status = 'connecting';
    // Here, not in the constructor: the page must first hydrate as the server drew it.
    this.#restoreTaps();
    void import('./socket').then(({ lastingSocket }) => {
      if (closed) return;
      const socket = lastingSocket(
        () => closed,
        () => (this.status = 'offline'),
      );
      this.#socket = socket;
      socket.on('connect', () => void this.#join(socket));
      socket.on('live:state', (state) => this.#state(state));
      socket.on('live:pending', ({ code, pending }) => code === this.session.code && (this.pending = pending));
      socket.on('tally:changed', ({ counts }) => this.#tally(counts));
      socket.on('flags:changed', ({ flag }) => (this.flags[flag.id] = flag));
      socket.on('idea:created', ({ idea }) => this.#created(idea));
      socket.on('idea:restored', ({ idea }) => this.#created(idea));
      socket.on('idea:updated', ({ idea }) => {
        const known = this.ideas[idea.id];
        if (known) Object.assign(known, { title: idea.title, body: idea.body });
      });
      socket.on('idea:removed', ({ ideaId }) => {
        delete this.ideas[ideaId];
        this.#forget(ideaId);
      });
      socket.connect();
    }, () => (this.status = 'offline'));
    return () => {
      closed = true;
      clearTimeout(this.#retry);
      clearTimeout(this.#reveal);
      this.#socket?.disconnect();
      this.#socket = null;
      this.status = 'idle';
    };
  }

  /**
   * Shown at once. Sent now when connected, else kept until the next reconnect; a refusal (voting
   * paused, say) takes the tap back and says why.
   */
  async vote(ideaId: string, cast: boolean): Promise<VoteOutcome> {
    const idea = this.ideas[ideaId];
    if (!idea) return { ok: true };
    if (cast === idea.votedByMe && !this.#sending.has(ideaId)) this.#forget(ideaId);
    else {
      this.wanted[ideaId] = cast;
      this.#tappedAt.set(ideaId, Date.now());
      this.#keepTaps();
    }
    if (!this.connected) return { ok: true };
    return this.#send(ideaId);
  }

  /** A facilitator's control over the socket; null when there is none, so the form posts instead. */
  async control(input: CommandPayload<'live:control'>): Promise<Ack<LiveStateView> | null> {
    const socket = this.#socket;
    if (!socket?.connected) return null;
    const ack = await socket
      .timeout(COMMAND_TIMEOUT_MS)
      .emitWithAck('live:control', input)
      .catch((): Ack<LiveStateView> => ({ ok: false, code: 'UNAVAILABLE', message: 'The server is not answering. Please try again.' }));
    if (ack.ok) this.#state(ack.data);
    return ack;
  }

  /** An idea from the room over the socket; null when there is none, so the form posts instead. */
  async roomIdea(input: { title: string; body: string; area?: string }): Promise<Ack<unknown> | null> {
    const socket = this.#socket;
    if (!socket?.connected) return null;
    return socket
      .timeout(COMMAND_TIMEOUT_MS)
      // The area comes from the form's own options; the server checks it like any input.
      .emitWithAck('live:idea', { ...input, area: input.area as AreaSlug | undefined, code: this.session.code })
      .catch((): Ack<unknown> => ({ ok: false, code: 'UNAVAILABLE', message: 'Your idea was not sent: the connection dropped. Please try again.' }));
  }

  async #send(ideaId: string): Promise<VoteOutcome> {
    const socket = this.#socket;
    const cast = this.wanted[ideaId];
    if (cast === undefined || this.#sending.has(ideaId) || !socket) return { ok: true };
    this.#sending.add(ideaId);
    let ack: Ack<VoteResult> | null;
    try {
      ack = await socket
        .timeout(COMMAND_TIMEOUT_MS)
        .emitWithAck(cast ? 'vote:cast' : 'vote:retract', { ideaId, code: this.session.code })
        .catch(() => null);
    } finally {
      this.#sending.delete(ideaId);
    }
    const idea = this.ideas[ideaId];
    const held = this.#held.get(ideaId);
    this.#held.delete(ideaId);
    if (!idea) return { ok: true };
    if (held !== undefined && idea.votes !== null) idea.votes = held;
    if (ack?.ok) {
      idea.votedByMe = ack.data.votedByMe;
      if (idea.votes !== null && ack.data.votes !== null) idea.votes = ack.data.votes;
      // Tapped again while this one was on its way: send the newer intent.
      if (this.wanted[ideaId] === cast) this.#forget(ideaId);
      else return this.#send(ideaId);
      return { ok: true };
    }
    if (!ack || ack.code === 'UNAVAILABLE' || ack.code === 'UNAUTHENTICATED' || ack.code === 'RATE_LIMITED') {
      // Lost or turned away for now: kept, and sent again shortly or on the next reconnect.
      if (ack?.code === 'UNAUTHENTICATED') await refreshSession(socket);
      else this.#retrySoon();
      return { ok: true };
    }
    if (this.wanted[ideaId] === cast) this.#forget(ideaId);
    return { ok: false, message: ack.message };
  }

  #forget(ideaId: string) {
    if (!(ideaId in this.wanted)) return;
    delete this.wanted[ideaId];
    this.#tappedAt.delete(ideaId);
    this.#keepTaps();
  }

  get #tapsKey(): string {
    return `live-taps:${this.session.code}:${this.#voter}`;
  }

  #keepTaps() {
    if (!this.#voter) return;
    try {
      const taps = Object.entries(this.wanted).map(([ideaId, cast]) => [ideaId, { cast, at: this.#tappedAt.get(ideaId) ?? Date.now() }]);
      if (taps.length === 0) localStorage.removeItem(this.#tapsKey);
      else localStorage.setItem(this.#tapsKey, JSON.stringify(Object.fromEntries(taps)));
    } catch {
      // No storage (private browsing, full): the taps still wait in memory while the page is open.
    }
  }

  #restoreTaps() {
    if (!this.#voter) return;
    try {
      const kept = JSON.parse(localStorage.getItem(this.#tapsKey) ?? '{}') as Record<string, { cast?: unknown; at?: unknown } | null>;
      for (const [ideaId, tap] of Object.entries(kept)) {
        const idea = this.ideas[ideaId];
        const { cast, at } = tap ?? {};
        if (typeof cast !== 'boolean' || typeof at !== 'number' || Date.now() - at > KEPT_TAPS_MS) continue;
        if (idea && idea.votedByMe !== cast && !(ideaId in this.wanted)) {
          this.wanted[ideaId] = cast;
          this.#tappedAt.set(ideaId, at);
        }
      }
    } catch {
      // Unreadable: nothing to send.
    }
    this.#keepTaps();
  }

  #retrySoon() {
    if (this.#retry) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (this.connected) this.#flush();
    }, RETRY_MS);
  }

  #flush() {
    for (const ideaId of Object.keys(this.wanted)) {
      void this.#send(ideaId).then((outcome) => {
        if (!outcome.ok) for (const l of this.#listeners) l.refused?.(outcome.message);
      });
    }
  }

  async #join(socket: BoardSocket) {
    this.status = 'connecting';
    const ack = await socket
      .timeout(COMMAND_TIMEOUT_MS)
      .emitWithAck('live:join', { code: this.session.code })
      .catch(() => null);
    if (!ack?.ok) {
      // Without the current state the screen would look live while showing a stale one: say so, and retry.
      this.status = 'offline';
      setTimeout(() => socket.connected && void this.#join(socket), RETRY_MS);
      return;
    }
    this.#apply(ack.data);
    this.status = 'live';
    this.#flush();
  }

  #apply(snapshot: LiveSnapshot) {
    if (!this.live || snapshot.live.seq >= this.live.seq) this.live = snapshot.live;
    const ideas: Record<string, LiveIdeaView> = {};
    for (const idea of snapshot.ideas) ideas[idea.id] = idea;
    this.ideas = ideas;
    if (!this.countsShown) this.#hideCounts();
    for (const id of Object.keys(this.wanted)) if (!ideas[id] || ideas[id].votedByMe === this.wanted[id]) this.#forget(id);
    if (snapshot.pending) this.pending = snapshot.pending;
  }

  #state(next: LiveStateView) {
    if (next.code !== this.session.code || next.seq < this.live.seq) return;
    const revealed = this.live.countsHidden && !next.countsHidden;
    const newRound = next.round.n !== this.live.round.n;
    this.live = next;
    // A new round: its own ideas, every count at 0 and nobody voted yet; the hall stays joined.
    if (newRound && this.#socket?.connected) {
      for (const id of Object.keys(this.wanted)) this.#forget(id);
      void this.#join(this.#socket);
      return;
    }
    if (next.counts) this.#tally(next.counts);
    if (this.#staff) return;
    if (next.countsHidden) this.#hideCounts();
    else if (revealed) {
      // The server sends the room every count with the reveal; a screen that missed it (or one on a
      // facilitator's session, which heard no reveal tally) asks again, spread so the hall is not one wave.
      clearTimeout(this.#reveal);
      this.#reveal = setTimeout(() => {
        const socket = this.#socket;
        if (socket?.connected && this.visible.some((idea) => idea.votes === null)) void this.#join(socket);
      }, REVEAL_CHECK_MS + Math.random() * REVEAL_SPREAD_MS);
    }
  }

  /** Off the room's screens, even one a facilitator signed in on (the projector beside the console), whose socket hears counts. */
  #hideCounts() {
    for (const idea of Object.values(this.ideas)) idea.votes = null;
  }

  #tally(counts: Tallies) {
    if (!this.countsShown) return;
    for (const [ideaId, votes] of Object.entries(counts)) {
      const idea = this.ideas[ideaId];
      if (!idea) continue;
      if (this.#sending.has(ideaId)) this.#held.set(ideaId, votes);
      else idea.votes = votes;
    }
  }

  #created(idea: LiveIdeaView) {
    if (this.ideas[idea.id]) return;
    const added: LiveIdeaView = { ...idea, votes: this.countsShown ? idea.votes : null, votedByMe: false };
    this.ideas[idea.id] = added;
    this.pending = this.pending.filter((waiting) => waiting.id !== idea.id);
    for (const l of this.#listeners) l.created?.(added);
  }
}

/** The session expired or the socket connected before the cookie existed: a fresh one, then a fresh handshake. */
async function refreshSession(socket: BoardSocket) {
  await touchSession();
  socket.disconnect().connect();
}
