/** Comments on ideas, and notifications. */

import { z } from 'zod';
import { COMMENT_BODY_MAX, COMMENT_BODY_MIN, REPORT_REASONS, STANCES } from '../vocabulary.js';
import { byline, cleanText, objectId } from './common.js';

export const commentInput = z.object({
  ideaId: objectId,
  body: cleanText('comment', COMMENT_BODY_MAX, COMMENT_BODY_MIN, false),
  stance: z.enum(STANCES, { message: 'stance must be for, against or question' }),
  /** A reply, one level deep: to a comment on the same idea that is not itself a reply. */
  parentId: objectId.optional(),
  anonymous: z.boolean().optional(),
});

export const commentTarget = z.object({ commentId: objectId });

export const commentReport = commentTarget.extend({ reason: z.enum(REPORT_REASONS, { message: 'reason must be one of: ' + REPORT_REASONS.join(', ') }) });

export const commentView = z.object({
  id: z.string(),
  ideaId: z.string(),
  parentId: z.string().nullable(),
  stance: z.enum(STANCES),
  body: z.string(),
  author: byline,
  /** People who marked it helpful (one mark each). */
  helpful: z.number().int().min(0),
  markedByMe: z.boolean(),
  createdAt: z.string(),
});
export type CommentView = z.infer<typeof commentView>;

/** An idea's discussion: best first within each stance, and the lead argument for and against. */
export const discussion = z.object({
  comments: z.array(commentView),
  lead: z.object({ for: z.string().nullable(), against: z.string().nullable() }),
});

/**
 * One of the caller's comments on an idea that is not on its page, and why: `waiting` for a moderator
 * (held as posted), `declined` by staff, or `reported`: taken down by reports until staff look.
 */
export const ownCommentOffBoard = z.object({
  id: z.string(),
  /** The idea whose page it belongs on (a merged duplicate's comments show on the idea it went into). */
  ideaId: z.string(),
  /** Its first words, as the author wrote them. */
  excerpt: z.string(),
  state: z.enum(['waiting', 'declined', 'reported']),
});
export type OwnCommentOffBoard = z.infer<typeof ownCommentOffBoard>;

export const notificationView = z.object({
  id: z.string(),
  kind: z.enum(['status', 'merged']),
  ideaId: z.string(),
  title: z.string(),
  /** What happened, for people: "Now shortlisted for the conference". */
  text: z.string(),
  createdAt: z.string(),
  read: z.boolean(),
});
export type NotificationView = z.infer<typeof notificationView>;
