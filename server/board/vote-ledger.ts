import { Types } from 'mongoose';
import { User, Vote } from '../../models/index.js';
import type { SyncedIdea, VoteMove } from '../../realtime/events.js';
import type { BoardState, IdeaEntry } from './board-state.js';

/** What this server knows of one person's vote on one idea. */
export type Ballot =
  | { readonly kind: 'none' }
  /** Stored, with the Vote document's _id: a retraction deletes by it. */
  | { readonly kind: 'stored'; readonly voteId: string }
  /** Stored, but the _id is not known here: the database said so when this server tried to store it. */
  | { readonly kind: 'stored-id-unknown' };

const NO_BALLOT: Ballot = { kind: 'none' };
const STORED_ID_UNKNOWN: Ballot = { kind: 'stored-id-unknown' };

/** A cast (+1) or retraction (-1) on its way to the database, from `enter` to `settle`. */
export interface VoteEntry {
  readonly ideaId: string;
  readonly voterId: string;
  readonly delta: 1 | -1;
  /** What this server knew of the vote as it came in. */
  readonly ballot: Ballot;
  /** Whether its count moved ahead of the store: only a vote that changes what this server knows does. */
  readonly countedAhead: boolean;
  /**
   * What it moved ahead, and on which idea: the idea a duplicate is merged into holds the count, and a
   * voter already counted there through another idea of the merge moves nothing.
   */
  readonly counted: { readonly holder: string; readonly delta: number };
  /** The idea's count right after counting the vote ahead: what its ack says once the database bears it out. */
  readonly votes: number;
}

/** What the database answered to an entry's write. */
export type StoreOutcome =
  | { readonly kind: 'stored'; readonly voteId: string }
  | { readonly kind: 'deleted' }
  /** A cast found the vote stored already (another server, a moment ago). */
  | { readonly kind: 'already-stored' }
  /** A retraction found no vote to delete. */
  | { readonly kind: 'nothing-to-delete' }
  /** The write failed without saying whether it happened. */
  | { readonly kind: 'failed' };

export interface Settled {
  /** The vote this server stored or withdrew, for the other servers; null when it changed nothing. */
  move: VoteMove | null;
  /** The idea's count for the ack: right after counting ahead when the vote was, otherwise as it is now. */
  votes: number;
}

/**
 * Who voted for what, and every vote count's way through memory. A vote entering moves its idea's
 * count at once (watchers see it on the next tick while it is stored); settling it with the
 * database's answer keeps that count or takes it back, and records the ballot. Counts are derived
 * from the Vote documents (read at start, then moved only by votes this process stored or that other
 * servers report) and checked against the database by `reconcile`; no count is ever stored.
 */
export class VoteLedger {
  /**
   * Per person, the ideas they have a stored vote on and that vote's _id (null: not known here).
   * "Voted by me" and retractions read this instead of searching the votes: the embedded FerretDB
   * filters anything but `_id` outside SQLite, so one such search reads every vote (seconds at 200k
   * votes). A bare value per vote rather than a Ballot: each object is one more for every major GC to mark.
   */
  private readonly ballots = new Map<string, Map<string, string | null>>();
  /**
   * One string per idea id for the ballots' keys: each vote arrives with its own copy of the id, and
   * at 200k votes those copies would be 200k objects for every major GC to mark.
   */
  private readonly ideaIdKeys = new Map<string, string>();
  /** Per idea, votes counted ahead while the database is still storing or deleting them. */
  private readonly inFlight = new Map<string, number>();
  /** Bumped on every change to a count, so a recount can tell which counts moved while it read. */
  private readonly epochs = new Map<string, number>();
  /**
   * Set when a vote's write failed without saying whether it was stored: alone, a server's counts can
   * differ from the database only after that (with several servers, also after a lost sync message).
   */
  private uncertain = false;
  /**
   * The voters who are members. Whether a person is a member never changes (a guest who signs up
   * becomes a new member and their votes move over), so this only grows: from the users at start,
   * and from each member's vote, here or on another server.
   */
  private readonly members = new Set<string>();

  constructor(private readonly board: BoardState) {}

  /** Reads every idea and every vote once: the ballots come from the votes, and the counts from the ballots. */
  async load(): Promise<void> {
    await this.board.load((merges) => this.loadBallots(merges));
  }

