import { Idea } from '../../models/index.js';
import { AREA_SLUGS, atLeast, IDEA_TITLE_MAX, type LiveAction } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { CreatedIdea, VoteResult } from '../../realtime/schemas/board.js';
import type { LiveControl, LiveCreate, LiveEdit, LiveIdeaInput, LiveResults, LiveSessionView, LiveSnapshot, LiveStateView } from '../../realtime/schemas/conference.js';
import { HttpError } from '../platform/errors.js';
import { log } from '../platform/log.js';
import { RULES, type Limits } from '../platform/limits.js';
import type { IdeaService } from '../board/ideas.js';
import type { ModerationService } from '../moderation/moderation.js';
import type { Publisher } from '../platform/bus.js';
import type { ConferenceEvents } from './events.js';
import type { SessionResults } from './results.js';
import { roundClosed, scopeOf, sessionView, stateView, type LiveEventDraft, type SessionEntry } from './session-fold.js';
import type { ConferenceSessions } from './sessions.js';
import { originOf, type Actor } from '../platform/provenance.js';
import { Countdowns } from './countdowns.js';
import type { RoomVotes } from './room-votes.js';

export const isStaff = (user: SessionUser | null) => user !== null && atLeast(user.role, 'facilitator');

/** What a draft's facilitators may already set; voting itself waits for `publish`. */
const BEFORE_PUBLISHING: ReadonlySet<LiveAction> = new Set(['publish', 'hide-counts', 'reveal-counts', 'hide-idea', 'discussed', 'spotlight', 'release', 'view', 'approve', 'reject']);
const ROUND_CLOSED = 'This round has closed and its results are frozen: start a new round to vote again.';

/**
 * The conference's live mode: facilitators make sessions and steer them; the hall joins by code, votes
 * and puts forward ideas; projectors follow. The session store keeps the state; this decides what each
 * control means and brings in moderation for ideas from the room.
 */
export class ConferenceService {
  private readonly countdowns = new Countdowns((code, endsAt) => void this.atZero(code, endsAt));

  constructor(
    private readonly sessions: ConferenceSessions,
    private readonly outcomes: SessionResults,
    private readonly rooms: RoomVotes,
    private readonly ideas: IdeaService,
    private readonly moderation: ModerationService,
    private readonly events: Publisher<ConferenceEvents>,
    private readonly limits: Limits,
  ) {
    sessions.onApplied((entry) => this.countdowns.follow(entry));
  }

  /** Arms the countdowns of the sessions read at start (after `sessions.load`). */
  start(): void {
    for (const { session } of this.sessions.list(true)) {
      const entry = this.sessions.entryOf(session.code);
      if (entry) this.countdowns.follow(entry);
    }
  }

  stop(): void {
    this.countdowns.stop();
  }

  create(input: LiveCreate, user: SessionUser): Promise<LiveSessionView> {
    return this.sessions.create(input, user);
  }

  /** Published sessions not archived; facilitators see their drafts and archived sessions too. */
  list(viewer: SessionUser | null) {
    return { sessions: this.sessions.list(isStaff(viewer)).map(({ session, live }) => ({ ...session, live })) };
  }

  /** Every session that has been published, archived ones included: what the report and open data cover. */
  published(): LiveSessionView[] {
    return this.sessions
      .list(true)
      .filter(({ live }) => live.state !== 'draft')
      .map(({ session }) => session);
  }

  /** With `network`, a lookup by code from outside (a page, a phone joining): limited per network. */
  async get(code: string, viewer: SessionUser | null, network?: string | null): Promise<LiveSnapshot> {
    const entry = network === undefined ? await this.visible(code, viewer) : await this.lookUp(code, viewer, network);
    return this.snapshot(entry, viewer);
  }

  /** NOT_FOUND unless the session exists (on this server, or just made on another) and, but for facilitators, is published. */
  async require(code: string, viewer: SessionUser | null, network: string | null): Promise<void> {
    await this.lookUp(code, viewer, network);
  }

