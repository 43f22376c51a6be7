import { raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const [areas, { organisations }] = await Promise.all([run(event, 'areas:list'), run(event, 'organisations:list')]).catch(raise);
  return { areas, supporters: organisations.length };
};
