import { redirect } from '@sveltejs/kit';
import { refused, run } from '$lib/server/commands';
import type { Actions, PageServerLoad } from './$types';

// Read, not used: the token is spent only when the new password is sent.
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') });

export const actions: Actions = {
  request: async (event) => {
    const values = { email: String((await event.request.formData()).get('email') ?? '') };
    try {
      await run(event, 'auth:reset-request', values);
    } catch (err) {
      return refused(err, { action: 'request' as const, values, sent: false });
    }
    return { action: 'request' as const, values, sent: true };
  },
  reset: async (event) => {
    const data = await event.request.formData();
    try {
      await run(event, 'auth:reset', { token: String(data.get('token') ?? ''), password: String(data.get('password') ?? '') });
    } catch (err) {
      return refused(err, { action: 'reset' as const }, 'Please check the form: your password was not changed.');
    }
    redirect(303, '/profile?done=reset');
  },
};
