import type { RoomVoteMove } from '../../realtime/events.js';
import type { Tallies } from '../../realtime/schemas/board.js';

/** One round's ballots: for each idea, its voters and their RoomVote ids (null: stored, id not known here). */
type RoundBallots = Map<string, Map<string, string | null>>;

const roundKey = (code: string, round: number) => `${code}#${round}`;

/**
 * The room's ballots, in memory on every server: who voted for what in each session's round. Read
 * once at start (FerretDB hands only `_id` filters to SQLite, so the votes are never searched), then
 * moved by the votes this server stores and those the others report. Counts are the ballots' sizes,
 * never stored; the tally ticker takes the ideas whose room counts changed.
 */
export class RoomBallots {
  private readonly rounds = new Map<string, RoundBallots>();
  private readonly members = new Set<string>();
  /** Per session, the ideas whose room count moved since the ticker last asked. */
  private changed = new Map<string, Set<string>>();

  load(votes: { session: string; round: number; idea: string; voter: string; voteId: string; member: boolean }[]): void {
    this.rounds.clear();
    for (const vote of votes) {
      this.ballotsOf(vote.session, vote.round, vote.idea, true)!.set(vote.voter, vote.voteId);
      if (vote.member) this.members.add(vote.voter);
    }
  }

  count(code: string, round: number, ideaId: string): number {
    return this.rounds.get(roundKey(code, round))?.get(ideaId)?.size ?? 0;
  }

  counts(code: string, round: number, ideaIds: Iterable<string>): Tallies {
    const counts: Tallies = {};
    for (const id of ideaIds) counts[id] = this.count(code, round, id);
    return counts;
  }

  /** undefined: no ballot; null: stored, its id not known here; else the RoomVote's id. */
  ballotOf(code: string, round: number, ideaId: string, voterId: string): string | null | undefined {
    return this.rounds.get(roundKey(code, round))?.get(ideaId)?.get(voterId);
  }

  votedBy(code: string, round: number, voterId: string, ideaIds: string[]): Set<string> {
    const ballots = this.rounds.get(roundKey(code, round));
    return new Set(ballots ? ideaIds.filter((id) => ballots.get(id)?.has(voterId)) : []);
  }

  /** Each idea's voters who are members: their groups break the final results down. */
  memberVoters(code: string, round: number, ideaIds: string[]): Map<string, string[]> {
    const ballots = this.rounds.get(roundKey(code, round));
    return new Map(ideaIds.map((id) => [id, [...(ballots?.get(id)?.keys() ?? [])].filter((voter) => this.members.has(voter))]));
  }

  markMember(voterId: string): void {
    this.members.add(voterId);
  }

  /** A vote stored or withdrawn, here or on another server; true when the count moved. */
  apply(move: RoomVoteMove): boolean {
    if (move.member) this.members.add(move.voterId);
    const ballots = this.ballotsOf(move.code, move.round, move.ideaId, move.delta > 0);
    if (!ballots) return false;
    const had = ballots.has(move.voterId);
    if (move.delta > 0) ballots.set(move.voterId, move.voteId ?? ballots.get(move.voterId) ?? null);
    else ballots.delete(move.voterId);
    if (had === move.delta > 0) return false;
    const ideas = this.changed.get(move.code) ?? new Set<string>();
    this.changed.set(move.code, ideas.add(move.ideaId));
    return true;
  }

  /** Each idea's votes in every room and round together: what /results shows beside the board's. */
  totals(ideaIds: readonly string[]): Map<string, number> {
    const totals = new Map<string, number>();
    for (const ballots of this.rounds.values()) {
      for (const id of ideaIds) {
        const n = ballots.get(id)?.size ?? 0;
        if (n > 0) totals.set(id, (totals.get(id) ?? 0) + n);
      }
    }
    return totals;
  }

  /** The ideas whose room counts moved since the last call, by session. */
  takeChanges(): Map<string, Set<string>> {
    const changed = this.changed;
    this.changed = new Map();
    return changed;
  }

  /** A draft deleted: its ballots go (a draft takes no votes, so there are none to speak of). */
  forget(code: string): void {
    for (const key of this.rounds.keys()) if (key.startsWith(`${code}#`)) this.rounds.delete(key);
  }

  private ballotsOf(code: string, round: number, ideaId: string, create: boolean): Map<string, string | null> | undefined {
    const key = roundKey(code, round);
    let ballots = this.rounds.get(key);
    if (!ballots && create) this.rounds.set(key, (ballots = new Map()));
    let voters = ballots?.get(ideaId);
    if (!voters && create) ballots!.set(ideaId, (voters = new Map()));
    return voters;
  }
}
