import { error } from '@sveltejs/kit';
import { run, UNAVAILABLE_MESSAGE } from '$lib/server/commands';
import type { LayoutServerLoad } from './$types';

/**
 * Every page's header (the error page's too) names who is signed in, links what their role may use,
 * and counts their unread notifications. Anyone with a session can have some (a guest's votes count
 * too); a bell that cannot be read is left out rather than failing the page.
 */
export const load: LayoutServerLoad = async (event) => {
  if (event.locals.unavailable) {
    // Once for the page (503), then SvelteKit loads this layout again around +error.svelte: give it what it needs.
    if (event.locals.unavailable !== 'said') {
      event.locals.unavailable = 'said';
      error(503, UNAVAILABLE_MESSAGE);
    }
    return { user: null, unread: null };
  }
  const user = event.locals.user;
  const unread = user ? await run(event, 'notifications:unread').then((n) => n.unread, () => null) : null;
  return { user, unread };
};
