import { z } from 'zod';
import { noArguments, type SessionUser, sessionUser } from './schemas/common.js';
import { areaCount, areaQuery, areaView, boardSettings, boardSettingsChange, boardSnapshot, boardWatch, createdIdea, ideaEdit, ideaInput, ideaListQuery, ideaPage, ideaPageView, ideasQuery, ideaTarget, ideaView, mergeInput, ownIdeaOffBoard, progressInput, similarQuery, tallySplit, tallySplitQuery, voteResult, voteTarget } from './schemas/board.js';
import { commentInput, commentReport, commentTarget, commentView, discussion, notificationView, ownCommentOffBoard } from './schemas/discussion.js';
import {
  appealDecide,
  appealStaffItem,
  appealStatus,
  appealTarget,
  appealView,
  commentAppeal,
  commentModerationItem,
  flagDecision,
  flagTarget,
  ideaAppeal,
  logPage,
  logQuery,
  moderationItem,
  moderationSearch,
  reportInput,
  reportResult,
  suspensionInput,
  suspensionTarget,
  suspensionView,
  termPut,
  termTarget,
  termView,
  termsImport,
  termsImportResult,
  termsTest,
  termsTestResult,
  voteFlagView,
} from './schemas/moderation.js';
import { adminUsersQuery, adminUserView, affiliationDecision, affiliationInput, facilitatorSignIn, passwordChange, profileChange, profileView, resetInput, resetRequest, roleChange, signinInput, signupInput, tokenInput } from './schemas/accounts.js';
import { liveControl, liveCreate, liveEdit, liveIdeaInput, liveResults, liveRoundResults, liveSessionView, liveSnapshot, liveStateView, liveTarget } from './schemas/conference.js';
import { conferenceEdit, conferenceInfo, evidenceEdit, evidenceInput, evidenceItem, evidenceQuery, evidenceTarget, organisationEdit, organisationRequestDecline, organisationRequestInput, organisationRequestStaffView, organisationRequestTarget, organisationRequestView, submissionDecline, submissionInput, submissionPublish, submissionStaffView, submissionView, supporterView } from './schemas/campaign.js';
import { accountDelete, campaignResults, conferenceReport, profileExport, sealView } from './schemas/results.js';
import { VOTERS } from './vocabulary.js';
import type { ErrorCode, Role } from './vocabulary.js';

/**
 * Who may call a command: `anyone`, even without a session; a `participant` (any session: the pages
 * start a guest session on a first write, the API and sockets ask for one first); a `member` (signed
 * in to an account); or a staff role and those above it (see ROLES). The server checks it on every
 * call, whichever way the call came in.
 */
export type Who = 'anyone' | 'participant' | 'member' | Exclude<Role, 'participant'>;

export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /api. Its `:params` join the JSON body (or, for GET and DELETE, the query) as the input. */
  path: string;
  status?: 200 | 201 | 202 | 204;
}

interface CommandSpec {
  input: z.ZodType;
  result: z.ZodType;
  who: Who;
  /** A REST route for it. */
  http?: HttpRoute;
  /** An acked Socket.IO command of the same name. */
  socket?: true;
  /** Load functions and form actions may call it. */
  page?: true;
  /**
   * A write (any route but GET) that a suspended person may still make: signing out, reading their
   * notifications, appealing. Every other write answers them SUSPENDED.
   */
  whileSuspended?: true;
}

/** Writes are the commands with a route other than GET; the dispatcher refuses them to suspended people. */
export const isSuspendable = (spec: CommandSpec): boolean => spec.http !== undefined && spec.http.method !== 'GET' && !spec.whileSuspended;

/** Keeps each row's exact types (its schemas, its `who`, which ways in), so the adapters and clients are typed from it. */
const command = <const S extends CommandSpec>(spec: S): S => spec;

const itemResult = z.object({ item: moderationItem });
const userResult = z.object({ user: sessionUser });

