import { areaOr404, board, raise } from '$lib/server/board';
import type { PageServerLoad } from './$types';

const SCREEN_SIZE = 10;

export const load: PageServerLoad = async ({ url }) => {
  const param = url.searchParams.get('area');
  const slug = param ? areaOr404(param) : null;
  const ctx = board();
  const [area, page] = await Promise.all([
    slug ? ctx.getArea(slug) : null,
    ctx.listIdeas({ area: slug ?? undefined, sort: 'top', limit: SCREEN_SIZE }, null),
  ]).catch(raise);
  return {
    area,
    ideas: page.ideas,
    size: SCREEN_SIZE,
    // Shown without the scheme: shorter to read off a wall, and every browser adds it back.
    joinUrl: `${url.host}${slug ? `/areas/${slug}` : ''}`,
  };
};
