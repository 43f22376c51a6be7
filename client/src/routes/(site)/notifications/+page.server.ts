import { redirect } from '@sveltejs/kit';
import { raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  // Reading is not a first write: without a session there is nothing to show, and none is started.
  if (!event.locals.user) return { notifications: [], unread: 0 };
  return run(event, 'notifications:list').catch(raise);
};

export const actions: Actions = {
  read: async (event) => {
    const done = await attempt(event, 'notifications:read', {}, { action: 'read' as const });
    if (isRefused(done)) return done;
    redirect(303, '/notifications');
  },
};
