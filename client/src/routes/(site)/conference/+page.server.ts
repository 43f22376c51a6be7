import { redirect } from '@sveltejs/kit';
import { holds, raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [conference, live] = await Promise.all([run(event, 'conference:get'), run(event, 'live:list')]).catch(raise);
  return { conference, sessions: live.sessions, staff: holds(event, 'facilitator'), saved: event.url.searchParams.has('saved') };
};

export const actions: Actions = {
  edit: async (event) => {
    const form = await fields(event);
    const values = { date: form.text('date'), place: form.text('place'), about: form.text('about') };
    const saved = await attempt(event, 'conference:update', values, { values }, { invalid: 'Please check the details: they were not saved.' });
    if (isRefused(saved)) return saved;
    redirect(303, '/conference?saved');
  },
};