  async results(code: string, viewer: SessionUser | null): Promise<LiveResults> {
    await this.visible(code, viewer);
    return this.outcomes.results(code, isStaff(viewer));
  }

  /** Every round as facilitators see it, hidden counts included: what a seal is made from. */
  frozenResults(code: string): Promise<LiveResults> {
    return this.outcomes.results(code, true);
  }

  /** A facilitator's control, checked against the session's state as it is when it is stored. */
  async control(input: LiveControl, user: SessionUser): Promise<LiveStateView> {
    const { code, action, ideaId } = input;
    if (action === 'approve' || action === 'reject') return this.decideRoomIdea(code, ideaId!, action, user);
    const live = await this.sessions.control(code, user, (entry) => this.draft(entry, input));
    const entry = this.sessions.entryOf(code);
    return entry ? stateView(entry, this.sessions.views.counts(entry)) : live;
  }

  /** A draft's settings changed: stored as an event, so two facilitators editing never overwrite each other. */
  async edit({ code, ...change }: LiveEdit, user: SessionUser): Promise<LiveSessionView> {
    await this.sessions.control(code, user, async (entry) => {
      if (entry.fold.state !== 'draft') throw new HttpError('BAD_REQUEST', 'Only a draft can be edited: duplicate this session to prepare another like it.');
      if (change.ideaIds) this.requireIdeas(change.ideaIds);
      const settings = { ...change, ...(change.areas ? { areas: change.areas.length ? [...new Set(change.areas)] : [...AREA_SLUGS] } : {}) };
      return { action: 'edit', ideaId: null, endsAt: null, view: null, results: null, settings };
    });
    return sessionView(await this.sessions.require(code));
  }

  /** Deletes a draft; a session that ran keeps its results (archive it instead). */
  async remove(code: string): Promise<{ code: string; deleted: true }> {
    const entry = await this.sessions.require(code);
    if (entry.fold.state !== 'draft') throw new HttpError('BAD_REQUEST', 'Only a draft can be deleted: archive a session that has run, and its results stay.');
    await this.sessions.remove(entry.session.code);
    this.rooms.forget(entry.session.code);
    return { code: entry.session.code, deleted: true };
  }

  /** A new draft with the same title (marked a copy), ideas and rules; its votes and results start afresh. */
  async duplicate(code: string, user: SessionUser): Promise<LiveSessionView> {
    const { session } = await this.sessions.require(code);
    const title = `Copy of ${session.title}`.slice(0, IDEA_TITLE_MAX).trim();
    const scope = session.areas.length ? { areas: session.areas } : { ideaIds: [...session.ideaIds].filter((id) => this.sessions.views.known(id)) };
    return this.sessions.create({ title, ...scope, roomIdeas: session.roomIdeas, voting: session.voting }, user);
  }

  /**
   * A vote (delta 1) or its withdrawal (-1) with a session's code, once the voting rules let it in: it
   * counts in the round under way and nowhere else. The ack's count is null while counts are hidden.
   */
  async vote(code: string, ideaId: string, actor: Actor & { user: SessionUser }, delta: 1 | -1): Promise<VoteResult> {
    const entry = await this.sessions.require(code);
    const { code: session } = entry.session;
    const round = entry.fold.round.n;
    const votes = delta > 0 ? await this.rooms.cast(session, round, ideaId, actor.user, originOf(actor)) : await this.rooms.retract(session, round, ideaId, actor.user.id);
    return { ideaId, votes: entry.fold.countsHidden && !isStaff(actor.user) ? null : votes, votedByMe: delta > 0 };
  }

