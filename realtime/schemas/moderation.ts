/** Reports and the staff queues of ideas and comments. */

import { z } from 'zod';
import {
  APPEAL_DECISIONS,
  APPEAL_TEXT_MAX,
  DECIDED_BY,
  HIDDEN_BY,
  IDEA_STATUSES,
  LOGGED_ITEM_KINDS,
  MODERATION_ACTIONS,
  REPORT_REASONS,
  SCREEN_ACTIONS,
  SCREEN_TERM_MAX,
  SUSPENSION_HOURS,
  SUSPENSION_REASONS,
  USER_KINDS,
} from '../vocabulary.js';
import { cleanText, objectId } from './common.js';
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

/** What the staff queue says of any item under the one set of rules, idea or comment alike. */
const decision = {
  /** Who it really was, for staff only: also behind "Anonymous participant". Guests have no name or e-mail. */
  postedBy: z.object({ userId: z.string(), name: z.string().nullable(), email: z.string().nullable() }),
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
  /** The words word screening held it for (empty: it was not held by screening). */
  heldFor: z.array(z.string()),
};

/** One idea in the facilitators' queue: waiting for review, reported, hidden, or reported and hidden. */
export const moderationItem = z.object({
  idea: ideaView.omit({ votedByMe: true }),
  status: z.enum(IDEA_STATUSES),
  ...decision,
});
export type ModerationItem = z.infer<typeof moderationItem>;

/** A comment in the staff queue: taken down, held for review, or reported. */
export const commentModerationItem = z.object({
  comment: commentView.omit({ markedByMe: true }),
  ideaTitle: z.string(),
  status: z.enum(['published', 'pending', 'hidden']),
  ...decision,
});
export type CommentModerationItem = z.infer<typeof commentModerationItem>;

/**
 * A screening term as stored: lower case, spaces folded; letters, digits, spaces, apostrophes and
 * hyphens, starting and ending with a letter or digit. A `|` at either end matches only at a word's
 * edge there (`|ho|` is the word "ho" alone; `troll` is also in "trolling" and "patrolled").
 */
