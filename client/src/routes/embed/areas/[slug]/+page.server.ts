import { areaOr404, raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

const SHOWN = 10;

export const load: PageServerLoad = async (event) => {
  const area = areaOr404(event.params.slug);
  const [info, list] = await Promise.all([run(event, 'area:get', { area }), run(event, 'ideas:list', { area, sort: 'top', limit: SHOWN })]).catch(raise);
  return { area: info, ideas: list.ideas.map(({ id, title, votes }) => ({ id, title, votes })) };
};
