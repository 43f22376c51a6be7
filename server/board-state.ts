import { Types } from 'mongoose';
import { Idea, Vote } from '../models/index.js';
import type { VoteMove } from '../realtime/events.js';
import { AREA_SLUGS, type AreaSlug, type IdeaView } from '../realtime/schemas.js';

export interface IdeaEntry {
  id: string;
  area: AreaSlug;
  title: string;
  body: string;
  createdAt: number;
  votes: number;
}

export type SharedIdea = Omit<IdeaEntry, 'votes'>;

/**
 * The live board in memory: every published idea with its vote count. Counts are derived from the
 * Vote documents (loaded at start, then moved only by votes this process stored or that other
 * servers report) and checked against the database by `reconcile`; no count is ever stored.
 */
export class BoardState {
  private readonly ideas = new Map<string, IdeaEntry>();
  /** Bumped on every change to a count, so a reconcile can tell which counts moved while it read. */
  private readonly epochs = new Map<string, number>();
  private readonly changedCounts = new Set<string>();
  private areaCountsChanged = false;
  private rankCache = new Map<AreaSlug | null, IdeaEntry[]>();
  /**
   * Per person, the ideas they have a stored vote on and that vote's _id. "Voted by me" and
   * retractions read this instead of searching the votes: the embedded FerretDB filters anything
   * but `_id` outside SQLite, so one such search reads every vote (seconds at 200k votes).
   */
  private readonly ballots = new Map<string, Map<string, string | null>>();
  /**
   * One string per idea id for the ballots' keys: each vote arrives with its own copy of the id, and
   * at 200k votes those copies were 200k objects that every major GC had to mark.
   */
  private readonly ideaIdKeys = new Map<string, string>();
  /** Per idea, votes counted while the database is still storing or deleting them. */
  private readonly ahead = new Map<string, number>();
  /**
   * Set when a vote's write failed without saying whether it was stored: alone, a server's counts can
   * differ from the database only after that (with several servers, also after a lost sync message).
   */
  private uncertain = false;

  /** Reads every idea and every vote once: the counts and the ballots both come from the votes. */
  async load(): Promise<void> {
    const [docs] = await Promise.all([Idea.find({ status: 'published' }, { area: 1, title: 1, body: 1, createdAt: 1 }).lean(), this.loadBallots()]);
    const counts = new Map<string, number>();
    for (const ballot of this.ballots.values()) for (const ideaId of ballot.keys()) counts.set(ideaId, (counts.get(ideaId) ?? 0) + 1);
    this.ideas.clear();
    for (const doc of docs) {
      const id = doc._id.toString();
      this.ideas.set(id, {
        id,
        area: doc.area as AreaSlug,
        title: doc.title,
        body: doc.body ?? '',
        createdAt: doc.createdAt.getTime(),
        votes: counts.get(id) ?? 0,
      });
    }
    this.rankCache.clear();
  }

  private async loadBallots(): Promise<void> {
    this.ballots.clear();
    this.ideaIdKeys.clear();
    const cursor = Vote.find({}, { idea: 1, voter: 1 }).lean().batchSize(10_000).cursor();
    for await (const vote of cursor) this.setBallot(vote.voter.toString(), vote.idea.toString(), vote._id.toString());
  }

  /** The ideas this person has voted on (ids from this board's memory, no database read). */
  votedBy(voterId: string, ideaIds: string[]): Set<string> {
    const ballot = this.ballots.get(voterId);
    return new Set(ballot ? ideaIds.filter((id) => ballot.has(id)) : []);
  }

  /** undefined: no vote known; null: a vote is stored but its _id is not known here. */
  voteIdOf(voterId: string, ideaId: string): string | null | undefined {
    return this.ballots.get(voterId)?.get(ideaId);
  }

  /** Records what the database confirmed: a vote stored (with its _id when known) or gone. */
  setBallot(voterId: string, ideaId: string, voteId: string | null): void {
    let ballot = this.ballots.get(voterId);
    if (!ballot) this.ballots.set(voterId, (ballot = new Map()));
    if (voteId === null && ballot.has(ideaId)) return;
    let key = this.ideaIdKeys.get(ideaId);
    if (key === undefined) this.ideaIdKeys.set(ideaId, (key = ideaId));
    ballot.set(key, voteId);
  }

  clearBallot(voterId: string, ideaId: string): void {
    const ballot = this.ballots.get(voterId);
    if (!ballot) return;
    ballot.delete(ideaId);
    if (ballot.size === 0) this.ballots.delete(voterId);
  }

  /** A vote stored or withdrawn, here or on another server: its ballot and its count move together. */
  applyVoteMove(move: VoteMove): void {
    if (move.delta > 0) this.setBallot(move.voterId, move.ideaId, move.voteId);
    else this.clearBallot(move.voterId, move.ideaId);
    this.applyVoteDelta(move.ideaId, move.delta);
  }

  /** Moves a count before the database has answered, so watchers see the vote on the next tick. */
  countAhead(ideaId: string, delta: 1 | -1): void {
    this.ahead.set(ideaId, (this.ahead.get(ideaId) ?? 0) + 1);
    this.applyVoteDelta(ideaId, delta);
  }

