import { Types } from 'mongoose';
import { Vote } from '../models/index.js';
import type { VoteResult } from '../realtime/schemas.js';
import type { BoardState } from './board-state.js';
import { HttpError } from './errors.js';
import { KeyedQueue } from './keyed-queue.js';
import type { VoteWriter } from './vote-writer.js';

export interface VoteEvents {
  votesMoved(ideaId: string, delta: number): void;
}

/**
 * Casting and retracting. Operations on one (idea, voter) pair run in order; repeated identical
 * requests in flight share one database write. The database decides what happened (the unique
 * index on insert, the deleted count on delete) and only that moves the in-memory count.
 */
export class VoteService {
  private readonly pairs = new KeyedQueue();

  constructor(
    private readonly state: BoardState,
    private readonly writer: VoteWriter,
    private readonly events: VoteEvents,
  ) {}

  cast(ideaId: string, userId: string): Promise<VoteResult> {
    this.requireIdea(ideaId);
    return this.pairs.run(`${ideaId}:${userId}`, 'cast', async () => {
      let inserted: boolean;
      try {
        inserted = await this.writer.insert(new Types.ObjectId(ideaId), new Types.ObjectId(userId));
      } catch {
        throw new HttpError('UNAVAILABLE', 'Your vote could not be saved. Please try again.');
      }
      if (inserted) this.moved(ideaId, +1);
      return this.result(ideaId, true);
    }, true);
  }

  retract(ideaId: string, userId: string): Promise<VoteResult> {
    this.requireIdea(ideaId);
    return this.pairs.run(`${ideaId}:${userId}`, 'retract', async () => {
      let deleted: number;
      try {
        const outcome = await Vote.deleteOne({ idea: new Types.ObjectId(ideaId), voter: new Types.ObjectId(userId) });
        deleted = outcome.deletedCount ?? 0;
      } catch {
        throw new HttpError('UNAVAILABLE', 'Your vote could not be withdrawn. Please try again.');
      }
      if (deleted > 0) this.moved(ideaId, -deleted);
      return this.result(ideaId, false);
    }, true);
  }

  private moved(ideaId: string, delta: number): void {
    this.state.applyVoteDelta(ideaId, delta);
    this.events.votesMoved(ideaId, delta);
  }

  private requireIdea(ideaId: string): void {
    if (!this.state.get(ideaId)) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
  }

  private result(ideaId: string, votedByMe: boolean): VoteResult {
    return { ideaId, votes: this.state.get(ideaId)?.votes ?? 0, votedByMe };
  }
}
