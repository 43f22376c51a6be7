import { redirect } from '@sveltejs/kit';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import { safeNext } from '$lib/next';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
  const next = safeNext(url.searchParams.get('next'));
  if (locals.user?.kind === 'member') redirect(303, next);
  return { next };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await fields(event);
    const values = { name: form.text('name'), email: form.text('email') };
    const done = await attempt(event, 'auth:signup', { ...values, password: form.text('password') }, { values }, { invalid: 'Please check the form: your account was not created yet.' });
    if (isRefused(done)) return done;
    // The same answer whether or not the address has an account: the e-mail says which.
    return { sent: true, email: values.email };
  },
};
