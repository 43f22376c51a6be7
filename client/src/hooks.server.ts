import type { Handle } from '@sveltejs/kit';
import { authenticate, databaseUp, isUnavailable } from '$lib/server/commands';
import { frameable, withFraming } from '$lib/server/framing';

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  // While the database is away, no page waits for it: the root layout answers 503 at once.
  event.locals.unavailable = !databaseUp();
  if (!event.locals.unavailable) {
    try {
      event.locals.user = (await authenticate(event))?.user ?? null;
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      event.locals.unavailable = true;
    }
  }
  const response = await resolve(event);
  // kit.csp says `frame-ancestors 'none'` for every page; a route meant to be embedded says who may frame it.
  const ancestors = frameable(event.route.id);
  if (ancestors) return withFraming(response, ancestors);
  response.headers.set('x-frame-options', 'DENY');
  return response;
};
