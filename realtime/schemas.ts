import { z } from 'zod';
import {
  AREA_SLUGS,
  COUNTDOWN_MAX_SECONDS,
  COMMENT_BODY_MAX,
  COMMENT_BODY_MIN,
  IDEA_PROGRESS_SLUGS,
  STANCES,
  EVIDENCE_KIND_SLUGS,
  REVIEW_STATES,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  LIVE_ACTIONS,
  LIVE_IDEA_ACTIONS,
  LIVE_IDEAS_MAX,
  LIVE_STATES,
  LIVE_VIEWS,
  HIDDEN_BY,
  IDEA_BODY_MAX,
  IDEA_STATUSES,
  IDEA_TITLE_MAX,
  IDEA_TITLE_MIN,
  NAME_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  REPORT_REASONS,
  ROLES,
  SORTS,
  STAKEHOLDER_SLUGS,
  GROUP_REST,
  USER_KINDS,
  VOTERS,
} from './vocabulary.js';

export * from './vocabulary.js';

export const areaSlug = z.enum(AREA_SLUGS, { message: 'area must be one of: ' + AREA_SLUGS.join(', ') });

export const objectId = z
  .string({ message: 'an id is required' })
  .regex(/^[0-9a-f]{24}$/i, 'not a valid id')
  .transform((id) => id.toLowerCase());

/**
 * Trims, drops control characters and bidirectional overrides (which can disguise text), and for
 * single-line fields folds every run of white space, so "   " cannot pass as a title.
 */
const cleanText = (field: string, max: number, min: number, singleLine: boolean) =>
  z
    .string({ message: `${field} must be text` })
    .transform((s) => {
      const cleaned = s.normalize('NFC').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, '');
      return (singleLine ? cleaned.replace(/\s+/g, ' ') : cleaned).trim();
    })
    .pipe(
      z
        .string()
        .min(min, min === 1 ? `${field} is required` : `${field} needs at least ${min} characters`)
        .max(max, `${field} must be at most ${max} characters`),
    );

const ideaTitle = cleanText('title', IDEA_TITLE_MAX, IDEA_TITLE_MIN, true);
const ideaBody = cleanText('body', IDEA_BODY_MAX, 0, false);

// ---- Inputs -----------------------------------------------------------------------------------

/** Commands that carry nothing: anything but an empty object is refused. */
export const noArguments = z.object({}).default({});

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
  limit: z.coerce
    .number({ message: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(100, 'limit must be at most 100')
    .default(50),
  cursor: z.string().max(200, 'cursor is too long').optional(),
});
export type IdeaListQuery = z.infer<typeof ideaListQuery>;

