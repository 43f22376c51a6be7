import { Types, type mongo } from 'mongoose';
import { Vote } from '../../models/index.js';
import { FactWriter, type GroupCommitOptions } from '../platform/group-commit.js';
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
export class VoteWriter extends FactWriter<VoteDoc> {
  constructor(options: VoteWriterOptions = {}) {
    super(votes, options);
  }

  insert(idea: Types.ObjectId, voter: Types.ObjectId, origin: Provenance | null = null): Promise<string | null> {
    return this.store({ _id: new Types.ObjectId(), idea, voter, createdAt: new Date(), origin });
  }
}
