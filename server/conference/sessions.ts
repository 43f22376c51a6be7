import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { LiveEvent, LiveSession, User } from '../../models/index.js';
import { liveRoom, liveStaffRoom, type LiveEventRecord } from '../../realtime/events.js';
import { AREA_SLUGS, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, LIVE_IDEAS_MAX, type AreaSlug, type LiveAction, type LiveState, type LiveView, type Voters } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { GroupVotes, LiveCreate, LiveIdeaView, LiveResultRow, LiveSessionView, LiveStateView } from '../../realtime/schemas/conference.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import type { BoardIo } from '../transport/io.js';
import { KeyedQueue } from '../platform/keyed-queue.js';
import { log } from '../platform/log.js';
import type { VoteLedger } from '../board/vote-ledger.js';


/** What a control adds to the sequence; null when it would change nothing (pressing Pause while paused). */
export type LiveEventDraft = Omit<LiveEventRecord, 'seq' | 'at'>;

interface Session {
  code: string;
  title: string;
  areas: AreaSlug[];
  ideaIds: Set<string>;
  roomIdeas: boolean;
  voting: Voters;
  createdAt: Date;
}

/** A session's state: the fold of its events. */
interface Fold {
  seq: number;
  state: LiveState;
  spotlight: string | null;
  countsHidden: boolean;
  countdownEndsAt: number | null;
  view: LiveView;
  hidden: Set<string>;
  discussed: Set<string>;
  /** Ideas from the room a facilitator approved: in the session even when its ideas were picked by hand. */
  approved: Set<string>;
  closedAt: number | null;
  results: Omit<LiveResultRow, 'rank'>[] | null;
}

/** A session and its state, as this server holds it. */
export interface LiveEntry {
  session: Session;
  fold: Fold;
}

const CODE_TRIES = 10;
const CONTROL_TRIES = 10;

/**
 * Live sessions and their state. A session document is written once; each control is a LiveEvent
 * inserted under the unique {session, seq} index, so inserting the next number is the compare-and-set
 * (FerretDB's updates are not atomic): of two facilitators racing, one takes the step and the other
 * reads it, then decides again on the new state. Every server keeps each session's fold in memory
 * (votes are checked against it, and tallies filtered by it) and hears the others' events.
 */
export class LiveSessions {
  private readonly entries = new Map<string, LiveEntry>();
  /** One control at a time per session in this process; the index orders them across servers. */
  private readonly controls = new KeyedQueue();

