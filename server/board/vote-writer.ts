import { Types, type mongo } from 'mongoose';
import { Vote } from '../../models/index.js';
import { GroupCommit, GroupDelete, type DeleteOutcome, type GroupCommitOptions, type GroupCommitStats } from '../platform/group-commit.js';
import type { Provenance } from '../platform/provenance.js';

interface VoteDoc {
  _id: Types.ObjectId;
  idea: Types.ObjectId;
  voter: Types.ObjectId;
  createdAt: Date;
  origin: Provenance | null;
}

export type VoteWriterOptions = GroupCommitOptions;

const votes = () => Vote.collection as unknown as mongo.Collection<VoteDoc>;

/** Board votes stored by group commit (platform/group-commit.ts) under the unique {idea, voter} index, and deleted by _id in batches the same way. */
export class VoteWriter extends GroupCommit<VoteDoc> {
  private readonly deletes: GroupDelete<VoteDoc>;

  constructor(options: VoteWriterOptions = {}) {
    super(votes, options);
    this.deletes = new GroupDelete(votes, options);
  }

  /** Batches and votes deleted so far. */
  get removals(): GroupCommitStats {
    return this.deletes.stats;
  }

  remove(voteId: Types.ObjectId): Promise<DeleteOutcome> {
    return this.deletes.remove(voteId);
  }

  override async drain(): Promise<void> {
    await Promise.all([super.drain(), this.deletes.drain()]);
  }

  insert(idea: Types.ObjectId, voter: Types.ObjectId, origin: Provenance | null = null): Promise<string | null> {
    return this.store({ _id: new Types.ObjectId(), idea, voter, createdAt: new Date(), origin });
  }
}
