import { redirect } from '@sveltejs/kit';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import { safeNext } from '$lib/next';
import type { Actions, PageServerLoad } from './$types';

/** Pages only a signed-in person may see: signing out there lands on the home page, not on a sign-in form. */
const PRIVATE = ['/profile', '/admin'];

// A guest's session holds nothing to sign out of; staff signed in with the conference code have one.
export const load: PageServerLoad = ({ locals: { user } }) => ({ signedIn: !!user && (user.kind === 'member' || user.role !== 'participant') });

export const actions: Actions = {
  default: async (event) => {
    const next = safeNext((await fields(event)).text('next'));
    const done = await attempt(event, 'auth:signout', {}, {});
    if (isRefused(done)) return done;
    redirect(303, PRIVATE.some((path) => next.startsWith(path)) ? '/' : next);
  },
};
