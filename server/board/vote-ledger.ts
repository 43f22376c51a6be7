import type { PersonHints } from '../platform/person-hints.js';
import { Types } from 'mongoose';
import { Idea, Vote } from '../../models/index.js';
import type { SyncedIdea, VoidMove, VoteMove } from '../../realtime/events.js';
import { Ballots, type Ballot } from './ballots.js';
import type { BoardState, IdeaEntry } from './board-state.js';
import { IDEA_FIELDS, syncedIdea } from './idea-document.js';

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
  /** `doubtful`: the vote is gone, but a batch that deleted only some of its votes cannot say it was by this write. */
  | { readonly kind: 'deleted'; readonly doubtful?: true }
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
 * Every vote count's way through memory, beside the ballots (`ballots.ts`) that say who voted for
 * what. A vote entering moves its idea's count at once (watchers see it on the next tick while it is
 * stored); settling it with the database's answer keeps that count or takes it back, and records the
 * ballot. Counts are derived from the Vote documents (read at start, then moved only by votes this
 * process stored or that other servers report) and checked against the database by `reconcile`; no
 * count is ever stored.
 */
export class VoteLedger {
  /** Per idea, votes counted ahead while the database is still storing or deleting them. */
  private readonly inFlight = new Map<string, number>();
  /** Bumped on every change to a count, so a recount can tell which counts moved while it read. */
  private readonly epochs = new Map<string, number>();
  /**
   * Set when a vote's write failed without saying whether it was stored: alone, a server's counts can
   * differ from the database only after that (with several servers, also after a lost sync message).
   */
  private uncertain = false;
  private leftForLater = 0;
  /** Who voted for what: the counts derive from it. */
  readonly ballots: Ballots;

  constructor(private readonly board: BoardState) {
    this.ballots = new Ballots(board);
  }

  /** Reads every idea and every vote once: the ballots come from the votes, and the counts from the ballots (authors go to `hints`). */
  async load(hints: Pick<PersonHints, 'follow'>): Promise<void> {
    await this.board.load((merges) => this.ballots.load(merges), hints);
  }

