import { redirect } from '@sveltejs/kit';
import { raise, refused, run } from '$lib/server/commands';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  // Viewing never starts a session: someone who has sent nothing has nothing to list.
  const mine = event.locals.user ? await run(event, 'evidence:mine').catch(raise) : { submissions: [] };
  return { submissions: mine.submissions, sent: event.url.searchParams.has('sent') };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = {
      title: String(data.get('title') ?? ''),
      summary: String(data.get('summary') ?? ''),
      url: String(data.get('url') ?? '').trim(),
      author: String(data.get('author') ?? ''),
      email: String(data.get('email') ?? '').trim(),
    };
    try {
      await run(event, 'evidence:submit', values);
    } catch (err) {
      return refused(err, { values }, 'Please check the form: your analysis was not sent.');
    }
    redirect(303, '/evidence/send?sent#sent');
  },
};
