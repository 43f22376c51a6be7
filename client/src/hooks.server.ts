import type { Handle } from '@sveltejs/kit';
import { authenticate } from '$lib/server/commands';

export const handle: Handle = async ({ event, resolve }) => {
  event.locals.user = (await authenticate(event))?.user ?? null;
  return resolve(event);
};