  async roomIdea(input: LiveIdeaInput, author: Actor): Promise<{ idea: CreatedIdea['idea']; pending: true }> {
    const entry = await this.sessions.require(input.code);
    const { session, fold } = entry;
    if (!session.roomIdeas) throw new HttpError('FORBIDDEN', 'This session takes votes only: ideas from the room are not open.');
    if (fold.state === 'closed' || fold.state === 'archived') throw new HttpError('FORBIDDEN', 'This session has closed: no more ideas, thank you.');
    if (fold.state === 'draft') throw new HttpError('NOT_FOUND', `There is no live session with the code ${session.code}.`);
    const { areas } = scopeOf(entry);
    const area = input.area ?? (areas.length === 1 ? areas[0] : undefined);
    if (!area) throw new HttpError('BAD_REQUEST', 'area: choose the challenge your idea is about', { area: 'choose the challenge your idea is about' });
    if (areas.length && !areas.includes(area)) {
      throw new HttpError('BAD_REQUEST', 'area: this session is about other challenges', { area: 'this session is about other challenges' });
    }
    const created = await this.ideas.create({ area, title: input.title, body: input.body }, author, session.code);
    await this.tellStaff(session.code);
    return { idea: created.idea, pending: true };
  }

  /**
   * A code looked up from outside: a network that tried many codes that find nothing is refused for a
   * while, whatever it tries next, so codes cannot be found by guessing. Facilitators are not limited.
   */
  private async lookUp(code: string, viewer: SessionUser | null, network: string | null): Promise<SessionEntry> {
    if (isStaff(viewer) || !network) return this.visible(code, viewer);
    if ((await this.limits.used('liveMissesPerNetwork', network)) >= RULES.liveMissesPerNetwork.points) await this.limits.take('liveMissesPerNetwork', network);
    await this.limits.take('liveLookupsPerNetwork', network);
    try {
      return await this.visible(code, viewer);
    } catch (error) {
      if (error instanceof HttpError && error.code === 'NOT_FOUND') await this.limits.note('liveMissesPerNetwork', network);
      throw error;
    }
  }

  private async visible(code: string, viewer: SessionUser | null): Promise<SessionEntry> {
    const entry = await this.sessions.require(code);
    if (entry.fold.state === 'draft' && !isStaff(viewer)) throw new HttpError('NOT_FOUND', `There is no live session with the code ${entry.session.code}. Check the code on the big screen.`);
    return entry;
  }

  private requireIdeas(ideaIds: string[]): void {
    const missing = ideaIds.filter((id) => !this.sessions.views.known(id));
    if (missing.length > 0) throw new HttpError('NOT_FOUND', `Not on the board: ${missing.join(', ')}.`);
  }

  /** A countdown reached zero: its pause or close, stored once (whichever server's timer gets there first). */
  private async atZero(code: string, endsAt: number): Promise<void> {
    try {
      await this.sessions.control(code, null, async (entry) => {
        const { fold } = entry;
        if (fold.countdownEndsAt !== endsAt || roundClosed(fold) || fold.state === 'archived') return null;
        const step = { ideaId: null, endsAt, view: null };
        if (fold.atZero === 'pause') return fold.state === 'open' ? { action: 'pause', ...step, results: null } : null;
        if (fold.atZero === 'close') return { action: 'close', ...step, results: await this.outcomes.frozenRanking(entry) };
        return null;
      });
    } catch (error) {
      log.error({ err: error, code }, 'a countdown reached zero, but its step could not be stored');
    }
  }

  private async snapshot(entry: SessionEntry, viewer: SessionUser | null): Promise<LiveSnapshot> {
    const staff = isStaff(viewer);
    return {
      session: sessionView(entry),
      live: stateView(entry, this.sessions.views.countsFor(entry, staff)),
      ideas: this.sessions.views.ideaViews(entry, viewer?.id ?? null, staff),
      ...(staff ? { pending: await this.ideas.heldFor(entry.session.code) } : {}),
    };
  }

