import { Schema, model } from 'mongoose';
import { HIDDEN_BY, REPORT_REASONS, STANCES } from '../realtime/vocabulary.js';
import { originSchema } from './origin.js';

/**
 * An argument for or against an idea, or a question; replies one level deep. Moderated like ideas:
 * `pending` while staff review new posts, `hidden` by reports or staff. Words change only by staff
 * decisions, one writer at a time; counts (helpful marks, reports) are facts of their own.
 */
const commentSchema = new Schema(
  {
    idea: { type: Schema.Types.ObjectId, required: true, ref: 'Idea' },
    parent: { type: Schema.Types.ObjectId, default: null, ref: 'Comment' },
    stance: { type: String, required: true, enum: STANCES },
    body: { type: String, required: true },
    author: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    authorName: { type: String, default: null },
    authorOrganisation: { type: String, default: null },
    status: { type: String, required: true, enum: ['published', 'pending', 'hidden'], default: 'published' },
    hiddenBy: { type: String, enum: [...HIDDEN_BY, null], default: null },
    clearedAt: { type: Date, default: null },
    /** Set when staff confirm a take-down: it stays down and leaves the queue. */
    confirmedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
    /** Where it came from: network hash, session kind, identity age. */
    origin: { type: originSchema, default: null },
    /** The words screening held it for; empty when nothing was held. */
    heldFor: { type: [String], default: [] },
  },
  { versionKey: false },
);
commentSchema.index({ idea: 1, createdAt: 1 });

export const Comment = model('Comment', commentSchema);

/** "Helpful": a fact like a vote, one per person and comment. */
const helpfulSchema = new Schema(
  {
    comment: { type: Schema.Types.ObjectId, required: true, ref: 'Comment' },
    marker: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
helpfulSchema.index({ comment: 1, marker: 1 }, { unique: true });

export const HelpfulMark = model('HelpfulMark', helpfulSchema);

const commentReportSchema = new Schema(
  {
    comment: { type: Schema.Types.ObjectId, required: true, ref: 'Comment' },
    reporter: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    reason: { type: String, required: true, enum: REPORT_REASONS },
    createdAt: { type: Date, required: true, default: () => new Date() },
    /** Where it came from: its weight depends on it (server/moderation/report-rule.ts). */
    origin: { type: originSchema, default: null },
  },
  { versionKey: false },
);
commentReportSchema.index({ comment: 1, reporter: 1 }, { unique: true });

export const CommentReport = model('CommentReport', commentReportSchema);

/** Something a person should know about an idea they voted for or discussed. Insert-only. */
const notificationSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    kind: { type: String, required: true, enum: ['status', 'merged'] },
    idea: { type: Schema.Types.ObjectId, required: true, ref: 'Idea' },
    title: { type: String, required: true },
    text: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
notificationSchema.index({ user: 1, createdAt: -1 });

export const Notification = model('Notification', notificationSchema);

/** Up to when a person has read their notifications (`_id`: their user id); one writer per person. */
const notificationsReadSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    readAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const NotificationsRead = model('NotificationsRead', notificationsReadSchema);
