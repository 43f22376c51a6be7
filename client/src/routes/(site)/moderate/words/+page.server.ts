import { fail } from '@sveltejs/kit';
import { atLeast } from '$realtime/vocabulary';
import { raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import type { Actions, PageServerLoad } from './$types';

const ENDED = 'Your staff session has ended. Please sign in again.';

export const load: PageServerLoad = async (event) => {
  const { user } = event.locals;
  if (!user || !atLeast(user.role, 'moderator')) return { moderator: false as const };
  const { terms } = await run(event, 'moderation:terms').catch(raise);
  return { moderator: true as const, terms };
};

/** Every action needs a moderator: a session that ended says so beside the form rather than as an error page. */
const staff = (event: { locals: App.Locals }) => event.locals.user !== null && atLeast(event.locals.user.role, 'moderator');

export const actions: Actions = {
  /** Adds a term, or changes what one does (the list's rows post here too). */
  put: async (event) => {
    const form = await fields(event);
    const values = { term: form.text('term'), action: form.text('action') };
    if (!staff(event)) return fail(403, { action: 'put' as const, values, message: ENDED });
    const done = await attempt(event, 'moderation:term-put', values, { action: 'put' as const, values }, { invalid: 'That term was not saved.' });
    if (isRefused(done)) return done;
    return { action: 'put' as const, done: `“${done.term.term}” now: ${done.term.action}.` };
  },

  remove: async (event) => {
    const term = (await fields(event)).text('term');
    if (!staff(event)) return fail(403, { action: 'remove' as const, message: ENDED });
    const done = await attempt(event, 'moderation:term-delete', { term }, { action: 'remove' as const });
    if (isRefused(done)) return done;
    return { action: 'remove' as const, done: done.now ? `“${term}” is back to ${done.now.action}.` : `“${term}” is off the list.` };
  },

  test: async (event) => {
    const text = (await fields(event)).text('text');
    if (!staff(event)) return fail(403, { action: 'test' as const, text, message: ENDED });
    const result = await attempt(event, 'moderation:terms-test', { text }, { action: 'test' as const, text });
    if (isRefused(result)) return result;
    return { action: 'test' as const, text, result };
  },

  /** A CSV file, or text pasted in: a file chosen wins. */
  import: async (event) => {
    const form = await fields(event);
    const file = form.get('file');
    const pasted = form.text('csv');
    const csv = file instanceof File && file.size > 0 ? await file.text() : pasted;
    if (!staff(event)) return fail(403, { action: 'import' as const, csv: pasted, message: ENDED });
    const result = await attempt(event, 'moderation:terms-import', { csv }, { action: 'import' as const, csv: pasted }, { invalid: 'Nothing was imported.' });
    if (isRefused(result)) return result;
    return { action: 'import' as const, result };
  },
};