  private async draft(entry: Readonly<SessionEntry>, input: LiveControl): Promise<LiveEventDraft | null> {
    const { action, ideaId, seconds, view } = input;
    const { fold } = entry;
    const event = (fields: Partial<LiveEventDraft> = {}): LiveEventDraft => ({ action, ideaId: null, endsAt: null, view: null, results: null, ...fields });
    const needsIdea = () => {
      if (!this.sessions.includes(entry, ideaId!)) throw new HttpError('NOT_FOUND', 'That idea is not part of this session (or is off the board).');
    };
    /** A step that ends a round still open freezes its results on the way. */
    const freezing = async () => (roundClosed(fold) ? null : await this.outcomes.frozenRanking(entry));
    if (fold.state === 'archived') throw new HttpError('BAD_REQUEST', 'This session is archived: its results stay, but it runs no more. Duplicate it to run it again.');
    if (fold.state === 'draft' && !BEFORE_PUBLISHING.has(action)) throw new HttpError('BAD_REQUEST', 'This session is a draft: publish it first.');
    switch (action) {
      case 'publish':
        return fold.state === 'draft' ? event() : null;
      case 'archive':
        return event({ results: await freezing() });
      case 'new-round': {
        if (input.ideaIds) this.requireIdeas(input.ideaIds);
        const round = { title: input.title ?? null, areas: input.areas ? [...new Set(input.areas)] : null, ideaIds: input.ideaIds ? [...new Set(input.ideaIds)] : null };
        return event({ results: await freezing(), round });
      }
      case 'open':
        if (roundClosed(fold)) throw new HttpError('BAD_REQUEST', ROUND_CLOSED);
        return fold.state === 'open' ? null : event();
      case 'pause':
        if (roundClosed(fold)) throw new HttpError('BAD_REQUEST', ROUND_CLOSED);
        return fold.state === 'paused' ? null : event();
      case 'close':
        return roundClosed(fold) ? null : event({ results: await freezing() });
      case 'spotlight':
        needsIdea();
        return fold.spotlight === ideaId && fold.view === 'spotlight' ? null : event({ ideaId });
      case 'release':
        return fold.spotlight === null ? null : event();
      case 'hide-counts':
        return fold.countsHidden ? null : event();
      case 'reveal-counts':
        return fold.countsHidden ? event() : null;
      case 'countdown':
        if (!seconds) return fold.countdownEndsAt === null ? null : event();
        return event({ endsAt: Date.now() + seconds * 1000, atZero: input.atZero ?? 'pause' });
      case 'hide-idea':
        return fold.hidden.has(ideaId!) ? null : event({ ideaId });
      case 'discussed':
        needsIdea();
        return fold.discussed.has(ideaId!) ? null : event({ ideaId });
      case 'view':
        return fold.view === view ? null : event({ view });
      case 'approve':
      case 'reject':
        throw new HttpError('BAD_REQUEST', `${action} is decided with the idea's moderation.`);
    }
  }


  /**
   * An idea from the room goes on the board and the projector (approve), or stays off every screen
   * with its author told why (reject). The approval is recorded first, so a session of hand-picked
   * ideas already counts it as its own when the idea's news goes out.
   */
  private async decideRoomIdea(code: string, ideaId: string, action: 'approve' | 'reject', user: SessionUser): Promise<LiveStateView> {
    const doc = await Idea.findById(ideaId, { liveSession: 1, status: 1, title: 1 }).lean();
    if (!doc || doc.liveSession !== code) throw new HttpError('NOT_FOUND', 'That idea was not put forward in this session.');
    const live = await this.sessions.control(code, user, async () =>
      doc.status === 'pending' ? { action, ideaId, endsAt: null, view: null, results: null } : null,
    );
    if (action === 'approve') await this.moderation.publish(ideaId, user);
    else await this.moderation.hide(ideaId, user);
    await this.tellStaff(code);
    return live;
  }

  private async tellStaff(code: string): Promise<void> {
    this.events.publish('live:pending', { code, pending: await this.ideas.heldFor(code) });
  }
}