  /** A vote comes in: a cast this server has no record of, or a retraction of one it has, counts at once. */
  enter(ideaId: string, voterId: string, delta: 1 | -1): VoteEntry {
    const ballot = this.ballots.ballotOf(voterId, ideaId);
    const countedAhead = (ballot.kind === 'none') === (delta > 0);
    // Withdrawing a voided vote takes nothing off: it did not count.
    const counts = countedAhead && !this.ballots.countedElsewhere(voterId, ideaId) && !(ballot.kind === 'stored' && this.ballots.isVoided(ballot.voteId));
    const counted = { holder: this.board.holderOf(ideaId), delta: counts ? delta : 0 };
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
      case 'deleted':
        // Counted as withdrawn, then checked against the database: a recount corrects any drift.
        if (outcome.doubtful) this.uncertain = true;
        break;
      case 'failed':
        this.uncertain = true;
        return { move: null, votes: this.votesOf(ideaId) };
      case 'already-stored':
        this.ballots.record(voterId, ideaId, null);
        return { move: null, votes: this.votesOf(ideaId) };
      case 'nothing-to-delete':
        this.ballots.forget(voterId, ideaId);
        return { move: null, votes: this.votesOf(ideaId) };
    }
    const move: VoteMove = { ideaId, voterId, voteId: outcome.kind === 'stored' ? outcome.voteId : null, delta, ...(this.ballots.isMember(voterId) ? { member: true as const } : {}) };
    if (entry.countedAhead) this.ballots.recordMove(move);
    else this.apply(move);
    return { move, votes: entry.countedAhead ? entry.votes : this.votesOf(ideaId) };
  }

  /**
   * Another server counted a vote as it came in: it counts here too, where this server's ballots agree,
   * until its move or its undo arrives (`dropAhead`); meanwhile a recount leaves the idea alone.
   * Resolves with the idea whose count moved, or null.
   */
  countAhead(ideaId: string, voterId: string, delta: 1 | -1): string | null {
    const ballot = this.ballots.ballotOf(voterId, ideaId);
    if ((ballot.kind === 'none') !== (delta > 0) || this.ballots.countedElsewhere(voterId, ideaId)) return null;
    if (ballot.kind === 'stored' && this.ballots.isVoided(ballot.voteId)) return null;
    const holder = this.board.holderOf(ideaId);
    this.inFlight.set(ideaId, (this.inFlight.get(ideaId) ?? 0) + 1);
    this.moveCount(holder, delta);
    return holder;
  }

  dropAhead(ideaId: string, holder: string, delta: 1 | -1): void {
    const left = (this.inFlight.get(ideaId) ?? 1) - 1;
    if (left > 0) this.inFlight.set(ideaId, left);
    else this.inFlight.delete(ideaId);
    this.bumpEpoch(ideaId);
    this.moveCount(holder, -delta);
  }

  /** A vote stored or withdrawn, here or on another server: its ballot and its count move together. */
  apply(move: VoteMove): void {
    if (move.member) this.ballots.markMember(move.voterId);
    const withdrawn = move.delta < 0 ? this.ballots.ballotOf(move.voterId, move.ideaId) : null;
    const voided = withdrawn?.kind === 'stored' && this.ballots.isVoided(withdrawn.voteId);
    const delta = voided || this.ballots.countedElsewhere(move.voterId, move.ideaId) ? 0 : move.delta;
    this.ballots.recordMove(move);
    this.moveCount(this.board.holderOf(move.ideaId), delta);
  }

  /**
   * Staff voided (or unvoided) votes under a flag, here or on another server: they stop (or start again)
   * counting, on the idea's card and wherever its count is read (rankings, live results). Resolves
   * with how many votes changed whether they count.
   */
  applyVoids({ ideaId, voided, votes }: VoidMove): number {
    let moved = 0;
    for (const { voteId, voterId } of votes) if (this.ballots.moveVoid(voteId, voterId, ideaId, voided ? 1 : -1)) moved++;
    if (moved === 0) return 0;
    const holder = this.board.holderOf(ideaId);
    if (holder !== ideaId || this.board.duplicatesOf(ideaId).size > 0) this.recountGroup(holder);
    else if (this.board.get(ideaId)) this.moveCount(ideaId, voided ? -moved : moved);
    this.bumpEpoch(ideaId);
    return moved;
  }

  /** Voided votes still stored on an idea and the duplicates merged into it. */
  voidedOf(ideaId: string): number {
    return this.ballots.voidedCount(this.board.groupOf(ideaId));
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
    if (entry) this.moveCount(holder, this.ballots.unionCount(this.board.groupOf(holder)) - entry.votes);
  }

  /** Puts a hidden idea back on the board with the votes its ballots hold: they stayed while it was off. */
  restoreIdea(idea: SyncedIdea): IdeaEntry {
    return this.board.restoreIdea(idea, this.ballots.ballotCount(idea.id));
  }

  /**
   * Recounts every idea's votes in the database and corrects counts that drifted (say, a vote
   * stored while its ack failed). Counts that moved while the recount ran, or have votes still
   * being stored, are left for next time. Resolves with the number of counts corrected.
   */
  async reconcile(): Promise<number> {
    this.uncertain = false;
    const before = new Map(this.epochs);
    const counts = await countVotesByIdea(this.ballots.voidedIds());
    await this.countMergedOnce(counts);
    let corrected = 0;
    this.leftForLater = 0;
    for (const entry of this.board.entries()) {
      if ((this.epochs.get(entry.id) ?? 0) !== (before.get(entry.id) ?? 0) || this.inFlight.has(entry.id)) {
        this.leftForLater++;
        continue;
      }
      const stored = counts.get(entry.id) ?? 0;
      if (stored !== entry.votes) {
        this.moveCount(entry.id, stored - entry.votes);
        corrected++;
      }
    }
    return corrected;
  }

  /**
   * After this server missed the other servers' news (Redis was away): ideas put on the board or taken
   * off meanwhile, as the database has them, then a recount. Ideas this server changed while it read
   * are left as they are. Resolves with what changed, for this server's screens.
   */
  async catchUp(): Promise<{ added: IdeaEntry[]; removed: IdeaEntry[]; corrected: number }> {
    const known = new Set([...this.board.entries()].map((entry) => entry.id));
    const docs = await Idea.find({ status: 'published' }, IDEA_FIELDS).lean();
    const published = new Set<string>();
    const added: IdeaEntry[] = [];
    for (const doc of docs) {
      if (doc.mergedInto) continue;
      const idea = syncedIdea(doc);
      published.add(idea.id);
      if (!known.has(idea.id) && !this.board.get(idea.id) && !this.board.isMerged(idea.id)) added.push(this.restoreIdea(idea));
    }
    const removed = [...known].filter((id) => !published.has(id)).flatMap((id) => this.board.removeIdea(id) ?? []);
    return { added, removed, corrected: await this.reconcile() };
  }

  /** An idea with duplicates merged in counts their voters once: its stored count is the union's. */
  private async countMergedOnce(counts: Map<string, number>): Promise<void> {
    const holders = [...this.board.entries()].filter((entry) => this.board.duplicatesOf(entry.id).size > 0).map((entry) => entry.id);
    if (holders.length === 0) return;
    const groupOf = new Map(holders.flatMap((holder) => this.board.groupOf(holder).map((id) => [id, holder] as const)));
    const votes = await Vote.find({ idea: { $in: [...groupOf.keys()].map((id) => new Types.ObjectId(id)) } }, { idea: 1, voter: 1 }).lean();
    const voters = new Map(holders.map((holder) => [holder, new Set<string>()]));
    for (const vote of votes) if (!this.ballots.isVoided(vote._id.toString())) voters.get(groupOf.get(vote.idea.toString())!)!.add(vote.voter.toString());
    for (const [holder, set] of voters) counts.set(holder, set.size);
  }

  /** Counts the last recount left for next time: they moved while it read. */
  get leftByLastRecount(): number {
    return this.leftForLater;
  }

  get needsRecount(): boolean {
    return this.uncertain;
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

/** Every idea's stored votes that count: voided ones left out. */
async function countVotesByIdea(voided: string[]): Promise<Map<string, number>> {
  const match = voided.length ? [{ $match: { _id: { $nin: voided.map((id) => new Types.ObjectId(id)) } } }] : [];
  const rows = await Vote.aggregate<{ _id: Types.ObjectId; n: number }>([...match, { $group: { _id: '$idea', n: { $sum: 1 } } }]);
  return new Map(rows.map((r) => [r._id.toString(), r.n]));
}
