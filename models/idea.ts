import { Schema, model, type InferSchemaType } from 'mongoose';
import { AREA_SLUGS, IDEA_BODY_MAX, IDEA_TITLE_MAX } from '../realtime/schemas.js';

/** `pending`: posted while facilitators review new ideas, and not yet published by one. */
export const IDEA_STATUSES = ['published', 'hidden', 'pending'] as const;

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
    status: { type: String, required: true, enum: IDEA_STATUSES, default: 'published' },
    createdAt: { type: Date, required: true, default: () => new Date() },
    editedAt: { type: Date, default: null },
    /** Who took the idea down while `status` is hidden: enough reports, or a facilitator. */
    hiddenBy: { type: String, enum: ['reports', 'facilitator', null], default: null },
    /** Set when a facilitator puts an idea back: from then on reports alone do not take it down. */
    clearedAt: { type: Date, default: null },
  },
  { versionKey: false },
);
ideaSchema.index({ area: 1, createdAt: -1 });
ideaSchema.index({ author: 1, createdAt: -1 });

export type IdeaDoc = InferSchemaType<typeof ideaSchema>;
export const Idea = model('Idea', ideaSchema);