/** A join code as people type it: any case, spaces and dashes ignored. */
export const liveCode = z
  .string({ message: 'a join code is required' })
  .transform((code) => code.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`), `a join code is ${JOIN_CODE_LENGTH} letters and digits, as shown on the screen`));

/** A vote on the board, or, with a live session's code, in that session (refused unless it is open and the idea in it). */
export const voteTarget = z.object({ ideaId: objectId, code: liveCode.optional() });
export type VoteTarget = z.infer<typeof voteTarget>;

export const reportInput = z.object({
  ideaId: objectId,
  reason: z.enum(REPORT_REASONS, { message: 'reason must be one of: ' + REPORT_REASONS.join(', ') }),
});
export type ReportInput = z.infer<typeof reportInput>;

/** Some ideas of one page of a board, to ask what this person did with them. */
export const ideasQuery = z.object({ ideaIds: z.array(objectId).max(200, 'at most 200 ideas at once') });

export const areaQuery = z.object({ area: areaSlug });

export const facilitatorSignIn = z.object({
  code: z.string({ message: 'code is required' }).trim().min(1, 'code is required').max(200, 'code is too long'),
});

const voters = z.enum(VOTERS, { message: 'voting must be everyone or members' });

export const boardSettings = z.object({ reviewNewIdeas: z.boolean({ message: 'reviewNewIdeas must be true or false' }), voting: voters });
export type BoardSettingsView = z.infer<typeof boardSettings>;
/** A facilitator flips one switch or both. */
export const boardSettingsChange = boardSettings.partial().refine((v) => v.reviewNewIdeas !== undefined || v.voting !== undefined, {
  message: 'nothing to change: send reviewNewIdeas or voting',
});
export type BoardSettingsChange = z.infer<typeof boardSettingsChange>;

export const moderationSearch = z.object({
  q: z.string({ message: 'q is required' }).trim().min(2, 'type at least 2 characters').max(100, 'q must be at most 100 characters'),
});

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
    seconds: z.coerce
      .number()
      .int('seconds must be a whole number')
      .min(0, 'seconds cannot be negative')
      .max(COUNTDOWN_MAX_SECONDS, 'a countdown lasts at most an hour')
      .optional(),
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

export const boardWatch = z.object({ area: areaSlug.optional() }).default({});
export type BoardWatch = z.infer<typeof boardWatch>;

// ---- Views: what the server answers -----------------------------------------------------------

export const sessionUser = z.object({
  id: z.string(),
  kind: z.enum(USER_KINDS),
  role: z.enum(ROLES),
  /** A member's display name; null for guests. */
  name: z.string().nullable(),
  /** The organisation an admin confirmed they belong to. */
  organisation: z.string().nullable(),
});
export type SessionUser = z.infer<typeof sessionUser>;

/** Who put an idea forward, as everyone sees it: no name for guests and people posting anonymously. */
export const byline = z.object({ name: z.string().nullable(), organisation: z.string().nullable() });
export type Byline = z.infer<typeof byline>;

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

export const voteResult = z.object({ ideaId: z.string(), votes: z.number().int().min(0), votedByMe: z.boolean() });
export type VoteResult = z.infer<typeof voteResult>;

export const ideaPage = z.object({ ideas: z.array(ideaView), next: z.string().nullable() });
export type IdeaPage = z.infer<typeof ideaPage>;

/** Vote counts by idea id; a tally carries only the ideas whose counts moved (ids as keys keep the frame small). */
export const tallies = z.record(z.string(), z.number());
export type Tallies = z.infer<typeof tallies>;

export const boardSnapshot = z.object({ area: areaSlug.nullable(), ideas: z.array(ideaView), areas: z.array(areaCount) });
export type BoardSnapshot = z.infer<typeof boardSnapshot>;

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


// ---- Live sessions ----------------------------------------------------------------------------

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

// ---- Accounts ---------------------------------------------------------------------------------

export const email = z
  .string({ message: 'email is required' })
  .trim()
  .toLowerCase()
  .max(254, 'email is too long')
  .pipe(z.email({ message: 'that does not look like an e-mail address' }));

/** Length only: the server also refuses the commonest passwords, from a list too long to send to browsers. */
export const password = z
  .string({ message: 'password is required' })
  .min(PASSWORD_MIN, `password needs at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `password must be at most ${PASSWORD_MAX} characters`);

export const displayName = cleanText('name', NAME_MAX, 1, true);

export const signupInput = z.object({ email, password, name: displayName });
export const signinInput = z.object({ email, password: z.string({ message: 'password is required' }).min(1, 'password is required').max(PASSWORD_MAX) });
export const passwordChange = z.object({ current: z.string({ message: 'current password is required' }).min(1, 'current password is required').max(PASSWORD_MAX), password });
export const resetRequest = z.object({ email });
export const tokenInput = z.object({ token: z.string({ message: 'the link is incomplete' }).regex(/^[a-z2-7]{32}$/, 'the link is incomplete: open it from the e-mail') });
export const resetInput = tokenInput.extend({ password });

