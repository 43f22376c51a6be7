import { attempt, fields, isRefused } from '$lib/server/form-action';
import type { Actions, PageServerLoad } from './$types';

// The token is only read here, never used: mail scanners open links, and must not confirm an address for its owner.
export const load: PageServerLoad = ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  default: async (event) => {
    const token = (await fields(event)).text('token');
    const done = await attempt(event, 'auth:verify', { token }, { verified: false });
    if (isRefused(done)) return done;
    // A sign-up link made the account and signed this browser in.
    return { verified: true, signedIn: done.user !== null };
  },
};
