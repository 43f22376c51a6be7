import { areaOr404, raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

const SCREEN_SIZE = 10;

export const load: PageServerLoad = async (event) => {
  const param = event.url.searchParams.get('area');
  const slug = param ? areaOr404(param) : null;
  const [area, page, areas] = await Promise.all([
    slug ? run(event, 'area:get', { area: slug }) : null,
    run(event, 'ideas:list', { area: slug ?? undefined, sort: 'top', limit: SCREEN_SIZE }),
    run(event, 'areas:list'),
  ]).catch(raise);
  return {
    area,
    /** The challenges' names: the wall shows names, never slugs. */
    areaTitles: Object.fromEntries(areas.map((a) => [a.slug, a.title])) as Record<string, string>,
    ideas: page.ideas,
    size: SCREEN_SIZE,
    // Shown without the scheme: shorter to read off a wall, and every browser adds it back.
    joinUrl: `${event.url.host}${slug ? `/areas/${slug}` : ''}`,
  };
};
