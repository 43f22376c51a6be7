import { raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const areas = await run(event, 'areas:list').catch(raise);
  return { areas };
};
