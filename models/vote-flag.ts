import { Schema, model } from 'mongoose';

/**
 * A burst of votes for one idea, flagged by the detector (server/moderation/vote-bursts.ts): inserted
 * once, never updated. `network` is the keyed hash of the network the burst came from; null for a
 * burst of fresh one-vote sessions from anywhere. The `_id` is made from the idea, the network and the
 * minute the burst began, so one server flagging the same burst twice is a duplicate key.
 */
const voteFlagSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['vote-burst'] },
    idea: { type: Schema.Types.ObjectId, required: true, ref: 'Idea' },
    network: { type: String, default: null },
    /** The flag's votes are the idea's matching votes cast from then on. */
    since: { type: Date, required: true },
    /** Its votes and the networks they came from when it was raised; the flag's memory counts on from there. */
    votes: { type: Number, required: true },
    networks: { type: Number, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

/** One vote no longer counting, because staff voided a flag covering it: deleted again by an unvoid. */
const voteVoidSchema = new Schema(
  {
    flag: { type: String, required: true },
    vote: { type: Schema.Types.ObjectId, required: true },
    idea: { type: Schema.Types.ObjectId, required: true },
    voter: { type: Schema.Types.ObjectId, required: true },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
voteVoidSchema.index({ flag: 1, vote: 1 }, { unique: true });

/**
 * What staff decided on a flag, numbered per flag under a unique index (the compare-and-set, as a live
 * session's events): the latest says whether its votes are voided, and the list is the record of who did.
 */
const flagDecisionSchema = new Schema(
  {
    flag: { type: String, required: true },
    seq: { type: Number, required: true },
    action: { type: String, required: true, enum: ['void', 'unvoid'] },
    by: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    role: { type: String, required: true },
    votes: { type: Number, required: true },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
flagDecisionSchema.index({ flag: 1, seq: 1 }, { unique: true });

export const VoteFlag = model('VoteFlag', voteFlagSchema);
export const VoteVoid = model('VoteVoid', voteVoidSchema);
export const FlagDecision = model('FlagDecision', flagDecisionSchema);
