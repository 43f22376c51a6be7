import { error, redirect } from '@sveltejs/kit';
import { raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import type { Actions, PageServerLoad } from './$types';

const KINDS = ['idea', 'comment'] as const;
type Kind = (typeof KINDS)[number];

function kindOf(param: string): Kind {
  if (!(KINDS as readonly string[]).includes(param)) error(404, 'There is nothing to appeal here.');
  return param as Kind;
}

/** The author of an idea or comment off the board: where it stands, why, and their one appeal. */
export const load: PageServerLoad = async (event) => {
  const kind = kindOf(event.params.kind);
  // Only an author can see this, and an author has a session: none is started for a stranger.
  if (!event.locals.user) error(404, 'You have no post with that address. Open this page in the browser you posted from.');
  return run(event, 'appeal:get', { kind, itemId: event.params.id }).catch(raise);
};

export const actions: Actions = {
  appeal: async (event) => {
    const kind = kindOf(event.params.kind);
    const text = (await fields(event)).text('text');
    const echo = { action: 'appeal' as const, text };
    const done =
      kind === 'idea'
        ? await attempt(event, 'idea:appeal', { ideaId: event.params.id, text }, echo)
        : await attempt(event, 'comment:appeal', { commentId: event.params.id, text }, echo);
    if (isRefused(done)) return done;
    redirect(303, `/appeal/${kind}/${event.params.id}`);
  },
};
