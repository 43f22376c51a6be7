import type { BoardSettings } from './board-settings.js';
import type { ConferenceService } from './conference.js';
import type { CommandHandlers } from './dispatch.js';
import type { IdeaService } from './ideas.js';
import type { ModerationService } from './moderation.js';
import type { SessionService } from './sessions.js';
import type { VoteService } from './votes.js';
import type { Watching } from './watch.js';

export interface Services {
  sessions: SessionService;
  ideas: IdeaService;
  votes: VoteService;
  moderation: ModerationService;
  settings: BoardSettings;
  watching: Watching;
  conference: ConferenceService;
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
      const created = await s.sessions.createGuestSession();
      caller.cookie?.set(created);
      return { user: created.user };
    },
    'session:end': async (_input, caller) => {
      if (caller.token) await s.sessions.invalidate(caller.token);
      caller.cookie?.clear();
      return null;
    },
    'facilitator:sign-in': async ({ code }, caller) => {
      const created = await s.moderation.signIn(code, caller.user, caller.token);
      caller.cookie?.set(created);
      return { user: created.user };
    },
    'areas:list': () => s.ideas.listAreas(),
    'area:get': ({ area }) => s.ideas.getArea(area),
    'ideas:list': (query, caller) => s.ideas.list(query, caller.user?.id ?? null),
    'idea:get': async ({ ideaId }, caller) => ({ idea: await s.ideas.get(ideaId, caller.user?.id ?? null) }),
    'idea:create': (input, caller) => s.ideas.create(input, caller.user.id),
    'idea:edit': async ({ ideaId, ...patch }, caller) => ({ idea: await s.ideas.edit(ideaId, caller.user.id, patch) }),
    'idea:withdraw': ({ ideaId }, caller) => s.ideas.withdraw(ideaId, caller.user.id),
    'vote:cast': async ({ ideaId, code }, caller) => {
      s.conference.requireVoting(code, ideaId);
      return s.votes.cast(ideaId, caller.user.id);
    },
    'vote:retract': async ({ ideaId, code }, caller) => {
      s.conference.requireVoting(code, ideaId);
      return s.votes.retract(ideaId, caller.user.id);
    },
    'idea:report': (input, caller) => s.moderation.report(input, caller.user.id),
    'reports:mine': async ({ ideaIds }, caller) => ({ ideaIds: await s.moderation.reportedBy(caller.user.id, ideaIds) }),
    'ideas:mine': async ({ ideaIds }, caller) => ({ ideaIds: await s.ideas.authoredBy(caller.user.id, ideaIds) }),
    'ideas:off-board': async ({ area }, caller) => ({ ideas: await s.ideas.offBoardFor(caller.user.id, area) }),
    'board:review': async () => ({ reviewNewIdeas: await s.settings.reviewNewIdeas() }),
    'moderation:queue': async () => {
      const [items, reviewNewIdeas] = await Promise.all([s.moderation.queue(), s.settings.reviewNewIdeas()]);
      return { items, reviewNewIdeas };
    },
    'moderation:search': async ({ q }) => ({ items: await s.moderation.search(q) }),
    'moderation:settings': (setting) => s.moderation.setReview(setting),
    'idea:publish': async ({ ideaId }) => ({ item: await s.moderation.publish(ideaId) }),
    'idea:hide': async ({ ideaId }) => ({ item: await s.moderation.hide(ideaId) }),
    'idea:restore': async ({ ideaId }) => ({ item: await s.moderation.restore(ideaId) }),
    'live:create': (input, caller) => s.conference.create(input, caller.user),
    'live:list': async () => s.conference.list(),
    'live:get': ({ code }, caller) => s.conference.get(code, caller.user),
    'live:join': ({ code }, caller) => s.conference.join(caller.socket, code),
    'live:control': (input, caller) => s.conference.control(input, caller.user),
    'live:idea': (input, caller) => s.conference.roomIdea(input, caller.user),
    'live:results': ({ code }) => s.conference.results(code),
    'board:watch': ({ area }, caller) => s.watching.board(caller.socket, area ?? null),
    'areas:watch': (_input, caller) => s.watching.areas(caller.socket),
    'moderation:watch': (_input, caller) => s.watching.moderation(caller.socket),
  };
}
