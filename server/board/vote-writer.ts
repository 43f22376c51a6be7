import { Types, type mongo } from 'mongoose';
import { Vote } from '../../models/index.js';
import { GroupCommit, type GroupCommitOptions } from '../platform/group-commit.js';
import type { Provenance } from '../platform/provenance.js';

interface VoteDoc {
  _id: Types.ObjectId;
  idea: Types.ObjectId;
  voter: Types.ObjectId;
  createdAt: Date;
  origin: Provenance | null;
}

export type VoteWriterOptions = GroupCommitOptions;

/** Board votes stored by group commit (platform/group-commit.ts) under the unique {idea, voter} index. */
export class VoteWriter extends GroupCommit<VoteDoc> {
  constructor(options: VoteWriterOptions = {}) {
    super(() => Vote.collection as unknown as mongo.Collection<VoteDoc>, options);
  }

  insert(idea: Types.ObjectId, voter: Types.ObjectId, origin: Provenance | null = null): Promise<string | null> {
    return this.store({ _id: new Types.ObjectId(), idea, voter, createdAt: new Date(), origin });
  }
}
