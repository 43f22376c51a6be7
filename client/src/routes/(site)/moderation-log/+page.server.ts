import { raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const cursor = event.url.searchParams.get('cursor') ?? undefined;
  const page = await run(event, 'moderation:log', cursor ? { cursor } : {}).catch(raise);
  return { ...page, older: Boolean(cursor) };
};
