import { refused, run } from '$lib/server/commands';
import type { Actions, PageServerLoad } from './$types';

// The token is only read here, never used: mail scanners open links, and must not confirm an address for its owner.
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  default: async (event) => {
    const token = String((await event.request.formData()).get('token') ?? '');
    try {
      await run(event, 'auth:verify', { token });
    } catch (err) {
      return refused(err, { verified: false });
    }
    return { verified: true };
  },
};
