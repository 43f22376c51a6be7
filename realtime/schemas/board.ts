/** The ideas board: ideas, votes, queries, idea views, tallies, the board snapshot and its settings. */

import { z } from 'zod';
import { IDEA_BODY_MAX, IDEA_PROGRESS_SLUGS, IDEA_TITLE_MAX, LIVE_IDEAS_MAX, REPORT_THRESHOLD_MAX, REPORT_THRESHOLD_MIN, SORTS } from '../vocabulary.js';
import { areaSlug, byline, ideaBody, ideaTitle, liveCode, objectId, voters, wholeNumber } from './common.js';

export const ideaInput = z.object({
  area: areaSlug,
  title: ideaTitle,
  body: ideaBody.default(''),
  /** A member posting without their name this once (or, false, with it); unset, their profile decides. */
  anonymous: z.boolean({ message: 'anonymous must be true or false' }).optional(),
});
export type IdeaInput = z.infer<typeof ideaInput>;

export const ideaTarget = z.object({ ideaId: objectId });
export type IdeaTarget = z.infer<typeof ideaTarget>;

export const ideaEdit = z
  .object({ ideaId: objectId, title: ideaTitle.optional(), body: ideaBody.optional() })
  .refine((v) => v.title !== undefined || v.body !== undefined, { message: 'nothing to change: send title or body' });
export type IdeaEdit = z.infer<typeof ideaEdit>;

export const ideaProgress = z.enum(IDEA_PROGRESS_SLUGS, { message: 'status must be one of: ' + IDEA_PROGRESS_SLUGS.join(', ') });

export const ideaListQuery = z.object({
  area: areaSlug.optional(),
  sort: z.enum(SORTS, { message: 'sort must be one of: ' + SORTS.join(', ') }).default('top'),
  /** Words to find in titles and details. */
  q: z.string().trim().max(100, 'q must be at most 100 characters').optional(),
  status: ideaProgress.optional(),
  /** `sort=random` for a visitor without a session: the same seed gives the same order (with a session, the session's person is the seed). */
  seed: z.string().trim().max(64, 'seed must be at most 64 characters').optional(),
  limit: wholeNumber('limit')
    .pipe(z.number().min(1, 'limit must be at least 1').max(100, 'limit must be at most 100'))
    .default(50),
  cursor: z.string().max(200, 'cursor is too long').optional(),
});
export type IdeaListQuery = z.infer<typeof ideaListQuery>;

/** A vote on the board, or, with a live session's code, in that session (refused unless it is open and the idea in it). */
export const voteTarget = z.object({ ideaId: objectId, code: liveCode.optional() });
export type VoteTarget = z.infer<typeof voteTarget>;

/** Some ideas of one page of a board, to ask what this person did with them. */
export const ideasQuery = z.object({ ideaIds: z.array(objectId).max(200, 'at most 200 ideas at once') });

export const areaQuery = z.object({ area: areaSlug });

export const boardSettings = z.object({
  reviewNewIdeas: z.boolean({ message: 'reviewNewIdeas must be true or false' }),
  voting: voters,
  /** The report weight that takes an idea or comment down before staff look: a member's report weighs 1, a fresh guest's far less. */
  reportThreshold: z
    .number({ message: 'reportThreshold must be a number' })
    .min(REPORT_THRESHOLD_MIN, `reportThreshold must be at least ${REPORT_THRESHOLD_MIN}`)
    .max(REPORT_THRESHOLD_MAX, `reportThreshold must be at most ${REPORT_THRESHOLD_MAX}`),
});
export type BoardSettingsView = z.infer<typeof boardSettings>;

/** A facilitator flips one switch or both. */
export const boardSettingsChange = boardSettings.partial().refine((v) => v.reviewNewIdeas !== undefined || v.voting !== undefined || v.reportThreshold !== undefined, {
  message: 'nothing to change: send reviewNewIdeas, voting or reportThreshold',
});
export type BoardSettingsChange = z.infer<typeof boardSettingsChange>;

export const boardWatch = z.object({ area: areaSlug.optional() }).default({});
export type BoardWatch = z.infer<typeof boardWatch>;

export const ideaView = z.object({
  id: z.string(),
  area: areaSlug,
  title: z.string(),
  body: z.string(),
  author: byline,
  votes: z.number().int().min(0),
  votedByMe: z.boolean(),
  /** Where it stands in the campaign (staff set it). */
  status: ideaProgress,
  /** Comments on it that are up. */
  comments: z.number().int().min(0),
  createdAt: z.string(),
});
export type IdeaView = z.infer<typeof ideaView>;

export const areaCount = z.object({ slug: areaSlug, ideaCount: z.number().int().min(0) });
export type AreaCount = z.infer<typeof areaCount>;

export const areaView = areaCount.extend({ title: z.string(), question: z.string() });
export type AreaView = z.infer<typeof areaView>;

/**
 * One of a person's own ideas that is not on the board, and why; only its author is told:
 * `waiting` for a facilitator's review, `declined` by a facilitator, or `reported`: taken down by
 * reports until a facilitator looks at it.
 */
export const ownIdeaOffBoard = z.object({
  id: z.string(),
  area: areaSlug,
  title: z.string(),
  state: z.enum(['waiting', 'declined', 'reported']),
});
export type OwnIdeaOffBoard = z.infer<typeof ownIdeaOffBoard>;

/** What posting an idea gave: on the board at once, or `pending` until a facilitator publishes it. */
export const createdIdea = z.object({ idea: ideaView, pending: z.boolean() });
export type CreatedIdea = z.infer<typeof createdIdea>;

/** `votes` is null only for a vote in a live session whose counts are hidden from the room. */
export const voteResult = z.object({ ideaId: z.string(), votes: z.number().int().min(0).nullable(), votedByMe: z.boolean() });
export type VoteResult = z.infer<typeof voteResult>;

export const ideaPage = z.object({ ideas: z.array(ideaView), next: z.string().nullable() });
export type IdeaPage = z.infer<typeof ideaPage>;

/** Vote counts by idea id; a tally carries only the ideas whose counts moved (ids as keys keep the frame small). */
export const tallies = z.record(z.string(), z.number());
export type Tallies = z.infer<typeof tallies>;

export const boardSnapshot = z.object({ area: areaSlug.nullable(), ideas: z.array(ideaView), areas: z.array(areaCount) });
export type BoardSnapshot = z.infer<typeof boardSnapshot>;

/** Votes per idea split by who cast them, so staff can see a burst of guest votes. */
export const tallySplit = z.record(z.string(), z.object({ members: z.number().int().min(0), guests: z.number().int().min(0) }));
export type TallySplit = z.infer<typeof tallySplit>;

export const tallySplitQuery = z.object({
  ideaIds: z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(objectId).max(LIVE_IDEAS_MAX, `at most ${LIVE_IDEAS_MAX} ideas`)),
});

export const similarQuery = z.object({ area: areaSlug.optional(), text: z.string().trim().min(3, 'type a few words').max(IDEA_BODY_MAX + IDEA_TITLE_MAX) });

export const mergeInput = z.object({ ideaId: objectId, into: objectId });

export const progressInput = z.object({ ideaId: objectId, status: ideaProgress });

/** An idea's page: the idea, or where a merged duplicate now lives. */
export const ideaPageView = z.object({ idea: ideaView, mergedInto: z.string().nullable() });