  /** The database answered a vote counted ahead: kept, or taken back when it did not bear it out. */
  settleAhead(ideaId: string, delta: 1 | -1, kept: boolean): void {
    const left = (this.ahead.get(ideaId) ?? 1) - 1;
    if (left > 0) this.ahead.set(ideaId, left);
    else this.ahead.delete(ideaId);
    // A recount that read the votes before this answer must not overwrite the count after it.
    this.epochs.set(ideaId, (this.epochs.get(ideaId) ?? 0) + 1);
    if (!kept) this.applyVoteDelta(ideaId, -delta);
  }

  get(id: string): IdeaEntry | undefined {
    return this.ideas.get(id);
  }

  get size(): number {
    return this.ideas.size;
  }

  /** Adds or replaces an idea's text; its count is kept. Returns true when the idea is new here. */
  upsertIdea(idea: SharedIdea): boolean {
    const existing = this.ideas.get(idea.id);
    this.ideas.set(idea.id, { ...idea, votes: existing?.votes ?? 0 });
    this.rankCache.clear();
    if (!existing) this.areaCountsChanged = true;
    return !existing;
  }

  /** Takes an idea off the board (it was hidden); its votes stay in the ballots for a restore. */
  removeIdea(ideaId: string): IdeaEntry | undefined {
    const entry = this.ideas.get(ideaId);
    if (!entry) return undefined;
    this.ideas.delete(ideaId);
    this.rankCache.clear();
    this.areaCountsChanged = true;
    return entry;
  }

  /** Puts a hidden idea back with the votes its ballots hold. */
  restoreIdea(idea: SharedIdea): IdeaEntry {
    const entry: IdeaEntry = { ...idea, votes: this.ballotCount(idea.id) };
    this.ideas.set(idea.id, entry);
    this.rankCache.clear();
    this.areaCountsChanged = true;
    return entry;
  }

  /** An idea's votes counted from the ballots in memory: for ideas off the board, which have no live count. */
  ballotCount(ideaId: string): number {
    let votes = 0;
    for (const ballot of this.ballots.values()) if (ballot.has(ideaId)) votes++;
    return votes;
  }

  applyVoteDelta(ideaId: string, delta: number): void {
    const entry = this.ideas.get(ideaId);
    if (!entry || delta === 0) return;
    entry.votes = Math.max(0, entry.votes + delta);
    this.touch(ideaId);
  }

  /** Ideas of one area (or all), most votes first, newest first among equals. */
  ranked(area: AreaSlug | null): IdeaEntry[] {
    let list = this.rankCache.get(area);
    if (!list) {
      list = [...this.ideas.values()].filter((i) => area === null || i.area === area);
      list.sort((a, b) => b.votes - a.votes || b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
      this.rankCache.set(area, list);
    }
    return list;
  }

  newest(area: AreaSlug | null): IdeaEntry[] {
    return [...this.ideas.values()]
      .filter((i) => area === null || i.area === area)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }

  ideaCounts(): { slug: AreaSlug; ideaCount: number }[] {
    const counts = new Map<AreaSlug, number>(AREA_SLUGS.map((slug) => [slug, 0]));
    for (const idea of this.ideas.values()) counts.set(idea.area, (counts.get(idea.area) ?? 0) + 1);
    return AREA_SLUGS.map((slug) => ({ slug, ideaCount: counts.get(slug) ?? 0 }));
  }

  /** What changed since the last call: the ideas whose counts moved, and whether any area gained an idea. */
  takeChanges(): { ideas: IdeaEntry[]; areaCounts: boolean } {
    const ideas: IdeaEntry[] = [];
    for (const id of this.changedCounts) {
      const entry = this.ideas.get(id);
      if (entry) ideas.push(entry);
    }
    this.changedCounts.clear();
    const areaCounts = this.areaCountsChanged;
    this.areaCountsChanged = false;
    return { ideas, areaCounts };
  }

  /**
   * Recounts every idea's votes in the database and corrects counts that drifted (say, a vote
   * stored while its ack failed). Counts that moved while the recount ran, or have votes still
   * being stored, are left for next time.
   */
  async reconcile(): Promise<number> {
    this.uncertain = false;
    const before = new Map(this.epochs);
    const counts = await countVotesByIdea();
    let corrected = 0;
    for (const entry of this.ideas.values()) {
      if ((this.epochs.get(entry.id) ?? 0) !== (before.get(entry.id) ?? 0) || this.ahead.has(entry.id)) continue;
      const stored = counts.get(entry.id) ?? 0;
      if (stored !== entry.votes) {
        entry.votes = stored;
        this.touch(entry.id);
        corrected++;
      }
    }
    return corrected;
  }

  markUncertain(): void {
    this.uncertain = true;
  }

  get needsRecount(): boolean {
    return this.uncertain;
  }

  view(entry: IdeaEntry, votedByMe: boolean): IdeaView {
    return {
      id: entry.id,
      area: entry.area,
      title: entry.title,
      body: entry.body,
      votes: entry.votes,
      votedByMe,
      createdAt: new Date(entry.createdAt).toISOString(),
    };
  }

  private touch(ideaId: string): void {
    this.epochs.set(ideaId, (this.epochs.get(ideaId) ?? 0) + 1);
    this.changedCounts.add(ideaId);
    this.rankCache.clear();
  }
}

async function countVotesByIdea(): Promise<Map<string, number>> {
  const rows = await Vote.aggregate<{ _id: Types.ObjectId; n: number }>([{ $group: { _id: '$idea', n: { $sum: 1 } } }]);
  return new Map(rows.map((r) => [r._id.toString(), r.n]));
}
