import { fail, redirect } from '@sveltejs/kit';
import { raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (event.locals.user?.kind !== 'member') redirect(303, '/signin?next=/profile');
  const [profile, { organisations }] = await Promise.all([run(event, 'profile:get'), run(event, 'organisations:list')]).catch(raise);
  // A reset link signs the person in and lands here: the page says the new password took.
  return { profile, organisations, reset: event.url.searchParams.get('done') === 'reset' };
};

export const actions: Actions = {
  details: async (event) => {
    const form = await fields(event);
    const values = { name: form.text('name'), anonymous: form.checked('anonymous'), group: form.text('group') };
    const saved = await attempt(event, 'profile:update', { ...values, group: values.group || null }, { action: 'details' as const, values }, { invalid: 'Please check your details: they were not saved.' });
    if (isRefused(saved)) return saved;
    return { action: 'details' as const, saved: true };
  },
  organisation: async (event) => {
    const organisation = (await fields(event)).text('organisation');
    const asked = await attempt(event, 'profile:organisation', { organisation }, { action: 'organisation' as const }, { errors: { organisation: 'Please choose an organisation from the list.' } });
    if (isRefused(asked)) return asked;
    return { action: 'organisation' as const, saved: true };
  },
  password: async (event) => {
    const form = await fields(event);
    const changed = await attempt(event, 'auth:password', { current: form.text('current'), password: form.text('password') }, { action: 'password' as const }, {
      invalid: 'Please check the form: your password was not changed.',
    });
    if (isRefused(changed)) return changed;
    return { action: 'password' as const, saved: true };
  },
  delete: async (event) => {
    const form = await fields(event);
    if (!form.checked('confirm')) return fail(400, { action: 'delete' as const, code: 'BAD_REQUEST', message: 'Please tick the box to confirm: your account was not deleted.', errors: {} });
    const keepPosts = form.text('posts') !== 'remove';
    const done = await attempt(event, 'profile:delete', { keepPosts }, { action: 'delete' as const });
    if (isRefused(done)) return done;
    redirect(303, '/?account=deleted');
  },
  everywhere: async (event) => {
    const done = await attempt(event, 'auth:signout-everywhere', {}, { action: 'everywhere' as const });
    if (isRefused(done)) return done;
    redirect(303, '/signin?everywhere');
  },
};
