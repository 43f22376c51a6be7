import { fail, redirect } from '@sveltejs/kit';
import {
  AREA_SLUGS,
  IDEA_BODY_MAX,
  IDEA_TITLE_MAX,
  ideaInput,
  reportInput,
  voteTarget,
  type AreaSlug,
  type CreatedIdea,
  type ReportResult,
} from '$realtime/schemas';
import { areaOr404, board, failWith, raise, requireUser } from '$lib/server/board';
import { HELD_FOR_REVIEW } from '$lib/posted';
import { outcomeQuery, readOutcome } from '$lib/report';
import type { Actions, PageServerLoad } from './$types';

const PAGE_SIZE = 50;

/** Back to the same list, scrolled to `anchor`; `query` carries what the page should confirm. */
function listHref(area: AreaSlug, sort: string, anchor: string, query = '') {
  const search = [sort === 'new' ? 'sort=new' : '', query].filter(Boolean).join('&');
  return `/areas/${area}${search ? `?${search}` : ''}#${anchor}`;
}

export const load: PageServerLoad = async ({ params, url, locals }) => {
  const slug = areaOr404(params.slug);
  const sort = url.searchParams.get('sort') === 'new' ? 'new' : 'top';
  const cursor = url.searchParams.get('cursor') || undefined;
  const ctx = board();
  // Taken before listing: an idea created after this moment is news to the page, not part of it.
  const renderedAt = new Date().toISOString();
  const [area, page, reviewing, areas] = await Promise.all([
    ctx.getArea(slug),
    ctx.listIdeas({ area: slug, sort, limit: PAGE_SIZE, cursor }, locals.user?.id ?? null),
    ctx.reviewingNewIdeas(),
    ctx.listAreas(),
  ]).catch(raise);
  const [reportedIds, offBoard] = locals.user
    ? await Promise.all([ctx.reportedBy(locals.user.id, page.ideas.map((idea) => idea.id)), ctx.ownIdeasOffBoard(locals.user.id, slug)]).catch(raise)
    : [[], []];
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
    sort,
    ideas: page.ideas,
    next: page.next,
    paged: cursor !== undefined,
    renderedAt,
    signedIn: locals.user !== null,
    report: readOutcome(url),
    reportedIds,
    reviewing,
    /** This person's idea was held for a facilitator just now: the form says so (also without JavaScript). */
    held: posted === HELD_FOR_REVIEW,
    /** The idea this person just put on the board: the page thanks them by it (also without JavaScript). */
    posted: posted === HELD_FOR_REVIEW ? null : posted,
    offBoard,
    limits: { title: IDEA_TITLE_MAX, body: IDEA_BODY_MAX },
  } as const;
};

export const actions: Actions = {
  create: async (event) => {
    const area = areaOr404(event.params.slug);
    const data = await event.request.formData();
    const values = { title: String(data.get('title') ?? ''), body: String(data.get('body') ?? '') };
    const parsed = ideaInput.safeParse({ area, ...values });
    if (!parsed.success) {
      const errors: { title?: string; body?: string } = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if ((field === 'title' || field === 'body') && !errors[field]) errors[field] = sentence(issue.message);
      }
      return fail(400, { action: 'create' as const, message: 'Please check your idea: it was not posted.', errors, values });
    }
    let created: CreatedIdea;
    try {
      const user = await requireUser(event);
      created = await board().createIdea(parsed.data, user.id);
    } catch (err) {
      return failWith(err, { action: 'create' as const, values });
    }
    if (created.pending) redirect(303, `/areas/${area}?posted=${HELD_FOR_REVIEW}#suggest`);
    // Newest first is where a fresh idea is; the anchor scrolls to it (and works without JavaScript).
    redirect(303, listHref(area, 'new', `idea-${created.idea.id}`, `posted=${created.idea.id}`));
  },

  vote: async (event) => {
    const area = areaOr404(event.params.slug);
    const data = await event.request.formData();
    const target = voteTarget.safeParse({ ideaId: data.get('ideaId') });
    const intent = data.get('intent');
    if (!target.success || (intent !== 'cast' && intent !== 'retract')) {
      return fail(400, { action: 'vote' as const, message: 'That vote could not be read. Please try again.' });
    }
    const { ideaId } = target.data;
    try {
      const user = await requireUser(event);
      const ctx = board();
      await (intent === 'cast' ? ctx.castVote(ideaId, user.id) : ctx.retractVote(ideaId, user.id));
    } catch (err) {
      return failWith(err, { action: 'vote' as const });
    }
    // Back to the same list, scrolled to the idea: a no-JS vote should feel like pressing a button.
    redirect(303, listHref(area, String(data.get('sort')), `idea-${ideaId}`));
  },

  report: async (event) => {
    const area = areaOr404(event.params.slug);
    const data = await event.request.formData();
    const parsed = reportInput.safeParse({ ideaId: data.get('ideaId'), reason: data.get('reason') });
    if (!parsed.success) {
      const noReason = parsed.error.issues.some((issue) => issue.path[0] === 'reason');
      return fail(400, {
        action: 'report' as const,
        message: noReason ? 'Please choose why you are reporting it.' : 'That report could not be read. Please try again.',
      });
    }
    let result: ReportResult;
    try {
      const user = await requireUser(event);
      result = await board().reportIdea(parsed.data, user.id);
    } catch (err) {
      return failWith(err, { action: 'report' as const });
    }
    const outcome = { ideaId: result.ideaId, down: result.hidden };
    // An idea the report took down is no longer in the list: land on the confirmation instead.
    redirect(303, listHref(area, String(data.get('sort')), outcome.down ? 'report-done' : `idea-${outcome.ideaId}`, outcomeQuery(outcome)));
  },
};

const sentence = (message: string) => message.charAt(0).toUpperCase() + message.slice(1) + '.';