/**
 * Every command, declared once: its input, who may call it, its result and the ways in. The server's
 * table (server/commands.ts) maps each name to a service call, and the adapters for Socket.IO, HTTP
 * and the SvelteKit pages are generated from these rows.
 */
export const COMMANDS = {
  'session:get': command({
    input: noArguments,
    result: z.object({ user: sessionUser }),
    who: 'anyone',
    http: { method: 'GET', path: '/session' },
    page: true,
  }),
  /** Signing out: this browser's session ends, and every socket it opened is disconnected. */
  'session:end': command({
    input: noArguments,
    result: z.null(),
    who: 'anyone',
    http: { method: 'DELETE', path: '/session', status: 204 },
    page: true,
    whileSuspended: true,
  }),
  /** A new session for the same person, as a facilitator; the one the browser held ends. */
  'facilitator:sign-in': command({
    input: facilitatorSignIn,
    result: z.object({ user: sessionUser }),
    who: 'participant',
    http: { method: 'POST', path: '/facilitator/session' },
    page: true,
  }),
  'areas:list': command({ input: noArguments, result: z.array(areaView), who: 'anyone', http: { method: 'GET', path: '/areas' }, page: true }),
  'area:get': command({ input: areaQuery, result: areaView, who: 'anyone', page: true }),
  'ideas:list': command({ input: ideaListQuery, result: ideaPage, who: 'anyone', http: { method: 'GET', path: '/ideas' }, page: true }),
  /** Ideas like a text being typed ("vote for one of these instead?"). Declared before idea:get: its route would take "similar" for an id. */
  'ideas:similar': command({ input: similarQuery, result: z.object({ ideas: z.array(ideaView) }), who: 'anyone', http: { method: 'GET', path: '/ideas/similar' }, page: true }),
  /** An idea on the board; a merged duplicate answers with `mergedInto`, the idea it now counts towards. */
  'idea:get': command({ input: ideaTarget, result: ideaPageView, who: 'anyone', http: { method: 'GET', path: '/ideas/:ideaId' }, page: true }),
  'idea:create': command({
    input: ideaInput,
    result: createdIdea,
    who: 'participant',
    http: { method: 'POST', path: '/ideas', status: 201 },
    socket: true,
    page: true,
  }),
  /** Its author rewords it. */
  'idea:edit': command({
    input: ideaEdit,
    /** `pending`: word screening held the new words, and the idea is off the board until a moderator publishes it again. */
    result: z.object({ idea: ideaView, pending: z.literal(true).optional() }),
    who: 'participant',
    http: { method: 'PATCH', path: '/ideas/:ideaId' },
    socket: true,
    page: true,
  }),
  /** Its author takes it off the board. */
  'idea:withdraw': command({
    input: ideaTarget,
    result: z.object({ ideaId: z.string(), withdrawn: z.literal(true) }),
    who: 'participant',
    http: { method: 'DELETE', path: '/ideas/:ideaId' },
    socket: true,
    page: true,
  }),
  'vote:cast': command({ input: voteTarget, result: voteResult, who: 'participant', http: { method: 'PUT', path: '/ideas/:ideaId/vote' }, socket: true, page: true }),
  'vote:retract': command({ input: voteTarget, result: voteResult, who: 'participant', http: { method: 'DELETE', path: '/ideas/:ideaId/vote' }, socket: true, page: true }),
  'idea:report': command({ input: reportInput, result: reportResult, who: 'participant', http: { method: 'POST', path: '/ideas/:ideaId/report' }, socket: true, page: true }),
  /** Which of these ideas this person has reported, so a page thanks them again rather than offering the form. */
  'reports:mine': command({ input: ideasQuery, result: z.object({ ideaIds: z.array(z.string()) }), who: 'participant', page: true }),
  /** Which of these ideas this person put forward: they may reword or withdraw them. */
  'ideas:mine': command({ input: ideasQuery, result: z.object({ ideaIds: z.array(z.string()) }), who: 'participant', page: true }),
  /** This person's latest ideas in an area that are not on the board, and why. */
  'ideas:off-board': command({ input: areaQuery, result: z.object({ ideas: z.array(ownIdeaOffBoard) }), who: 'participant', page: true }),
  /** Whether new ideas wait for a facilitator (the idea form says so) and who may vote. */
  'board:settings': command({ input: noArguments, result: boardSettings, who: 'anyone', page: true }),
  'moderation:queue': command({
    input: noArguments,
    result: z.object({
      items: z.array(moderationItem),
      /** Comments taken down by reports first, then held or reported ones, then those staff decided. */
      comments: z.array(commentModerationItem),
      /** Analysis sent in and organisations asking to join, waiting first: the one staff queue. */
      submissions: z.array(submissionStaffView),
      requests: z.array(organisationRequestStaffView),
      /** Authors' appeals waiting for a moderator, oldest first. */
      appeals: z.array(appealStaffItem),
      /** Suspensions in force, latest first. */
      suspensions: z.array(suspensionView),
      reviewNewIdeas: z.boolean(),
      voting: z.enum(VOTERS),
      reportThreshold: z.number(),
    }),
    who: 'moderator',
    http: { method: 'GET', path: '/moderation' },
    page: true,
  }),
  /** Every idea on the board whose title or words hold `q`, to take down one nobody reported. */
  'moderation:search': command({
    input: moderationSearch,
    result: z.object({ items: z.array(moderationItem) }),
    who: 'moderator',
    http: { method: 'GET', path: '/moderation/search' },
    page: true,
  }),
  'moderation:settings': command({
    input: boardSettingsChange,
    result: boardSettings,
    who: 'moderator',
    http: { method: 'PUT', path: '/moderation/settings' },
    page: true,
  }),
  /** Word screening's list: the built-in words and staff's terms, each with what it does. */
  'moderation:terms': command({ input: noArguments, result: z.object({ terms: z.array(termView) }), who: 'moderator', http: { method: 'GET', path: '/moderation/terms' }, page: true }),
  /** Adds a term, or changes what a term (a built-in word too) does. */
  'moderation:term-put': command({ input: termPut, result: z.object({ term: termView }), who: 'moderator', http: { method: 'PUT', path: '/moderation/terms/:term' }, page: true }),
  /** A staff term goes; a built-in word goes back to what it does by default (`now`). */
  'moderation:term-delete': command({
    input: termTarget,
    result: z.object({ term: z.string(), now: termView.nullable() }),
    who: 'moderator',
    http: { method: 'DELETE', path: '/moderation/terms/:term' },
    page: true,
  }),
  'moderation:terms-test': command({ input: termsTest, result: termsTestResult, who: 'moderator', http: { method: 'POST', path: '/moderation/terms/test' }, page: true }),
  'moderation:terms-import': command({ input: termsImport, result: termsImportResult, who: 'moderator', http: { method: 'POST', path: '/moderation/terms/import' }, page: true }),
  /** The list as CSV text (`GET /api/moderation/terms.csv` serves it as a file). */
  'moderation:terms-csv': command({ input: noArguments, result: z.object({ csv: z.string() }), who: 'moderator', page: true }),
  'idea:publish': command({ input: ideaTarget, result: itemResult, who: 'moderator', http: { method: 'POST', path: '/ideas/:ideaId/publish' }, socket: true, page: true }),
  'idea:hide': command({ input: ideaTarget, result: itemResult, who: 'moderator', http: { method: 'POST', path: '/ideas/:ideaId/hide' }, socket: true, page: true }),
  'idea:restore': command({ input: ideaTarget, result: itemResult, who: 'moderator', http: { method: 'POST', path: '/ideas/:ideaId/restore' }, socket: true, page: true }),
  /** Staff agree with a take-down: the idea stays down and leaves the queue. */
  'idea:confirm': command({ input: ideaTarget, result: itemResult, who: 'moderator', http: { method: 'POST', path: '/ideas/:ideaId/confirm' }, page: true }),
  /** Bursts of votes flagged live, open ones first: each idea's burst from one network, or from fresh one-vote sessions. */
  'moderation:flags': command({ input: noArguments, result: z.object({ flags: z.array(voteFlagView) }), who: 'moderator', http: { method: 'GET', path: '/moderation/flags' }, socket: true, page: true }),
  /** The flag's votes stop counting everywhere (tallies, rankings, results); reversible with `flag:unvoid`. */
  'flag:void': command({ input: flagTarget, result: flagDecision, who: 'moderator', http: { method: 'POST', path: '/moderation/flags/:flagId/void' }, socket: true, page: true }),
  'flag:unvoid': command({ input: flagTarget, result: flagDecision, who: 'moderator', http: { method: 'POST', path: '/moderation/flags/:flagId/unvoid' }, socket: true, page: true }),
  /** The public moderation log, newest first, 50 a page: no names, no e-mails. Also `GET /api/moderation/log.csv`. */
  'moderation:log': command({ input: logQuery, result: logPage, who: 'anyone', http: { method: 'GET', path: '/moderation/log' }, page: true }),
  /** The author of an idea taken down, held or declined appeals once. */
  'idea:appeal': command({ input: ideaAppeal, result: z.object({ appeal: appealView }), who: 'participant', http: { method: 'POST', path: '/ideas/:ideaId/appeal', status: 201 }, page: true, whileSuspended: true }),
  'comment:appeal': command({ input: commentAppeal, result: z.object({ appeal: appealView }), who: 'participant', http: { method: 'POST', path: '/comments/:commentId/appeal', status: 201 }, page: true, whileSuspended: true }),
  /** What the author of an item sees of it: where it stands, why, and their appeal. */
  'appeal:get': command({ input: appealTarget, result: appealStatus, who: 'participant', page: true }),
  'moderation:appeal-decide': command({ input: appealDecide, result: z.object({ appeal: appealView }), who: 'moderator', http: { method: 'POST', path: '/moderation/appeals/:appealId/decision' }, page: true }),
  'moderation:suspend': command({ input: suspensionInput, result: z.object({ suspension: suspensionView }), who: 'moderator', http: { method: 'POST', path: '/moderation/suspensions', status: 201 }, page: true }),
  'moderation:lift': command({ input: suspensionTarget, result: z.object({ suspension: suspensionView }), who: 'admin', http: { method: 'DELETE', path: '/moderation/suspensions/:suspensionId' }, page: true }),
  /** A new account; the guest session's ideas, votes and reports come along. Sends the address a link to confirm it. */
  /** Answers the same whether or not the address has an account: the account is made when the e-mailed link is opened (auth:verify). */
  'auth:signup': command({ input: signupInput, result: z.object({ sent: z.literal(true) }), who: 'anyone', http: { method: 'POST', path: '/auth/signup', status: 202 }, page: true }),
  /** The same answer, after the same time, for an unknown address as for a wrong password. */
  'auth:signin': command({ input: signinInput, result: userResult, who: 'anyone', http: { method: 'POST', path: '/auth/signin' }, page: true }),
  'auth:signout': command({ input: noArguments, result: z.null(), who: 'anyone', http: { method: 'POST', path: '/auth/signout', status: 204 }, page: true, whileSuspended: true }),
  /** Every session of this account ends, on every device, with its sockets. */
  'auth:signout-everywhere': command({ input: noArguments, result: z.null(), who: 'member', http: { method: 'POST', path: '/auth/signout-everywhere', status: 204 }, page: true, whileSuspended: true }),
  /** A new password; every other session of the account ends. */
  'auth:password': command({ input: passwordChange, result: userResult, who: 'member', http: { method: 'POST', path: '/auth/password' }, page: true }),
  /** Sends a reset link if the address has an account; the answer never says whether it has. */
  'auth:reset-request': command({ input: resetRequest, result: z.object({ sent: z.literal(true) }), who: 'anyone', http: { method: 'POST', path: '/auth/reset-request', status: 202 }, page: true }),
  /** A reset link works once: a new password, every session ended, and this browser signed in. */
  'auth:reset': command({ input: resetInput, result: userResult, who: 'anyone', http: { method: 'POST', path: '/auth/reset' }, page: true }),
  /** Opens an e-mailed sign-up link: makes the account and signs this browser in (`user`); an older confirmation link only confirms (`user: null`). */
  'auth:verify': command({ input: tokenInput, result: z.object({ verified: z.literal(true), user: sessionUser.nullable() }), who: 'anyone', http: { method: 'POST', path: '/auth/verify' }, page: true }),
  'profile:get': command({ input: noArguments, result: profileView, who: 'member', http: { method: 'GET', path: '/profile' }, page: true }),
  'profile:update': command({ input: profileChange, result: profileView, who: 'member', http: { method: 'PATCH', path: '/profile' }, page: true }),
  /** Asks an admin to confirm this person speaks for an organisation of the campaign. */
  /** Everything this member contributed, to take away. */
  'profile:export': command({ input: noArguments, result: profileExport, who: 'member', http: { method: 'GET', path: '/profile/export' }, page: true, whileSuspended: true }),
  /** Deletes the account and ends every session of it; posts stay as "former participant" or go; votes stay as counts. */
  'profile:delete': command({ input: accountDelete, result: z.null(), who: 'member', http: { method: 'DELETE', path: '/profile', status: 204 }, page: true, whileSuspended: true }),
  'profile:organisation': command({ input: affiliationInput, result: profileView, who: 'member', http: { method: 'POST', path: '/profile/organisation' }, page: true }),
  /** The organisations behind the campaign, seeded and approved, in the campaign's order then by joining. */
  'organisations:list': command({ input: noArguments, result: z.object({ organisations: z.array(supporterView) }), who: 'anyone', http: { method: 'GET', path: '/organisations' }, page: true }),
  'admin:users': command({ input: adminUsersQuery, result: z.object({ users: z.array(adminUserView) }), who: 'admin', http: { method: 'GET', path: '/admin/users' }, page: true }),
  'admin:role': command({ input: roleChange, result: z.object({ user: adminUserView }), who: 'admin', http: { method: 'PUT', path: '/admin/users/:userId/role' }, page: true }),
  'admin:affiliation': command({ input: affiliationDecision, result: z.object({ user: adminUserView }), who: 'admin', http: { method: 'POST', path: '/admin/users/:userId/affiliation' }, page: true }),
  /** Each idea's votes from members and from guests. */
  'tallies:split': command({ input: tallySplitQuery, result: z.object({ splits: tallySplit }), who: 'moderator', http: { method: 'GET', path: '/moderation/tallies' }, socket: true, page: true }),
  'evidence:list': command({ input: evidenceQuery, result: z.object({ items: z.array(evidenceItem) }), who: 'anyone', http: { method: 'GET', path: '/evidence' }, page: true }),
  'evidence:create': command({ input: evidenceInput, result: z.object({ item: evidenceItem }), who: 'moderator', http: { method: 'POST', path: '/evidence', status: 201 }, page: true }),
  'evidence:update': command({ input: evidenceEdit, result: z.object({ item: evidenceItem }), who: 'moderator', http: { method: 'PATCH', path: '/evidence/:evidenceId' }, page: true }),
  /** Findings taken off the library, for staff to bring back. */
  'evidence:retired': command({ input: noArguments, result: z.object({ items: z.array(evidenceItem) }), who: 'moderator', http: { method: 'GET', path: '/evidence/retired' }, page: true }),
  /** Off the library, kept for the record; staff can bring it back by editing it. */
  'evidence:retire': command({ input: evidenceTarget, result: z.object({ item: evidenceItem }), who: 'moderator', http: { method: 'DELETE', path: '/evidence/:evidenceId' }, page: true }),
  /** "Send us your analysis": into the staff queue; public only once a moderator publishes it. */
  'evidence:submit': command({ input: submissionInput, result: z.object({ submission: submissionView }), who: 'participant', http: { method: 'POST', path: '/evidence/submissions', status: 201 }, page: true }),
  /** This person's submissions and what became of them (a declined one with its reason). */
  'evidence:mine': command({ input: noArguments, result: z.object({ submissions: z.array(submissionView) }), who: 'participant', page: true }),
  'evidence:publish': command({ input: submissionPublish, result: z.object({ item: evidenceItem }), who: 'moderator', http: { method: 'POST', path: '/evidence/submissions/:submissionId/publish' }, page: true }),
  'evidence:decline': command({ input: submissionDecline, result: z.object({ submission: submissionStaffView }), who: 'moderator', http: { method: 'POST', path: '/evidence/submissions/:submissionId/decline' }, page: true }),
  /** "Join the campaign": an organisation asks; staff approve it onto /supporters. */
  'organisations:request': command({ input: organisationRequestInput, result: z.object({ request: organisationRequestView }), who: 'participant', http: { method: 'POST', path: '/organisations/requests', status: 201 }, page: true }),
  'organisations:approve': command({ input: organisationRequestTarget, result: z.object({ organisation: supporterView }), who: 'moderator', http: { method: 'POST', path: '/organisations/requests/:requestId/approve' }, page: true }),
  'organisations:decline': command({ input: organisationRequestDecline, result: z.object({ request: organisationRequestStaffView }), who: 'moderator', http: { method: 'POST', path: '/organisations/requests/:requestId/decline' }, page: true }),
  'organisations:update': command({ input: organisationEdit, result: z.object({ organisation: supporterView }), who: 'moderator', http: { method: 'PATCH', path: '/organisations/:slug' }, page: true }),
  'conference:get': command({ input: noArguments, result: conferenceInfo, who: 'anyone', http: { method: 'GET', path: '/conference' }, page: true }),
  'conference:update': command({ input: conferenceEdit, result: conferenceInfo, who: 'facilitator', http: { method: 'PUT', path: '/conference' }, page: true }),
  'comments:list': command({ input: ideaTarget, result: discussion, who: 'anyone', http: { method: 'GET', path: '/ideas/:ideaId/comments' }, page: true }),
  /** The caller's comments on this idea's page that are not on it, and why: so they learn what became of one and can appeal. */
  'comments:off-board': command({ input: ideaTarget, result: z.object({ comments: z.array(ownCommentOffBoard) }), who: 'participant', page: true }),
  /** An argument for or against, or a question; held like ideas while staff review new posts. */
  'comment:create': command({
    input: commentInput,
    result: z.object({ comment: commentView, pending: z.boolean() }),
    who: 'participant',
    http: { method: 'POST', path: '/ideas/:ideaId/comments', status: 201 },
    socket: true,
    page: true,
  }),
  'comment:helpful': command({ input: commentTarget, result: z.object({ commentId: z.string(), helpful: z.number(), markedByMe: z.boolean() }), who: 'participant', http: { method: 'PUT', path: '/comments/:commentId/helpful' }, socket: true, page: true }),
  'comment:unhelpful': command({ input: commentTarget, result: z.object({ commentId: z.string(), helpful: z.number(), markedByMe: z.boolean() }), who: 'participant', http: { method: 'DELETE', path: '/comments/:commentId/helpful' }, socket: true, page: true }),
  'comment:report': command({ input: commentReport, result: z.object({ commentId: z.string(), hidden: z.boolean() }), who: 'participant', http: { method: 'POST', path: '/comments/:commentId/report' }, socket: true, page: true }),
  'comment:hide': command({ input: commentTarget, result: z.object({ comment: commentView }), who: 'moderator', http: { method: 'POST', path: '/comments/:commentId/hide' }, page: true }),
  'comment:restore': command({ input: commentTarget, result: z.object({ comment: commentView }), who: 'moderator', http: { method: 'POST', path: '/comments/:commentId/restore' }, page: true }),
  'comment:publish': command({ input: commentTarget, result: z.object({ comment: commentView }), who: 'moderator', http: { method: 'POST', path: '/comments/:commentId/publish' }, page: true }),
  /** Staff agree with a take-down: the comment stays down and leaves the queue. */
  'comment:confirm': command({ input: commentTarget, result: z.object({ comment: commentView }), who: 'moderator', http: { method: 'POST', path: '/comments/:commentId/confirm' }, page: true }),
  /** A duplicate counts towards another idea: its voters once, its comments alongside; reversible. */
  'idea:merge': command({ input: mergeInput, result: z.object({ idea: ideaView }), who: 'moderator', http: { method: 'POST', path: '/ideas/:ideaId/merge' }, page: true }),
  'idea:unmerge': command({ input: ideaTarget, result: z.object({ idea: ideaView }), who: 'moderator', http: { method: 'POST', path: '/ideas/:ideaId/unmerge' }, page: true }),
  'idea:status': command({ input: progressInput, result: z.object({ idea: ideaView }), who: 'moderator', http: { method: 'PUT', path: '/ideas/:ideaId/status' }, page: true }),
  /** The idea page's live feed: `comment:*` for this idea, until the socket watches another page. */
  'idea:watch': command({ input: ideaTarget, result: discussion, who: 'anyone', socket: true }),
  'notifications:list': command({ input: noArguments, result: z.object({ notifications: z.array(notificationView), unread: z.number().int().min(0) }), who: 'participant', http: { method: 'GET', path: '/notifications' }, page: true }),
  /** Every page's header: how many are unread, from memory but for the person's "read up to". */
  'notifications:unread': command({ input: noArguments, result: z.object({ unread: z.number().int().min(0) }), who: 'participant', page: true }),
  'notifications:read': command({ input: noArguments, result: z.object({ unread: z.literal(0) }), who: 'participant', http: { method: 'POST', path: '/notifications/read' }, socket: true, page: true, whileSuspended: true }),
  /** A facilitator prepares a live session for the hall: a draft with a join code, published when ready. */
  'live:create': command({ input: liveCreate, result: liveSessionView, who: 'facilitator', http: { method: 'POST', path: '/live', status: 201 }, page: true }),
  'live:edit': command({ input: liveEdit, result: liveSessionView, who: 'facilitator', http: { method: 'PATCH', path: '/live/:code' }, page: true }),
  'live:delete': command({ input: liveTarget, result: z.object({ code: z.string(), deleted: z.literal(true) }), who: 'facilitator', http: { method: 'DELETE', path: '/live/:code' }, page: true }),
  'live:duplicate': command({ input: liveTarget, result: liveSessionView, who: 'facilitator', http: { method: 'POST', path: '/live/:code/duplicate', status: 201 }, page: true }),
  'live:list': command({ input: noArguments, result: z.object({ sessions: z.array(liveSessionView.extend({ live: liveStateView })) }), who: 'anyone', http: { method: 'GET', path: '/live' }, page: true }),
  'live:get': command({ input: liveTarget, result: liveSnapshot, who: 'anyone', http: { method: 'GET', path: '/live/:code' }, page: true }),
  /** Joins the socket to the session's screens: `live:state`, its ideas and their tallies (none while counts are hidden, except for facilitators). */
  'live:join': command({ input: liveTarget, result: liveSnapshot, who: 'anyone', socket: true }),
  'live:control': command({
    input: liveControl,
    result: liveStateView,
    who: 'facilitator',
    http: { method: 'POST', path: '/live/:code/control' },
    socket: true,
    page: true,
  }),
  'live:idea': command({
    input: liveIdeaInput,
    result: z.object({ idea: ideaView, pending: z.literal(true) }),
    who: 'participant',
    http: { method: 'POST', path: '/live/:code/ideas', status: 201 },
    socket: true,
    page: true,
  }),
  'live:results': command({ input: liveTarget, result: liveResults.extend({ sealed: sealView.nullable(), rounds: z.array(liveRoundResults.extend({ sealed: sealView.nullable() })) }), who: 'anyone', http: { method: 'GET', path: '/live/:code/results' }, page: true }),
  /** The campaign's results across its challenges, with charts' data and every sealed round. */
  'results:get': command({ input: noArguments, result: campaignResults, who: 'anyone', http: { method: 'GET', path: '/results' }, page: true }),
  /** What the conference report says (/report, /report.pdf). */
  'report:get': command({ input: noArguments, result: conferenceReport, who: 'anyone', http: { method: 'GET', path: '/report' }, page: true }),
  /** The board's top ideas with counts; from then on `idea:*`, `tally:changed` and `areas:changed` for it. Watching another board leaves the previous one. */
  'board:watch': command({ input: boardWatch, result: boardSnapshot, who: 'anyone', socket: true }),
  /** The light watch for pages that show only how many ideas each area has: then only `areas:changed`. */
  'areas:watch': command({ input: noArguments, result: z.object({ areas: z.array(areaCount) }), who: 'anyone', socket: true }),
  /** From now on this socket hears `moderation:changed` and `flags:changed`. */
  'moderation:watch': command({ input: noArguments, result: z.object({ watching: z.literal(true) }), who: 'moderator', socket: true }),
} as const;

