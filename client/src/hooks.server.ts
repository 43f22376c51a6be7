import type { Handle } from '@sveltejs/kit';
import { board, setSessionCookie } from '$lib/server/board';

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = null;
  const ctx = board();
  const token = event.cookies.get(ctx.sessionCookieName);
  if (token) {
    const session = await ctx.validateSessionToken(token);
    if (session) {
      event.locals.user = session.user;
      // Sliding expiry: the browser must learn the new date or it drops a session the server still honours.
      if (session.renewedExpiresAt) setSessionCookie(event, token, session.renewedExpiresAt);
    } else {
      // Expired or revoked: stop sending it, so the next write starts a fresh guest session.
      event.cookies.delete(ctx.sessionCookieName, { path: '/', secure: event.url.protocol === 'https:' });
    }
  }
  return resolve(event);
};
