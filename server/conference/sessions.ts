import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { LiveEvent, LiveSession } from '../../models/index.js';
import type { LiveEventRecord } from '../../realtime/events.js';
import { AREA_SLUGS, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, LIVE_IDEAS_MAX } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { LiveCreate, LiveIdeaView, LiveResultRow, LiveSessionView, LiveStateView } from '../../realtime/schemas/conference.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import { KeyedQueue } from '../platform/keyed-queue.js';
import { log } from '../platform/log.js';
import type { VoteLedger } from '../board/vote-ledger.js';
import type { Publisher } from '../platform/bus.js';
import type { ConferenceEvents } from './events.js';
import { apply, contains, initialFold, recordOf, sessionOf, sessionView, stateView, type LiveEventDraft, type SessionEntry } from './session-fold.js';


const CODE_TRIES = 10;
const CONTROL_TRIES = 10;

/**
 * Live sessions and their state. A session document is written once; each control is a LiveEvent
 * inserted under the unique {session, seq} index, so inserting the next number is the compare-and-set
 * (FerretDB's updates are not atomic): of two facilitators racing, one takes the step and the other
 * reads it, then decides again on the new state. Every server keeps each session's fold in memory
 * (votes are checked against it, and tallies filtered by it) and hears the others' events.
 */
export class ConferenceSessions {
  private readonly entries = new Map<string, SessionEntry>();
  /** One control at a time per session in this process; the index orders them across servers. */
  private readonly controls = new KeyedQueue();

  constructor(
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
    private readonly events: Publisher<ConferenceEvents>,
  ) {}

  /** Every session and its events, once at start: there are few, and votes must be checked without a read. */
  async load(): Promise<void> {
    const [sessions, events] = await Promise.all([LiveSession.find({}).lean(), LiveEvent.find({}).sort({ seq: 1 }).lean()]);
    this.entries.clear();
    for (const doc of sessions) this.entries.set(doc.code, { session: sessionOf(doc), fold: initialFold() });
    for (const event of events) {
      const entry = this.entries.get(event.session);
      if (entry && event.seq === entry.fold.seq + 1) apply(entry.fold, recordOf(event));
    }
  }

