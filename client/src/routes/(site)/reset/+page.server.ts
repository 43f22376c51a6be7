import { redirect } from '@sveltejs/kit';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import type { Actions, PageServerLoad } from './$types';

// Read, not used: the token is spent only when the new password is sent.
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') });

export const actions: Actions = {
  request: async (event) => {
    const values = { email: (await fields(event)).text('email') };
    const sent = await attempt(event, 'auth:reset-request', values, { action: 'request' as const, values, sent: false });
    if (isRefused(sent)) return sent;
    return { action: 'request' as const, values, sent: true };
  },
  reset: async (event) => {
    const form = await fields(event);
    const input = { token: form.text('token'), password: form.text('password') };
    const done = await attempt(event, 'auth:reset', input, { action: 'reset' as const }, { invalid: 'Please check the form: your password was not changed.' });
    if (isRefused(done)) return done;
    redirect(303, '/profile?done=reset');
  },
};
