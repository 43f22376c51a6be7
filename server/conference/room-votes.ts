import { Types, type mongo } from 'mongoose';
import { RoomVote } from '../../models/index.js';
import type { RoomVoteMove } from '../../realtime/events.js';
import type { Publisher } from '../platform/bus.js';
import { HttpError } from '../platform/errors.js';
import { FactWriter, type DeleteOutcome, type GroupCommitOptions } from '../platform/group-commit.js';
import { KeyedQueue } from '../platform/keyed-queue.js';
import { log } from '../platform/log.js';
import type { Provenance } from '../platform/provenance.js';
import type { ConferenceEvents } from './events.js';
import { RoomBallots } from './room-ballots.js';

interface RoomVoteDoc {
  _id: Types.ObjectId;
  session: string;
  round: number;
  idea: Types.ObjectId;
  voter: Types.ObjectId;
  origin: Provenance | null;
  createdAt: Date;
}

/** A guest identity younger than this is fresh (as for board votes). */
const FRESH_MS = 60_000;

/**
 * The room's votes: a vote cast with a session's code counts in that session's round only, once per
 * person and idea. Stored as board votes are (group commit, insert-only under the unique
 * {session, round, idea, voter} index, retractions deleted by _id in batches), with one writer per
 * (round, idea, voter) in this process; the count moves once the database has it, and the ack waits for
 * it. Other servers hear of each move.
 */
export class RoomVotes {
  readonly ballots = new RoomBallots();
  readonly writer: FactWriter<RoomVoteDoc>;
  private readonly pairs = new KeyedQueue();

  constructor(
    private readonly events: Publisher<ConferenceEvents>,
    private readonly clustered: boolean,
    options: GroupCommitOptions = {},
  ) {
    this.writer = new FactWriter(() => RoomVote.collection as unknown as mongo.Collection<RoomVoteDoc>, options);
  }

  async load(): Promise<void> {
    const docs = await RoomVote.find({}, { session: 1, round: 1, idea: 1, voter: 1, origin: 1 }).lean();
    this.ballots.load(docs.map((doc) => ({ session: doc.session, round: doc.round, idea: doc.idea.toString(), voter: doc.voter.toString(), voteId: doc._id.toString(), member: doc.origin?.kind === 'member' })));
  }

  /** Resolves with the idea's room count once the vote is stored (or found stored already). */
  cast(code: string, round: number, ideaId: string, voter: { id: string; kind: string }, origin: Provenance | null): Promise<number> {
    return this.pairs.run(`${code}:${round}:${ideaId}:${voter.id}`, 'cast', async () => {
      if (this.ballots.ballotOf(code, round, ideaId, voter.id) !== undefined) return this.ballots.count(code, round, ideaId);
      this.writer.admit();
      const member = voter.kind === 'member';
      const doc: RoomVoteDoc = { _id: new Types.ObjectId(), session: code, round, idea: new Types.ObjectId(ideaId), voter: new Types.ObjectId(voter.id), origin, createdAt: new Date() };
      let stored: string | null;
      try {
        stored = await this.writer.store(doc);
      } catch (error) {
        log.error({ err: error, code, ideaId }, 'storing a room vote failed');
        throw new HttpError('UNAVAILABLE', 'Your vote could not be saved. Please try again.');
      }
      // Null: stored already (another server a moment ago); its news brings the id.
      const move: RoomVoteMove = { code, round, ideaId, voterId: voter.id, voteId: stored, delta: 1, ...(member ? { member: true as const } : {}) };
      this.ballots.apply(move);
      if (stored) this.events.publish('room:voted', withOrigin(move, origin));
      return this.ballots.count(code, round, ideaId);
    }, true);
  }

  /** Resolves with the idea's room count once the vote is deleted (or found gone). */
  retract(code: string, round: number, ideaId: string, voterId: string): Promise<number> {
    return this.pairs.run(`${code}:${round}:${ideaId}:${voterId}`, 'retract', async () => {
      const known = this.ballots.ballotOf(code, round, ideaId, voterId);
      // Alone, a server knows every room vote; with several, another may have stored it a moment ago.
      if (known === undefined && !this.clustered) return this.ballots.count(code, round, ideaId);
      this.writer.admitRemoval();
      let outcome: DeleteOutcome = 'absent';
      try {
        if (known) outcome = await this.writer.remove(new Types.ObjectId(known));
        // By the pair when the id is not known here, or was not there (replaced on another server); alone,
        // a vote its batch cannot vouch for is gone all the same, and nothing else could have replaced it.
        if (outcome === 'absent' || (outcome === 'gone' && this.clustered)) {
          const byPair = await RoomVote.deleteOne({ session: code, round, idea: new Types.ObjectId(ideaId), voter: new Types.ObjectId(voterId) });
          if ((byPair.deletedCount ?? 0) > 0) outcome = 'deleted';
        }
      } catch (error) {
        log.error({ err: error, code, ideaId }, 'deleting a room vote failed');
        throw new HttpError('UNAVAILABLE', 'Your vote could not be withdrawn. Please try again.');
      }
      const move: RoomVoteMove = { code, round, ideaId, voterId, voteId: known ?? null, delta: -1 };
      this.ballots.apply(move);
      // Gone without saying by whom: telling the others again is harmless, as a move is applied once.
      if (outcome !== 'absent') this.events.publish('room:voted', move);
      return this.ballots.count(code, round, ideaId);
    }, true);
  }

  /** A move another server made. */
  follow(move: RoomVoteMove): void {
    this.ballots.apply(move);
  }

  /** A draft deleted (it has no votes: drafts take none). */
  forget(code: string): void {
    this.ballots.forget(code);
  }
}

function withOrigin(move: RoomVoteMove, origin: Provenance | null): RoomVoteMove {
  if (!origin) return move;
  move.network = origin.network;
  if (origin.kind === 'guest' && origin.age < FRESH_MS) move.fresh = true;
  return move;
}
