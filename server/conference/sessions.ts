import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { LiveEvent, LiveSession } from '../../models/index.js';
import type { LiveEventRecord } from '../../realtime/events.js';
import { AREA_SLUGS, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { LiveCreate, LiveSessionView, LiveStateView } from '../../realtime/schemas/conference.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import { KeyedQueue } from '../platform/keyed-queue.js';
import { log } from '../platform/log.js';
import type { Publisher } from '../platform/bus.js';
import type { ConferenceEvents } from './events.js';
import { apply, contains, initialFold, sessionView, stateView, type LiveEventDraft, type SessionEntry } from './session-fold.js';
import { recordOf, sessionOf } from './session-records.js';
import type { SessionViews } from './session-views.js';

/** Who stores a step no facilitator took (a countdown's zero). */
const SYSTEM = new Types.ObjectId('000000000000000000000000');
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
  /** Told of every event applied here (this server's, another's, or read at start): countdowns follow them. */
  private readonly listeners: ((entry: SessionEntry) => void)[] = [];

  constructor(
    private readonly state: BoardState,
    readonly views: SessionViews,
    private readonly events: Publisher<ConferenceEvents>,
  ) {}

  onApplied(listener: (entry: SessionEntry) => void): void {
    this.listeners.push(listener);
  }

  private applied(entry: SessionEntry, event: LiveEventRecord): void {
    apply(entry, event);
    for (const listener of this.listeners) listener(entry);
  }

  /** Every session and its events, once at start: there are few, and votes must be checked without a read. */
  async load(): Promise<void> {
    const [sessions, events] = await Promise.all([LiveSession.find({}).lean(), LiveEvent.find({}).sort({ seq: 1 }).lean()]);
    this.entries.clear();
    for (const doc of sessions) this.entries.set(doc.code, fresh(doc));
    for (const event of events) {
      const entry = this.entries.get(event.session);
      if (entry && event.seq === entry.fold.seq + 1) this.applied(entry, recordOf(event));
    }
  }

  /** A new session, as a draft: listed nowhere and joinable by none until it is published. */
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
          draft: true,
          createdBy: new Types.ObjectId(user.id),
        });
        const entry = fresh(doc);
        this.entries.set(code, entry);
        this.events.publish('live:changed', { code, event: null });
        return sessionView(entry);
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
    const entry: SessionEntry = this.entries.get(code) ?? fresh(doc);
    this.entries.set(code, entry);
    await this.catchUp(entry);
    return entry;
  }

  /** A draft deleted, with its events (a draft takes no votes); every server forgets it. */
  async remove(code: string): Promise<void> {
    await LiveEvent.deleteMany({ session: code });
    await LiveSession.deleteOne({ code });
    this.entries.delete(code);
    this.events.publish('live:changed', { code, event: null, removed: true });
  }

  /** Published sessions not archived, newest first; with `all`, drafts and archived ones too (for facilitators). */
  list(all = false): { session: LiveSessionView; live: LiveStateView }[] {
    return [...this.entries.values()]
      .filter((entry) => all || (entry.fold.state !== 'draft' && entry.fold.state !== 'archived'))
      .sort((a, b) => b.session.createdAt.getTime() - a.session.createdAt.getTime())
      .map((entry) => ({ session: sessionView(entry), live: stateView(entry) }));
  }

  /**
   * Decides and stores the next control. `decide` sees the state as it is now and returns the event,
   * null when nothing would change, or throws when the control does not apply; after losing a race it
   * runs again on the state the winner left.
   */
  control(code: string, by: SessionUser | null, decide: (entry: Readonly<SessionEntry>) => Promise<LiveEventDraft | null>): Promise<LiveStateView> {
    return this.controls.run(code, 'control', async () => {
      const entry = await this.require(code);
      for (let attempt = 0; attempt < CONTROL_TRIES; attempt++) {
        const draft = await decide(entry);
        if (!draft) return stateView(entry);
        const seq = entry.fold.seq + 1;
        try {
          const doc = await LiveEvent.create({ session: code, seq, ...draft, endsAt: draft.endsAt ? new Date(draft.endsAt) : null, by: by ? new Types.ObjectId(by.id) : SYSTEM });
          const event = recordOf(doc);
          this.applied(entry, event);
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

  entryOf(code: string): SessionEntry | undefined {
    return this.entries.get(code);
  }

  /**
   * A vote (or its withdrawal) with a session's code counts only while its round's voting is open, on
   * one of its ideas, from whoever it lets vote.
   */
  requireVoting(code: string, ideaId: string, voter: SessionUser, retract = false): void {
    const entry = this.entries.get(code);
    if (!entry || entry.fold.state === 'draft') throw new HttpError('NOT_FOUND', `There is no live session with the code ${code}.`);
    const { state } = entry.fold;
    const notDone = retract ? 'Your vote stands' : 'Your vote was not counted';
    if (state === 'paused') throw new HttpError('FORBIDDEN', `Voting is paused for a moment. ${notDone}: try again when the facilitator reopens it.`);
    if (state === 'closed' || state === 'archived') throw new HttpError('FORBIDDEN', `Voting in this session has closed. ${notDone}.`);
    if (!this.includes(entry, ideaId)) throw new HttpError('NOT_FOUND', 'That idea is not part of this session.');
    if (entry.session.voting === 'members' && voter.kind !== 'member') {
      throw new HttpError('FORBIDDEN', 'This session counts votes from members only: sign up or sign in to vote.');
    }
  }

  includes(entry: Readonly<SessionEntry>, ideaId: string): boolean {
    const idea = this.state.get(ideaId);
    return idea !== undefined && !entry.fold.hidden.has(ideaId) && contains(entry, idea);
  }

  /** Every session an idea belongs to, whose screens hear news of it (new, reworded, taken down, put back). */
  codesFor(idea: Pick<IdeaEntry, 'id' | 'area'>): string[] {
    return this.entriesFor(idea).map((entry) => entry.session.code);
  }

  entriesFor(idea: Pick<IdeaEntry, 'id' | 'area'>): SessionEntry[] {
    return [...this.entries.values()].filter((entry) => entry.fold.state !== 'archived' && contains(entry, idea));
  }

  /** Reads the events this server has not applied yet (another server's, whose news is late or lost). */
  private async catchUp(entry: SessionEntry): Promise<void> {
    const events = await LiveEvent.find({ session: entry.session.code, seq: { $gt: entry.fold.seq } }).sort({ seq: 1 }).lean();
    for (const event of events) {
      // Applied meanwhile (this server's own control, or news from another): the read began before it.
      if (event.seq <= entry.fold.seq) continue;
      if (event.seq !== entry.fold.seq + 1) break;
      this.applied(entry, recordOf(event));
    }
  }

  /**
   * The new state to every screen of the session, with the room's counts (to the room none while they
   * are hidden); a reveal also sends them as a tally, and a new round's start at 0.
   */
  private publishState(entry: SessionEntry, event: LiveEventRecord): void {
    const staffCounts = this.views.counts(entry);
    const counts = entry.fold.countsHidden ? null : staffCounts;
    const revealed = event.action === 'reveal-counts' || event.action === 'new-round';
    this.events.publish('live:state', { code: entry.session.code, state: stateView(entry, counts), staffCounts, revealed });
  }

  /** A session made, removed or a control stored by another server: apply it, or read what was missed. */
  async follow(code: string, event: LiveEventRecord | null, removed = false): Promise<void> {
    try {
      const entry = this.entries.get(code);
      if (removed) this.entries.delete(code);
      else if (!entry) await this.require(code);
      else if (event && event.seq === entry.fold.seq + 1) this.applied(entry, event);
      else if (event && event.seq > entry.fold.seq) await this.catchUp(entry);
    } catch (error) {
      log.error({ err: error, code }, 'applying a live session event from another server failed');
    }
  }
}

function fresh(doc: Parameters<typeof sessionOf>[0]): SessionEntry {
  const session = sessionOf(doc);
  return { session, fold: initialFold(session) };
}

function newCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

