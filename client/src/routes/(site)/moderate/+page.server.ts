import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { atLeast, LIVE_IDEAS_MAX, VOTERS } from '$realtime/vocabulary';
import type { CommandPayload } from '$realtime/commands';
import type { SessionUser } from '$realtime/schemas/common';
import type { ModerationItem } from '$realtime/schemas/moderation';
import { raise, run } from '$lib/server/commands';
import { signIn } from '$lib/server/facilitator';
import { attempt, fields, isRefused } from '$lib/server/form-action';
import { MODERATION_DEPENDENCY, queueShow } from '$lib/moderation.svelte';
import type { Actions, PageServerLoad } from './$types';

const isModerator = (user: SessionUser | null) => !!user && atLeast(user.role, 'moderator');

const ENDED = 'Your staff session has ended. Please sign in again.';

export const load: PageServerLoad = async (event) => {
  event.depends(MODERATION_DEPENDENCY);
  const { user } = event.locals;
  if (!user || !isModerator(user)) return { moderator: false as const, member: user?.kind === 'member' };
  const q = event.url.searchParams.get('q')?.trim() ?? '';
  const [queue, areas, search, { flags }] = await Promise.all([
    run(event, 'moderation:queue'),
    run(event, 'areas:list'),
    q ? run(event, 'moderation:search', { q }).catch(searchRefused) : null,
    run(event, 'moderation:flags'),
  ]).catch(raise);
  const shown = [...new Set([...queue.items, ...(search?.items ?? [])].map((item: ModerationItem) => item.idea.id))];
  const { splits } = shown.length ? await run(event, 'tallies:split', { ideaIds: shown.slice(0, LIVE_IDEAS_MAX) }).catch(raise) : { splits: {} };
  return {
    moderator: true as const,
    /** Signed in with the conference code rather than an account: this page offers the way out. */
    byCode: user.kind === 'guest',
    items: queue.items,
    comments: queue.comments,
    flags,
    submissions: queue.submissions,
    requests: queue.requests,
    appeals: queue.appeals,
    suspensions: queue.suspensions,
    admin: atLeast(user.role, 'admin'),
    show: queueShow(event.url.searchParams.get('show')),
    reviewNewIdeas: queue.reviewNewIdeas,
    voting: queue.voting,
    reportThreshold: queue.reportThreshold,
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
/** The threshold as typed; its range is the command's to check, so the refusal says it. */
const thresholdField = z.coerce.number().finite();

type Decision = 'idea:hide' | 'idea:restore' | 'idea:publish' | 'idea:confirm';

/** Hide, Put back and Publish: back to the item (no-JS), or a quiet queue refresh (enhanced). */
async function moderate(event: RequestEvent, name: Decision, action: string) {
  const form = await fields(event);
  const ideaId = String(form.get('ideaId'));
  if (!isModerator(event.locals.user)) return fail(403, { action, message: ENDED });
  const done = await attempt(event, name, { ideaId }, { action });
  if (isRefused(done)) return done;
  const back = form.text('back');
  redirect(303, back.startsWith('?q=') ? `/moderate${back}#item-${ideaId}` : `/moderate#item-${ideaId}`);
}

type CommentDecision = 'comment:publish' | 'comment:hide' | 'comment:restore' | 'comment:confirm';

/** Publish, Hide and Put back on a comment: back to it, under the same filter (no-JS), or a quiet queue refresh (enhanced). */
async function decideComment(event: RequestEvent, name: CommentDecision, action: string) {
  const form = await fields(event);
  const commentId = String(form.get('commentId'));
  const show = queueShow(String(form.get('show')));
  if (!isModerator(event.locals.user)) return fail(403, { action, message: ENDED });
  const done = await attempt(event, name, { commentId }, { action });
  if (isRefused(done)) return done;
  redirect(303, `/moderate${show === 'all' ? '' : `?show=${show}`}#comment-${commentId}`);
}

type CampaignDecision = 'evidence:publish' | 'evidence:decline' | 'organisations:approve' | 'organisations:decline';

/**
 * Analysis sent in and organisations asking to join: back to the card, under the same filter
 * (no-JS), or a quiet queue refresh (enhanced). A refusal names the card, so its error shows there.
 */
async function decideCampaign(event: RequestEvent, name: CampaignDecision, action: string) {
  const form = await fields(event);
  const id = String(form.get('id'));
  const reason = form.trimmed('reason');
  const show = queueShow(String(form.get('show')));
  const isEvidence = name.startsWith('evidence:');
  // Published analysis goes on the pages of the challenges ticked beside the button.
  const input = isEvidence ? { submissionId: id, ...(name === 'evidence:publish' ? { areas: form.data.getAll('areas') } : {}) } : { requestId: id };
  // An organisation may be declined without a reason (it is not shown to the public); analysis may not.
  const done = await attempt(event, name, name === 'evidence:decline' || reason ? { ...input, reason } : input, { action, id });
  if (isRefused(done)) return done;
  redirect(303, `/moderate${show === 'all' ? '' : `?show=${show}`}#${isEvidence ? 'submission' : 'request'}-${id}`);
}

/** The review and voting switches: what the button asks for next, or the refusal to show beside it. */
async function setting<T>(event: RequestEvent, action: 'review' | 'voting' | 'threshold', choice: z.ZodSafeParseResult<T>, change: (value: T) => CommandPayload<'moderation:settings'>) {
  if (!choice.success) return fail(400, { action, message: 'That switch could not be read. Please reload the page.' });
  if (!isModerator(event.locals.user)) return fail(403, { action, message: ENDED });
  const done = await attempt(event, 'moderation:settings', change(choice.data), { action });
  if (isRefused(done)) return done;
  redirect(303, '/moderate');
}

/** Void or count again a vote burst's votes: back to the flag (no-JS), or a quiet refresh (enhanced). */
async function decideFlag(event: RequestEvent, name: 'flag:void' | 'flag:unvoid', action: 'voidFlag' | 'unvoidFlag') {
  const flagId = (await fields(event)).text('flagId');
  if (!isModerator(event.locals.user)) return fail(403, { action, message: ENDED });
  const done = await attempt(event, name, { flagId }, { action });
  if (isRefused(done)) return done;
  redirect(303, `/moderate#flag-${encodeURIComponent(flagId)}`);
}

/** Suspend the author of an idea or comment: back to the suspensions list (no-JS), or a quiet refresh. */
async function suspend(event: RequestEvent) {
  const form = await fields(event);
  const target = form.get('ideaId') ? { ideaId: form.text('ideaId') } : { commentId: form.text('commentId') };
  const hours = form.text('hours');
  const done = await attempt(
    event,
    'moderation:suspend',
    { ...target, hours: hours === 'permanent' ? hours : Number(hours), reason: form.text('reason'), network: form.get('network') === 'on' },
    { action: 'suspend' as const },
  );
  if (isRefused(done)) return done;
  redirect(303, '/moderate#suspensions-heading');
}

export const actions: Actions = {
  voidFlag: (event) => decideFlag(event, 'flag:void', 'voidFlag'),
  unvoidFlag: (event) => decideFlag(event, 'flag:unvoid', 'unvoidFlag'),
  suspend,
  lift: async (event) => {
    const done = await attempt(event, 'moderation:lift', { suspensionId: (await fields(event)).text('suspensionId') }, { action: 'lift' as const });
    if (isRefused(done)) return done;
    redirect(303, '/moderate#suspensions-heading');
  },
  decideAppeal: async (event) => {
    const form = await fields(event);
    const appealId = form.text('appealId');
    const note = form.trimmed('note');
    const done = await attempt(event, 'moderation:appeal-decide', { appealId, decision: form.text('decision'), ...(note ? { note } : {}) }, { action: 'decideAppeal' as const, appealId });
    if (isRefused(done)) return done;
    redirect(303, '/moderate#appeals-heading');
  },
  publishEvidence: (event) => decideCampaign(event, 'evidence:publish', 'publishEvidence'),
  declineEvidence: (event) => decideCampaign(event, 'evidence:decline', 'declineEvidence'),
  approveOrganisation: (event) => decideCampaign(event, 'organisations:approve', 'approveOrganisation'),
  declineOrganisation: (event) => decideCampaign(event, 'organisations:decline', 'declineOrganisation'),
  // The code opens a new session; the one this browser held (maybe made a moment ago) is ended.
  signin: (event) => signIn(event, '/moderate'),
  signout: async (event) => {
    const done = await attempt(event, 'auth:signout', {}, { action: 'signout' as const });
    if (isRefused(done)) return done;
    redirect(303, '/moderate');
  },
  hide: (event) => moderate(event, 'idea:hide', 'hide'),
  restore: (event) => moderate(event, 'idea:restore', 'restore'),
  publish: (event) => moderate(event, 'idea:publish', 'publish'),
  confirm: (event) => moderate(event, 'idea:confirm', 'confirm'),
  publishComment: (event) => decideComment(event, 'comment:publish', 'publishComment'),
  hideComment: (event) => decideComment(event, 'comment:hide', 'hideComment'),
  restoreComment: (event) => decideComment(event, 'comment:restore', 'restoreComment'),
  confirmComment: (event) => decideComment(event, 'comment:confirm', 'confirmComment'),
  review: async (event) => setting(event, 'review', reviewSwitch.safeParse((await fields(event)).get('reviewNewIdeas')), (choice) => ({ reviewNewIdeas: choice === 'on' })),
  voting: async (event) => setting(event, 'voting', votingSwitch.safeParse((await fields(event)).get('voting')), (voting) => ({ voting })),
  threshold: async (event) => setting(event, 'threshold', thresholdField.safeParse((await fields(event)).get('reportThreshold')), (reportThreshold) => ({ reportThreshold })),
};
