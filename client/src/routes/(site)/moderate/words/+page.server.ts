import { fail } from '@sveltejs/kit';
import { atLeast } from '$realtime/vocabulary';
import type { TermsImportResult, TermsTestResult } from '$realtime/schemas/moderation';
import { raise, refused, run } from '$lib/server/commands';
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
    const data = await event.request.formData();
    const values = { term: String(data.get('term') ?? ''), action: String(data.get('action') ?? '') };
    if (!staff(event)) return fail(403, { action: 'put' as const, values, message: ENDED });
    try {
      const { term } = await run(event, 'moderation:term-put', values);
      return { action: 'put' as const, done: `“${term.term}” now: ${term.action}.` };
    } catch (err) {
      return refused(err, { action: 'put' as const, values }, 'That term was not saved.');
    }
  },

  remove: async (event) => {
    const data = await event.request.formData();
    const term = String(data.get('term') ?? '');
    if (!staff(event)) return fail(403, { action: 'remove' as const, message: ENDED });
    try {
      const { now } = await run(event, 'moderation:term-delete', { term });
      return { action: 'remove' as const, done: now ? `“${term}” is back to ${now.action}.` : `“${term}” is off the list.` };
    } catch (err) {
      return refused(err, { action: 'remove' as const });
    }
  },

  test: async (event) => {
    const data = await event.request.formData();
    const text = String(data.get('text') ?? '');
    if (!staff(event)) return fail(403, { action: 'test' as const, text, message: ENDED });
    try {
      const result: TermsTestResult = await run(event, 'moderation:terms-test', { text });
      return { action: 'test' as const, text, result };
    } catch (err) {
      return refused(err, { action: 'test' as const, text });
    }
  },

  /** A CSV file, or text pasted in: a file chosen wins. */
  import: async (event) => {
    const data = await event.request.formData();
    const file = data.get('file');
    const pasted = String(data.get('csv') ?? '');
    const csv = file instanceof File && file.size > 0 ? await file.text() : pasted;
    if (!staff(event)) return fail(403, { action: 'import' as const, csv: pasted, message: ENDED });
    try {
      const result: TermsImportResult = await run(event, 'moderation:terms-import', { csv });
      return { action: 'import' as const, result };
    } catch (err) {
      return refused(err, { action: 'import' as const, csv: pasted }, 'Nothing was imported.');
    }
  },
};
