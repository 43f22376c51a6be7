import { Schema, model } from 'mongoose';
import { AREA_SLUGS, HIDDEN_BY, IDEA_BODY_MAX, IDEA_PROGRESS_SLUGS, IDEA_STATUSES, IDEA_TITLE_MAX } from '../realtime/vocabulary.js';
import { originSchema } from './origin.js';

/**
 * Human-edited fields only: vote counts never live here (they are derived from Vote documents),
 * so an edit and a vote never write the same document.
 */
const ideaSchema = new Schema(
  {
    area: { type: String, required: true, enum: AREA_SLUGS },
    title: { type: String, required: true, maxlength: IDEA_TITLE_MAX },
    body: { type: String, default: '', maxlength: IDEA_BODY_MAX },
    author: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    /** The byline as it stood when posted: null for guests and people posting anonymously. */
    authorName: { type: String, default: null },
    authorOrganisation: { type: String, default: null },
    status: { type: String, required: true, enum: IDEA_STATUSES, default: 'published' },
    createdAt: { type: Date, required: true, default: () => new Date() },
    editedAt: { type: Date, default: null },
    /** Who took the idea down while `status` is hidden: enough reports, or a facilitator. */
    hiddenBy: { type: String, enum: [...HIDDEN_BY, null], default: null },
    /** Set when a facilitator puts an idea back: from then on reports alone do not take it down. */
    clearedAt: { type: Date, default: null },
    /** Set when staff confirm a take-down: it stays down and leaves the queue. */
    confirmedAt: { type: Date, default: null },
    withdrawnAt: { type: Date, default: null },
    /** Where it stands in the campaign, set by staff. */
    progress: { type: String, enum: IDEA_PROGRESS_SLUGS, default: 'new' },
    /** A duplicate merged into another idea (that idea's id): off the board until unmerged. */
    mergedInto: { type: Schema.Types.ObjectId, default: null, ref: 'Idea' },
    /** Put forward from the hall in this live session (its join code): held until a facilitator approves it. */
    liveSession: { type: String, default: null },
    /** Where it came from: network hash, session kind, identity age. */
    origin: { type: originSchema, default: null },
    /** The words screening held it for (staff read it before it goes up); empty when nothing was held. */
    heldFor: { type: [String], default: [] },
  },
  { versionKey: false },
);
ideaSchema.index({ area: 1, createdAt: -1 });
ideaSchema.index({ author: 1, createdAt: -1 });

export const Idea = model('Idea', ideaSchema);
