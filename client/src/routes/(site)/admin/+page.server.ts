import { error, fail, redirect } from '@sveltejs/kit';
import { atLeast, ROLES, type Role } from '$realtime/vocabulary';
import { raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import { ROLE_LABELS } from '$lib/roles';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { locals, url } = event;
  if (!locals.user || (locals.user.kind === 'guest' && locals.user.role === 'participant')) redirect(303, `/signin?next=${encodeURIComponent(url.pathname + url.search)}`);
  if (!atLeast(locals.user.role, 'admin')) error(403, 'Only admins can manage people and roles. If you need to, ask an admin to give your account the admin role.');
  const q = url.searchParams.get('q')?.trim() ?? '';
  // Unsearched, the list starts with everyone waiting for an affiliation decision: the requests come from there.
  const [found, everyone] = await Promise.all([run(event, 'admin:users', { q }), q ? run(event, 'admin:users', { q: '' }) : null]).catch(raise);
  const requests = (everyone ?? found).users.filter((user) => user.requested);
  return { q, users: found.users, requests, me: locals.user.id };
};

const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);

export const actions: Actions = {
  role: async (event) => {
    const form = await fields(event);
    const userId = form.text('userId');
    const role = form.get('role');
    if (!isRole(role)) return fail(400, { action: 'role' as const, userId, message: 'Please choose a role from the list.', errors: {} as Record<string, string | undefined> });
    // Demoting oneself locks one out of this page: only with the box ticked, which works without JavaScript too.
    if (userId === event.locals.user?.id && !atLeast(role, 'admin') && form.get('confirm') !== 'yes') {
      return fail(400, {
        action: 'role' as const,
        userId,
        message: 'Your role was not changed.',
        errors: { confirm: 'This is your own account: tick the box to confirm you want to give up admin.' } as Record<string, string | undefined>,
      });
    }
    const changed = await attempt(event, 'admin:role', { userId, role }, { action: 'role' as const, userId });
    if (isRefused(changed)) return changed;
    const { user } = changed;
    return { action: 'role' as const, userId, done: `${user.name} is now ${article(ROLE_LABELS[user.role].name)}.` };
  },
  affiliation: async (event) => {
    const form = await fields(event);
    const userId = form.text('userId');
    const decision = form.get('decision');
    const decided = await attempt(event, 'admin:affiliation', { userId, decision }, { action: 'affiliation' as const, userId });
    if (isRefused(decided)) return decided;
    const { user } = decided;
    const done = decision === 'approve' && user.organisation ? `${user.name} now shows ${user.organisation.name} on what they post.` : `${user.name}’s request is declined.`;
    return { action: 'affiliation' as const, userId, done };
  },
};

const article = (word: string) => `${/^[AEIOU]/.test(word) ? 'an' : 'a'} ${word.toLowerCase()}`;
