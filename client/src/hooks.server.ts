import type { Handle } from '@sveltejs/kit';
import { authenticate } from '$lib/server/commands';
import { isFrameable, withFrameHeaders } from '$lib/server/frame-headers';

export const handle: Handle = async ({ event, resolve }) => {
  // Embeds sit on partners' sites: they read no session and start none, so they set no cookie.
  const frameable = isFrameable(event.url.pathname);
  event.locals.user = frameable ? null : ((await authenticate(event))?.user ?? null);
  return withFrameHeaders(await resolve(event), frameable);
};
