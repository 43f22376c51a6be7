import { raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ results: await run(event, 'results:get').catch(raise) });
