import { redirect } from '@sveltejs/kit';
import { raise, refused, run } from '$lib/server/commands';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  if (event.locals.user?.kind !== 'member') redirect(303, '/signin?next=/profile');
  const [profile, { organisations }] = await Promise.all([run(event, 'profile:get'), run(event, 'organisations:list')]).catch(raise);
  // A reset link signs the person in and lands here: the page says the new password took.
  return { profile, organisations, reset: event.url.searchParams.get('done') === 'reset' };
};

export const actions: Actions = {
  details: async (event) => {
    const data = await event.request.formData();
    const values = { name: String(data.get('name') ?? ''), anonymous: data.get('anonymous') === 'on', group: String(data.get('group') ?? '') };
    try {
      await run(event, 'profile:update', { ...values, group: values.group || null });
    } catch (err) {
      return refused(err, { action: 'details' as const, values }, 'Please check your details: they were not saved.');
    }
    return { action: 'details' as const, saved: true };
  },
  organisation: async (event) => {
    const organisation = String((await event.request.formData()).get('organisation') ?? '');
    try {
      await run(event, 'profile:organisation', { organisation });
    } catch (err) {
      const failed = refused(err, { action: 'organisation' as const });
      if (failed.data.errors.organisation) failed.data.errors.organisation = 'Please choose an organisation from the list.';
      return failed;
    }
    return { action: 'organisation' as const, saved: true };
  },
  password: async (event) => {
    const data = await event.request.formData();
    try {
      await run(event, 'auth:password', { current: String(data.get('current') ?? ''), password: String(data.get('password') ?? '') });
    } catch (err) {
      return refused(err, { action: 'password' as const }, 'Please check the form: your password was not changed.');
    }
    return { action: 'password' as const, saved: true };
  },
  everywhere: async (event) => {
    try {
      await run(event, 'auth:signout-everywhere');
    } catch (err) {
      return refused(err, { action: 'everywhere' as const });
    }
    redirect(303, '/signin?everywhere');
  },
};
