import { Types } from 'mongoose';
import { Comment, CommentReport, User } from '../../models/index.js';
import type { CommentModerationItem } from '../../realtime/schemas/moderation.js';
import type { CommentView } from '../../realtime/schemas/discussion.js';
import type { HiddenBy, ReportReason } from '../../realtime/vocabulary.js';
import type { BoardState } from '../board/board-state.js';
import { commentExcerpt, synced } from '../discussion/comment-store.js';
import type { DiscussionService } from '../discussion/discussion.js';
import type { Publisher } from '../platform/bus.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import type { Limits } from '../platform/limits.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { BoardSettings } from '../board/board-settings.js';
import { publicTitle, reasonOf } from './decisions.js';
import { decidedBy } from '../platform/decisions.js';
import type { ModerationEvents } from './events.js';
import { NO_REPORTS, reportStats, type ReportStats } from './report-stats.js';
import { reportsTakeDown } from './report-rule.js';
import { originOf, type Actor } from '../platform/provenance.js';

/**
 * Comments under the same rules as ideas: reports take one down (report-rule.ts), staff hide, put
 * back and publish held ones. A comment document has one writer at a time (`comment:<id>` in the
 * ideas' queue); what goes up or down reaches the discussion through its `goUp` and `goDown`.
 */
export class CommentModeration {
  constructor(
    private readonly discussion: DiscussionService,
    private readonly state: BoardState,
    private readonly events: Publisher<ModerationEvents>,
    private readonly settings: BoardSettings,
    private readonly limits: Limits,
    private readonly writes: KeyedQueue,
  ) {}

  async report(input: { commentId: string; reason: ReportReason }, reporter: Actor): Promise<{ commentId: string; hidden: boolean }> {
    const userId = reporter.user.id;
    this.discussion.store.up(input.commentId);
    await this.limits.take('commentReportsPerAccount', userId);
    await this.limits.take('reportsPerNetwork', reporter.network);
    await this.limits.take('reportsBurstPerNetwork', reporter.network);
    const comment = new Types.ObjectId(input.commentId);
    try {
      await CommentReport.create({ comment, reporter: new Types.ObjectId(userId), reason: input.reason, origin: originOf(reporter) });
      this.events.publish('queue:changed');
    } catch (error) {
      // Reporting twice is one report: the person's first reason stands.
      if (!isDuplicateKey(error)) throw error;
    }
    const [stats, threshold] = await Promise.all([reportStats('comment', input.commentId), this.settings.reportThreshold()]);
    const weighed = stats.get(input.commentId) ?? NO_REPORTS;
    if (!reportsTakeDown(weighed.weight, threshold, false)) return { commentId: input.commentId, hidden: false };
    const hidden = await this.writes.run(`comment:${input.commentId}`, 'hide', () => this.takeDown(input.commentId, 'reports', weighed));
    return { commentId: input.commentId, hidden };
  }

  hide(commentId: string, by: SessionUser): Promise<{ comment: CommentView }> {
    return this.writes.run(`comment:${commentId}`, 'hide', async () => {
      await this.takeDown(commentId, 'facilitator', (await reportStats('comment', commentId)).get(commentId), by);
      return { comment: await this.staffView(commentId) };
    });
  }

  /** A hidden comment comes back, cleared: from then on reports alone do not take it down. */
  restore(commentId: string, by: SessionUser): Promise<{ comment: CommentView }> {
    return this.writes.run(`comment:${commentId}`, 'restore', () => this.putUp(commentId, 'hidden', by));
  }

  /** A comment held for review goes up on its idea's page. */
  publish(commentId: string, by: SessionUser): Promise<{ comment: CommentView }> {
    return this.writes.run(`comment:${commentId}`, 'publish', () => this.putUp(commentId, 'pending', by));
  }

  /** Staff agree with a take-down: the comment stays down and leaves the queue. */
  confirm(commentId: string, by: SessionUser): Promise<{ comment: CommentView }> {
    return this.writes.run(`comment:${commentId}`, 'confirm', async () => {
      const doc = await Comment.findById(commentId, { status: 1, body: 1, confirmedAt: 1 }).lean();
      if (!doc) throw new HttpError('NOT_FOUND', 'That comment does not exist.');
      if (doc.status !== 'hidden') throw new HttpError('BAD_REQUEST', 'Only a comment that has been taken down can have its take-down confirmed.');
      if (!doc.confirmedAt) {
        await Comment.updateOne({ _id: doc._id }, { $set: { confirmedAt: new Date() } });
        const reason = reasonOf((await reportStats('comment', commentId)).get(commentId));
        this.events.publish('moderation:decided', { action: 'confirm', reason, by: decidedBy(by), byUser: by.id, item: { kind: 'comment', id: commentId, title: publicTitle(reason, commentExcerpt(doc.body)) } });
        this.events.publish('queue:changed');
      }
      return { comment: await this.staffView(commentId) };
    });
  }

