import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { facilitatorSignIn, objectId } from '$realtime/schemas';
import { board, failWith, raise, requireUser, setSessionCookie } from '$lib/server/board';
import { MODERATION_DEPENDENCY } from '$lib/moderation.svelte';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, depends }) => {
  depends(MODERATION_DEPENDENCY);
  const user = locals.user;
  if (user?.kind !== 'facilitator') return { facilitator: false as const };
  const ctx = board();
  const [items, areas] = await Promise.all([ctx.moderationQueue(user), ctx.listAreas()]).catch(raise);
  return {
    facilitator: true as const,
    items,
    areaTitles: Object.fromEntries(areas.map((area) => [area.slug, area.title])) as Record<string, string>,
  };
};

/** Hide and Put back: the same checks, then back to the item (no-JS) or a quiet queue refresh (enhanced). */
async function moderate(event: RequestEvent, intent: 'hide' | 'restore') {
  const data = await event.request.formData();
  const ideaId = objectId.safeParse(data.get('ideaId'));
  if (!ideaId.success) return fail(400, { action: intent, message: 'That idea could not be read. Please reload the page.' });
  const user = event.locals.user;
  if (user?.kind !== 'facilitator') {
    return fail(403, { action: intent, message: 'Your facilitator session has ended. Please sign in again.' });
  }
  try {
    const ctx = board();
    await (intent === 'hide' ? ctx.hideIdea(ideaId.data, user) : ctx.restoreIdea(ideaId.data, user));
  } catch (err) {
    return failWith(err, { action: intent });
  }
  redirect(303, `/moderate#item-${ideaId.data}`);
}

export const actions: Actions = {
  signin: async (event) => {
    const parsed = facilitatorSignIn.safeParse({ code: (await event.request.formData()).get('code') ?? '' });
    if (!parsed.success) return fail(400, { action: 'signin' as const, message: 'Please type the facilitator code.' });
    try {
      const user = await requireUser(event);
      const ctx = board();
      // The code opens a new session; the one this browser held (maybe made a moment ago) is ended.
      const session = await ctx.signInFacilitator(parsed.data.code, user, event.cookies.get(ctx.sessionCookieName) ?? null);
      setSessionCookie(event, session.token, session.expiresAt);
    } catch (err) {
      return failWith(err, { action: 'signin' as const });
    }
    redirect(303, '/moderate');
  },
  hide: (event) => moderate(event, 'hide'),
  restore: (event) => moderate(event, 'restore'),
};
