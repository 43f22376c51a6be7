/** The campaign's results, its report, sealed rounds and a person's own data. */

import { z } from 'zod';
import { GROUP_REST, IDEA_PROGRESS_SLUGS, STAKEHOLDER_SLUGS } from '../vocabulary.js';
import { areaSlug, byline } from './common.js';

const groupKey = z.enum([...STAKEHOLDER_SLUGS, ...GROUP_REST]);

/** The strongest argument on one side: the top comment of that stance by helpful marks. */
export const leadArgument = z.object({ id: z.string(), body: z.string(), author: byline, helpful: z.number().int().min(0) });
export type LeadArgument = z.infer<typeof leadArgument>;

export const resultIdea = z.object({
  id: z.string(),
  title: z.string(),
  /** Votes on the board (today these include votes cast with a session code). */
  online: z.number().int().min(0),
  /** Votes cast in live sessions' own ballots (0 until sessions keep their own; see conference/room-votes.ts). */
  room: z.number().int().min(0),
  comments: z.number().int().min(0),
  /** Arguments (top-level comments) for and against. */
  balance: z.object({ for: z.number().int().min(0), against: z.number().int().min(0) }),
  status: z.enum(IDEA_PROGRESS_SLUGS),
  lead: z.object({ for: leadArgument.nullable(), against: leadArgument.nullable() }),
});
export type ResultIdea = z.infer<typeof resultIdea>;

/** Cumulative votes of one idea over time: votes so far at each moment. */
export const voteSeries = z.object({ ideaId: z.string(), title: z.string(), points: z.array(z.object({ at: z.string(), votes: z.number().int().min(0) })) });
export type VoteSeries = z.infer<typeof voteSeries>;

export const resultArea = z.object({
  slug: areaSlug,
  title: z.string(),
  question: z.string(),
  ideas: z.array(resultIdea),
  charts: z.object({
    /** The top ideas' votes over time (voided votes left out). */
    timeline: z.array(voteSeries),
    members: z.number().int().min(0),
    guests: z.number().int().min(0),
    /** Members' votes by stakeholder group, small groups folded into `other` or `unsaid`. */
    groups: z.array(z.object({ group: groupKey, votes: z.number().int().min(0) })),
  }),
});
export type ResultArea = z.infer<typeof resultArea>;

/** A closed round's frozen results, written once as canonical JSON; `sha256` is of those bytes. */
export const sealView = z.object({ code: z.string(), round: z.number().int().min(1), title: z.string(), closedAt: z.string(), sha256: z.string(), url: z.string() });
export type SealView = z.infer<typeof sealView>;

export const campaignResults = z.object({
  areas: z.array(resultArea),
  sealed: z.array(sealView),
  /** When the charts were last drawn from the votes (at most once a minute). */
  chartsAt: z.string(),
  generatedAt: z.string(),
});
export type CampaignResults = z.infer<typeof campaignResults>;

export const reportSession = z.object({
  code: z.string(),
  title: z.string(),
  closedAt: z.string(),
  rows: z.array(z.object({ rank: z.number().int(), title: z.string(), area: areaSlug, votes: z.number().int(), voided: z.number().int() })),
  sealed: sealView.nullable(),
});

export const conferenceReport = z.object({
  campaign: z.object({ title: z.string(), date: z.string(), place: z.string(), about: z.string() }),
  areas: z.array(resultArea.pick({ slug: true, title: true, question: true }).extend({ ideas: z.array(resultIdea) })),
  sessions: z.array(reportSession),
  evidence: z.array(z.object({ headline: z.string(), source: z.string(), year: z.number().nullable(), url: z.string().nullable(), areas: z.array(areaSlug) })),
  supporters: z.array(z.object({ name: z.string(), website: z.string().nullable() })),
  method: z.object({
    votes: z.number().int().min(0),
    members: z.number().int().min(0),
    guests: z.number().int().min(0),
    voided: z.number().int().min(0),
    takenDown: z.array(z.object({ kind: z.string(), reason: z.string(), count: z.number().int().min(0) })),
  }),
  generatedAt: z.string(),
});
export type ConferenceReport = z.infer<typeof conferenceReport>;

/** `keepPosts` in a JSON body, or as `?keepPosts=true` (a form or a query string sends text). */
export const accountDelete = z.object({
  keepPosts: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ message: 'keepPosts must be true or false' })),
});

/** Everything a member contributed, for them to take away. */
export const profileExport = z.object({
  exportedAt: z.string(),
  profile: z.object({ id: z.string(), email: z.string().nullable(), name: z.string().nullable(), anonymous: z.boolean(), group: z.string().nullable(), organisation: z.string().nullable(), createdAt: z.string() }),
  ideas: z.array(z.object({ id: z.string(), area: z.string(), title: z.string(), body: z.string(), status: z.string(), createdAt: z.string() })),
  comments: z.array(z.object({ id: z.string(), ideaId: z.string(), stance: z.string(), body: z.string(), status: z.string(), createdAt: z.string() })),
  votes: z.array(z.object({ ideaId: z.string(), createdAt: z.string() })),
  reports: z.array(z.object({ kind: z.enum(['idea', 'comment']), itemId: z.string(), reason: z.string(), createdAt: z.string() })),
});
export type ProfileExport = z.infer<typeof profileExport>;
