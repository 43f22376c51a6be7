import { raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const cursor = event.url.searchParams.get('cursor') ?? undefined;
  const [page, results] = await Promise.all([run(event, 'moderation:log', cursor ? { cursor } : {}), cursor ? null : run(event, 'results:get')]).catch(raise);
  // Sealed results sit beside the decisions: anyone can check a session's numbers were never changed.
  return { ...page, older: Boolean(cursor), sealed: results?.sealed ?? [] };
};
