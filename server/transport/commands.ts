import type { AccountService } from '../accounts/accounts.js';
import type { FacilitatorCode } from '../accounts/facilitator-code.js';
import type { PeopleService } from '../accounts/people.js';
import type { BoardSettings } from '../board/board-settings.js';
import { isStaff, type ConferenceService } from '../conference/conference.js';
import type { CurationService } from '../board/curation.js';
import type { DiscussionService } from '../discussion/discussion.js';
import type { Caller, CommandHandlers } from './dispatch.js';
import type { EvidenceService } from '../campaign/evidence.js';
import type { IdeaService } from '../board/ideas.js';
import type { CommentModeration } from '../moderation/comments.js';
import type { ModerationService } from '../moderation/moderation.js';
import type { Screening } from '../moderation/screening.js';
import type { VoteFlags } from '../moderation/vote-flags.js';
import type { AppealService } from '../moderation/appeals.js';
import type { ModerationLog } from '../moderation/log.js';
import type { Suspensions } from '../moderation/suspensions.js';
import type { NotificationService } from '../discussion/notifications.js';
import type { Organisations } from '../campaign/organisations.js';
import type { SessionService } from '../accounts/sign-in-sessions.js';
import type { SupporterService } from '../campaign/supporters.js';
import type { VoteLedger } from '../board/vote-ledger.js';
import type { VoteService } from '../board/votes.js';
import type { VotingRules } from '../board/voting-rules.js';
import type { Watching } from './watch.js';
import { originOf } from '../platform/provenance.js';
import type { CampaignResultsService } from '../results/campaign-results.js';
import type { Seals } from '../results/seals.js';
import type { OwnData } from '../privacy/own-data.js';
import type { ConferenceReport } from '../../realtime/schemas/results.js';

export interface Services {
  sessions: SessionService;
  ideas: IdeaService;
  votes: VoteService;
  moderation: ModerationService;
  facilitatorCode: FacilitatorCode;
  commentModeration: CommentModeration;
  settings: BoardSettings;
  watching: Watching;
  conference: ConferenceService;
  accounts: AccountService;
  people: PeopleService;
  organisations: Organisations;
  evidence: EvidenceService;
  supporters: SupporterService;
  voting: VotingRules;
  ledger: VoteLedger;
  discussion: DiscussionService;
  curation: CurationService;
  notifications: NotificationService;
  screening: Screening;
  flags: VoteFlags;
  appeals: AppealService;
  suspensions: Suspensions;
  moderationLog: ModerationLog;
  results: CampaignResultsService;
  seals: Seals;
  report: () => Promise<ConferenceReport>;
  ownData: OwnData;
}

/**
 * The command table: each command of realtime/commands.ts, by name, as one service call. Inputs
 * arrive parsed and callers checked (server/dispatch.ts); the adapters reach these rows over
 * Socket.IO, HTTP and the SvelteKit pages.
 */
