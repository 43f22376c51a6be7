import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { facilitatorSignIn, objectId } from '$realtime/schemas';
import { board, failWith, raise, requireUser, setSessionCookie } from '$lib/server/board';
import { MODERATION_DEPENDENCY } from '$lib/moderation.svelte';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, depends }) => {
  depends(MODERATION_DEPENDENCY);
  const user = locals.user;
  if (user?.kind !== 'facilitator') return { facilitator: false as const };
  const ctx = board();
  const [items, areas, setting] = await Promise.all([ctx.moderationQueue(user), ctx.listAreas(), ctx.reviewSetting(user)]).catch(raise);
  return {
    facilitator: true as const,
    items,
    reviewNewIdeas: setting.reviewNewIdeas,
    areaTitles: Object.fromEntries(areas.map((area) => [area.slug, area.title])) as Record<string, string>,
  };
};

type Facilitator = NonNullable<App.Locals['user']>;

/** The review switch's form value: what the button asks for next. */
const reviewSwitch = z.enum(['on', 'off']);

const DECISIONS = {
  hide: (ideaId: string, user: Facilitator) => board().hideIdea(ideaId, user),
  restore: (ideaId: string, user: Facilitator) => board().restoreIdea(ideaId, user),
  publish: (ideaId: string, user: Facilitator) => board().publishIdea(ideaId, user),
};

/** Hide, Put back and Publish: the same checks, then back to the item (no-JS) or a quiet queue refresh (enhanced). */
async function moderate(event: RequestEvent, intent: keyof typeof DECISIONS) {
  const data = await event.request.formData();
  const ideaId = objectId.safeParse(data.get('ideaId'));
  if (!ideaId.success) return fail(400, { action: intent, message: 'That idea could not be read. Please reload the page.' });
  const user = event.locals.user;
  if (user?.kind !== 'facilitator') {
    return fail(403, { action: intent, message: 'Your facilitator session has ended. Please sign in again.' });
  }
  try {
    await DECISIONS[intent](ideaId.data, user);
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
  signout: async (event) => {
    const ctx = board();
    const token = event.cookies.get(ctx.sessionCookieName);
    try {
      if (token) await ctx.endSession(token);
    } catch (err) {
      return failWith(err, { action: 'signout' as const });
    }
    event.cookies.delete(ctx.sessionCookieName, { path: '/', secure: event.url.protocol === 'https:' });
    redirect(303, '/moderate');
  },
  hide: (event) => moderate(event, 'hide'),
  restore: (event) => moderate(event, 'restore'),
  publish: (event) => moderate(event, 'publish'),
  review: async (event) => {
    const choice = reviewSwitch.safeParse((await event.request.formData()).get('reviewNewIdeas'));
    if (!choice.success) return fail(400, { action: 'review' as const, message: 'That switch could not be read. Please reload the page.' });
    const user = event.locals.user;
    if (user?.kind !== 'facilitator') return fail(403, { action: 'review' as const, message: 'Your facilitator session has ended. Please sign in again.' });
    try {
      await board().setReview({ reviewNewIdeas: choice.data === 'on' }, user);
    } catch (err) {
      return failWith(err, { action: 'review' as const });
    }
    redirect(303, '/moderate');
  },
};
