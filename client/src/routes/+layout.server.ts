import { run } from '$lib/server/commands';
import type { LayoutServerLoad } from './$types';

/**
 * Every page's header (the error page's too) names who is signed in, links what their role may use,
 * and counts their unread notifications. Anyone with a session can have some (a guest's votes count
 * too); a bell that cannot be read is left out rather than failing the page.
 */
export const load: LayoutServerLoad = async (event) => {
  const user = event.locals.user;
  const unread = user ? await run(event, 'notifications:list').then((n) => n.unread, () => null) : null;
  return { user, unread };
};
