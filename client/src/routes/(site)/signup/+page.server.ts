import { redirect } from '@sveltejs/kit';
import { refused, run } from '$lib/server/commands';
import { safeNext } from '$lib/next';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.user?.kind === 'member') redirect(303, next);
  return { next };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const values = { name: String(data.get('name') ?? ''), email: String(data.get('email') ?? '') };
    try {
      await run(event, 'auth:signup', { ...values, password: String(data.get('password') ?? '') });
    } catch (err) {
      return refused(err, { values }, 'Please check the form: your account was not created yet.');
    }
    redirect(303, safeNext(String(data.get('next') ?? '')));
  },
};