export const stakeholderGroup = z.enum(STAKEHOLDER_SLUGS, { message: 'group must be one of: ' + STAKEHOLDER_SLUGS.join(', ') });
export const profileChange = z
  .object({ name: displayName.optional(), anonymous: z.boolean({ message: 'anonymous must be true or false' }).optional(), group: stakeholderGroup.nullable().optional() })
  .refine((v) => v.name !== undefined || v.anonymous !== undefined || v.group !== undefined, { message: 'nothing to change: send name, anonymous or group' });
export type ProfileChange = z.infer<typeof profileChange>;

export const organisationSlug = z.string({ message: 'organisation is required' }).regex(/^[a-z0-9-]{1,60}$/, 'not an organisation of the campaign');
export const affiliationInput = z.object({ organisation: organisationSlug });

export const organisationView = z.object({ slug: z.string(), name: z.string(), about: z.string(), website: z.string().nullable() });
export type OrganisationView = z.infer<typeof organisationView>;

export const profileView = z.object({
  id: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  name: z.string(),
  /** Post without the name by default: ideas then say "Anonymous participant" (staff still see who). */
  anonymous: z.boolean(),
  group: stakeholderGroup.nullable(),
  role: z.enum(ROLES),
  organisation: organisationView.nullable(),
  /** An affiliation this person asked for, waiting for an admin. */
  requested: organisationView.nullable(),
});
export type ProfileView = z.infer<typeof profileView>;

export const adminUsersQuery = z.object({ q: z.string().trim().max(100, 'q must be at most 100 characters').default('') });
export const roleChange = z.object({ userId: objectId, role: z.enum(ROLES, { message: 'role must be one of: ' + ROLES.join(', ') }) });
export const affiliationDecision = z.object({ userId: objectId, decision: z.enum(['approve', 'decline'], { message: 'decision must be approve or decline' }) });

export const adminUserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  group: stakeholderGroup.nullable(),
  organisation: organisationView.nullable(),
  requested: organisationView.nullable(),
  createdAt: z.string(),
});
export type AdminUserView = z.infer<typeof adminUserView>;

/** Votes per idea split by who cast them, so staff can see a burst of guest votes. */
export const tallySplit = z.record(z.string(), z.object({ members: z.number().int().min(0), guests: z.number().int().min(0) }));
export type TallySplit = z.infer<typeof tallySplit>;
export const tallySplitQuery = z.object({
  ideaIds: z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(objectId).max(LIVE_IDEAS_MAX, `at most ${LIVE_IDEAS_MAX} ideas`)),
});

// ---- The campaign: evidence, supporters, the conference ----------------------------------------

/** A link people may follow: http(s) only, so a `javascript:` or `data:` address is never a link. */
export const webLink = z
  .string({ message: 'link must be text' })
  .trim()
  .max(500, 'link must be at most 500 characters')
  .refine((v) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(v), { message: 'link must start with http:// or https://' });
const optionalLink = z.preprocess((v) => (v === '' || v === null ? undefined : v), webLink.optional());
const optionalEmail = z.preprocess((v) => (v === '' || v === null ? undefined : v), email.optional());
const text = (field: string, max: number, min = 1) => cleanText(field, max, min, false);
const line = (field: string, max: number, min = 1) => cleanText(field, max, min, true);
const evidenceKind = z.enum(EVIDENCE_KIND_SLUGS, { message: 'kind must be one of: ' + EVIDENCE_KIND_SLUGS.join(', ') });
const year = z.coerce.number({ message: 'year must be a number' }).int('year must be a whole number').min(1900, 'year is too early').max(2100, 'year is too late');

export const evidenceQuery = z.object({ area: areaSlug.optional() });

export const evidenceInput = z.object({
  headline: line('headline', 160, 3),
  summary: text('summary', 1200, 10),
  source: z.object({
    organisation: line('source organisation', 120),
    title: line('source title', 200),
    year: year.nullable().optional(),
    url: optionalLink,
  }),
  areas: z.array(areaSlug).min(1, 'choose at least one challenge').max(5),
  kind: evidenceKind,
});
export type EvidenceInput = z.infer<typeof evidenceInput>;
export const evidenceEdit = z.object({ evidenceId: objectId }).and(evidenceInput.partial());
export const evidenceTarget = z.object({ evidenceId: objectId });

