import { board, raise } from '$lib/server/board';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
  const areas = await board().listAreas().catch(raise);
  return { areas };
};