  private async loadBallots(merges: ReadonlyMap<string, string>): Promise<Map<string, number>> {
    this.ballots.clear();
    this.ideaIdKeys.clear();
    this.members.clear();
    for (const user of await User.find({ kind: 'member' }, { _id: 1 }).lean()) this.members.add(user._id.toString());
    const cursor = Vote.find({}, { idea: 1, voter: 1 }).lean().batchSize(10_000).cursor();
    for await (const vote of cursor) {
      const ideaId = vote.idea.toString();
      this.record(vote.voter.toString(), ideaId, vote._id.toString());
      // A vote's _id holds when it was cast: trending weighs it by its age.
      this.board.noteActivity(ideaId, vote._id.getTimestamp().getTime());
    }
    const counts = new Map<string, number>();
    for (const ballot of this.ballots.values()) for (const ideaId of ballot.keys()) counts.set(ideaId, (counts.get(ideaId) ?? 0) + 1);
    // An idea with duplicates merged into it counts each of their voters once.
    for (const holder of new Set(merges.values())) counts.set(holder, this.unionCount(this.board.groupOf(holder)));
    return counts;
  }

  /** A vote comes in: a cast this server has no record of, or a retraction of one it has, counts at once. */
  enter(ideaId: string, voterId: string, delta: 1 | -1): VoteEntry {
    const ballot = this.ballotOf(voterId, ideaId);
    const countedAhead = (ballot.kind === 'none') === (delta > 0);
    const counted = { holder: this.board.holderOf(ideaId), delta: countedAhead && !this.countedElsewhere(voterId, ideaId) ? delta : 0 };
    if (countedAhead) {
      this.inFlight.set(ideaId, (this.inFlight.get(ideaId) ?? 0) + 1);
      this.moveCount(counted.holder, counted.delta);
    }
    return { ideaId, voterId, delta, ballot, countedAhead, counted, votes: this.votesOf(ideaId) };
  }

  /**
   * The database answered: a count it did not bear out is taken back, and the ballot follows what it
   * said. A vote it stored or withdrew that was not counted ahead (this server's ballot was out of
   * date) moves its count now.
   */
  settle(entry: VoteEntry, outcome: StoreOutcome): Settled {
    const { ideaId, voterId, delta } = entry;
    const written = outcome.kind === 'stored' || outcome.kind === 'deleted';
    if (entry.countedAhead) {
      const left = (this.inFlight.get(ideaId) ?? 1) - 1;
      if (left > 0) this.inFlight.set(ideaId, left);
      else this.inFlight.delete(ideaId);
      // A recount that read the votes before this answer must not overwrite the count after it.
      this.bumpEpoch(ideaId);
      if (!written) this.moveCount(entry.counted.holder, -entry.counted.delta);
    }
    switch (outcome.kind) {
      case 'failed':
        this.uncertain = true;
        return { move: null, votes: this.votesOf(ideaId) };
      case 'already-stored':
        this.record(voterId, ideaId, null);
        return { move: null, votes: this.votesOf(ideaId) };
      case 'nothing-to-delete':
        this.forget(voterId, ideaId);
        return { move: null, votes: this.votesOf(ideaId) };
    }
    const move: VoteMove = { ideaId, voterId, voteId: outcome.kind === 'stored' ? outcome.voteId : null, delta, ...(this.members.has(voterId) ? { member: true as const } : {}) };
    if (entry.countedAhead) this.recordMove(move);
    else this.apply(move);
    return { move, votes: entry.countedAhead ? entry.votes : this.votesOf(ideaId) };
  }

  /** A vote stored or withdrawn, here or on another server: its ballot and its count move together. */
  apply(move: VoteMove): void {
    if (move.member) this.members.add(move.voterId);
    const delta = this.countedElsewhere(move.voterId, move.ideaId) ? 0 : move.delta;
    this.recordMove(move);
    this.moveCount(this.board.holderOf(move.ideaId), delta);
  }

