import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { AREA_SLUGS, atLeast, IDEA_BODY_MAX, IDEA_TITLE_MAX, type AreaSlug } from '$realtime/vocabulary';
import { randomSeed } from '$lib/server/board-seed';
import { anonymousChosen, bylineChoice } from '$lib/server/byline';
import { areaOr404, raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import { boardSearch, readBoardQuery } from '$lib/board-query';
import { HELD_FOR_REVIEW } from '$lib/posted';
import { outcomeQuery, readOutcome } from '$lib/report';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

/**
 * Back to the same list, scrolled to `anchor`; `extra` carries what the page should confirm. Forms send
 * the list's query in a hidden `sort` field (`?sort=&q=&status=`, as the page's URL had it).
 */
function listHref(area: AreaSlug, list: FormDataEntryValue | null, anchor: string, extra: Record<string, string> = {}) {
  const query = readBoardQuery(new URL(`/x${typeof list === 'string' && list.startsWith('?') ? list : ''}`, 'http://x'));
  return `/areas/${area}${boardSearch(query, extra)}#${anchor}`;
}

export const load: PageServerLoad = async (event) => {
  const { params, url, locals } = event;
  const slug = areaOr404(params.slug);
  const query = readBoardQuery(url);
  const seed = query.sort === 'random' ? randomSeed(event) : undefined;
  const cursor = url.searchParams.get('cursor') || undefined;
  // Taken before listing: an idea created after this moment is news to the page, not part of it.
  const renderedAt = new Date().toISOString();
  const [area, page, settings, areas, evidence] = await Promise.all([
    run(event, 'area:get', { area: slug }),
    run(event, 'ideas:list', { area: slug, sort: query.sort, q: query.q || undefined, status: query.status ?? undefined, seed, limit: PAGE_SIZE, cursor }),
    run(event, 'board:settings'),
    run(event, 'areas:list'),
    run(event, 'evidence:list', { area: slug }),
  ]).catch(raise);
  const ideaIds = page.ideas.map((idea) => idea.id);
  const [reported, authored, offBoard, byline] = locals.user
    ? await Promise.all([run(event, 'reports:mine', { ideaIds }), run(event, 'ideas:mine', { ideaIds }), run(event, 'ideas:off-board', { area: slug }), bylineChoice(event)]).catch(raise)
    : [{ ideaIds: [] }, { ideaIds: [] }, { ideas: [] }, null];
  const at = areas.findIndex((other) => other.slug === slug);
  // The ends do not wrap: the last challenge leads back to the list of all five instead.
  const neighbour = (i: number) => (areas[i] ? { slug: areas[i].slug, title: areas[i].title } : null);
  const posted = url.searchParams.get('posted');
  return {
    area,
    position: AREA_SLUGS.indexOf(slug) + 1,
    previous: neighbour(at - 1),
    following: neighbour(at + 1),
    areaTotal: AREA_SLUGS.length,
    query,
    /** What forms on the page send back, so a no-JS post lands on the same list. */
    list: boardSearch(query) || '?',
    filtered: query.q !== '' || query.status !== null,
    ideas: page.ideas,
    next: page.next,
    paged: cursor !== undefined,
    renderedAt,
    signedIn: locals.user !== null,
    report: readOutcome(url),
    /** An idea of theirs this person withdrew, or one a facilitator hid, just now: the list says so (also without JavaScript). */
    done: ([WITHDRAWN, HIDDEN] as const).find((done) => url.searchParams.get('done') === done) ?? null,
    reportedIds: reported.ideaIds,
    /** Ideas of this person's on the page: they may reword or withdraw them. */
    mineIds: authored.ideaIds,
    /** Moderators (and everyone above them) may take any idea down from its card. */
    moderator: !!locals.user && atLeast(locals.user.role, 'moderator'),
    member: locals.user?.kind === 'member',
    /** A member's name, or "Anonymous participant", for the idea form; null for guests. */
    byline,
    reviewing: settings.reviewNewIdeas,
    /** Guests' votes are refused: the page says so where people vote, with the way to sign in. */
    membersVote: settings.voting === 'members',
    /** This person's idea was held for a facilitator just now: the form says so (also without JavaScript). */
    held: posted === HELD_FOR_REVIEW,
    /** The idea this person just put on the board: the page thanks them by it (also without JavaScript). */
    posted: posted === HELD_FOR_REVIEW ? null : posted,
    offBoard: offBoard.ideas,
    limits: { title: IDEA_TITLE_MAX, body: IDEA_BODY_MAX },
    /** Why this challenge matters: the findings bearing on it. */
    evidence: evidence.items,
  } as const;
};


export const actions: Actions = {
  create: async (event) => {
    const area = areaOr404(event.params.slug);
    const form = await fields(event);
    const values = { title: form.text('title'), body: form.text('body'), anonymous: anonymousChosen(form.data) };
    const created = await attempt(event, 'idea:create', { area, ...values }, { action: 'create' as const, values }, { invalid: 'Please check your idea: it was not posted.' });
    if (isRefused(created)) return created;
    if (created.pending) redirect(303, `/areas/${area}?posted=${HELD_FOR_REVIEW}#suggest`);
    // Newest first is where a fresh idea is; the anchor scrolls to it (and works without JavaScript).
    redirect(303, listHref(area, '?sort=new', `idea-${created.idea.id}`, { posted: created.idea.id }));
  },

  vote: async (event) => {
    const area = areaOr404(event.params.slug);
    const form = await fields(event);
    const intent = form.get('intent');
    if (intent !== 'cast' && intent !== 'retract') return fail(400, { action: 'vote' as const, message: UNREAD_VOTE });
    const ideaId = String(form.get('ideaId'));
    const voted = await attempt(event, intent === 'cast' ? 'vote:cast' : 'vote:retract', { ideaId }, { action: 'vote' as const }, { because: { ideaId: UNREAD_VOTE } });
    if (isRefused(voted)) return voted;
    // Back to the same list, scrolled to the idea: a no-JS vote should feel like pressing a button.
    redirect(303, listHref(area, form.get('sort'), `idea-${ideaId}`));
  },

  report: async (event) => {
    const area = areaOr404(event.params.slug);
    const form = await fields(event);
    const result = await attempt(event, 'idea:report', { ideaId: form.get('ideaId'), reason: form.get('reason') }, { action: 'report' as const }, {
      because: { reason: 'Please choose why you are reporting it.', ideaId: 'That report could not be read. Please try again.' },
    });
    if (isRefused(result)) return result;
    const outcome = { ideaId: result.ideaId, down: result.hidden };
    // An idea the report took down is no longer in the list: land on the confirmation instead.
    redirect(303, listHref(area, form.get('sort'), outcome.down ? 'report-done' : `idea-${outcome.ideaId}`, outcomeQuery(outcome)));
  },

  /** Its author rewords an idea (the API's PATCH); without JavaScript too. */
  edit: async (event) => {
    const area = areaOr404(event.params.slug);
    const form = await fields(event);
    const ideaId = String(form.get('ideaId'));
    const values = { title: form.text('title'), body: form.text('body') };
    const edited = await attempt(event, 'idea:edit', { ideaId, ...values }, { action: 'edit' as const, ideaId, values }, { invalid: 'Please check your changes: they were not saved.' });
    if (isRefused(edited)) return edited;
    redirect(303, listHref(area, form.get('sort'), `idea-${ideaId}`));
  },

  /** Its author takes an idea off the board. */
  withdraw: (event) => decide(event, 'idea:withdraw', WITHDRAWN),

  /** A facilitator takes any idea down from its card, reported or not. */
  hide: (event) => decide(event, 'idea:hide', HIDDEN),
};

const UNREAD_VOTE = 'That vote could not be read. Please try again.';
const WITHDRAWN = 'withdrawn';
const HIDDEN = 'hidden';

/** Withdraw and Hide: the idea leaves the list, so the page lands on a confirmation instead. */
async function decide(event: RequestEvent<{ slug: string }>, name: 'idea:withdraw' | 'idea:hide', done: typeof WITHDRAWN | typeof HIDDEN) {
  const area = areaOr404(event.params.slug);
  const form = await fields(event);
  const taken = await attempt(event, name, { ideaId: String(form.get('ideaId')) }, { action: done });
  if (isRefused(taken)) return taken;
  redirect(303, listHref(area, form.get('sort'), 'list-done', { done }));
}
