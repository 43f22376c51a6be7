import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { atLeast, type Stance } from '$realtime/vocabulary';
import type { IdeaView } from '$realtime/schemas/board';
import type { EvidenceItem } from '$realtime/schemas/campaign';
import { anonymousChosen, bylineChoice } from '$lib/server/byline';
import { raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused, type Fields } from '$lib/server/form-action';
import { HELD_FOR_REVIEW } from '$lib/posted';
import { outcomeQuery, readOutcome } from '$lib/report';
import type { Actions, PageServerLoad } from './$types';

const ID = /^[0-9a-f]{24}$/i;
/** Evidence beside the idea: a few items, not the library. */
const EVIDENCE_SHOWN = 3;
const MERGE_RESULTS = 8;

function ideaIdOr404(id: string): string {
  if (!ID.test(id)) error(404, 'There is no idea at this address.');
  return id.toLowerCase();
}

/** Back to this idea's page, scrolled to `anchor`; `extra` carries what the page should confirm. */
function pageHref(ideaId: string, anchor: string, extra: Record<string, string> = {}) {
  const search = new URLSearchParams(extra).toString();
  return `/ideas/${ideaId}${search ? `?${search}` : ''}#${anchor}`;
}

export const load: PageServerLoad = async (event) => {
  const { params, url, locals } = event;
  const ideaId = ideaIdOr404(params.id);
  const moderator = !!locals.user && atLeast(locals.user.role, 'moderator');
  const found = await run(event, 'idea:get', { ideaId }).catch(raise);
  const page = { origin: url.origin, moderator, signedIn: locals.user !== null, member: locals.user?.kind === 'member' };

  if (found.mergedInto) {
    // Its votes and comments count on the other idea now: the page only points there.
    const target = await run(event, 'idea:get', { ideaId: found.mergedInto }).catch(() => null);
    return { ...page, idea: found.idea, mergedInto: { id: found.mergedInto, title: target?.idea.title ?? null }, discussion: null, offBoard: null } as const;
  }

  const mergeQuery = moderator ? (url.searchParams.get('merge') ?? '').trim().slice(0, 100) : '';
  const [discussion, offBoard, area, settings, evidence, candidates, byline] = await Promise.all([
    run(event, 'comments:list', { ideaId }),
    locals.user ? run(event, 'comments:off-board', { ideaId }) : null,
    run(event, 'area:get', { area: found.idea.area }),
    run(event, 'board:settings'),
    evidenceFor(event, found.idea),
    mergeQuery ? run(event, 'ideas:list', { q: mergeQuery, limit: MERGE_RESULTS + 1 }) : null,
    bylineChoice(event),
  ]).catch(raise);
  const posted = url.searchParams.get('posted');
  const report = readOutcome(url);
  return {
    ...page,
    idea: found.idea,
    mergedInto: null,
    area: { slug: area.slug, title: area.title, question: area.question },
    discussion,
    /** This person's comments here that are not on the page, and why. */
    offBoard: offBoard?.comments ?? [],
    evidence,
    reviewing: settings.reviewNewIdeas,
    /** A member's name, or "Anonymous participant", for the comment forms; null for guests. */
    byline,
    membersVote: settings.voting === 'members',
    /** A comment of this person's was held for review just now: the form it came from says so (also without JavaScript). */
    held: posted === HELD_FOR_REVIEW ? { parentId: url.searchParams.get('reply') } : null,
    report,
    done: url.searchParams.get('done') === 'hidden' ? ('hidden' as const) : null,
    /** For staff: ideas to merge this one into, found by their titles. */
    merge: { q: mergeQuery, ideas: candidates?.ideas.filter((idea) => idea.id !== ideaId).slice(0, MERGE_RESULTS) ?? null },
  } as const;
};

/** The evidence library bears on the idea's challenge; without it (or if it fails) the page still stands. */
async function evidenceFor(event: RequestEvent, idea: IdeaView): Promise<EvidenceItem[] | null> {
  try {
    const { items } = await run(event, 'evidence:list', { area: idea.area });
    return items.filter((item) => !item.retired).slice(0, EVIDENCE_SHOWN);
  } catch {
    return null;
  }
}

