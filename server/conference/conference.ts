import { Idea } from '../../models/index.js';
import { atLeast } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { CreatedIdea } from '../../realtime/schemas/board.js';
import type { LiveControl, LiveCreate, LiveIdeaInput, LiveResults, LiveSessionView, LiveSnapshot, LiveStateView } from '../../realtime/schemas/conference.js';
import { HttpError } from '../platform/errors.js';
import type { IdeaService } from '../board/ideas.js';
import type { ModerationService } from '../moderation/moderation.js';
import type { Publisher } from '../platform/bus.js';
import type { ConferenceEvents } from './events.js';
import type { SessionResults } from './results.js';
import { sessionView, stateView, type LiveEventDraft, type SessionEntry } from './session-fold.js';
import type { ConferenceSessions } from './sessions.js';
import type { Actor } from '../platform/provenance.js';

export const isStaff = (user: SessionUser | null) => user !== null && atLeast(user.role, 'facilitator');

/**
 * The conference's live mode: facilitators make sessions and steer them; the hall joins by code, votes
 * and puts forward ideas; projectors follow. The session store keeps the state; this decides what each
 * control means and brings in moderation for ideas from the room.
 */
export class ConferenceService {
  constructor(
    private readonly sessions: ConferenceSessions,
    private readonly outcomes: SessionResults,
    private readonly ideas: IdeaService,
    private readonly moderation: ModerationService,
    private readonly events: Publisher<ConferenceEvents>,
  ) {}

  create(input: LiveCreate, user: SessionUser): Promise<LiveSessionView> {
    return this.sessions.create(input, user);
  }

  list() {
    return { sessions: this.sessions.list().map(({ session, live }) => ({ ...session, live })) };
  }

  async get(code: string, viewer: SessionUser | null): Promise<LiveSnapshot> {
    const entry = await this.sessions.require(code);
    return this.snapshot(entry, viewer);
  }

  /** NOT_FOUND unless the session exists (on this server, or just made on another). */
  async require(code: string): Promise<void> {
    await this.sessions.require(code);
  }

  results(code: string): Promise<LiveResults> {
    return this.outcomes.results(code);
  }

  /** A facilitator's control, checked against the session's state as it is when it is stored. */
  async control(input: LiveControl, user: SessionUser): Promise<LiveStateView> {
    const { code, action, ideaId } = input;
    if (action === 'approve' || action === 'reject') return this.decideRoomIdea(code, ideaId!, action, user);
    return this.sessions.control(code, user, (entry) => this.draft(entry, input));
  }

  async roomIdea(input: LiveIdeaInput, author: Actor): Promise<{ idea: CreatedIdea['idea']; pending: true }> {
    const entry = await this.sessions.require(input.code);
    const { session, fold } = entry;
    if (!session.roomIdeas) throw new HttpError('FORBIDDEN', 'This session takes votes only: ideas from the room are not open.');
    if (fold.state === 'closed') throw new HttpError('FORBIDDEN', 'This session has closed: no more ideas, thank you.');
    const area = input.area ?? (session.areas.length === 1 ? session.areas[0] : undefined);
    if (!area) throw new HttpError('BAD_REQUEST', 'area: choose the challenge your idea is about', { area: 'choose the challenge your idea is about' });
    if (session.areas.length && !session.areas.includes(area)) {
      throw new HttpError('BAD_REQUEST', 'area: this session is about other challenges', { area: 'this session is about other challenges' });
    }
    const created = await this.ideas.create({ area, title: input.title, body: input.body }, author, session.code);
    await this.tellStaff(session.code);
    return { idea: created.idea, pending: true };
  }

  private async snapshot(entry: SessionEntry, viewer: SessionUser | null): Promise<LiveSnapshot> {
    const staff = isStaff(viewer);
    return {
      session: sessionView(entry.session),
      live: stateView(entry),
      ideas: this.sessions.ideaViews(entry, viewer, staff),
      ...(staff ? { pending: await this.ideas.heldFor(entry.session.code) } : {}),
    };
  }

  private async draft(entry: Readonly<SessionEntry>, { action, ideaId, seconds, view }: LiveControl): Promise<LiveEventDraft | null> {
    const { fold } = entry;
    const event = (fields: Partial<LiveEventDraft> = {}): LiveEventDraft => ({ action, ideaId: null, endsAt: null, view: null, results: null, ...fields });
    const needsIdea = () => {
      if (!this.sessions.includes(entry, ideaId!)) throw new HttpError('NOT_FOUND', 'That idea is not part of this session (or is off the board).');
    };
    switch (action) {
      case 'open':
        return fold.state === 'open' ? null : event();
      case 'pause':
        if (fold.state === 'closed') throw new HttpError('BAD_REQUEST', 'Voting has closed: open it again first.');
        return fold.state === 'paused' ? null : event();
      case 'close':
        return fold.state === 'closed' ? null : event({ results: await this.outcomes.frozenRanking(entry) });
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
        return event({ endsAt: Date.now() + seconds * 1000 });
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