export type Commands = typeof COMMANDS;
export type CommandName = keyof Commands;
/** What a command's handler receives: its input as parsed. */
export type CommandInput<N extends CommandName> = z.output<Commands[N]['input']>;
/** What a client sends. */
export type CommandPayload<N extends CommandName> = z.input<Commands[N]['input']>;
export type CommandResult<N extends CommandName> = z.output<Commands[N]['result']>;
export type SocketCommandName = { [N in CommandName]: Commands[N] extends { socket: true } ? N : never }[CommandName];
export type PageCommandName = { [N in CommandName]: Commands[N] extends { page: true } ? N : never }[CommandName];

/** Every command answers a socket with this; `code` comes from the vocabulary's list, `message` is for people. */
/** `terms`: with REPHRASE, the words to reword; `until`: with SUSPENDED, when the suspension ends (ISO 8601), or null for good. */
export type Ack<T> = { ok: true; data: T } | { ok: false; code: ErrorCode; message: string; terms?: string[]; until?: string | null };
export type AckFn<T> = (response: Ack<T>) => void;

/** What an error thrown by the gateway carries to a page; `fields` names the inputs a form should mark. */
export interface CommandError {
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
  /** REPHRASE: the words, as written, to reword. */
  terms?: string[];
  /** SUSPENDED: when the suspension ends, or null for good. */
  until?: string | null;
}