  /** Whether this voter counts on the idea's merge through another of its ideas (then a vote on this one moves nothing). */
  private countedElsewhere(voterId: string, ideaId: string): boolean {
    // Every vote passes here: ideas in no merge (nearly all) cost two map lookups.
    if (!this.board.isMerged(ideaId) && this.board.duplicatesOf(ideaId).size === 0) return false;
    const ballot = this.ballots.get(voterId);
    return ballot !== undefined && this.board.groupOf(ideaId).some((id) => id !== ideaId && ballot.has(id));
  }

  /**
   * A duplicate now counts towards `into`: it leaves the board, and `into` counts every voter of the
   * two once. No vote is stored or moved; unmerging gives each idea back exactly its own ballots.
   */
  merge(duplicate: string, into: string): IdeaEntry | undefined {
    this.board.setMerged(duplicate, into);
    const removed = this.board.removeIdea(duplicate);
    this.recountGroup(into);
    return removed;
  }

  /** Undoes a merge; `idea` (its words, when it is still published) goes back on the board with its own votes. */
  unmerge(duplicate: string, idea: SyncedIdea | null): IdeaEntry | null {
    const into = this.board.clearMerged(duplicate);
    if (into !== undefined) this.recountGroup(into);
    return idea ? this.restoreIdea(idea) : null;
  }

  private recountGroup(holder: string): void {
    const entry = this.board.get(holder);
    if (entry) this.moveCount(holder, this.unionCount(this.board.groupOf(holder)) - entry.votes);
  }

  /** People with a ballot on any of these ideas, each once. */
  private unionCount(ideaIds: string[]): number {
    let votes = 0;
    for (const ballot of this.ballots.values()) if (ideaIds.some((id) => ballot.has(id))) votes++;
    return votes;
  }

  /** Everyone with a stored vote on any of these ideas (to tell them what became of it). */
  votersOf(ideaIds: string[]): string[] {
    const voters: string[] = [];
    for (const [voterId, ballot] of this.ballots) if (ideaIds.some((id) => ballot.has(id))) voters.push(voterId);
    return voters;
  }

  ballotOf(voterId: string, ideaId: string): Ballot {
    const voteId = this.ballots.get(voterId)?.get(ideaId);
    if (voteId === undefined) return NO_BALLOT;
    return voteId === null ? STORED_ID_UNKNOWN : { kind: 'stored', voteId };
  }

  /** The ideas this person has voted on (ids from this board's memory, no database read). */
  votedBy(voterId: string, ideaIds: string[]): Set<string> {
    const ballot = this.ballots.get(voterId);
    // On an idea with duplicates merged in, a vote for any of them counts as one for it.
    if (!ballot) return new Set();
    const hasDuplicate = (id: string) => {
      for (const duplicate of this.board.duplicatesOf(id)) if (ballot.has(duplicate)) return true;
      return false;
    };
    return new Set(ideaIds.filter((id) => ballot.has(id) || hasDuplicate(id)));
  }

  /** This voter is a member: their votes count as members' in the split staff see. */
  markMember(voterId: string): void {
    this.members.add(voterId);
  }

  /** The duplicates merged into this idea that this person has a vote on. */
  duplicatesVotedBy(ideaId: string, voterId: string): string[] {
    const ballot = this.ballots.get(voterId);
    return ballot ? [...this.board.duplicatesOf(ideaId)].filter((duplicate) => ballot.has(duplicate)) : [];
  }

  /** The ideas this person has a vote on: a guest's, to move to the member they became. */
  ideasVotedBy(voterId: string): string[] {
    return [...(this.ballots.get(voterId)?.keys() ?? [])];
  }

  /** Each idea's votes split into members' and guests', so a burst of guest votes shows. */
  split(ideaIds: string[]): Record<string, { members: number; guests: number }> {
    const voters = this.memberVoters(ideaIds);
    const split: Record<string, { members: number; guests: number }> = {};
    for (const id of ideaIds) {
      const members = voters.get(id)!.length;
      split[id] = { members, guests: Math.max(0, (this.board.get(id)?.votes ?? this.ballotCount(id)) - members) };
    }
    return split;
  }

  /**
   * The members counted on each of these ideas (through a duplicate merged into it too, as the counts
   * are): whose stakeholder groups the results break down by.
   */
  memberVoters(ideaIds: string[]): Map<string, string[]> {
    const voters = new Map(ideaIds.map((id): [string, string[]] => [id, []]));
    for (const member of this.members) {
      for (const id of this.votedBy(member, ideaIds)) voters.get(id)!.push(member);
    }
    return voters;
  }

