import { User, Vote, VoteVoid } from '../../models/index.js';
import type { VoteMove } from '../../realtime/events.js';
import type { BoardState } from './board-state.js';

/** What this server knows of one person's vote on one idea. */
export type Ballot =
  | { readonly kind: 'none' }
  /** Stored, with the Vote document's _id: a retraction deletes by it. */
  | { readonly kind: 'stored'; readonly voteId: string }
  /** Stored, but the _id is not known here: the database said so when this server tried to store it. */
  | { readonly kind: 'stored-id-unknown' };

const NO_BALLOT: Ballot = { kind: 'none' };
const STORED_ID_UNKNOWN: Ballot = { kind: 'stored-id-unknown' };

/**
 * Who voted for what, and which voters are members: the vote ledger (`vote-ledger.ts`) records each
 * stored vote here and derives the counts from it. On an idea with duplicates merged into it, a
 * ballot for any idea of the merge counts once for the idea.
 */
export class Ballots {
  /**
   * Per person, the ideas they have a stored vote on and that vote's _id (null: not known here).
   * "Voted by me" and retractions read this instead of searching the votes: the embedded FerretDB
   * filters anything but `_id` outside SQLite, so one such search reads every vote (seconds at 200k
   * votes). A bare value per vote rather than a Ballot: each object is one more for every major GC to mark.
   */
  private readonly byVoter = new Map<string, Map<string, string | null>>();
  /**
   * One string per idea id for the ballots' keys: each vote arrives with its own copy of the id, and
   * at 200k votes those copies were 200k objects that every major GC had to mark.
   */
  private readonly ideaIdKeys = new Map<string, string>();
  /**
   * The voters who are members. Whether a person is a member never changes (a guest who signs up
   * becomes a new member and their votes move over), so this only grows: from the users at start,
   * and from each member's vote, here or on another server.
   */
  private readonly members = new Set<string>();
  /**
   * Votes staff voided under a flag (moderation/vote-flags.ts), by _id: how many flags void each. A
   * voided vote stays stored and on its voter's ballot (so "voted by me" stays true, and the voter can
   * still withdraw it, but not cast it twice), and counts nowhere: not in tallies, rankings or results.
   */
  private readonly voided = new Map<string, { ideaId: string; flags: number }>();
  /** Per idea, its voided votes still stored: what results say were voided. */
  private readonly voidedPerIdea = new Map<string, number>();

  constructor(private readonly board: BoardState) {}

  /** Reads the members, the voids and every vote; resolves with each idea's count of ballots that count. */
  async load(merges: ReadonlyMap<string, string>): Promise<Map<string, number>> {
    this.byVoter.clear();
    this.ideaIdKeys.clear();
    this.members.clear();
    this.voided.clear();
    this.voidedPerIdea.clear();
    const voids = new Map<string, number>();
    for (const row of await VoteVoid.find({}, { vote: 1 }).lean()) voids.set(row.vote.toString(), (voids.get(row.vote.toString()) ?? 0) + 1);
    for (const user of await User.find({ kind: 'member' }, { _id: 1 }).lean()) this.members.add(user._id.toString());
    const cursor = Vote.find({}, { idea: 1, voter: 1 }).lean().batchSize(10_000).cursor();
    for await (const vote of cursor) {
      const ideaId = vote.idea.toString();
      const voteId = vote._id.toString();
      this.record(vote.voter.toString(), ideaId, voteId);
      // Voids of votes withdrawn since count for nothing: only stored votes are voided here.
      const flags = voids.size > 0 ? voids.get(voteId) : undefined;
      if (flags) this.addVoid(voteId, ideaId, flags);
      // A vote's _id holds when it was cast: trending weighs it by its age.
      this.board.rankings.noteActivity(ideaId, vote._id.getTimestamp().getTime());
    }
    const counts = new Map<string, number>();
    for (const ballot of this.byVoter.values()) {
      for (const [ideaId, voteId] of ballot) if (!this.isVoided(voteId)) counts.set(ideaId, (counts.get(ideaId) ?? 0) + 1);
    }
    // An idea with duplicates merged into it counts each of their voters once.
    for (const holder of new Set(merges.values())) counts.set(holder, this.unionCount(this.board.groupOf(holder)));
    return counts;
  }

  isVoided(voteId: string | null | undefined): boolean {
    return voteId != null && this.voided.has(voteId);
  }

  /** Voided votes of these ideas that are still stored. */
  voidedCount(ideaIds: readonly string[]): number {
    let n = 0;
    for (const id of ideaIds) n += this.voidedPerIdea.get(id) ?? 0;
    return n;
  }

  /**
   * A flag voided (`flags` +1) or unvoided (−1) this stored vote. True when that changed whether it
   * counts: the first void of a vote on its voter's ballot, or the last unvoid.
   */
  moveVoid(voteId: string, voterId: string, ideaId: string, delta: 1 | -1): boolean {
    const ballot = this.byVoter.get(voterId);
    if (!ballot?.has(ideaId)) return false;
    const known = ballot.get(ideaId);
    if (known !== null && known !== voteId) return false;
    if (known === null) ballot.set(this.ideaIdKeys.get(ideaId) ?? ideaId, voteId);
    if (delta > 0) return this.addVoid(voteId, ideaId, 1);
    const entry = this.voided.get(voteId);
    if (!entry) return false;
    if (--entry.flags > 0) return false;
    this.dropVoid(voteId);
    return true;
  }

