import { readBoardQuery } from '$lib/board-query';
import { randomSeed } from '$lib/server/board-seed';
import { raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 30;

/** Every challenge's ideas in one list: found by words or status without knowing which challenge holds them. */
export const load: PageServerLoad = async (event) => {
  const query = readBoardQuery(event.url);
  const cursor = event.url.searchParams.get('cursor') || undefined;
  const seed = query.sort === 'random' ? randomSeed(event) : undefined;
  const [page, areas] = await Promise.all([
    run(event, 'ideas:list', { sort: query.sort, q: query.q || undefined, status: query.status ?? undefined, seed, limit: PAGE_SIZE, cursor }),
    run(event, 'areas:list'),
  ]).catch(raise);
  return {
    query,
    ideas: page.ideas,
    next: page.next,
    paged: cursor !== undefined,
    areaTitles: Object.fromEntries(areas.map((area) => [area.slug, area.title])) as Record<string, string>,
  };
};