export function commandTable(s: Services): CommandHandlers {
  return {
    'session:get': async (_input, caller) => {
      if (caller.user) return { user: caller.user };
      const created = await s.sessions.createGuestSession(caller.network);
      caller.cookie?.set(created);
      return { user: created.user };
    },
    'session:end': (_input, caller) => signOut(s, caller),
    'facilitator:sign-in': async ({ code }, caller) => {
      const created = await s.facilitatorCode.signIn(code, caller.user, caller.token, caller.network);
      caller.cookie?.set(created);
      return { user: created.user };
    },
    'areas:list': () => s.ideas.listAreas(),
    'area:get': ({ area }) => s.ideas.getArea(area),
    'ideas:list': (query, caller) => s.ideas.list(query, caller.user?.id ?? null),
    'ideas:similar': async ({ text, area }, caller) => ({ ideas: s.ideas.similar(text, area ?? null, caller.user?.id ?? null) }),
    'idea:get': ({ ideaId }, caller) => s.ideas.page(ideaId, caller.user?.id ?? null),
    'idea:create': (input, caller) => s.ideas.create(input, caller),
    'idea:edit': ({ ideaId, ...patch }, caller) => s.ideas.edit(ideaId, caller.user.id, patch),
    'idea:withdraw': ({ ideaId }, caller) => s.ideas.withdraw(ideaId, caller.user.id),
    // With a code the vote is the room's: it counts in the session's round, apart from the board's votes.
    'vote:cast': async ({ ideaId, code }, caller) => {
      await s.voting.check(caller.user, caller.address, ideaId, code);
      if (code) return s.conference.vote(code, ideaId, caller, 1);
      return s.votes.cast(ideaId, caller.user.id, caller.user.kind === 'member', originOf(caller));
    },
    'vote:retract': async ({ ideaId, code }, caller) => {
      await s.voting.check(caller.user, caller.address, ideaId, code, true);
      if (code) return s.conference.vote(code, ideaId, caller, -1);
      return s.votes.retract(ideaId, caller.user.id);
    },
    'idea:report': (input, caller) => s.moderation.report(input, caller),
    'reports:mine': async ({ ideaIds }, caller) => ({ ideaIds: await s.moderation.reportedBy(caller.user.id, ideaIds) }),
    'ideas:mine': async ({ ideaIds }, caller) => ({ ideaIds: await s.ideas.authoredBy(caller.user.id, ideaIds) }),
    'ideas:off-board': async ({ area }, caller) => ({ ideas: await s.ideas.offBoardFor(caller.user.id, area) }),
    'board:settings': () => s.settings.current(),
    'moderation:queue': async () => {
      const [items, comments, submissions, requests, appeals, suspensions, settings] = await Promise.all([
        s.moderation.queue(),
        s.commentModeration.queue(),
        s.evidence.queue(),
        s.supporters.queue(),
        s.appeals.queue(),
        s.suspensions.list(),
        s.settings.current(),
      ]);
      return { items, comments, submissions, requests, appeals, suspensions, ...settings };
    },
    'moderation:flags': async () => ({ flags: s.flags.list() }),
    'flag:void': ({ flagId }, caller) => s.flags.void(flagId, caller.user),
    'flag:unvoid': ({ flagId }, caller) => s.flags.unvoid(flagId, caller.user),
    'moderation:log': ({ cursor }) => s.moderationLog.page(cursor),
    'idea:appeal': ({ ideaId, text }, caller) => s.appeals.appeal('idea', ideaId, text, caller.user),
    'comment:appeal': ({ commentId, text }, caller) => s.appeals.appeal('comment', commentId, text, caller.user),
    'appeal:get': ({ kind, itemId }, caller) => s.appeals.status(kind, itemId, caller.user.id),
    'moderation:appeal-decide': ({ appealId, decision, note }, caller) => s.appeals.decide(appealId, decision, note, caller.user),
    'moderation:suspend': (input, caller) => s.suspensions.suspend(input, caller.user),
    'moderation:lift': ({ suspensionId }, caller) => s.suspensions.lift(suspensionId, caller.user),
    'moderation:search': async ({ q }) => ({ items: await s.moderation.search(q) }),
    'moderation:settings': (change) => s.settings.change(change),
    'moderation:terms': async () => ({ terms: s.screening.list() }),
    'moderation:term-put': ({ term, action }, caller) => s.screening.put(term, action, caller.user.id),
    'moderation:term-delete': ({ term }) => s.screening.remove(term),
    'moderation:terms-test': async ({ text }) => s.screening.test(text),
    'moderation:terms-import': ({ csv }, caller) => s.screening.import(csv, caller.user.id),
    'moderation:terms-csv': async () => ({ csv: s.screening.csv() }),
    'idea:publish': async ({ ideaId }, caller) => ({ item: await s.moderation.publish(ideaId, caller.user) }),
    'idea:hide': async ({ ideaId }, caller) => ({ item: await s.moderation.hide(ideaId, caller.user) }),
    'idea:restore': async ({ ideaId }, caller) => ({ item: await s.moderation.restore(ideaId, caller.user) }),
    'idea:confirm': async ({ ideaId }, caller) => ({ item: await s.moderation.confirm(ideaId, caller.user) }),
    'comments:list': async ({ ideaId }, caller) => s.discussion.list(ideaId, caller.user?.id ?? null),
    'comments:off-board': async ({ ideaId }, caller) => ({ comments: await s.discussion.offBoardFor(caller.user.id, ideaId) }),
    'comment:create': (input, caller) => s.discussion.create(input, caller),
    'comment:helpful': ({ commentId }, caller) => s.discussion.mark(commentId, caller.user.id),
    'comment:unhelpful': ({ commentId }, caller) => s.discussion.unmark(commentId, caller.user.id),
    'comment:report': (input, caller) => s.commentModeration.report(input, caller),
    'comment:hide': ({ commentId }, caller) => s.commentModeration.hide(commentId, caller.user),
    'comment:restore': ({ commentId }, caller) => s.commentModeration.restore(commentId, caller.user),
    'comment:publish': ({ commentId }, caller) => s.commentModeration.publish(commentId, caller.user),
    'comment:confirm': ({ commentId }, caller) => s.commentModeration.confirm(commentId, caller.user),
    'idea:merge': ({ ideaId, into }, caller) => s.curation.merge(ideaId, into, caller.user),
    'idea:unmerge': ({ ideaId }, caller) => s.curation.unmerge(ideaId, caller.user),
    'idea:status': ({ ideaId, status }, caller) => s.curation.setStatus(ideaId, status, caller.user.id),
    'idea:watch': async ({ ideaId }, caller) => {
      const discussion = s.discussion.list(ideaId, caller.user?.id ?? null);
      await s.watching.idea(caller.socket, ideaId);
      return discussion;
    },
    'notifications:list': (_input, caller) => s.notifications.list(caller.user.id),
    'notifications:unread': (_input, caller) => s.notifications.unread(caller.user.id),
    'notifications:read': (_input, caller) => s.notifications.read(caller.user.id),
    'live:create': (input, caller) => s.conference.create(input, caller.user),
    'live:edit': (input, caller) => s.conference.edit(input, caller.user),
    'live:delete': ({ code }) => s.conference.remove(code),
    'live:duplicate': ({ code }, caller) => s.conference.duplicate(code, caller.user),
    'live:list': async (_input, caller) => s.conference.list(caller.user),
    'live:get': ({ code }, caller) => s.conference.get(code, caller.user, caller.network),
    'live:join': async ({ code }, caller) => {
      await s.conference.require(code, caller.user, caller.network);
      await s.watching.live(caller.socket, code, isStaff(caller.user));
      return s.conference.get(code, caller.user);
    },
    'live:control': (input, caller) => s.conference.control(input, caller.user),
    'live:idea': (input, caller) => s.conference.roomIdea(input, caller),
    'live:results': async ({ code }, caller) => s.seals.withSeal(await s.conference.results(code, caller.user)),
    'results:get': () => s.results.results(),
    'report:get': () => s.report(),
    'auth:signup': (input, caller) => s.accounts.signup(input, caller),
    'auth:signin': (input, caller) => s.accounts.signin(input, caller),
    'auth:signout': (_input, caller) => signOut(s, caller),
    'auth:signout-everywhere': (_input, caller) => s.accounts.signoutEverywhere(caller.user, caller.cookie),
    'auth:password': (input, caller) => s.accounts.changePassword(input, caller),
    'auth:reset-request': (input, caller) => s.accounts.requestReset(input, caller.address),
    'auth:reset': (input, caller) => s.accounts.reset(input, caller),
    'auth:verify': ({ token }, caller) => s.accounts.verifyEmail(token, caller),
    'profile:get': (_input, caller) => s.people.profile(caller.user.id),
    'profile:update': (change, caller) => s.people.updateProfile(caller.user.id, change),
    'profile:export': (_input, caller) => s.ownData.export(caller.user.id),
    'profile:delete': async ({ keepPosts }, caller) => {
      await s.ownData.delete(caller.user.id, keepPosts);
      caller.cookie?.clear();
      return null;
    },
    'profile:organisation': ({ organisation }, caller) => s.people.requestAffiliation(caller.user.id, organisation),
    'organisations:list': async () => ({ organisations: s.organisations.list() }),
    'admin:users': async ({ q }) => ({ users: await s.people.users(q) }),
    'admin:role': ({ userId, role }, caller) => s.people.setRole(userId, role, caller.user),
    'admin:affiliation': ({ userId, decision }) => s.people.decideAffiliation(userId, decision),
    'evidence:list': async ({ area }) => ({ items: await s.evidence.list(area) }),
    'evidence:create': (input) => s.evidence.create(input),
    'evidence:update': (input) => s.evidence.update(input),
    'evidence:retired': async () => ({ items: await s.evidence.retired() }),
    'evidence:retire': ({ evidenceId }) => s.evidence.retire(evidenceId),
    'evidence:submit': (input, caller) => s.evidence.submit(input, caller.user, caller.address),
    'evidence:mine': async (_input, caller) => ({ submissions: await s.evidence.mine(caller.user.id) }),
    'evidence:publish': ({ submissionId, areas }) => s.evidence.publish(submissionId, areas),
    'evidence:decline': ({ submissionId, reason }, caller) => s.evidence.decline(submissionId, reason, caller.user),
    'organisations:request': (input, caller) => s.supporters.request(input, caller.user, caller.address),
    'organisations:approve': ({ requestId }) => s.supporters.approve(requestId),
    'organisations:decline': ({ requestId, reason }, caller) => s.supporters.decline(requestId, reason, caller.user),
    'organisations:update': (input) => s.supporters.update(input),
    'conference:get': () => s.settings.conference(),
    'conference:update': (change) => s.settings.changeConference(change),
    'tallies:split': async ({ ideaIds }) => ({ splits: s.ledger.ballots.split(ideaIds) }),
    'board:watch': ({ area }, caller) => s.watching.board(caller.socket, area ?? null),
    'areas:watch': (_input, caller) => s.watching.areas(caller.socket),
    'moderation:watch': (_input, caller) => s.watching.moderation(caller.socket),
  };
}

/** Signing out: this browser's session ends, with its sockets, and its cookie is cleared. */
async function signOut(s: Services, caller: Caller): Promise<null> {
  if (caller.token) await s.sessions.invalidate(caller.token);
  caller.cookie?.clear();
  return null;
}