  private addVoid(voteId: string, ideaId: string, flags: number): boolean {
    const entry = this.voided.get(voteId);
    if (entry) {
      entry.flags += flags;
      return false;
    }
    this.voided.set(voteId, { ideaId, flags });
    this.voidedPerIdea.set(ideaId, (this.voidedPerIdea.get(ideaId) ?? 0) + 1);
    return true;
  }

  private dropVoid(voteId: string): void {
    const entry = this.voided.get(voteId);
    if (!entry) return;
    this.voided.delete(voteId);
    const left = (this.voidedPerIdea.get(entry.ideaId) ?? 1) - 1;
    if (left > 0) this.voidedPerIdea.set(entry.ideaId, left);
    else this.voidedPerIdea.delete(entry.ideaId);
  }

  /** Every voided vote's _id: a recount leaves them out. */
  voidedIds(): string[] {
    return [...this.voided.keys()];
  }

  ballotOf(voterId: string, ideaId: string): Ballot {
    const voteId = this.byVoter.get(voterId)?.get(ideaId);
    if (voteId === undefined) return NO_BALLOT;
    return voteId === null ? STORED_ID_UNKNOWN : { kind: 'stored', voteId };
  }

  /** A vote stored or withdrawn: the ballot follows it, and a cast counts as activity now. */
  recordMove(move: VoteMove): void {
    if (move.delta > 0) {
      this.record(move.voterId, move.ideaId, move.voteId);
      this.board.rankings.noteActivity(move.ideaId, Date.now());
    }
    else this.forget(move.voterId, move.ideaId);
  }

  /** A stored vote: with its _id when known, which a vote recorded before with its _id keeps. */
  record(voterId: string, ideaId: string, voteId: string | null): void {
    let ballot = this.byVoter.get(voterId);
    if (!ballot) this.byVoter.set(voterId, (ballot = new Map()));
    if (voteId === null && ballot.has(ideaId)) return;
    let key = this.ideaIdKeys.get(ideaId);
    if (key === undefined) this.ideaIdKeys.set(ideaId, (key = ideaId));
    ballot.set(key, voteId);
  }

  forget(voterId: string, ideaId: string): void {
    const ballot = this.byVoter.get(voterId);
    if (!ballot) return;
    const voteId = ballot.get(ideaId);
    if (voteId) this.dropVoid(voteId);
    ballot.delete(ideaId);
    if (ballot.size === 0) this.byVoter.delete(voterId);
  }

  /** Whether this voter counts on the idea's merge through another of its ideas (then a vote on this one moves nothing). */
  countedElsewhere(voterId: string, ideaId: string): boolean {
    // Every vote passes here: ideas in no merge (nearly all) cost two map lookups.
    if (!this.board.isMerged(ideaId) && this.board.duplicatesOf(ideaId).size === 0) return false;
    const ballot = this.byVoter.get(voterId);
    return ballot !== undefined && this.board.groupOf(ideaId).some((id) => id !== ideaId && ballot.has(id));
  }

  /** People with a ballot on any of these ideas, each once. */
  unionCount(ideaIds: string[]): number {
    let votes = 0;
    for (const ballot of this.byVoter.values()) if (ideaIds.some((id) => ballot.has(id) && !this.isVoided(ballot.get(id)))) votes++;
    return votes;
  }

  /** An idea's votes counted from the ballots in memory: for ideas off the board, which have no live count. */
  ballotCount(ideaId: string): number {
    return this.unionCount([ideaId, ...this.board.duplicatesOf(ideaId)]);
  }

  /** Everyone with a stored vote on any of these ideas (to tell them what became of it). */
  votersOf(ideaIds: string[]): string[] {
    const voters: string[] = [];
    for (const [voterId, ballot] of this.byVoter) if (ideaIds.some((id) => ballot.has(id))) voters.push(voterId);
    return voters;
  }

  /** The ideas this person has voted on (ids from this board's memory, no database read). */
  votedBy(voterId: string, ideaIds: string[]): Set<string> {
    const ballot = this.byVoter.get(voterId);
    // On an idea with duplicates merged in, a vote for any of them counts as one for it.
    if (!ballot) return new Set();
    const hasDuplicate = (id: string) => {
      for (const duplicate of this.board.duplicatesOf(id)) if (ballot.has(duplicate)) return true;
      return false;
    };
    return new Set(ideaIds.filter((id) => ballot.has(id) || hasDuplicate(id)));
  }

  /** The duplicates merged into this idea that this person has a vote on. */
  duplicatesVotedBy(ideaId: string, voterId: string): string[] {
    const ballot = this.byVoter.get(voterId);
    return ballot ? [...this.board.duplicatesOf(ideaId)].filter((duplicate) => ballot.has(duplicate)) : [];
  }

  /** The ideas this person has a vote on: a guest's, to move to the member they became. */
  ideasVotedBy(voterId: string): string[] {
    return [...(this.byVoter.get(voterId)?.keys() ?? [])];
  }

  /** This voter is a member: their votes count as members' in the split staff see. */
  markMember(voterId: string): void {
    this.members.add(voterId);
  }

  isMember(voterId: string): boolean {
    return this.members.has(voterId);
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
}
