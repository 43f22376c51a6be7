import { fail, redirect } from '@sveltejs/kit';
import { atLeast, IDEA_TITLE_MAX, LIVE_IDEAS_MAX } from '$realtime/vocabulary';
import { raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import { SESSION_ENDED, signIn } from '$lib/server/facilitator';
import type { Actions, PageServerLoad } from './$types';

/** Enough of the board to hand-pick from: the most voted ideas. */
const PICKABLE = 100;

export const load: PageServerLoad = async (event) => {
  if (!(event.locals.user && atLeast(event.locals.user.role, 'facilitator'))) return { facilitator: false as const };
  const [list, areas, ideas] = await Promise.all([
    run(event, 'live:list'),
    run(event, 'areas:list'),
    run(event, 'ideas:list', { sort: 'top', limit: PICKABLE }),
  ]).catch(raise);
  return {
    facilitator: true as const,
    sessions: list.sessions,
    areas: areas.map(({ slug, title, ideaCount }) => ({ slug, title, ideaCount })),
    ideas: ideas.ideas.map(({ id, title, area, votes }) => ({ id, title, area, votes })),
    limits: { title: IDEA_TITLE_MAX, ideas: LIVE_IDEAS_MAX },
  };
};

export const actions: Actions = {
  signin: (event) => signIn(event, '/facilitate'),

  create: async (event) => {
    const form = await fields(event);
    const values = {
      title: form.text('title'),
      pick: form.get('pick') === 'ideas' ? ('ideas' as const) : ('areas' as const),
      areas: form.all('areas'),
      ideaIds: form.all('ideaIds'),
      roomIdeas: form.checked('roomIdeas'),
      voting: form.get('voting') === 'members' ? ('members' as const) : ('everyone' as const),
    };
    if (!(event.locals.user && atLeast(event.locals.user.role, 'facilitator'))) return fail(403, { action: 'create' as const, values, message: SESSION_ENDED, errors: {} });
    const input = {
      title: values.title,
      roomIdeas: values.roomIdeas,
      voting: values.voting,
      // No challenge ticked means all five, as the form says.
      ...(values.pick === 'ideas' ? { ideaIds: values.ideaIds } : values.areas.length ? { areas: values.areas } : {}),
    };
    const created = await attempt(event, 'live:create', input, { action: 'create' as const, values }, { invalid: 'Please check the session: it was not created.' });
    if (isRefused(created)) return created;
    redirect(303, `/facilitate/${created.code}`);
  },
};
