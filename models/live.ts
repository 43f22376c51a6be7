import { Schema, model } from 'mongoose';
import { AREA_SLUGS, COUNTDOWN_AT_ZERO, LIVE_EVENT_ACTIONS, LIVE_VIEWS, VOTERS } from '../realtime/vocabulary.js';
import { originSchema } from './origin.js';

/**
 * A live session as a facilitator created it. Written once: everything that changes later (a draft's
 * edits included) is a LiveEvent, so two facilitators never write the same document.
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
    /**
     * Made as a draft: not listed nor joinable until a `publish` event. Sessions from before drafts have
     * no such field and were open from the start.
     */
    draft: { type: Boolean, default: false },
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
    action: { type: String, required: true, enum: LIVE_EVENT_ACTIONS },
    ideaId: { type: String, default: null },
    /** For a countdown: when it ends. */
    endsAt: { type: Date, default: null },
    /** For a countdown: what zero does. */
    atZero: { type: String, enum: [...COUNTDOWN_AT_ZERO, null], default: null },
    /** For `new-round`: its title and ideas (null: the previous round's). */
    round: { type: Schema.Types.Mixed, default: null },
    /** For `edit`: a draft's changed settings. */
    settings: { type: Schema.Types.Mixed, default: null },
    view: { type: String, enum: [...LIVE_VIEWS, null], default: null },
    /** For `close`: the ranking as it stood, frozen. */
    results: { type: [{ _id: false, ideaId: String, title: String, area: String, votes: Number, online: Number, voided: Number, discussed: Boolean, groups: Schema.Types.Mixed }], default: undefined },
    by: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    at: { type: Date, required: true, default: () => new Date() },
  },
  // A results row with no votes has an empty breakdown, which must be stored as one, not dropped.
  { versionKey: false, minimize: false },
);
liveEventSchema.index({ session: 1, seq: 1 }, { unique: true });

export const LiveEvent = model('LiveEvent', liveEventSchema);

/**
 * A vote cast in a live session's round: the room's own ballot, apart from the board's votes. Insert-only
 * under the unique {session, round, idea, voter} index (a repeat is a duplicate key, never a second
 * count); withdrawing deletes it; counts are derived from these documents.
 */
const roomVoteSchema = new Schema(
  {
    session: { type: String, required: true },
    round: { type: Number, required: true },
    idea: { type: Schema.Types.ObjectId, required: true },
    voter: { type: Schema.Types.ObjectId, required: true },
    origin: { type: originSchema, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
roomVoteSchema.index({ session: 1, round: 1, idea: 1, voter: 1 }, { unique: true });

export const RoomVote = model('RoomVote', roomVoteSchema);