  async create(input: LiveCreate, user: SessionUser): Promise<LiveSessionView> {
    const ideaIds = [...new Set(input.ideaIds ?? [])];
    const missing = ideaIds.filter((id) => !this.state.get(id));
    if (missing.length > 0) throw new HttpError('NOT_FOUND', `Not on the board: ${missing.join(', ')}.`);
    const areas = input.ideaIds ? [] : [...new Set(input.areas?.length ? input.areas : AREA_SLUGS)];
    for (let attempt = 0; attempt < CODE_TRIES; attempt++) {
      const code = newCode();
      try {
        const doc = await LiveSession.create({
          code,
          title: input.title,
          areas,
          ideaIds: ideaIds.map((id) => new Types.ObjectId(id)),
          roomIdeas: input.roomIdeas,
          voting: input.voting,
          createdBy: new Types.ObjectId(user.id),
        });
        const entry: SessionEntry = { session: sessionOf(doc), fold: initialFold() };
        this.entries.set(code, entry);
        this.events.publish('live:changed', { code, event: null });
        return sessionView(entry.session);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new HttpError('UNAVAILABLE', 'Could not find a free join code. Please try again.');
  }

  async require(code: string): Promise<SessionEntry> {
    const known = this.entries.get(code);
    if (known) return known;
    // Made on another server a moment ago, before its news arrived here.
    const doc = await LiveSession.findOne({ code }).lean();
    if (!doc) throw new HttpError('NOT_FOUND', `There is no live session with the code ${code}. Check the code on the big screen.`);
    const entry: SessionEntry = this.entries.get(code) ?? { session: sessionOf(doc), fold: initialFold() };
    this.entries.set(code, entry);
    await this.catchUp(entry);
    return entry;
  }

  list(): { session: LiveSessionView; live: LiveStateView }[] {
    return [...this.entries.values()]
      .sort((a, b) => b.session.createdAt.getTime() - a.session.createdAt.getTime())
      .map((entry) => ({ session: sessionView(entry.session), live: stateView(entry) }));
  }

  /**
   * Decides and stores the next control. `decide` sees the state as it is now and returns the event,
   * null when nothing would change, or throws when the control does not apply; after losing a race it
   * runs again on the state the winner left.
   */
  control(code: string, by: SessionUser, decide: (entry: Readonly<SessionEntry>) => Promise<LiveEventDraft | null>): Promise<LiveStateView> {
    return this.controls.run(code, 'control', async () => {
      const entry = await this.require(code);
      for (let attempt = 0; attempt < CONTROL_TRIES; attempt++) {
        const draft = await decide(entry);
        if (!draft) return stateView(entry);
        const seq = entry.fold.seq + 1;
        try {
          const doc = await LiveEvent.create({ session: code, seq, ...draft, endsAt: draft.endsAt ? new Date(draft.endsAt) : null, by: new Types.ObjectId(by.id) });
          const event = recordOf(doc);
          apply(entry.fold, event);
          this.events.publish('live:changed', { code, event });
          this.publishState(entry, event);
          return stateView(entry);
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          await this.catchUp(entry);
        }
      }
      throw new HttpError('UNAVAILABLE', 'Other facilitators are changing this session right now. Please try again.');
    });
  }

  /** A vote with a session's code counts only while its voting is open, on one of its ideas, from whoever it lets vote. */
  requireVoting(code: string, ideaId: string, voter: SessionUser): void {
    const entry = this.entries.get(code);
    if (!entry) throw new HttpError('NOT_FOUND', `There is no live session with the code ${code}.`);
    const { state } = entry.fold;
    if (state === 'paused') throw new HttpError('FORBIDDEN', 'Voting is paused for a moment. Your vote was not counted: try again when the facilitator reopens it.');
    if (state === 'closed') throw new HttpError('FORBIDDEN', 'Voting in this session has closed. Your vote was not counted.');
    if (!this.includes(entry, ideaId)) throw new HttpError('NOT_FOUND', 'That idea is not part of this session.');
    if (entry.session.voting === 'members' && voter.kind !== 'member') {
      throw new HttpError('FORBIDDEN', 'This session counts votes from members only: sign up or sign in to vote.');
    }
  }

  /** The session's ideas, most votes first (hidden ones left out), at most LIVE_IDEAS_MAX. */
  ideasOf(entry: Readonly<SessionEntry>): IdeaEntry[] {
    const { session, fold } = entry;
    const candidates = session.areas.length
      ? this.state.rankings.ranked(null).filter((idea) => session.areas.includes(idea.area))
      : [...session.ideaIds, ...fold.approved].flatMap((id) => this.state.get(id) ?? []);
    const ideas = candidates.filter((idea) => !fold.hidden.has(idea.id));
    if (!session.areas.length) ideas.sort((a, b) => b.votes - a.votes || b.createdAt - a.createdAt);
    return ideas.slice(0, LIVE_IDEAS_MAX);
  }

  /** The ideas as one screen shows them: without counts for the room while they are hidden. */
  ideaViews(entry: Readonly<SessionEntry>, viewer: SessionUser | null, staff: boolean): LiveIdeaView[] {
    const ideas = this.ideasOf(entry);
    const mine = viewer ? this.ledger.ballots.votedBy(viewer.id, ideas.map((idea) => idea.id)) : new Set<string>();
    const hideCounts = entry.fold.countsHidden && !staff;
    return ideas.map((idea) => ({ ...this.state.view(idea, mine.has(idea.id)), votes: hideCounts ? null : idea.votes }));
  }

  /** Every idea of the session ranked, as the results show it while voting runs: no breakdown yet. */
  ranking(entry: Readonly<SessionEntry>): Omit<LiveResultRow, 'rank'>[] {
    return this.ideasOf(entry).map((idea) => ({ ideaId: idea.id, title: idea.title, area: idea.area, votes: idea.votes, voided: this.ledger.voidedOf(idea.id), discussed: entry.fold.discussed.has(idea.id), groups: null }));
  }

  includes(entry: Readonly<SessionEntry>, ideaId: string): boolean {
    const idea = this.state.get(ideaId);
    return idea !== undefined && !entry.fold.hidden.has(ideaId) && contains(entry, idea);
  }

  /**
   * Which ideas' counts a session's screens get: the session's, and for the room none while counts
   * are hidden (its facilitators always see them).
   */
  tallyScope(code: string, staff: boolean): (idea: IdeaEntry) => boolean {
    const entry = this.entries.get(code);
    if (!entry || (entry.fold.countsHidden && !staff)) return () => false;
    return (idea) => !entry.fold.hidden.has(idea.id) && contains(entry, idea);
  }

  /** Every session an idea belongs to, whose screens hear news of it (new, reworded, taken down, put back). */
  codesFor(idea: Pick<IdeaEntry, 'id' | 'area'>): string[] {
    const codes: string[] = [];
    for (const entry of this.entries.values()) if (contains(entry, idea)) codes.push(entry.session.code);
    return codes;
  }

  /** Reads the events this server has not applied yet (another server's, whose news is late or lost). */
  private async catchUp(entry: SessionEntry): Promise<void> {
    const events = await LiveEvent.find({ session: entry.session.code, seq: { $gt: entry.fold.seq } }).sort({ seq: 1 }).lean();
    for (const event of events) {
      // Applied meanwhile (this server's own control, or news from another): the read began before it.
      if (event.seq <= entry.fold.seq) continue;
      if (event.seq !== entry.fold.seq + 1) break;
      apply(entry.fold, recordOf(event));
    }
  }

  /** The new state to every screen of the session; a reveal brings the counts the room did not see. */
  private publishState(entry: SessionEntry, event: LiveEventRecord): void {
    const revealed = event.action === 'reveal-counts' ? Object.fromEntries(this.ideasOf(entry).map((idea) => [idea.id, idea.votes])) : null;
    this.events.publish('live:state', { code: entry.session.code, state: stateView(entry), revealed });
  }

  /** A session made or a control stored by another server: apply it, or read what was missed. */
  async follow(code: string, event: LiveEventRecord | null): Promise<void> {
    try {
      const entry = this.entries.get(code);
      if (!entry) await this.require(code);
      else if (event && event.seq === entry.fold.seq + 1) apply(entry.fold, event);
      else if (event && event.seq > entry.fold.seq) await this.catchUp(entry);
    } catch (error) {
      log.error({ err: error, code }, 'applying a live session event from another server failed');
    }
  }
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