  /** An idea's votes counted from the ballots in memory: for ideas off the board, which have no live count. */
  ballotCount(ideaId: string): number {
    return this.unionCount([ideaId, ...this.board.duplicatesOf(ideaId)]);
  }

  /** Puts a hidden idea back on the board with the votes its ballots hold: they stayed while it was off. */
  restoreIdea(idea: SyncedIdea): IdeaEntry {
    return this.board.restoreIdea(idea, this.ballotCount(idea.id));
  }

  /**
   * Recounts every idea's votes in the database and corrects counts that drifted (say, a vote
   * stored while its ack failed). Counts that moved while the recount ran, or have votes still
   * being stored, are left for next time. Resolves with the number of counts corrected.
   */
  async reconcile(): Promise<number> {
    this.uncertain = false;
    const before = new Map(this.epochs);
    const counts = await countVotesByIdea();
    await this.countMergedOnce(counts);
    let corrected = 0;
    for (const entry of this.board.entries()) {
      if ((this.epochs.get(entry.id) ?? 0) !== (before.get(entry.id) ?? 0) || this.inFlight.has(entry.id)) continue;
      const stored = counts.get(entry.id) ?? 0;
      if (stored !== entry.votes) {
        this.moveCount(entry.id, stored - entry.votes);
        corrected++;
      }
    }
    return corrected;
  }

  /** An idea with duplicates merged in counts their voters once: its stored count is the union's. */
  private async countMergedOnce(counts: Map<string, number>): Promise<void> {
    const holders = [...this.board.entries()].filter((entry) => this.board.duplicatesOf(entry.id).size > 0).map((entry) => entry.id);
    if (holders.length === 0) return;
    const groupOf = new Map(holders.flatMap((holder) => this.board.groupOf(holder).map((id) => [id, holder] as const)));
    const votes = await Vote.find({ idea: { $in: [...groupOf.keys()].map((id) => new Types.ObjectId(id)) } }, { idea: 1, voter: 1 }).lean();
    const voters = new Map(holders.map((holder) => [holder, new Set<string>()]));
    for (const vote of votes) voters.get(groupOf.get(vote.idea.toString())!)!.add(vote.voter.toString());
    for (const [holder, set] of voters) counts.set(holder, set.size);
  }

  get needsRecount(): boolean {
    return this.uncertain;
  }

  private recordMove(move: VoteMove): void {
    if (move.delta > 0) {
      this.record(move.voterId, move.ideaId, move.voteId);
      this.board.noteActivity(move.ideaId, Date.now());
    }
    else this.forget(move.voterId, move.ideaId);
  }

  /** A stored vote: with its _id when known, which a vote recorded before with its _id keeps. */
  private record(voterId: string, ideaId: string, voteId: string | null): void {
    let ballot = this.ballots.get(voterId);
    if (!ballot) this.ballots.set(voterId, (ballot = new Map()));
    if (voteId === null && ballot.has(ideaId)) return;
    let key = this.ideaIdKeys.get(ideaId);
    if (key === undefined) this.ideaIdKeys.set(ideaId, (key = ideaId));
    ballot.set(key, voteId);
  }

  private forget(voterId: string, ideaId: string): void {
    const ballot = this.ballots.get(voterId);
    if (!ballot) return;
    ballot.delete(ideaId);
    if (ballot.size === 0) this.ballots.delete(voterId);
  }

  private moveCount(ideaId: string, delta: number): void {
    if (this.board.moveCount(ideaId, delta)) this.bumpEpoch(ideaId);
  }

  private bumpEpoch(ideaId: string): void {
    this.epochs.set(ideaId, (this.epochs.get(ideaId) ?? 0) + 1);
  }

  private votesOf(ideaId: string): number {
    return this.board.get(this.board.holderOf(ideaId))?.votes ?? 0;
  }
}

async function countVotesByIdea(): Promise<Map<string, number>> {
  const rows = await Vote.aggregate<{ _id: Types.ObjectId; n: number }>([{ $group: { _id: '$idea', n: { $sum: 1 } } }]);
  return new Map(rows.map((r) => [r._id.toString(), r.n]));
}
