import { redirect } from '@sveltejs/kit';
import { raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  // Viewing never starts a session: someone who has sent nothing has nothing to list.
  const mine = event.locals.user ? await run(event, 'evidence:mine').catch(raise) : { submissions: [] };
  return { submissions: mine.submissions, sent: event.url.searchParams.has('sent') };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await fields(event);
    const values = { title: form.text('title'), summary: form.text('summary'), url: form.trimmed('url'), author: form.text('author'), email: form.trimmed('email') };
    const sent = await attempt(event, 'evidence:submit', values, { values }, { invalid: 'Please check the form: your analysis was not sent.' });
    if (isRefused(sent)) return sent;
    redirect(303, '/evidence/send?sent#sent');
  },
};
