import { redirect } from '@sveltejs/kit';
import { normaliseCode } from '$lib/join-code';
import { raise, run } from '$lib/server/commands';
import type { PageServerLoad } from './$types';

/** A GET form: the code lands in the query, so it works without JavaScript and a wrong one stays in the box to correct. */
export const load: PageServerLoad = async (event) => {
  const typed = event.url.searchParams.get('code');
  if (typed === null) return { typed: '', problem: null };
  const code = normaliseCode(typed);
  if (!code) return { typed, problem: 'A join code has six letters and numbers, like the one on the big screen.' };
  try {
    await run(event, 'live:get', { code });
  } catch (err) {
    if ((err as { code?: string }).code !== 'NOT_FOUND') raise(err);
    return { typed, problem: `No session has the code ${code}. Please check it against the big screen.` };
  }
  redirect(303, `/live/${code}`);
};
