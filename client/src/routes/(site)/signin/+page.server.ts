import { redirect } from '@sveltejs/kit';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import { safeNext } from '$lib/next';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.user?.kind === 'member') redirect(303, next);
  return { next, everywhere: url.searchParams.has('everywhere') };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await fields(event);
    const values = { email: form.text('email') };
    const done = await attempt(event, 'auth:signin', { ...values, password: form.text('password') }, { values }, { invalid: 'Please check the form: you are not signed in yet.' });
    if (isRefused(done)) return done;
    redirect(303, safeNext(form.text('next')));
  },
};
