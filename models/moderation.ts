import { Schema, model } from 'mongoose';
import { APPEAL_DECISIONS, DECIDED_BY, LOGGED_ITEM_KINDS, MODERATION_ACTIONS, SUSPENSION_REASONS } from '../realtime/vocabulary.js';

/**
 * One entry of the public moderation log: insert-only, newest by `_id`. `byUser` is who decided, for
 * the rule that another moderator decides an appeal: it never leaves the server.
 */
const logEntrySchema = new Schema(
  {
    at: { type: Date, required: true, default: () => new Date() },
    action: { type: String, required: true, enum: MODERATION_ACTIONS },
    reason: { type: String, required: true },
    by: { type: String, required: true, enum: DECIDED_BY },
    byUser: { type: String, default: null },
    item: {
      kind: { type: String, required: true, enum: LOGGED_ITEM_KINDS },
      id: { type: String, required: true },
      title: { type: String, default: null },
    },
  },
  { versionKey: false },
);

export const ModerationLogEntry = model('ModerationLogEntry', logEntrySchema);

/** An author's one appeal per item: unique on (kind, item). */
const appealSchema = new Schema(
  {
    kind: { type: String, required: true, enum: ['idea', 'comment'] },
    item: { type: Schema.Types.ObjectId, required: true },
    author: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    text: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
appealSchema.index({ kind: 1, item: 1 }, { unique: true });

export const Appeal = model('Appeal', appealSchema);

/** What a moderator decided of an appeal: `_id` is the appeal's, so it is decided once. */
const appealDecisionSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    decision: { type: String, required: true, enum: APPEAL_DECISIONS },
    note: { type: String, default: null },
    by: { type: String, required: true },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const AppealDecision = model('AppealDecision', appealDecisionSchema);

/** A person (and, for a guest, maybe their network) may not write until `until` (null: for good). Insert-only. */
const suspensionSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    kind: { type: String, required: true, enum: ['guest', 'member'] },
    network: { type: String, default: null },
    until: { type: Date, default: null },
    reason: { type: String, required: true, enum: SUSPENSION_REASONS },
    /** The staff member's user id (never public) and role (the log's). */
    by: { type: String, required: true },
    byRole: { type: String, required: true, enum: DECIDED_BY },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const Suspension = model('Suspension', suspensionSchema);

/** A suspension lifted by an admin: `_id` is the suspension's. */
const liftSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const SuspensionLift = model('SuspensionLift', liftSchema);
