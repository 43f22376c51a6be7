import { raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({ report: await run(event, 'report:get').catch(raise) });