export interface ValidatedSession {
  /** The stored session's id (the token's hash). */
  id: string;
  user: SessionUser;
  expiresAt: Date;
  /** Set when the sliding expiry moved: the cookie must be sent again with this date. */
  renewedExpiresAt: Date | null;
}

export interface NewSession {
  token: string;
  user: SessionUser;
  expiresAt: Date;
}

/** How a command reaches a transport's cookie: starting a session, or ending the one it holds. */
export interface SessionCookie {
  set(session: NewSession): void;
  clear(): void;
}

export interface PageCaller {
  user: SessionUser | null;
  token: string | null;
  cookie: SessionCookie;
  /** The browser's network address, for limits per address. */
  address: string | null;
}

/**
 * What the SvelteKit app may call during SSR and form actions. The Express process publishes it on
 * globalThis under PAGE_GATEWAY_KEY before mounting the SvelteKit handler, so pages share the one
 * process's services (and its live tallies) instead of bundling a second copy.
 */
export interface PageGateway {
  sessionCookieName: string;
  /** PUBLIC_URL is https: the session cookie is Secure whatever protocol reached the server. */
  secureCookies: boolean;
  /** Whether the database can be reached now (no round trip): pages say the board is briefly unavailable when not. */
  databaseUp(): boolean;
  authenticate(token: string): Promise<ValidatedSession | null>;
  /** Parses `input`, checks who may call, runs; a refusal throws a CommandError. */
  run<N extends PageCommandName>(name: N, input: unknown, caller: PageCaller): Promise<CommandResult<N>>;
}

export const PAGE_GATEWAY_KEY = Symbol.for('reclaim.page-gateway');
