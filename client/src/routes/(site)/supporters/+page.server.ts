import { redirect } from '@sveltejs/kit';
import { holds, raise, refused, run } from '$lib/server/commands';
import { SUPPORTERS_DEPENDENCY } from '$lib/supporters.svelte';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  event.depends(SUPPORTERS_DEPENDENCY);
  const { organisations } = await run(event, 'organisations:list').catch(raise);
  return { organisations, staff: holds(event, 'moderator'), joined: event.url.searchParams.has('joined') };
};

export const actions: Actions = {
  join: async (event) => {
    const data = await event.request.formData();
    const values = {
      name: String(data.get('name') ?? ''),
      website: String(data.get('website') ?? '').trim(),
      contact: String(data.get('contact') ?? ''),
      email: String(data.get('email') ?? '').trim(),
      statement: String(data.get('statement') ?? ''),
    };
    try {
      await run(event, 'organisations:request', values);
    } catch (err) {
      return refused(err, { action: 'join' as const, slug: null, values }, 'Please check the form: your request was not sent.');
    }
    redirect(303, '/supporters?joined#joined');
  },

  edit: async (event) => {
    const data = await event.request.formData();
    const slug = String(data.get('slug'));
    const website = String(data.get('website') ?? '').trim();
    const values = { about: String(data.get('about') ?? ''), website };
    try {
      // An emptied website field takes the link away.
      await run(event, 'organisations:update', { slug, about: values.about, website: website === '' ? null : website });
    } catch (err) {
      return refused(err, { action: 'edit' as const, slug, values }, 'Please check your changes: they were not saved.');
    }
    redirect(303, `/supporters#org-${slug}`);
  },
};