export const normaliseTerm = (raw: string) => raw.normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ').replace(/^\s+|\s+$/g, '');
export const TERM_PATTERN = /^\|?[\p{L}\p{N}](?:[\p{L}\p{N}' -]*[\p{L}\p{N}])?\|?$/u;
const TERM_RULE = 'letters, digits, spaces, apostrophes and hyphens, starting and ending with a letter or digit (a | at either end for a word edge)';
export const screenTerm = z
  .string({ message: 'term is required' })
  .transform(normaliseTerm)
  .pipe(z.string().min(1, 'type a word or phrase').max(SCREEN_TERM_MAX, `a term is at most ${SCREEN_TERM_MAX} characters`).regex(TERM_PATTERN, `a term is ${TERM_RULE}`));
export const screenAction = z.enum(SCREEN_ACTIONS, { message: 'action must be one of: ' + SCREEN_ACTIONS.join(', ') });

export const termTarget = z.object({ term: screenTerm });
export const termPut = z.object({ term: screenTerm, action: screenAction });
export const termsTest = z.object({ text: cleanText('text', 5000, 1, false) });
export const termsImport = z.object({ csv: cleanText('csv', 100_000, 1, false) });

/** A term of the list: a built-in word (with the action it has by default) or one staff added. */
export const termView = z.object({
  term: z.string(),
  action: screenAction,
  builtIn: z.boolean(),
  /** For a built-in word, what it does unless staff change it; null for staff's own terms. */
  standard: screenAction.nullable(),
});
export type TermView = z.infer<typeof termView>;

/** What screening makes of a text: `terms` are the words as written that decided it; `hits` every word found and its term. */
export const termsTestResult = z.object({
  action: z.enum(['pass', 'hold', 'rephrase']),
  terms: z.array(z.string()),
  hits: z.array(z.object({ word: z.string(), term: z.string(), action: screenAction })),
});
export type TermsTestResult = z.infer<typeof termsTestResult>;

export const termsImportResult = z.object({
  added: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Rows not taken, by line of the file (1 is the first), and why. */
  rejected: z.array(z.object({ line: z.number().int(), reason: z.string() })),
});
export type TermsImportResult = z.infer<typeof termsImportResult>;
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

/** The public moderation log: every decision, with no names or e-mails, newest first. */
export const logQuery = z.object({ cursor: objectId.optional() });
export const logEntry = z.object({
  at: z.string(),
  action: z.enum(MODERATION_ACTIONS),
  /** The rule or the reason category: a report reason, `screening`, `vote-burst`, `review`… */
  reason: z.string(),
  /** A role or a rule, never a person. */
  by: z.enum(DECIDED_BY),
  item: z.object({
    kind: z.enum(LOGGED_ITEM_KINDS),
    id: z.string(),
    /** Null where the text itself was the abuse: shown as "[removed post]". */
    title: z.string().nullable(),
  }),
});
export type LogEntry = z.infer<typeof logEntry>;
/** `next`: pass it back as `cursor` for older entries; null on the last page. */
export const logPage = z.object({ entries: z.array(logEntry), next: z.string().nullable() });

const appealText = cleanText('text', APPEAL_TEXT_MAX, 2, false);
export const ideaAppeal = z.object({ ideaId: objectId, text: appealText });
export const commentAppeal = z.object({ commentId: objectId, text: appealText });
export const APPEAL_KINDS = ['idea', 'comment'] as const;
export type AppealKind = (typeof APPEAL_KINDS)[number];
export const appealTarget = z.object({ kind: z.enum(APPEAL_KINDS), itemId: objectId });

/** An author's appeal and what became of it. */
export const appealView = z.object({
  id: z.string(),
  kind: z.enum(APPEAL_KINDS),
  itemId: z.string(),
  text: z.string(),
  createdAt: z.string(),
  state: z.enum(['waiting', 'granted', 'refused']),
  /** A moderator's word to the author with the decision. */
  note: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type AppealView = z.infer<typeof appealView>;

const itemStatus = z.enum(['published', 'pending', 'hidden', 'withdrawn']);
/** What the author of an item sees of it: where it stands, why, and their appeal. */
export const appealStatus = z.object({
  item: z.object({
    kind: z.enum(APPEAL_KINDS),
    id: z.string(),
    title: z.string(),
    /** The idea a comment is on, for a link back. */
    ideaId: z.string(),
    status: itemStatus,
    /** The rule or reason category of the latest take-down, hold or decline; null when none was logged. */
    reason: z.string().nullable(),
  }),
  appeal: appealView.nullable(),
  /** Off the board and not yet appealed: the form is offered. */
  canAppeal: z.boolean(),
});
export type AppealStatus = z.infer<typeof appealStatus>;

/** An appeal in the staff queue, with the item it is about. */
export const appealStaffItem = appealView.extend({
  title: z.string(),
  ideaId: z.string(),
  itemStatus,
  reason: z.string().nullable(),
  postedBy: z.object({ userId: z.string(), name: z.string().nullable() }),
});
export type AppealStaffItem = z.infer<typeof appealStaffItem>;

export const appealDecide = z.object({
  appealId: objectId,
  decision: z.enum(APPEAL_DECISIONS, { message: 'decision must be grant or refuse' }),
  note: cleanText('note', 300, 0, false).optional(),
});

export const suspensionHours = z.union([...SUSPENSION_HOURS.map((h) => z.literal(h)), z.literal('permanent')] as [z.ZodLiteral<1>, z.ZodLiteral<24>, z.ZodLiteral<168>, z.ZodLiteral<'permanent'>], {
  message: 'hours must be 1, 24, 168 or "permanent"',
});
export type SuspensionHours = z.infer<typeof suspensionHours>;

/** Suspends the author of an idea or a comment; `network` also stops the guest's network (everyone on it who is a guest). */
export const suspensionInput = z
  .object({
    ideaId: objectId.optional(),
    commentId: objectId.optional(),
    hours: suspensionHours,
    reason: z.enum(SUSPENSION_REASONS, { message: 'reason must be one of: ' + SUSPENSION_REASONS.join(', ') }),
    network: z.boolean().default(false),
  })
  .superRefine((input, ctx) => {
    if (Boolean(input.ideaId) === Boolean(input.commentId)) ctx.addIssue({ code: 'custom', path: ['ideaId'], message: 'name the idea or the comment (one of ideaId, commentId)' });
  });
export type SuspensionInput = z.infer<typeof suspensionInput>;
export const suspensionTarget = z.object({ suspensionId: objectId });

export const suspensionView = z.object({
  id: z.string(),
  userId: z.string(),
  /** Staff only: the member's name, null for guests. */
  name: z.string().nullable(),
  kind: z.enum(USER_KINDS),
  /** Guests: their network is stopped too. */
  network: z.boolean(),
  /** Null: for good. */
  until: z.string().nullable(),
  reason: z.enum(SUSPENSION_REASONS),
  by: z.enum(DECIDED_BY),
  createdAt: z.string(),
  liftedAt: z.string().nullable(),
});
export type SuspensionView = z.infer<typeof suspensionView>;
