import { Types } from 'mongoose';
import { Vote } from '../../models/index.js';
import type { VoteResult } from '../../realtime/schemas/board.js';
import type { BoardState } from './board-state.js';
import { HttpError } from '../platform/errors.js';
import { KeyedQueue } from '../platform/keyed-queue.js';
import { log } from '../platform/log.js';
import type { StoreOutcome, VoteEntry, VoteLedger } from './vote-ledger.js';
import type { VoteWriter } from './vote-writer.js';
import type { Publisher } from '../platform/bus.js';
import type { BoardEvents } from './events.js';
import type { VoteMove } from '../../realtime/events.js';
import type { Provenance } from '../platform/provenance.js';

const ALREADY_STORED: StoreOutcome = { kind: 'already-stored' };
const DELETED: StoreOutcome = { kind: 'deleted' };
const GONE: StoreOutcome = { kind: 'deleted', doubtful: true };
const NOTHING_TO_DELETE: StoreOutcome = { kind: 'nothing-to-delete' };
const FAILED: StoreOutcome = { kind: 'failed' };

/**
 * Casting and retracting. Operations on one (idea, voter) pair run in order; repeated identical
 * requests in flight share one database write. Each vote enters the ledger (which counts it ahead
 * of the store), goes to the database, and is settled with the database's answer: the ack waits for
 * it, and other servers hear of a vote that was stored or withdrawn.
 */
export class VoteService {
  private readonly pairs = new KeyedQueue();

  constructor(
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
    private readonly writer: VoteWriter,
    private readonly events: Publisher<BoardEvents>,
    private readonly clustered: boolean,
  ) {}

  cast(ideaId: string, userId: string, member = false, origin: Provenance | null = null): Promise<VoteResult> {
    this.requireIdea(ideaId);
    this.writer.admit();
    if (member) this.ledger.ballots.markMember(userId);
    return this.castAny(ideaId, userId, origin);
  }

  /**
   * While duplicates are merged into this idea, a vote given to one of them counts here: taking the
   * vote back here takes that one back too, or the person would stay counted with no way out.
   */
  retract(ideaId: string, userId: string): Promise<VoteResult> {
    this.requireIdea(ideaId);
    this.writer.admitRemoval();
    // Queued as one step under this pair, so a cast sent after it cannot slip in between.
    return this.pairs.run(`${ideaId}:${userId}`, 'retract', async () => {
      for (const duplicate of this.ledger.ballots.duplicatesVotedBy(ideaId, userId)) await this.retractAny(duplicate, userId);
      return this.withdraw(ideaId, userId);
    }, true);
  }

  /**
   * A guest became a member: each of the guest's votes becomes the member's, on the board or off it.
   * The member's vote is cast first, so an idea both had voted for keeps one vote (the unique index
   * finds the member's stored already) and loses the guest's; no count is ever incremented by hand.
   */
  async transfer(fromId: string, toId: string): Promise<void> {
    this.ledger.ballots.markMember(toId);
    for (const ideaId of this.ledger.ballots.ideasVotedBy(fromId)) {
      await this.castAny(ideaId, toId);
      await this.retractAny(ideaId, fromId);
    }
  }

  private castAny(ideaId: string, userId: string, origin: Provenance | null = null): Promise<VoteResult> {
    return this.pairs.run(`${ideaId}:${userId}`, 'cast', async () => {
      const entry = this.enter(ideaId, userId, 1);
      return this.settle(entry, await this.insert(entry, origin), 'Your vote could not be saved. Please try again.', origin);
    }, true);
  }

  private retractAny(ideaId: string, userId: string): Promise<VoteResult> {
    return this.pairs.run(`${ideaId}:${userId}`, 'retract', () => this.withdraw(ideaId, userId), true);
  }

  /** Inside the pair's queue. */
  private async withdraw(ideaId: string, userId: string): Promise<VoteResult> {
    const entry = this.enter(ideaId, userId, -1);
    return this.settle(entry, await this.delete(entry), 'Your vote could not be withdrawn. Please try again.');
  }

  /** Counts the vote at once, and tells the other servers so their screens need not wait for the store. */
  private enter(ideaId: string, voterId: string, delta: 1 | -1): VoteEntry {
    const entry = this.ledger.enter(ideaId, voterId, delta);
    if (entry.counted.delta !== 0) this.events.publish('vote:ahead', { ideaId, voterId, delta });
    return entry;
  }

  private settle(entry: VoteEntry, outcome: StoreOutcome, failure: string, origin: Provenance | null = null): VoteResult {
    const { move, votes } = this.ledger.settle(entry, outcome);
    if (entry.counted.delta !== 0 && !move) this.events.publish('vote:ahead', { ideaId: entry.ideaId, voterId: entry.voterId, delta: entry.delta, undo: true });
    if (outcome.kind === 'failed') throw new HttpError('UNAVAILABLE', failure);
    if (move) this.events.publish('vote:moved', origin ? withOrigin(move, origin) : move);
    return { ideaId: entry.ideaId, votes, votedByMe: entry.delta > 0 };
  }

  private async insert({ ideaId, voterId }: VoteEntry, origin: Provenance | null): Promise<StoreOutcome> {
    try {
      const voteId = await this.writer.insert(new Types.ObjectId(ideaId), new Types.ObjectId(voterId), origin);
      return voteId === null ? ALREADY_STORED : { kind: 'stored', voteId };
    } catch (error) {
      log.error({ err: error, ideaId }, 'storing a vote failed');
      return FAILED;
    }
  }

  private async delete(entry: VoteEntry): Promise<StoreOutcome> {
    try {
      return await this.deleteVote(entry);
    } catch (error) {
      log.error({ err: error, ideaId: entry.ideaId }, 'deleting a vote failed');
      return FAILED;
    }
  }

  /**
   * By _id when this server knows it (the one filter the embedded FerretDB hands to SQLite), in the
   * writer's batches; by {idea, voter} when only the vote is known, or when the known _id was not
   * there (replaced elsewhere). Alone, a server knows every vote (loaded at start, then every write is
   * its own), so a vote its ballots lack is not searched for; with several servers another may have
   * stored it a moment ago.
   */
  private async deleteVote({ ideaId, voterId, ballot }: VoteEntry): Promise<StoreOutcome> {
    if (ballot.kind === 'none' && !this.clustered) return NOTHING_TO_DELETE;
    const byId = ballot.kind === 'stored' ? await this.writer.remove(new Types.ObjectId(ballot.voteId)) : 'absent';
    if (byId === 'deleted') return DELETED;
    // Alone, nothing else replaces a vote: no need to search the pair (a scan on FerretDB) for each vote of the batch.
    if (byId === 'gone' && !this.clustered) return GONE;
    const byPair = await Vote.deleteOne({ idea: new Types.ObjectId(ideaId), voter: new Types.ObjectId(voterId) });
    if ((byPair.deletedCount ?? 0) > 0) return DELETED;
    return byId === 'gone' ? GONE : NOTHING_TO_DELETE;
  }

  private requireIdea(ideaId: string): void {
    if (!this.state.get(ideaId)) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
  }
}

/** A guest identity younger than this is fresh: the burst detector watches what fresh sessions do. */
export const FRESH_MS = 60_000;

/** What the burst detector (moderation/vote-bursts.ts) needs of a cast's provenance, and no more. */
function withOrigin(move: VoteMove, origin: Provenance): VoteMove {
  if (move.delta < 0) return move;
  move.network = origin.network;
  if (origin.kind === 'guest' && origin.age < FRESH_MS) move.fresh = true;
  return move;
}
