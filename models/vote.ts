import { Schema, model } from 'mongoose';
import { originSchema } from './origin.js';

/** A vote is a fact: inserted once under the unique {idea, voter} index, retracted by deleting it. */
const voteSchema = new Schema(
  {
    idea: { type: Schema.Types.ObjectId, required: true, ref: 'Idea' },
    voter: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    createdAt: { type: Date, required: true, default: () => new Date() },
    /** Where it came from: network hash, session kind, identity age. */
    origin: { type: originSchema, default: null },
  },
  { versionKey: false },
);
voteSchema.index({ idea: 1, voter: 1 }, { unique: true });

export const Vote = model('Vote', voteSchema);
