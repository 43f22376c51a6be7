import type { Handle } from '@sveltejs/kit';
import { authenticate } from '$lib/server/commands';
import { frameable, withFraming } from '$lib/server/framing';

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = (await authenticate(event))?.user ?? null;
  const response = await resolve(event);
  // kit.csp says `frame-ancestors 'none'` for every page; a route meant to be embedded says who may frame it.
  const ancestors = frameable(event.route.id);
  if (ancestors) return withFraming(response, ancestors);
  response.headers.set('x-frame-options', 'DENY');
  return response;
};