  /** Comments taken down by reports first, then held or reported ones (most reported first), then those staff decided. */
  async queue(): Promise<CommentModerationItem[]> {
    const reasons = await reportStats('comment');
    const offBoard = await Comment.find({ status: { $in: ['hidden', 'pending'] } }, { _id: 1 }).lean();
    const ids = [...new Set([...reasons.keys(), ...offBoard.map((doc) => doc._id.toString())])];
    const docs = await Comment.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }).lean();
    const people = new Map(
      (await User.find({ _id: { $in: [...new Set(docs.map((d) => d.author.toString()))].map((id) => new Types.ObjectId(id)) } }, { name: 1, email: 1 }).lean()).map((u) => [u._id.toString(), u]),
    );
    const items = docs.map((doc): CommentModerationItem => {
      const id = doc._id.toString();
      const { reasons: counts, reports, weight, networks } = reasons.get(id) ?? NO_REPORTS;
      const { markedByMe: _, ...comment } = this.discussion.store.view(synced(doc), null);
      const person = people.get(doc.author.toString());
      return {
        comment,
        ideaTitle: this.state.get(this.state.holderOf(doc.idea.toString()))?.title ?? '',
        postedBy: { userId: doc.author.toString(), name: person?.name ?? null, email: person?.email ?? null },
        status: doc.status as CommentModerationItem['status'],
        hiddenBy: (doc.hiddenBy ?? null) as HiddenBy | null,
        cleared: Boolean(doc.clearedAt),
        reports,
        reasons: counts,
        weight,
        networks,
        confirmed: Boolean(doc.confirmedAt),
        heldFor: doc.heldFor ?? [],
      };
    });
    const urgency = (i: CommentModerationItem) => (i.hiddenBy === 'reports' && !i.confirmed ? 0 : i.status === 'pending' || (i.status === 'published' && !i.cleared) ? 1 : 2);
    return items.sort((a, b) => urgency(a) - urgency(b) || b.reports - a.reports || b.comment.createdAt.localeCompare(a.comment.createdAt));
  }

  /** Resolves true when this call took the comment down; one staff cleared stays up unless staff hide it. */
  private async takeDown(commentId: string, by: HiddenBy, stats: ReportStats | undefined, staff?: SessionUser): Promise<boolean> {
    const doc = await Comment.findById(commentId).lean();
    if (!doc) throw new HttpError('NOT_FOUND', 'That comment does not exist.');
    if (doc.status === 'hidden' || (by === 'reports' && doc.clearedAt)) return false;
    await Comment.updateOne({ _id: doc._id }, { $set: { status: 'hidden', hiddenBy: by, confirmedAt: null } });
    // Rejecting a held comment is a decline; anything else coming down is a take-down.
    const declined = doc.status === 'pending';
    const reason = declined ? 'review' : reasonOf(stats);
    this.events.publish('moderation:decided', { action: declined ? 'decline' : 'take-down', reason, by: staff ? decidedBy(staff) : 'reports', byUser: staff?.id ?? null, item: { kind: 'comment', id: commentId, title: publicTitle(reason, commentExcerpt(doc.body)) } });
    this.discussion.goDown(commentId);
    this.events.publish('queue:changed');
    // Its author hears why it went, rather than finding it gone.
    const state = by === 'reports' ? 'reported' : 'declined';
    this.events.publish('comment:withheld', { authorId: doc.author.toString(), comment: { id: commentId, ideaId: this.state.holderOf(doc.idea.toString()), excerpt: commentExcerpt(doc.body), state } });
    return true;
  }

  private async putUp(commentId: string, from: 'pending' | 'hidden', by: SessionUser): Promise<{ comment: CommentView }> {
    const doc = await Comment.findById(commentId).lean();
    if (!doc) throw new HttpError('NOT_FOUND', 'That comment does not exist.');
    if (doc.status === from) {
      const changes = from === 'hidden' ? { status: 'published', hiddenBy: null, clearedAt: new Date() } : { status: 'published' };
      await Comment.updateOne({ _id: doc._id }, { $set: changes });
      this.discussion.goUp(synced(doc));
      const action = from === 'hidden' ? 'restore' : 'publish';
      this.events.publish('moderation:decided', { action, reason: 'staff', by: decidedBy(by), byUser: by.id, item: { kind: 'comment', id: commentId, title: commentExcerpt(doc.body) } });
      this.events.publish('queue:changed');
    }
    return { comment: await this.staffView(commentId) };
  }

  private async staffView(commentId: string): Promise<CommentView> {
    const doc = await Comment.findById(commentId).lean();
    if (!doc) throw new HttpError('NOT_FOUND', 'That comment does not exist.');
    return this.discussion.store.view(synced(doc), null);
  }
}
