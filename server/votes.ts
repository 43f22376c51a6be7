import { Types } from 'mongoose';
import { Vote } from '../models/index.js';
import type { VoteResult } from '../realtime/schemas.js';
import type { VoteMove } from '../realtime/events.js';
import type { BoardState } from './board-state.js';
import { HttpError } from './errors.js';
import { KeyedQueue } from './keyed-queue.js';
import type { VoteWriter } from './vote-writer.js';

export interface VoteEvents {
  voteMoved(move: VoteMove): void;
}

/**
 * Casting and retracting. Operations on one (idea, voter) pair run in order; repeated identical
 * requests in flight share one database write. A vote this server has no record of counts at once,
 * so watchers see it on the next tick while it is being stored (a retraction of a known vote, the
 * same); the ack waits for the database, which decides what happened (the unique index on insert,
 * the deleted count on delete), and a count the database did not bear out is taken back.
 */
export class VoteService {
  private readonly pairs = new KeyedQueue();

  constructor(
    private readonly state: BoardState,
    private readonly writer: VoteWriter,
    private readonly events: VoteEvents,
    private readonly clustered: boolean,
  ) {}

  cast(ideaId: string, userId: string): Promise<VoteResult> {
    this.requireIdea(ideaId);
    return this.pairs.run(`${ideaId}:${userId}`, 'cast', async () => {
      const early = this.state.voteIdOf(userId, ideaId) === undefined;
      if (early) this.state.countAhead(ideaId, 1);
      const votesWithMine = this.votes(ideaId);
      let storedId: string | null;
      try {
        storedId = await this.writer.insert(new Types.ObjectId(ideaId), new Types.ObjectId(userId));
      } catch {
        if (early) this.state.settleAhead(ideaId, 1, false);
        this.state.markUncertain();
        throw new HttpError('UNAVAILABLE', 'Your vote could not be saved. Please try again.');
      }
      if (storedId === null) {
        // Already stored (another server, a moment ago): that server reports its own move.
        if (early) this.state.settleAhead(ideaId, 1, false);
        this.state.setBallot(userId, ideaId, null);
        return { ideaId, votes: this.votes(ideaId), votedByMe: true };
      }
      const move: VoteMove = { ideaId, voterId: userId, voteId: storedId, delta: 1 };
      if (early) {
        this.state.settleAhead(ideaId, 1, true);
        this.state.setBallot(userId, ideaId, storedId);
      } else this.state.applyVoteMove(move);
      this.events.voteMoved(move);
      return { ideaId, votes: early ? votesWithMine : this.votes(ideaId), votedByMe: true };
    }, true);
  }

  retract(ideaId: string, userId: string): Promise<VoteResult> {
    this.requireIdea(ideaId);
    return this.pairs.run(`${ideaId}:${userId}`, 'retract', async () => {
      const early = this.state.voteIdOf(userId, ideaId) !== undefined;
      if (early) this.state.countAhead(ideaId, -1);
      const votesWithoutMine = this.votes(ideaId);
      let deleted: number;
      try {
        deleted = await this.deleteVote(ideaId, userId);
      } catch {
        if (early) this.state.settleAhead(ideaId, -1, false);
        this.state.markUncertain();
        throw new HttpError('UNAVAILABLE', 'Your vote could not be withdrawn. Please try again.');
      }
      if (deleted === 0) {
        if (early) this.state.settleAhead(ideaId, -1, false);
        this.state.clearBallot(userId, ideaId);
        return { ideaId, votes: this.votes(ideaId), votedByMe: false };
      }
      const move: VoteMove = { ideaId, voterId: userId, voteId: null, delta: -1 };
      if (early) {
        this.state.settleAhead(ideaId, -1, true);
        this.state.clearBallot(userId, ideaId);
      } else this.state.applyVoteMove(move);
      this.events.voteMoved(move);
      return { ideaId, votes: early ? votesWithoutMine : this.votes(ideaId), votedByMe: false };
    }, true);
  }

  /**
   * By _id when this server knows it (the one filter the embedded FerretDB hands to SQLite); by
   * {idea, voter} when only the vote is known, or when the known _id is gone (replaced elsewhere).
   * Alone, a server knows every vote (loaded at start, then every write is its own), so a vote its
   * ballots lack is not searched for; with several servers another may have stored it a moment ago.
   */
  private async deleteVote(ideaId: string, userId: string): Promise<number> {
    const voteId = this.state.voteIdOf(userId, ideaId);
    if (voteId === undefined && !this.clustered) return 0;
    if (voteId) {
      const byId = await Vote.deleteOne({ _id: new Types.ObjectId(voteId) });
      if ((byId.deletedCount ?? 0) > 0) return byId.deletedCount;
    }
    const byPair = await Vote.deleteOne({ idea: new Types.ObjectId(ideaId), voter: new Types.ObjectId(userId) });
    return byPair.deletedCount ?? 0;
  }

  private requireIdea(ideaId: string): void {
    if (!this.state.get(ideaId)) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
  }

  private votes(ideaId: string): number {
    return this.state.get(ideaId)?.votes ?? 0;
  }
}
