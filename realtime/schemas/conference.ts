/** Live sessions: creating and running one, what its screens show, its results. */

import { z } from 'zod';
import { AREA_SLUGS, COUNTDOWN_AT_ZERO, COUNTDOWN_MAX_SECONDS, GROUP_REST, IDEA_TITLE_MAX, IDEA_TITLE_MIN, LIVE_ACTIONS, LIVE_IDEAS_MAX, LIVE_IDEA_ACTIONS, LIVE_STATES, LIVE_VIEWS, STAKEHOLDER_SLUGS } from '../vocabulary.js';
import { areaSlug, cleanText, ideaBody, ideaTitle, liveCode, objectId, voters, wholeNumber } from './common.js';
import { ideaView, tallies } from './board.js';

const sessionTitle = cleanText('title', IDEA_TITLE_MAX, IDEA_TITLE_MIN, true);
const sessionAreas = z.array(areaSlug).max(AREA_SLUGS.length);
const sessionIdeaIds = z.array(objectId).min(1, 'pick at least one idea').max(LIVE_IDEAS_MAX, `at most ${LIVE_IDEAS_MAX} ideas`);
const areasOrIdeas = { message: 'give areas or ideaIds, not both' };

/** A new session: a draft until it is published. */
export const liveCreate = z
  .object({
    title: sessionTitle,
    areas: sessionAreas.optional(),
    ideaIds: sessionIdeaIds.optional(),
    roomIdeas: z.boolean({ message: 'roomIdeas must be true or false' }).default(false),
    /** The hall votes without signing up unless a facilitator asks for members only. */
    voting: voters.default('everyone'),
  })
  .refine((v) => !(v.areas && v.ideaIds), areasOrIdeas);
export type LiveCreate = z.infer<typeof liveCreate>;

/** A draft's settings changed; what is not given stays. */
export const liveEdit = z
  .object({
    code: liveCode,
    title: sessionTitle.optional(),
    areas: sessionAreas.optional(),
    ideaIds: sessionIdeaIds.optional(),
    roomIdeas: z.boolean({ message: 'roomIdeas must be true or false' }).optional(),
    voting: voters.optional(),
  })
  .refine((v) => !(v.areas && v.ideaIds), areasOrIdeas);
export type LiveEdit = z.infer<typeof liveEdit>;

export const liveTarget = z.object({ code: liveCode });

export const liveControl = z
  .object({
    code: liveCode,
    action: z.enum(LIVE_ACTIONS, { message: 'action must be one of: ' + LIVE_ACTIONS.join(', ') }),
    ideaId: objectId.optional(),
    /** For `countdown`: how long from now; 0 stops a running one. */
    seconds: wholeNumber('seconds').pipe(z.number().min(0, 'seconds cannot be negative').max(COUNTDOWN_MAX_SECONDS, 'a countdown lasts at most an hour')).optional(),
    /** For `countdown`: what zero does (pause by default). */
    atZero: z.enum(COUNTDOWN_AT_ZERO, { message: 'atZero must be one of: ' + COUNTDOWN_AT_ZERO.join(', ') }).optional(),
    view: z.enum(LIVE_VIEWS, { message: 'view must be one of: ' + LIVE_VIEWS.join(', ') }).optional(),
    /** For `new-round`: its title and ideas (a challenge, or hand-picked); by default the previous round's ideas. */
    title: sessionTitle.optional(),
    areas: sessionAreas.min(1, 'pick at least one challenge').optional(),
    ideaIds: sessionIdeaIds.optional(),
  })
  .superRefine((v, ctx) => {
    if ((LIVE_IDEA_ACTIONS as readonly string[]).includes(v.action) && !v.ideaId) ctx.addIssue({ code: 'custom', path: ['ideaId'], message: `${v.action} needs an ideaId` });
    if (v.action === 'countdown' && v.seconds === undefined) ctx.addIssue({ code: 'custom', path: ['seconds'], message: 'countdown needs seconds' });
    if (v.action === 'view' && !v.view) ctx.addIssue({ code: 'custom', path: ['view'], message: 'view needs a view' });
    if (v.areas && v.ideaIds) ctx.addIssue({ code: 'custom', path: ['ideaIds'], message: areasOrIdeas.message });
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
  /** Debated already: marked, in its place in the ranking. */
  discussed: z.array(z.string()),
  /** For a countdown: what zero does. */
  atZero: z.enum(COUNTDOWN_AT_ZERO),
  /** The round under way (or the last one): one code serves a day of rounds. */
  round: z.object({ n: z.number().int().min(1), title: z.string() }),
  /** The room's votes by idea for this round (frozen once it closed); null while hidden from the room, and in lists. */
  counts: tallies.nullable(),
});
export type LiveStateView = z.infer<typeof liveStateView>;

export const liveSessionView = z.object({
  code: z.string(),
  title: z.string(),
  /** The areas whose ideas it ranks; empty when its ideas were picked by hand. */
  areas: z.array(areaSlug),
  /** The ideas picked by hand; empty when it ranks areas. */
  ideaIds: z.array(z.string()),
  roomIdeas: z.boolean(),
  voting: voters,
  /** Draft (not listed, not joinable, editable), then open, paused or closed, and archived at the end. */
  state: z.enum(LIVE_STATES),
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
  /** The room's votes: cast in this round with the session's code. */
  votes: z.number().int().min(0),
  /** The idea's votes online, on the board (not the room's): as they stood when the round closed. */
  online: z.number().int().min(0),
  /** Votes online staff voided (a flagged burst): stored, but not in `online`. */
  voided: z.number().int().min(0),
  discussed: z.boolean(),
  /** Null for results frozen before the board kept groups. */
  groups: groupVotes.nullable(),
});
export type LiveResultRow = z.infer<typeof liveResultRow>;

/** One round's ranking: frozen when it closed (`closedAt`), or as it stands while it runs. */
export const liveRoundResults = z.object({
  n: z.number().int().min(1),
  title: z.string(),
  closedAt: z.string().nullable(),
  /** True while the round's counts are hidden from the room: then no rows, but for facilitators. */
  hidden: z.boolean(),
  rows: z.array(liveResultRow),
  /** Every idea's votes by group, added up; null while any row has no breakdown. */
  groups: groupVotes.nullable(),
});
export type LiveRoundResults = z.infer<typeof liveRoundResults>;

/** Every round of the session, first to last; `final`, `closedAt`, `rows` and `groups` are the last round's. */
export const liveResults = z.object({
  session: liveSessionView,
  final: z.boolean(),
  closedAt: z.string().nullable(),
  rows: z.array(liveResultRow),
  groups: groupVotes.nullable(),
  rounds: z.array(liveRoundResults),
});
export type LiveResults = z.infer<typeof liveResults>;
