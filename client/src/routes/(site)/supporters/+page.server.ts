import { redirect } from '@sveltejs/kit';
import { holds, raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import { SUPPORTERS_DEPENDENCY } from '$lib/supporters.svelte';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  event.depends(SUPPORTERS_DEPENDENCY);
  const { organisations } = await run(event, 'organisations:list').catch(raise);
  return { organisations, staff: holds(event, 'moderator'), joined: event.url.searchParams.has('joined') };
};

export const actions: Actions = {
  join: async (event) => {
    const form = await fields(event);
    const values = { name: form.text('name'), website: form.trimmed('website'), contact: form.text('contact'), email: form.trimmed('email'), statement: form.text('statement') };
    const asked = await attempt(event, 'organisations:request', values, { action: 'join' as const, slug: null, values }, { invalid: 'Please check the form: your request was not sent.' });
    if (isRefused(asked)) return asked;
    redirect(303, '/supporters?joined#joined');
  },

  edit: async (event) => {
    const form = await fields(event);
    const slug = String(form.get('slug'));
    const values = { about: form.text('about'), website: form.trimmed('website') };
    // An emptied website field takes the link away.
    const input = { slug, about: values.about, website: values.website === '' ? null : values.website };
    const saved = await attempt(event, 'organisations:update', input, { action: 'edit' as const, slug, values }, { invalid: 'Please check your changes: they were not saved.' });
    if (isRefused(saved)) return saved;
    redirect(303, `/supporters#org-${slug}`);
  },
};
