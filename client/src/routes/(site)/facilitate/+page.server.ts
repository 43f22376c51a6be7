import { fail, redirect } from '@sveltejs/kit';
import { atLeast, IDEA_TITLE_MAX, LIVE_IDEAS_MAX } from '$realtime/vocabulary';
import { raise, refused, run } from '$lib/server/commands';
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
    const data = await event.request.formData();
    const values = {
      title: String(data.get('title') ?? ''),
      pick: data.get('pick') === 'ideas' ? ('ideas' as const) : ('areas' as const),
      areas: data.getAll('areas').map(String),
      ideaIds: data.getAll('ideaIds').map(String),
      roomIdeas: data.get('roomIdeas') === 'on',
    };
    if (!(event.locals.user && atLeast(event.locals.user.role, 'facilitator'))) return fail(403, { action: 'create' as const, values, message: SESSION_ENDED, errors: {} });
    let code: string;
    try {
      ({ code } = await run(event, 'live:create', {
        title: values.title,
        roomIdeas: values.roomIdeas,
        // No challenge ticked means all five, as the form says.
        ...(values.pick === 'ideas' ? { ideaIds: values.ideaIds } : values.areas.length ? { areas: values.areas } : {}),
      }));
    } catch (err) {
      return refused(err, { action: 'create' as const, values }, 'Please check the session: it was not created.');
    }
    redirect(303, `/facilitate/${code}`);
  },
};
