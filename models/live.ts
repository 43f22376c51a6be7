import { Schema, model } from 'mongoose';
import { AREA_SLUGS, LIVE_ACTIONS, LIVE_VIEWS, VOTERS } from '../realtime/vocabulary.js';

/**
 * A live session as a facilitator created it. Written once: everything that changes while it runs is
 * a LiveEvent, so two facilitators never write the same document.
 */
const liveSessionSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    title: { type: String, required: true },
    /** Its ideas are those of these areas, or, when empty, `ideaIds` (picked by hand). */
    areas: { type: [{ type: String, enum: AREA_SLUGS }], default: [] },
    ideaIds: { type: [Schema.Types.ObjectId], default: [] },
    roomIdeas: { type: Boolean, required: true, default: false },
    voting: { type: String, required: true, enum: VOTERS, default: 'everyone' },
    createdBy: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const LiveSession = model('LiveSession', liveSessionSchema);

/**
 * One control of a live session, numbered: the unique {session, seq} index makes inserting the next
 * number the compare-and-set, so two facilitators racing cannot both take the same step, and every
 * screen applies the same sequence. Never updated.
 */
const liveEventSchema = new Schema(
  {
    session: { type: String, required: true },
    seq: { type: Number, required: true },
    action: { type: String, required: true, enum: LIVE_ACTIONS },
    ideaId: { type: String, default: null },
    /** For a countdown: when it ends. */
    endsAt: { type: Date, default: null },
    view: { type: String, enum: [...LIVE_VIEWS, null], default: null },
    /** For `close`: the ranking as it stood, frozen. */
    results: { type: [{ _id: false, ideaId: String, title: String, area: String, votes: Number, voided: Number, discussed: Boolean, groups: Schema.Types.Mixed }], default: undefined },
    by: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    at: { type: Date, required: true, default: () => new Date() },
  },
  // A results row with no votes has an empty breakdown, which must be stored as one, not dropped.
  { versionKey: false, minimize: false },
);
liveEventSchema.index({ session: 1, seq: 1 }, { unique: true });

export const LiveEvent = model('LiveEvent', liveEventSchema);
