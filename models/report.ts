import { Schema, model } from 'mongoose';
import { REPORT_REASONS } from '../realtime/vocabulary.js';
import { originSchema } from './origin.js';

/** A report is a fact, like a vote: one per person and idea, under a unique index, never updated. */
const reportSchema = new Schema(
  {
    idea: { type: Schema.Types.ObjectId, required: true, ref: 'Idea' },
    reporter: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    reason: { type: String, required: true, enum: REPORT_REASONS },
    createdAt: { type: Date, required: true, default: () => new Date() },
    /** Where it came from: network hash, session kind, identity age. */
    origin: { type: originSchema, default: null },
  },
  { versionKey: false },
);
reportSchema.index({ idea: 1, reporter: 1 }, { unique: true });

export const Report = model('Report', reportSchema);