export const evidenceItem = z.object({
  id: z.string(),
  headline: z.string(),
  summary: z.string(),
  source: z.object({ organisation: z.string(), title: z.string(), year: z.number().nullable(), url: z.string().nullable() }),
  areas: z.array(areaSlug),
  kind: evidenceKind,
  /** For analysis sent in by the public and published by staff: who made it, as they gave it. */
  submittedBy: z.string().nullable(),
  retired: z.boolean(),
  createdAt: z.string(),
});
export type EvidenceItem = z.infer<typeof evidenceItem>;

/** "Send us your analysis": markup stays text; the e-mail is for staff only, never shown publicly. */
export const submissionInput = z.object({
  title: line('title', 200, 3),
  summary: text('summary', 2000, 10),
  url: optionalLink,
  author: z.preprocess((v) => (v === '' || v === null ? undefined : v), line('who made it', 120).optional()),
  email: optionalEmail,
});
export const submissionTarget = z.object({ submissionId: objectId });
/** The challenges the published item bears on: its area pages show it beside their ideas. */
export const submissionPublish = submissionTarget.extend({ areas: z.array(areaSlug).max(AREA_SLUGS.length).default([]) });
export const submissionDecline = submissionTarget.extend({ reason: text('reason', 500, 3) });
/** What the person who sent it sees: never the e-mail. */
export const submissionView = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  url: z.string().nullable(),
  author: z.string().nullable(),
  status: z.enum(REVIEW_STATES),
  /** Why staff declined it: the submitter sees it. */
  reason: z.string().nullable(),
  evidenceId: z.string().nullable(),
  createdAt: z.string(),
});
export type SubmissionView = z.infer<typeof submissionView>;
/** What staff see: the private contact e-mail too. */
export const submissionStaffView = submissionView.extend({ email: z.string().nullable() });

export const supporterView = organisationView.extend({ joinedAt: z.string() });
export const organisationRequestInput = z.object({
  name: line('organisation name', 120, 2),
  website: optionalLink,
  contact: line('contact person', 120, 2),
  email,
  statement: text('statement of support', 2000, 10),
});
export const organisationRequestTarget = z.object({ requestId: objectId });
export const organisationRequestDecline = organisationRequestTarget.extend({ reason: text('reason', 500, 3).optional() });
export const organisationEdit = z.object({ slug: organisationSlug, about: line('about', 300, 3).optional(), website: optionalLink.nullable() });
/** What the requester sees back: no e-mail. */
export const organisationRequestView = z.object({ id: z.string(), name: z.string(), website: z.string().nullable(), status: z.enum(REVIEW_STATES), createdAt: z.string() });
/** What staff see. */
export const organisationRequestStaffView = organisationRequestView.extend({ contact: z.string(), email: z.string(), statement: z.string(), reason: z.string().nullable() });

export const conferenceInfo = z.object({
  /** When and where, as staff write them ("Saturday 11 July 2026"), so any format reads right. */
  date: z.string(),
  place: z.string(),
  about: z.string(),
});
export const conferenceEdit = z.object({ date: line('date', 120), place: line('place', 200), about: text('about', 2000, 10) }).partial().refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

// ---- Discussion --------------------------------------------------------------------------------

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

export const similarQuery = z.object({ area: areaSlug.optional(), text: z.string().trim().min(3, 'type a few words').max(IDEA_BODY_MAX + IDEA_TITLE_MAX) });
export const mergeInput = z.object({ ideaId: objectId, into: objectId });
export const progressInput = z.object({ ideaId: objectId, status: ideaProgress });

/** An idea's page: the idea, or where a merged duplicate now lives. */
export const ideaPageView = z.object({ idea: ideaView, mergedInto: z.string().nullable() });

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
