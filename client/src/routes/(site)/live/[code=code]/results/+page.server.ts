import { redirect } from '@sveltejs/kit';
import { normaliseCode } from '$lib/join-code';
import { raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const code = normaliseCode(event.params.code)!;
  if (code !== event.params.code) redirect(308, `/live/${code}/results`);
  const [results, areas] = await Promise.all([run(event, 'live:results', { code }), run(event, 'areas:list')]).catch(raise);
  return { results, areaTitles: Object.fromEntries(areas.map((area) => [area.slug, area.title])) as Record<string, string> };
};
