/** Reports and the staff queues of ideas and comments. */

import { z } from 'zod';
import { HIDDEN_BY, IDEA_STATUSES, REPORT_REASONS } from '../vocabulary.js';
import { objectId } from './common.js';
import { ideaView } from './board.js';
import { commentView } from './discussion.js';

export const reportInput = z.object({
  ideaId: objectId,
  reason: z.enum(REPORT_REASONS, { message: 'reason must be one of: ' + REPORT_REASONS.join(', ') }),
});
export type ReportInput = z.infer<typeof reportInput>;

export const moderationSearch = z.object({
  q: z.string({ message: 'q is required' }).trim().min(2, 'type at least 2 characters').max(100, 'q must be at most 100 characters'),
});

/** `hidden`: this report was the one that took the idea down until a facilitator looks at it. */
export const reportResult = z.object({ ideaId: z.string(), hidden: z.boolean() });
export type ReportResult = z.infer<typeof reportResult>;

/** One idea in the facilitators' queue: waiting for review, reported, hidden, or reported and hidden. */
export const moderationItem = z.object({
  idea: ideaView.omit({ votedByMe: true }),
  /** Who it really was, for staff only: also behind "Anonymous participant". Guests have no name or e-mail. */
  postedBy: z.object({ userId: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  status: z.enum(IDEA_STATUSES),
  /** Who took it down: enough reports, or a facilitator. Null while it is up. */
  hiddenBy: z.enum(HIDDEN_BY).nullable(),
  /** A facilitator put it back after reports: further reports no longer take it down by themselves. */
  cleared: z.boolean(),
  reports: z.number().int().min(0),
  reasons: z.partialRecord(z.enum(REPORT_REASONS), z.number()),
  /** The reports' weight (members 1 each, guests by network and by how long they have been around) against the threshold. */
  weight: z.number().min(0),
  /** How many networks the reports came from. */
  networks: z.number().int().min(0),
  /** Staff confirmed the take-down: it stays down and leaves the queue. */
  confirmed: z.boolean(),
});
export type ModerationItem = z.infer<typeof moderationItem>;

/** A comment in the staff queue: taken down, held for review, or reported. */
export const commentModerationItem = z.object({
  comment: commentView.omit({ markedByMe: true }),
  ideaTitle: z.string(),
  postedBy: z.object({ userId: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
  status: z.enum(['published', 'pending', 'hidden']),
  hiddenBy: z.enum(HIDDEN_BY).nullable(),
  cleared: z.boolean(),
  reports: z.number().int().min(0),
  reasons: z.partialRecord(z.enum(REPORT_REASONS), z.number()),
  /** The reports' weight (members 1 each, guests by network and by how long they have been around) against the threshold. */
  weight: z.number().min(0),
  /** How many networks the reports came from. */
  networks: z.number().int().min(0),
  /** Staff confirmed the take-down: it stays down and leaves the queue. */
  confirmed: z.boolean(),
});
export type CommentModerationItem = z.infer<typeof commentModerationItem>;
