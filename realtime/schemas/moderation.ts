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
});
export type CommentModerationItem = z.infer<typeof commentModerationItem>;

/** Kinds of flag staff see beside the queue; a burst of votes for one idea is the one so far. */
export const FLAG_KINDS = ['vote-burst'] as const;
export const FLAG_STATES = ['open', 'voided'] as const;

/**
 * A burst of votes for one idea, flagged live (server/moderation/vote-bursts.ts). `votes`: the
 * flag's votes cast so far (from one network, or from fresh one-vote sessions); `networks`: how many
 * networks they came from; `voided`: how many of them staff voided and no longer count.
 */
export const voteFlagView = z.object({
  id: z.string(),
  kind: z.enum(FLAG_KINDS),
  ideaId: z.string(),
  title: z.string(),
  votes: z.number().int().min(0),
  networks: z.number().int().min(0),
  /** What the flag covers: one network's votes, or fresh sessions' only votes from any network. */
  basis: z.enum(['network', 'fresh-sessions']),
  since: z.string(),
  state: z.enum(FLAG_STATES),
  voided: z.number().int().min(0),
});
export type VoteFlagView = z.infer<typeof voteFlagView>;

export const flagTarget = z.object({
  flagId: z
    .string({ message: 'a flag id is required' })
    .regex(/^[0-9a-f]{24}:[A-Za-z0-9_*-]{1,32}:\d{1,15}$/, 'not a valid flag id'),
});

export const flagDecision = z.object({ flag: voteFlagView, voided: z.number().int().min(0) });
