import { fail, redirect } from '@sveltejs/kit';
import { IDEA_BODY_MAX, IDEA_TITLE_MAX } from '$realtime/vocabulary';
import { normaliseCode } from '$lib/join-code';
import { IDEA_SENT } from '$lib/live-words';
import { raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const codeOf = (event: RequestEvent) => normaliseCode(event.params.code)!;

export const load: PageServerLoad = async (event) => {
  const code = codeOf(event);
  if (code !== event.params.code) redirect(308, `/live/${code}${event.url.search}`);
  // A guest session on the spot: the socket's handshake carries the cookie only if it exists before the page connects.
  const { user } = await run(event, 'session:get').catch(raise);
  const [snapshot, areas] = await Promise.all([run(event, 'live:get', { code }), run(event, 'areas:list')]).catch(raise);
  return {
    snapshot,
    /** Whose taps this phone keeps until they are sent. */
    voter: user.id,
    areaTitles: Object.fromEntries(areas.map((area) => [area.slug, area.title])) as Record<string, string>,
    /** The server's clock, so a countdown reads the same on a phone whose clock is off. */
    now: Date.now(),
    sent: event.url.searchParams.get('idea') === IDEA_SENT,
    limits: { title: IDEA_TITLE_MAX, body: IDEA_BODY_MAX },
  };
};

export const actions: Actions = {
  /** Without JavaScript: the same vote as the socket's, then back to the idea. */
  vote: async (event) => {
    const code = codeOf(event);
    const form = await fields(event);
    const intent = form.get('intent');
    const ideaId = String(form.get('ideaId'));
    if (intent !== 'cast' && intent !== 'retract') return fail(400, { action: 'vote' as const, ideaId, message: 'That vote could not be read. Please try again.' });
    const voted = await attempt(event, intent === 'cast' ? 'vote:cast' : 'vote:retract', { ideaId, code }, { action: 'vote' as const, ideaId });
    if (isRefused(voted)) return voted;
    redirect(303, `/live/${code}#idea-${ideaId}`);
  },

  idea: async (event) => {
    const code = codeOf(event);
    const form = await fields(event);
    const values = { title: form.text('title'), body: form.text('body'), area: form.text('area') };
    const input = { code, title: values.title, body: values.body, area: values.area || undefined };
    const sent = await attempt(event, 'live:idea', input, { action: 'idea' as const, values }, { invalid: 'Please check your idea: it was not sent.' });
    if (isRefused(sent)) return sent;
    redirect(303, `/live/${code}?idea=${IDEA_SENT}#room-idea`);
  },
};
