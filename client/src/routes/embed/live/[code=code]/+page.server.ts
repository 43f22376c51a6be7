import { raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const live = await run(event, 'live:get', { code: event.params.code }).catch(raise);
  const ideas = live.ideas.map(({ id, title, votes }) => ({ id, title, votes })).sort((a, b) => (b.votes ?? -1) - (a.votes ?? -1));
  return { session: live.session, state: live.live.state, ideas };
};
