import type { Handle } from '@sveltejs/kit';
import { authenticate, databaseUp, isUnavailable } from '$lib/server/commands';
import { isFrameable, withFrameHeaders } from '$lib/server/frame-headers';

export const handle: Handle = async ({ event, resolve }) => {
  // Embeds sit on partners' sites: they read no session and start none, so they set no cookie.
  const frameable = isFrameable(event.url.pathname);
  event.locals.user = null;
  // While the database is away, no page waits for it: the root layout answers 503 at once.
  event.locals.unavailable = !databaseUp();
  if (!event.locals.unavailable && !frameable) {
    try {
      event.locals.user = (await authenticate(event))?.user ?? null;
    } catch (err) {
      if (!isUnavailable(err)) throw err;
      event.locals.unavailable = true;
    }
  }
  // kit.csp says `frame-ancestors 'none'` for every page; only the embeds may be framed, by any site.
  return withFrameHeaders(await resolve(event), frameable);
};
