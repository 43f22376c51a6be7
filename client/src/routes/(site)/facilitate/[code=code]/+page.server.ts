import { atLeast, LIVE_IDEAS_MAX } from '$realtime/vocabulary';
import { fail, redirect } from '@sveltejs/kit';
import { normaliseCode } from '$lib/join-code';
import { raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import { SESSION_ENDED, signIn } from '$lib/server/facilitator';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const codeOf = (event: RequestEvent) => normaliseCode(event.params.code)!;

export const load: PageServerLoad = async (event) => {
  const code = codeOf(event);
  if (code !== event.params.code) redirect(308, `/facilitate/${code}`);
  if (!(event.locals.user && atLeast(event.locals.user.role, 'facilitator'))) return { facilitator: false as const, code };
  const [snapshot, areas, { flags }] = await Promise.all([run(event, 'live:get', { code }), run(event, 'areas:list'), run(event, 'moderation:flags')]).catch(raise);
  const ideaIds = snapshot.ideas.map((idea) => idea.id).slice(0, LIVE_IDEAS_MAX);
  const inSession = new Set(snapshot.ideas.map((idea) => idea.id));
  const { splits } = ideaIds.length ? await run(event, 'tallies:split', { ideaIds }).catch(raise) : { splits: {} };
  return {
    facilitator: true as const,
    code,
    snapshot,
    splits,
    /** Vote bursts on the session's ideas: the console says so, staff decide at /moderate. */
    flags: flags.filter((flag) => inSession.has(flag.ideaId)),
    areaTitles: Object.fromEntries(areas.map((area) => [area.slug, area.title])) as Record<string, string>,
    joinUrl: `${event.url.origin}${snapshot.session.joinPath}`,
    now: Date.now(),
  };
};

export const actions: Actions = {
  signin: (event) => signIn(event, `/facilitate/${codeOf(event)}`),

  /** Every control of the console, without JavaScript (with it, the same command goes over the socket). */
  control: async (event) => {
    const code = codeOf(event);
    const form = await fields(event);
    if (!(event.locals.user && atLeast(event.locals.user.role, 'facilitator'))) return fail(403, { action: 'control' as const, message: SESSION_ENDED });
    const input = {
      code,
      action: form.optional('action'),
      ideaId: form.optional('ideaId'),
      seconds: form.optional('seconds'),
      atZero: form.optional('atZero'),
      view: form.optional('view'),
      title: form.optional('title'),
    };
    const done = await attempt(event, 'live:control', input, { action: 'control' as const });
    if (isRefused(done)) return done;
    redirect(303, `/facilitate/${code}`);
  },
};