export const actions: Actions = {
  vote: async (event) => {
    const ideaId = ideaIdOr404(event.params.id);
    const intent = (await fields(event)).get('intent');
    if (intent !== 'cast' && intent !== 'retract') return fail(400, { action: 'vote' as const, message: 'That vote could not be read. Please try again.' });
    const voted = await attempt(event, intent === 'cast' ? 'vote:cast' : 'vote:retract', { ideaId }, { action: 'vote' as const });
    if (isRefused(voted)) return voted;
    redirect(303, pageHref(ideaId, 'vote'));
  },

  /** A comment, or with `parentId` a reply; held while facilitators review new posts. */
  comment: async (event) => {
    const ideaId = ideaIdOr404(event.params.id);
    const form = await fields(event);
    const parentId = form.text('parentId') || null;
    const values = { body: form.text('body'), stance: (form.text('stance') || null) as Stance | null, anonymous: anonymousChosen(form.data) };
    const input = { ideaId, body: values.body, stance: values.stance ?? undefined, anonymous: values.anonymous, ...(parentId ? { parentId } : {}) };
    const created = await attempt(event, 'comment:create', input, { action: 'comment' as const, parentId, values }, {
      invalid: 'Please check your comment: it was not posted.',
      errors: { stance: 'Choose for, against or question.' },
    });
    if (isRefused(created)) return created;
    if (created.pending) redirect(303, pageHref(ideaId, parentId ? `reply-${parentId}-body` : 'comment-body', { posted: HELD_FOR_REVIEW, ...(parentId ? { reply: parentId } : {}) }));
    redirect(303, pageHref(ideaId, `comment-${created.comment.id}`, { posted: created.comment.id }));
  },

  helpful: async (event) => {
    const ideaId = ideaIdOr404(event.params.id);
    const form = await fields(event);
    const intent = form.get('intent');
    const commentId = form.text('commentId');
    if (intent !== 'mark' && intent !== 'unmark') return fail(400, { action: 'helpful' as const, message: 'That could not be read. Please try again.' });
    const marked = await attempt(event, intent === 'mark' ? 'comment:helpful' : 'comment:unhelpful', { commentId }, { action: 'helpful' as const });
    if (isRefused(marked)) return marked;
    redirect(303, pageHref(ideaId, `comment-${commentId}`));
  },

  report: async (event) => {
    const ideaId = ideaIdOr404(event.params.id);
    const form = await fields(event);
    const result = await attempt(event, 'comment:report', { commentId: form.get('commentId'), reason: form.get('reason') }, { action: 'report' as const }, {
      because: { reason: 'Please choose why you are reporting it.' },
    });
    if (isRefused(result)) return result;
    const outcome = { ideaId: result.commentId, down: result.hidden };
    redirect(303, pageHref(ideaId, outcome.down ? 'discussion-done' : `comment-${outcome.ideaId}`, outcomeQuery(outcome)));
  },

  /** Staff take a comment down from the page. */
  hide: async (event) => {
    const ideaId = ideaIdOr404(event.params.id);
    const hidden = await attempt(event, 'comment:hide', { commentId: (await fields(event)).text('commentId') }, { action: 'hide' as const });
    if (isRefused(hidden)) return hidden;
    redirect(303, pageHref(ideaId, 'discussion-done', { done: 'hidden' }));
  },

  status: (event) => staff(event, 'status', (ideaId, form) => attempt(event, 'idea:status', { ideaId, status: form.text('status') }, { action: 'status' as const })),
  merge: (event) => staff(event, 'merge', (ideaId, form) => attempt(event, 'idea:merge', { ideaId, into: form.text('into') }, { action: 'merge' as const })),
  unmerge: (event) => staff(event, 'unmerge', (ideaId) => attempt(event, 'idea:unmerge', { ideaId }, { action: 'unmerge' as const })),
};

/** Status, merge and unmerge: done, the page shows the idea as it now stands. */
async function staff<R>(event: RequestEvent<{ id: string }>, action: 'status' | 'merge' | 'unmerge', act: (ideaId: string, form: Fields) => Promise<R>) {
  const ideaId = ideaIdOr404(event.params.id);
  const done = await act(ideaId, await fields(event));
  if (isRefused(done)) return done;
  redirect(303, pageHref(ideaId, action === 'status' ? 'staff' : 'top'));
}
