import { redirect } from '@sveltejs/kit';
import { refused, run } from '$lib/server/commands';
import { safeNext } from '$lib/next';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.user?.kind === 'member') redirect(303, next);
  return { next, everywhere: url.searchParams.has('everywhere') };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = { email: String(data.get('email') ?? '') };
    try {
      await run(event, 'auth:signin', { ...values, password: String(data.get('password') ?? '') });
    } catch (err) {
      return refused(err, { values }, 'Please check the form: you are not signed in yet.');
    }
    redirect(303, safeNext(String(data.get('next') ?? '')));
  },
};
