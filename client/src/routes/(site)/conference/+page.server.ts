import { redirect } from '@sveltejs/kit';
import { holds, raise, refused, run } from '$lib/server/commands';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [conference, live] = await Promise.all([run(event, 'conference:get'), run(event, 'live:list')]).catch(raise);
  return { conference, sessions: live.sessions, staff: holds(event, 'facilitator'), saved: event.url.searchParams.has('saved') };
};

export const actions: Actions = {
  edit: async (event) => {
    const data = await event.request.formData();
    const values = { date: String(data.get('date') ?? ''), place: String(data.get('place') ?? ''), about: String(data.get('about') ?? '') };
    try {
      await run(event, 'conference:update', values);
    } catch (err) {
      return refused(err, { values }, 'Please check the details: they were not saved.');
    }
    redirect(303, '/conference?saved');
  },
};
