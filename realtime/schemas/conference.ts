/** Live sessions: creating and running one, what its screens show, its results. */

import { z } from 'zod';
import { AREA_SLUGS, COUNTDOWN_MAX_SECONDS, GROUP_REST, IDEA_TITLE_MAX, IDEA_TITLE_MIN, LIVE_ACTIONS, LIVE_IDEAS_MAX, LIVE_IDEA_ACTIONS, LIVE_STATES, LIVE_VIEWS, STAKEHOLDER_SLUGS } from '../vocabulary.js';
import { areaSlug, cleanText, ideaBody, ideaTitle, liveCode, objectId, voters, wholeNumber } from './common.js';
import { ideaView } from './board.js';

export const liveCreate = z
  .object({
    title: cleanText('title', IDEA_TITLE_MAX, IDEA_TITLE_MIN, true),
    areas: z.array(areaSlug).max(AREA_SLUGS.length).optional(),
    ideaIds: z.array(objectId).min(1, 'pick at least one idea').max(LIVE_IDEAS_MAX, `at most ${LIVE_IDEAS_MAX} ideas`).optional(),
    roomIdeas: z.boolean({ message: 'roomIdeas must be true or false' }).default(false),
    /** The hall votes without signing up unless a facilitator asks for members only. */
    voting: voters.default('everyone'),
  })
  .refine((v) => !(v.areas && v.ideaIds), { message: 'give areas or ideaIds, not both' });
export type LiveCreate = z.infer<typeof liveCreate>;

export const liveTarget = z.object({ code: liveCode });

export const liveControl = z
  .object({
    code: liveCode,
    action: z.enum(LIVE_ACTIONS, { message: 'action must be one of: ' + LIVE_ACTIONS.join(', ') }),
    ideaId: objectId.optional(),
    /** For `countdown`: how long from now; 0 stops a running one. */
    seconds: wholeNumber('seconds').pipe(z.number().min(0, 'seconds cannot be negative').max(COUNTDOWN_MAX_SECONDS, 'a countdown lasts at most an hour')).optional(),
    view: z.enum(LIVE_VIEWS, { message: 'view must be one of: ' + LIVE_VIEWS.join(', ') }).optional(),
  })
  .superRefine((v, ctx) => {
    if ((LIVE_IDEA_ACTIONS as readonly string[]).includes(v.action) && !v.ideaId) ctx.addIssue({ code: 'custom', path: ['ideaId'], message: `${v.action} needs an ideaId` });
    if (v.action === 'countdown' && v.seconds === undefined) ctx.addIssue({ code: 'custom', path: ['seconds'], message: 'countdown needs seconds' });
    if (v.action === 'view' && !v.view) ctx.addIssue({ code: 'custom', path: ['view'], message: 'view needs a view' });
  });
export type LiveControl = z.infer<typeof liveControl>;

/** An idea put forward from the hall: held for a facilitator before it reaches any screen. */
export const liveIdeaInput = z.object({ code: liveCode, area: areaSlug.optional(), title: ideaTitle, body: ideaBody.default('') });
export type LiveIdeaInput = z.infer<typeof liveIdeaInput>;

/** What every screen of a live session shows besides the ideas; `seq` orders the changes. */
export const liveStateView = z.object({
  code: z.string(),
  seq: z.number().int().min(0),
  state: z.enum(LIVE_STATES),
  spotlight: z.string().nullable(),
  countsHidden: z.boolean(),
  countdownEndsAt: z.string().nullable(),
  view: z.enum(LIVE_VIEWS),
  /** Taken out of the session by a facilitator. */
  hidden: z.array(z.string()),
  /** Debated already: out of the queue, still in the results. */
  discussed: z.array(z.string()),
});
export type LiveStateView = z.infer<typeof liveStateView>;

export const liveSessionView = z.object({
  code: z.string(),
  title: z.string(),
  /** The areas whose ideas it ranks; empty when its ideas were picked by hand. */
  areas: z.array(areaSlug),
  roomIdeas: z.boolean(),
  voting: voters,
  joinPath: z.string(),
  createdAt: z.string(),
});
export type LiveSessionView = z.infer<typeof liveSessionView>;

/** An idea as a session shows it: `votes` is null while counts are hidden from the room. */
export const liveIdeaView = ideaView.extend({ votes: z.number().int().min(0).nullable() });
export type LiveIdeaView = z.infer<typeof liveIdeaView>;

export const liveSnapshot = z.object({
  session: liveSessionView,
  live: liveStateView,
  ideas: z.array(liveIdeaView),
  /** For facilitators: ideas from the room waiting for approval. */
  pending: z.array(ideaView).optional(),
});
export type LiveSnapshot = z.infer<typeof liveSnapshot>;

/**
 * An idea's votes by the stakeholder group members say they belong to; `unsaid` counts guests and
 * members who named none. Public results fold groups too small to hide a person in into `other`.
 */
export const groupVotes = z.partialRecord(z.enum([...STAKEHOLDER_SLUGS, ...GROUP_REST]), z.number().int().min(1));
export type GroupVotes = z.infer<typeof groupVotes>;

export const liveResultRow = z.object({
  rank: z.number().int().min(1),
  ideaId: z.string(),
  title: z.string(),
  area: areaSlug,
  votes: z.number().int().min(0),
  /** Votes staff voided (a flagged burst): stored, but not in `votes`. */
  voided: z.number().int().min(0),
  discussed: z.boolean(),
  /** Null for results frozen before the board kept groups. */
  groups: groupVotes.nullable(),
});
export type LiveResultRow = z.infer<typeof liveResultRow>;

/** The ranking: frozen when voting closed (`final`), or as it stands while the session runs. */
export const liveResults = z.object({
  session: liveSessionView,
  final: z.boolean(),
  closedAt: z.string().nullable(),
  rows: z.array(liveResultRow),
  /** Every idea's votes by group, added up; null while any row has no breakdown. */
  groups: groupVotes.nullable(),
});
export type LiveResults = z.infer<typeof liveResults>;
