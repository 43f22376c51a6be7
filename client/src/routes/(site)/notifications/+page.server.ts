import { redirect } from '@sveltejs/kit';
import { raise, refused, run } from '$lib/server/commands';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  // Reading is not a first write: without a session there is nothing to show, and none is started.
  if (!event.locals.user) return { notifications: [], unread: 0 };
  return run(event, 'notifications:list').catch(raise);
};

export const actions: Actions = {
  read: async (event) => {
    try {
      await run(event, 'notifications:read');
    } catch (err) {
      return refused(err, { action: 'read' as const });
    }
    redirect(303, '/notifications');
  },
};
