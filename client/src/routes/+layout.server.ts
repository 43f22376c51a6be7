import type { LayoutServerLoad } from './$types';

/** Every page's header (the error page's too) names who is signed in and links what their role may use. */
export const load: LayoutServerLoad = ({ locals }) => ({ user: locals.user });
