import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { atLeast, LIVE_IDEAS_MAX, VOTERS } from '$realtime/vocabulary';
import type { SessionUser } from '$realtime/schemas/common';
import type { ModerationItem } from '$realtime/schemas/moderation';
import { raise, refused, run } from '$lib/server/commands';
import { MODERATION_DEPENDENCY, queueShow } from '$lib/moderation.svelte';
import type { Actions, PageServerLoad } from './$types';

const isModerator = (user: SessionUser | null) => !!user && atLeast(user.role, 'moderator');

const ENDED = 'Your staff session has ended. Please sign in again.';

export const load: PageServerLoad = async (event) => {
  event.depends(MODERATION_DEPENDENCY);
  const { user } = event.locals;
  if (!user || !isModerator(user)) return { moderator: false as const, member: user?.kind === 'member' };
  const q = event.url.searchParams.get('q')?.trim() ?? '';
  const [queue, areas, search] = await Promise.all([
    run(event, 'moderation:queue'),
    run(event, 'areas:list'),
    q ? run(event, 'moderation:search', { q }).catch(searchRefused) : null,
  ]).catch(raise);
  const shown = [...new Set([...queue.items, ...(search?.items ?? [])].map((item: ModerationItem) => item.idea.id))];
  const { splits } = shown.length ? await run(event, 'tallies:split', { ideaIds: shown.slice(0, LIVE_IDEAS_MAX) }).catch(raise) : { splits: {} };
  return {
    moderator: true as const,
    /** Signed in with the conference code rather than an account: this page offers the way out. */
    byCode: user.kind === 'guest',
    items: queue.items,
    comments: queue.comments,
    submissions: queue.submissions,
    requests: queue.requests,
    appeals: queue.appeals,
    suspensions: queue.suspensions,
    admin: atLeast(user.role, 'admin'),
    show: queueShow(event.url.searchParams.get('show')),
    reviewNewIdeas: queue.reviewNewIdeas,
    voting: queue.voting,
    splits,
    areaTitles: Object.fromEntries(areas.map((area) => [area.slug, area.title])) as Record<string, string>,
    search: q && search ? { q, ...search } : null,
  };
};

/** A search too short or too long is said beside the box, not as an error page. */
function searchRefused(err: unknown) {
  return { items: [], message: (err as { message?: string }).message ?? 'That search could not be run.' };
}

/** The review switch's form value: what the button asks for next. */
const reviewSwitch = z.enum(['on', 'off']);
const votingSwitch = z.enum(VOTERS);

type Decision = 'idea:hide' | 'idea:restore' | 'idea:publish';

/** Hide, Put back and Publish: back to the item (no-JS), or a quiet queue refresh (enhanced). */
async function moderate(event: RequestEvent, name: Decision, action: string) {
  const data = await event.request.formData();
  const ideaId = String(data.get('ideaId'));
  if (!isModerator(event.locals.user)) return fail(403, { action, message: ENDED });
  try {
    await run(event, name, { ideaId });
  } catch (err) {
    return refused(err, { action });
  }
  const back = String(data.get('back') ?? '');
  redirect(303, back.startsWith('?q=') ? `/moderate${back}#item-${ideaId}` : `/moderate#item-${ideaId}`);
}

type CommentDecision = 'comment:publish' | 'comment:hide' | 'comment:restore';

/** Publish, Hide and Put back on a comment: back to it, under the same filter (no-JS), or a quiet queue refresh (enhanced). */
async function decideComment(event: RequestEvent, name: CommentDecision, action: string) {
  const data = await event.request.formData();
  const commentId = String(data.get('commentId'));
  const show = queueShow(String(data.get('show')));
  if (!isModerator(event.locals.user)) return fail(403, { action, message: ENDED });
  try {
    await run(event, name, { commentId });
  } catch (err) {
    return refused(err, { action });
  }
  redirect(303, `/moderate${show === 'all' ? '' : `?show=${show}`}#comment-${commentId}`);
}

type CampaignDecision = 'evidence:publish' | 'evidence:decline' | 'organisations:approve' | 'organisations:decline';

/**
 * Analysis sent in and organisations asking to join: back to the card, under the same filter
 * (no-JS), or a quiet queue refresh (enhanced). A refusal names the card, so its error shows there.
 */