  constructor(
    private readonly io: BoardIo,
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
    private readonly clustered: boolean,
  ) {
    if (clustered) io.on('live:sync', (payload) => void this.receive(payload.code, payload.event ?? null));
  }

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
        const entry: LiveEntry = { session: sessionOf(doc), fold: initialFold() };
        this.entries.set(code, entry);
        this.share(code, null);
        return sessionView(entry.session);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
    throw new HttpError('UNAVAILABLE', 'Could not find a free join code. Please try again.');
  }

  async require(code: string): Promise<LiveEntry> {
    const known = this.entries.get(code);
    if (known) return known;
    // Made on another server a moment ago, before its news arrived here.
    const doc = await LiveSession.findOne({ code }).lean();
    if (!doc) throw new HttpError('NOT_FOUND', `There is no live session with the code ${code}. Check the code on the big screen.`);
    const entry: LiveEntry = this.entries.get(code) ?? { session: sessionOf(doc), fold: initialFold() };
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
  control(code: string, by: SessionUser, decide: (entry: Readonly<LiveEntry>) => Promise<LiveEventDraft | null>): Promise<LiveStateView> {
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
          this.broadcast(entry, event);
          this.share(code, event);
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
  ideasOf(entry: Readonly<LiveEntry>): IdeaEntry[] {
    const { session, fold } = entry;
    const candidates = session.areas.length
      ? this.state.rankings.ranked(null).filter((idea) => session.areas.includes(idea.area))
      : [...session.ideaIds, ...fold.approved].flatMap((id) => this.state.get(id) ?? []);
    const ideas = candidates.filter((idea) => !fold.hidden.has(idea.id));
    if (!session.areas.length) ideas.sort((a, b) => b.votes - a.votes || b.createdAt - a.createdAt);
    return ideas.slice(0, LIVE_IDEAS_MAX);
  }

  /** The ideas as one screen shows them: without counts for the room while they are hidden. */
  ideaViews(entry: Readonly<LiveEntry>, viewer: SessionUser | null, staff: boolean): LiveIdeaView[] {
    const ideas = this.ideasOf(entry);
    const mine = viewer ? this.ledger.ballots.votedBy(viewer.id, ideas.map((idea) => idea.id)) : new Set<string>();
    const hideCounts = entry.fold.countsHidden && !staff;
    return ideas.map((idea) => ({ ...this.state.view(idea, mine.has(idea.id)), votes: hideCounts ? null : idea.votes }));
  }

  /** Every idea of the session ranked, as the results show it while voting runs: no breakdown yet. */
  ranking(entry: Readonly<LiveEntry>): Omit<LiveResultRow, 'rank'>[] {
    return this.ideasOf(entry).map((idea) => ({ ideaId: idea.id, title: idea.title, area: idea.area, votes: idea.votes, discussed: entry.fold.discussed.has(idea.id), groups: null }));
  }

  /**
   * What `close` freezes: the ranking, each idea's votes by the groups its member voters say they
   * belong to. Only final results break down, so nobody can tell a voter's group from how a running
   * breakdown moved when they tapped.
   */
  async frozenRanking(entry: Readonly<LiveEntry>): Promise<Omit<LiveResultRow, 'rank'>[]> {
    // Counts and voters read in the same turn; a vote still on its way may be in one and not yet the
    // other, so a breakdown is held to its count.
    const rows = this.ranking(entry);
    const voters = this.ledger.ballots.memberVoters(rows.map((row) => row.ideaId));
    const members = [...new Set([...voters.values()].flat())];
    const docs = members.length ? await User.find({ _id: { $in: members.map((id) => new Types.ObjectId(id)) } }, { group: 1 }).lean() : [];
    const groupOf = new Map(docs.map((doc) => [doc._id.toString(), doc.group ?? null]));
    return rows.map((row) => {
      const groups: GroupVotes = {};
      let named = 0;
      for (const voter of voters.get(row.ideaId)!) {
        const group = groupOf.get(voter);
        if (!group || named === row.votes) continue;
        groups[group] = (groups[group] ?? 0) + 1;
        named++;
      }
      if (row.votes > named) groups.unsaid = row.votes - named;
      return { ...row, groups };
    });
  }

  includes(entry: Readonly<LiveEntry>, ideaId: string): boolean {
    const idea = this.state.get(ideaId);
    return idea !== undefined && !entry.fold.hidden.has(ideaId) && contains(entry, idea);
  }

  /**
   * Which ideas' counts a live board's watchers get: the session's, and for the room none while
   * counts are hidden (its facilitators always see them). Null for boards that are not a session's.
   */
  tallyScope(board: string): ((idea: IdeaEntry) => boolean) | null {
    const match = LIVE_BOARD.exec(board);
    if (!match) return null;
    const entry = this.entries.get(match[1]!);
    if (!entry) return () => false;
    const staff = match[2] !== undefined;
    if (entry.fold.countsHidden && !staff) return () => false;
    return (idea) => !entry.fold.hidden.has(idea.id) && contains(entry, idea);
  }

  /** The screens of every session an idea belongs to, for news of it (new, reworded, taken down, put back). */
  roomsFor(idea: Pick<IdeaEntry, 'id' | 'area'>): string[] {
    const rooms: string[] = [];
    for (const entry of this.entries.values()) {
      if (contains(entry, idea)) rooms.push(liveRoom(entry.session.code), liveStaffRoom(entry.session.code));
    }
    return rooms;
  }

  /** Reads the events this server has not applied yet (another server's, whose news is late or lost). */
  private async catchUp(entry: LiveEntry): Promise<void> {
    const events = await LiveEvent.find({ session: entry.session.code, seq: { $gt: entry.fold.seq } }).sort({ seq: 1 }).lean();
    for (const event of events) {
      // Applied meanwhile (this server's own control, or news from another): the read began before it.
      if (event.seq <= entry.fold.seq) continue;
      if (event.seq !== entry.fold.seq + 1) break;
      apply(entry.fold, recordOf(event));
    }
  }

  /** The new state to every screen of the session, on every server; a reveal brings the counts the room did not see. */
  private broadcast(entry: LiveEntry, event: LiveEventRecord): void {
    const { code } = entry.session;
    this.io.to(liveRoom(code)).to(liveStaffRoom(code)).emit('live:state', stateView(entry));
    if (event.action === 'reveal-counts') {
      const counts = Object.fromEntries(this.ideasOf(entry).map((idea) => [idea.id, idea.votes]));
      this.io.to(liveRoom(code)).emit('tally:changed', { counts });
    }
  }

  private share(code: string, event: LiveEventRecord | null): void {
    if (this.clustered) this.io.serverSideEmit('live:sync', { code, event });
  }

  private async receive(code: string, event: LiveEventRecord | null): Promise<void> {
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

const LIVE_BOARD = /^board:live:([^:]+)(:staff)?$/;

function newCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** Whether an idea belongs to a session, whatever its state: by area, picked by hand, or approved from the room. */
function contains({ session, fold }: Readonly<LiveEntry>, idea: Pick<IdeaEntry, 'id' | 'area'>): boolean {
  return session.areas.length ? session.areas.includes(idea.area) : session.ideaIds.has(idea.id) || fold.approved.has(idea.id);
}

function initialFold(): Fold {
  return {
    seq: 0,
    state: 'open',
    spotlight: null,
    countsHidden: false,
    countdownEndsAt: null,
    view: 'leaderboard',
    hidden: new Set(),
    discussed: new Set(),
    approved: new Set(),
    closedAt: null,
    results: null,
  };
}

/** One event's effect: the same on every server, so every screen reaches the same state. */
function apply(fold: Fold, event: LiveEventRecord): void {
  fold.seq = event.seq;
  switch (event.action) {
    case 'open':
    case 'pause':
      fold.state = event.action === 'open' ? 'open' : 'paused';
      break;
    case 'close':
      fold.state = 'closed';
      fold.closedAt = event.at;
      fold.results = event.results;
      break;
    case 'spotlight':
      fold.spotlight = event.ideaId;
      fold.view = 'spotlight';
      break;
    case 'release':
      fold.spotlight = null;
      if (fold.view === 'spotlight') fold.view = 'leaderboard';
      break;
    case 'hide-counts':
    case 'reveal-counts':
      fold.countsHidden = event.action === 'hide-counts';
      break;
    case 'countdown':
      fold.countdownEndsAt = event.endsAt;
      break;
    case 'hide-idea':
      fold.hidden.add(event.ideaId!);
      if (fold.spotlight === event.ideaId) {
        fold.spotlight = null;
        if (fold.view === 'spotlight') fold.view = 'leaderboard';
      }
      break;
    case 'discussed':
      fold.discussed.add(event.ideaId!);
      break;
    case 'approve':
      fold.approved.add(event.ideaId!);
      break;
    case 'reject':
      break;
    case 'view':
      fold.view = event.view!;
      break;
  }
}

export function stateView({ session, fold }: Readonly<LiveEntry>): LiveStateView {
  return {
    code: session.code,
    seq: fold.seq,
    state: fold.state,
    spotlight: fold.spotlight,
    countsHidden: fold.countsHidden,
    countdownEndsAt: fold.countdownEndsAt ? new Date(fold.countdownEndsAt).toISOString() : null,
    view: fold.view,
    hidden: [...fold.hidden],
    discussed: [...fold.discussed],
  };
}

export function sessionView(session: Session): LiveSessionView {
  return {
    code: session.code,
    title: session.title,
    areas: session.areas,
    roomIdeas: session.roomIdeas,
    voting: session.voting,
    joinPath: `/join/${session.code}`,
    createdAt: session.createdAt.toISOString(),
  };
}

interface SessionDoc {
  code: string;
  title: string;
  areas: string[];
  ideaIds: Types.ObjectId[];
  roomIdeas: boolean;
  voting?: string | null;
  createdAt: Date;
}

function sessionOf(doc: SessionDoc): Session {
  return {
    code: doc.code,
    title: doc.title,
    areas: doc.areas as AreaSlug[],
    ideaIds: new Set(doc.ideaIds.map((id) => id.toString())),
    roomIdeas: doc.roomIdeas,
    voting: (doc.voting ?? 'everyone') as Voters,
    createdAt: doc.createdAt,
  };
}

interface EventDoc {
  seq: number;
  action: string;
  ideaId?: string | null;
  endsAt?: Date | null;
  view?: string | null;
  results?: { ideaId?: string | null; title?: string | null; area?: string | null; votes?: number | null; discussed?: boolean | null; groups?: unknown }[] | null;
  at: Date;
}

function recordOf(doc: EventDoc): LiveEventRecord {
  return {
    seq: doc.seq,
    action: doc.action as LiveAction,
    ideaId: doc.ideaId ?? null,
    endsAt: doc.endsAt ? doc.endsAt.getTime() : null,
    view: (doc.view ?? null) as LiveView | null,
    results: doc.results?.length
      ? doc.results.map((row) => ({
          ideaId: row.ideaId ?? '',
          title: row.title ?? '',
          area: row.area as AreaSlug,
          votes: row.votes ?? 0,
          discussed: Boolean(row.discussed),
          groups: (row.groups ?? null) as GroupVotes | null,
        }))
      : doc.action === 'close'
        ? []
        : null,
    at: doc.at.getTime(),
  };
}