async function decideCampaign(event: RequestEvent, name: CampaignDecision, action: string) {
  const data = await event.request.formData();
  const id = String(data.get('id'));
  const reason = String(data.get('reason') ?? '').trim();
  const show = queueShow(String(data.get('show')));
  const isEvidence = name.startsWith('evidence:');
  // Published analysis goes on the pages of the challenges ticked beside the button.
  const input = isEvidence ? { submissionId: id, ...(name === 'evidence:publish' ? { areas: data.getAll('areas') } : {}) } : { requestId: id };
  try {
    // An organisation may be declined without a reason (it is not shown to the public); analysis may not.
    await run(event, name, name === 'evidence:decline' || reason ? { ...input, reason } : input);
  } catch (err) {
    return refused(err, { action, id });
  }
  redirect(303, `/moderate${show === 'all' ? '' : `?show=${show}`}#${isEvidence ? 'submission' : 'request'}-${id}`);
}

/** Suspend the author of an idea or comment: back to the suspensions list (no-JS), or a quiet refresh. */
async function suspend(event: RequestEvent) {
  const data = await event.request.formData();
  const target = data.get('ideaId') ? { ideaId: String(data.get('ideaId')) } : { commentId: String(data.get('commentId')) };
  const hours = String(data.get('hours'));
  try {
    await run(event, 'moderation:suspend', { ...target, hours: hours === 'permanent' ? hours : Number(hours), reason: String(data.get('reason')), network: data.get('network') === 'on' });
  } catch (err) {
    return refused(err, { action: 'suspend' as const });
  }
  redirect(303, '/moderate#suspensions-heading');
}

export const actions: Actions = {
  suspend,
  lift: async (event) => {
    const suspensionId = String((await event.request.formData()).get('suspensionId'));
    try {
      await run(event, 'moderation:lift', { suspensionId });
    } catch (err) {
      return refused(err, { action: 'lift' as const });
    }
    redirect(303, '/moderate#suspensions-heading');
  },
  decideAppeal: async (event) => {
    const data = await event.request.formData();
    const appealId = String(data.get('appealId'));
    const note = String(data.get('note') ?? '').trim();
    try {
      await run(event, 'moderation:appeal-decide', { appealId, decision: String(data.get('decision')), ...(note ? { note } : {}) });
    } catch (err) {
      return refused(err, { action: 'decideAppeal' as const, appealId });
    }
    redirect(303, '/moderate#appeals-heading');
  },
  publishEvidence: (event) => decideCampaign(event, 'evidence:publish', 'publishEvidence'),
  declineEvidence: (event) => decideCampaign(event, 'evidence:decline', 'declineEvidence'),
  approveOrganisation: (event) => decideCampaign(event, 'organisations:approve', 'approveOrganisation'),
  declineOrganisation: (event) => decideCampaign(event, 'organisations:decline', 'declineOrganisation'),
  signin: async (event) => {
    const code = (await event.request.formData()).get('code') ?? '';
    try {
      // The code opens a new session; the one this browser held (maybe made a moment ago) is ended.
      await run(event, 'facilitator:sign-in', { code });
    } catch (err) {
      const failed = refused(err, { action: 'signin' as const });
      if (failed.data.errors.code) failed.data.message = 'Please type the facilitator code.';
      return failed;
    }
    redirect(303, '/moderate');
  },
  signout: async (event) => {
    try {
      await run(event, 'auth:signout');
    } catch (err) {
      return refused(err, { action: 'signout' as const });
    }
    redirect(303, '/moderate');
  },
  hide: (event) => moderate(event, 'idea:hide', 'hide'),
  restore: (event) => moderate(event, 'idea:restore', 'restore'),
  publish: (event) => moderate(event, 'idea:publish', 'publish'),
  publishComment: (event) => decideComment(event, 'comment:publish', 'publishComment'),
  hideComment: (event) => decideComment(event, 'comment:hide', 'hideComment'),
  restoreComment: (event) => decideComment(event, 'comment:restore', 'restoreComment'),
  review: async (event) => {
    const choice = reviewSwitch.safeParse((await event.request.formData()).get('reviewNewIdeas'));
    if (!choice.success) return fail(400, { action: 'review' as const, message: 'That switch could not be read. Please reload the page.' });
    if (!isModerator(event.locals.user)) return fail(403, { action: 'review' as const, message: ENDED });
    try {
      await run(event, 'moderation:settings', { reviewNewIdeas: choice.data === 'on' });
    } catch (err) {
      return refused(err, { action: 'review' as const });
    }
    redirect(303, '/moderate');
  },
  voting: async (event) => {
    const choice = votingSwitch.safeParse((await event.request.formData()).get('voting'));
    if (!choice.success) return fail(400, { action: 'voting' as const, message: 'That switch could not be read. Please reload the page.' });
    if (!isModerator(event.locals.user)) return fail(403, { action: 'voting' as const, message: ENDED });
    try {
      await run(event, 'moderation:settings', { voting: choice.data });
    } catch (err) {
      return refused(err, { action: 'voting' as const });
    }
    redirect(303, '/moderate');
  },
};
