import { Types } from 'mongoose';
import { Comment, CommentReport, HelpfulMark, User } from '../../models/index.js';
import type { DiscussionSync, SyncedComment } from '../../realtime/events.js';
import { REPORTS_TO_HIDE, STANCES, type AreaSlug, type HiddenBy, type ReportReason, type Stance } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { CommentView } from '../../realtime/schemas/discussion.js';
import type { CommentModerationItem } from '../../realtime/schemas/moderation.js';
import type { BoardSettings } from '../board/board-settings.js';
import type { BoardState } from '../board/board-state.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import { bylineFor } from '../board/ideas.js';
import type { BoardIo } from '../transport/io.js';
import { KeyedQueue } from '../platform/keyed-queue.js';
import type { Limits } from '../platform/limits.js';

export interface DiscussionEvents {
  /** To watchers of the board of `page` (the idea it shows on: cards count it) and of its page. */
  commentCreated(comment: CommentView, page: { id: string; area: AreaSlug }): void;
  commentRemoved(comment: { id: string; ideaId: string }, page: { id: string; area: AreaSlug }): void;
  /** Coalesced: the helpful counts that moved on one idea page. */
  helpfulChanged(pageOf: string, counts: Record<string, number>): void;
  queueChanged(): void;
}

export interface Discussion {
  comments: CommentView[];
  lead: { for: string | null; against: string | null };
}

/** Helpful counts go out at most this often per idea page: a burst of marks is one message. */
const HELPFUL_DEBOUNCE_MS = 100;
const STANCE_ORDER = new Map<Stance, number>(STANCES.map((stance, i) => [stance, i]));

type CommentDoc = {
  _id: Types.ObjectId;
  idea: Types.ObjectId;
  parent?: Types.ObjectId | null;
  stance: string;
  body: string;
  author: Types.ObjectId;
  authorName?: string | null;
  authorOrganisation?: string | null;
  status: string;
  hiddenBy?: string | null;
  clearedAt?: Date | null;
  createdAt: Date;
};

/**
 * Arguments for and against ideas, and questions. Comments that are up live in memory (FerretDB v1
 * filters on anything but `_id` by reading the whole collection), with the people who marked each
 * helpful: marks are facts under a unique index, and counts are the size of those sets, loaded at
 * start and moved by the marks this server stores or other servers report. A comment document has one
 * writer at a time (staff decisions, reports taking it down): the ideas' queue, under `comment:<id>`.
 */
export class DiscussionService {
  private readonly comments = new Map<string, SyncedComment>();
  private readonly byIdea = new Map<string, Set<string>>();
  private readonly markers = new Map<string, Set<string>>();
  /** One person's marks on one comment, in order. */
  private readonly marks = new KeyedQueue();
  private readonly helpfulDue = new Map<string, Set<string>>();
  private helpfulTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly state: BoardState,
    private readonly events: DiscussionEvents,
    private readonly settings: BoardSettings,
    private readonly limits: Limits,
    private readonly writes: KeyedQueue,
    /** Set with several servers: they tell each other what they changed. */
    private readonly cluster: BoardIo | null,
  ) {
    cluster?.on('discussion:sync', (message) => this.receive(message));
  }

  /** Every comment that is up, and every helpful mark. */
  async load(): Promise<void> {
    const docs = await Comment.find({ status: 'published' }).lean();
    for (const doc of docs) this.add(synced(doc));
    for (const mark of await HelpfulMark.find({}, { comment: 1, marker: 1 }).lean()) this.markersOf(mark.comment.toString()).add(mark.marker.toString());
  }

  stop(): void {
    if (this.helpfulTimer) clearTimeout(this.helpfulTimer);
    this.helpfulTimer = null;
  }

  /**
   * A reply goes to a comment that is up and is not itself a reply, on the same idea's page; it is
   * stored with that comment's idea, so it follows it should a merge be undone.
   */
  async create(
    input: { ideaId: string; body: string; stance: Stance; parentId?: string; anonymous?: boolean },
    caller: { user: SessionUser; address: string | null },
  ): Promise<{ comment: CommentView; pending: boolean }> {
    const idea = this.state.get(input.ideaId);
    if (!idea) throw new HttpError('NOT_FOUND', 'That idea does not exist, or is no longer on the board.');
    let ideaId = input.ideaId;
    if (input.parentId) {
      const parent = this.comments.get(input.parentId);
      if (!parent || parent.parentId !== null || this.state.holderOf(parent.ideaId) !== input.ideaId) {
        throw new HttpError('BAD_REQUEST', 'parentId: a reply goes to a comment on this idea that is not itself a reply', { parentId: 'not a comment on this idea you can reply to' });
      }
      ideaId = parent.ideaId;
    }
    await this.limits.take('commentsPerAccount', caller.user.id);
    await this.limits.take('commentsPerAddress', caller.address);
    const byline = await bylineFor(caller.user, input.anonymous);
    const pending = await this.settings.reviewNewIdeas();
    const doc = await Comment.create({
      idea: new Types.ObjectId(ideaId),
      parent: input.parentId ? new Types.ObjectId(input.parentId) : null,
      stance: input.stance,
      body: input.body,
      author: new Types.ObjectId(caller.user.id),
      authorName: byline.name,
      authorOrganisation: byline.organisation,
      status: pending ? 'pending' : 'published',
    });
    const comment = synced(doc);
    if (pending) this.events.queueChanged();
    else this.goUp(comment);
    return { comment: this.view(comment, caller.user.id), pending };
  }

  /** An idea's discussion, its merged duplicates' included; a duplicate's page shows the idea it is merged into. */
  list(ideaId: string, viewerId: string | null): Discussion {
    const holder = this.state.holderOf(ideaId);
    if (!this.state.get(holder)) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
    const all = this.state.groupOf(holder).flatMap((id) => [...(this.byIdea.get(id) ?? [])].map((cid) => this.comments.get(cid)!));
    const views = all.map((comment) => this.view(comment, viewerId));
    const best = (a: CommentView, b: CommentView) =>
      STANCE_ORDER.get(a.stance)! - STANCE_ORDER.get(b.stance)! || b.helpful - a.helpful || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
    const replies = new Map<string, CommentView[]>();
    for (const view of views) if (view.parentId) replies.set(view.parentId, [...(replies.get(view.parentId) ?? []), view]);
    const top = views.filter((view) => view.parentId === null).sort(best);
    // Each argument is followed by its replies, oldest first, as a conversation reads.
    const comments = top.flatMap((view) => [view, ...(replies.get(view.id) ?? []).sort((a, b) => a.createdAt.localeCompare(b.createdAt))]);
    const lead = (stance: Stance) => top.find((view) => view.stance === stance)?.id ?? null;
    return { comments, lead: { for: lead('for'), against: lead('against') } };
  }

  /** People who commented on any of these ideas (comments that are up). */
  commentersOf(ideaIds: string[]): string[] {
    const people = new Set<string>();
    for (const id of ideaIds) for (const cid of this.byIdea.get(id) ?? []) people.add(this.comments.get(cid)!.authorId);
    return [...people];
  }

  /** One mark per person: the unique index decides between servers, this server's queue between tabs. */
  mark(commentId: string, userId: string): Promise<{ commentId: string; helpful: number; markedByMe: boolean }> {
    return this.marks.run(`${commentId}:${userId}`, 'mark', async () => {
      const comment = this.upComment(commentId);
      await this.limits.take('helpfulPerAccount', userId);
      const markers = this.markersOf(commentId);
      if (!markers.has(userId)) {
        try {
          await HelpfulMark.create({ comment: new Types.ObjectId(commentId), marker: new Types.ObjectId(userId) });
          this.moveMark(comment, userId, 1, true);
        } catch (error) {
          // Marked already (another server, a moment ago): one mark, as it was.
          if (!isDuplicateKey(error)) throw error;
          markers.add(userId);
        }
      }
      return { commentId, helpful: markers.size, markedByMe: true };
    }, true);
  }

  unmark(commentId: string, userId: string): Promise<{ commentId: string; helpful: number; markedByMe: boolean }> {
    return this.marks.run(`${commentId}:${userId}`, 'unmark', async () => {
      const comment = this.upComment(commentId);
      const deleted = await HelpfulMark.deleteOne({ comment: new Types.ObjectId(commentId), marker: new Types.ObjectId(userId) });
      if ((deleted.deletedCount ?? 0) > 0) this.moveMark(comment, userId, -1, true);
      else this.markersOf(commentId).delete(userId);
      return { commentId, helpful: this.markersOf(commentId).size, markedByMe: false };
    }, true);
  }

  /**
   * A guest who signs up or in keeps their comments and helpful marks. A comment changes author under
   * its one writer; its byline stays as posted, since the guest never put a name to it. A mark moves
   * as a fact (the member's inserted, then the guest's deleted), so a comment both had marked counts
   * once, by the unique index.
   */
  async transfer(guestId: string, memberId: string): Promise<void> {
    const guest = new Types.ObjectId(guestId);
    const member = new Types.ObjectId(memberId);
    for (const doc of await Comment.find({ author: guest }, { _id: 1 }).lean()) {
      const commentId = doc._id.toString();
      await this.writes.run(`comment:${commentId}`, 'author', () => Comment.updateOne({ _id: doc._id, author: guest }, { $set: { author: member } }));
      this.setAuthor(commentId, memberId);
      this.share({ kind: 'author', commentId, authorId: memberId });
    }
    for (const mark of await HelpfulMark.find({ marker: guest }, { comment: 1 }).lean()) {
      const commentId = mark.comment.toString();
      await this.marks.run(`${commentId}:${memberId}`, 'transfer', async () => {
        try {
          await HelpfulMark.create({ comment: mark.comment, marker: member });
          this.markMoved(commentId, memberId, 1);
        } catch (error) {
          // The member had marked it too: theirs stands, and the guest's goes.
          if (!isDuplicateKey(error)) throw error;
        }
        await HelpfulMark.deleteOne({ _id: mark._id });
        this.markMoved(commentId, guestId, -1);
      });
    }
  }

  /** As for ideas: the third person's report takes a comment down everywhere, unless staff cleared it. */
  async report(input: { commentId: string; reason: ReportReason }, userId: string): Promise<{ commentId: string; hidden: boolean }> {
    this.upComment(input.commentId);
    await this.limits.take('commentReportsPerAccount', userId);
    const comment = new Types.ObjectId(input.commentId);
    try {
      await CommentReport.create({ comment, reporter: new Types.ObjectId(userId), reason: input.reason });
      this.events.queueChanged();
    } catch (error) {
      // Reporting twice is one report: the person's first reason stands.
      if (!isDuplicateKey(error)) throw error;
    }
    if ((await CommentReport.countDocuments({ comment })) < REPORTS_TO_HIDE) return { commentId: input.commentId, hidden: false };
    const hidden = await this.writes.run(`comment:${input.commentId}`, 'hide', () => this.takeDown(input.commentId, 'reports'));
    return { commentId: input.commentId, hidden };
  }

  hide(commentId: string): Promise<{ comment: CommentView }> {
    return this.writes.run(`comment:${commentId}`, 'hide', async () => {
      await this.takeDown(commentId, 'facilitator');
      return { comment: await this.staffView(commentId) };
    });
  }

  /** A hidden comment comes back, cleared: from then on reports alone do not take it down. */
  restore(commentId: string): Promise<{ comment: CommentView }> {
    return this.writes.run(`comment:${commentId}`, 'restore', () => this.putUp(commentId, 'hidden'));
  }

  /** A comment held for review goes up on its idea's page. */
  publish(commentId: string): Promise<{ comment: CommentView }> {
    return this.writes.run(`comment:${commentId}`, 'publish', () => this.putUp(commentId, 'pending'));
  }

  /** Comments taken down by reports first, then held or reported ones (most reported first), then those staff decided. */
  async queue(): Promise<CommentModerationItem[]> {
    const rows = await CommentReport.aggregate<{ _id: { comment: Types.ObjectId; reason: ReportReason }; n: number }>([
      { $group: { _id: { comment: '$comment', reason: '$reason' }, n: { $sum: 1 } } },
    ]);
    const reasons = new Map<string, Partial<Record<ReportReason, number>>>();
    for (const row of rows) {
      const id = row._id.comment.toString();
      reasons.set(id, { ...reasons.get(id), [row._id.reason]: row.n });
    }
    const offBoard = await Comment.find({ status: { $in: ['hidden', 'pending'] } }, { _id: 1 }).lean();
    const ids = [...new Set([...reasons.keys(), ...offBoard.map((doc) => doc._id.toString())])];
    const docs = await Comment.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }).lean();
    const people = new Map(
      (await User.find({ _id: { $in: [...new Set(docs.map((d) => d.author.toString()))].map((id) => new Types.ObjectId(id)) } }, { name: 1, email: 1 }).lean()).map((u) => [u._id.toString(), u]),
    );
    const items = docs.map((doc): CommentModerationItem => {
      const id = doc._id.toString();
      const counts = reasons.get(id) ?? {};
      const { markedByMe: _, ...comment } = this.view(synced(doc), null);
      const person = people.get(doc.author.toString());
      return {
        comment,
        ideaTitle: this.state.get(this.state.holderOf(doc.idea.toString()))?.title ?? '',
        postedBy: { userId: doc.author.toString(), name: person?.name ?? null, email: person?.email ?? null },
        status: doc.status as CommentModerationItem['status'],
        hiddenBy: (doc.hiddenBy ?? null) as HiddenBy | null,
        cleared: Boolean(doc.clearedAt),
        reports: Object.values(counts).reduce((sum, n) => sum + n, 0),
        reasons: counts,
      };
    });
    const urgency = (i: CommentModerationItem) => (i.hiddenBy === 'reports' ? 0 : i.status === 'pending' || (i.status === 'published' && !i.cleared) ? 1 : 2);
    return items.sort((a, b) => urgency(a) - urgency(b) || b.reports - a.reports || b.comment.createdAt.localeCompare(a.comment.createdAt));
  }

  /** Resolves true when this call took the comment down; one staff cleared stays up unless staff hide it. */
  private async takeDown(commentId: string, by: HiddenBy): Promise<boolean> {
    const doc = await Comment.findById(commentId).lean();
    if (!doc) throw new HttpError('NOT_FOUND', 'That comment does not exist.');
    if (doc.status === 'hidden' || (by === 'reports' && doc.clearedAt)) return false;
    await Comment.updateOne({ _id: doc._id }, { $set: { status: 'hidden', hiddenBy: by } });
    this.goDown(commentId);
    this.events.queueChanged();
    return true;
  }

  private async putUp(commentId: string, from: 'pending' | 'hidden'): Promise<{ comment: CommentView }> {
    const doc = await Comment.findById(commentId).lean();
    if (!doc) throw new HttpError('NOT_FOUND', 'That comment does not exist.');
    if (doc.status === from) {
      const changes = from === 'hidden' ? { status: 'published', hiddenBy: null, clearedAt: new Date() } : { status: 'published' };
      await Comment.updateOne({ _id: doc._id }, { $set: changes });
      this.goUp(synced(doc));
      this.events.queueChanged();
    }
    return { comment: await this.staffView(commentId) };
  }

  /** A comment goes up here: counted on its idea's card, on every page watching, and on the other servers. */
  private goUp(comment: SyncedComment): void {
    this.add(comment);
    // An idea off the board has no page or card to tell.
    const page = this.state.get(this.state.holderOf(comment.ideaId));
    if (page) this.events.commentCreated(this.view(comment, null), page);
    this.share({ kind: 'comment', comment });
  }

  private goDown(commentId: string): void {
    const comment = this.remove(commentId);
    if (!comment) return;
    const page = this.state.get(this.state.holderOf(comment.ideaId));
    if (page) this.events.commentRemoved({ id: comment.id, ideaId: comment.ideaId }, page);
    this.share({ kind: 'comment-removed', commentId });
  }

  private add(comment: SyncedComment): void {
    if (this.comments.has(comment.id)) return;
    this.comments.set(comment.id, comment);
    let set = this.byIdea.get(comment.ideaId);
    if (!set) this.byIdea.set(comment.ideaId, (set = new Set()));
    set.add(comment.id);
    this.state.moveComments(comment.ideaId, 1, comment.createdAt);
  }

  private remove(commentId: string): SyncedComment | undefined {
    const comment = this.comments.get(commentId);
    if (!comment) return undefined;
    this.comments.delete(commentId);
    this.byIdea.get(comment.ideaId)?.delete(commentId);
    this.state.moveComments(comment.ideaId, -1, Date.now());
    return comment;
  }

  private moveMark(comment: SyncedComment, markerId: string, delta: 1 | -1, here: boolean): void {
    const markers = this.markersOf(comment.id);
    if (delta > 0) markers.add(markerId);
    else markers.delete(markerId);
    if (!here) return;
    this.share({ kind: 'helpful', commentId: comment.id, markerId, delta });
    const page = this.state.holderOf(comment.ideaId);
    let due = this.helpfulDue.get(page);
    if (!due) this.helpfulDue.set(page, (due = new Set()));
    due.add(comment.id);
    this.helpfulTimer ??= setTimeout(() => this.flushHelpful(), HELPFUL_DEBOUNCE_MS);
  }

  /** A comment that is up counts and tells its page; one off the board only keeps its markers for when it comes back. */
  private markMoved(commentId: string, markerId: string, delta: 1 | -1): void {
    const comment = this.comments.get(commentId);
    if (comment) return this.moveMark(comment, markerId, delta, true);
    if (delta > 0) this.markersOf(commentId).add(markerId);
    else this.markersOf(commentId).delete(markerId);
  }

  private setAuthor(commentId: string, authorId: string): void {
    const comment = this.comments.get(commentId);
    if (comment) comment.authorId = authorId;
  }

  private flushHelpful(): void {
    this.helpfulTimer = null;
    for (const [page, ids] of this.helpfulDue) {
      this.events.helpfulChanged(page, Object.fromEntries([...ids].map((id) => [id, this.markersOf(id).size])));
    }
    this.helpfulDue.clear();
  }

  private receive(message: DiscussionSync): void {
    if (message.kind === 'comment') this.add(message.comment);
    else if (message.kind === 'comment-removed') this.remove(message.commentId);
    else if (message.kind === 'author') this.setAuthor(message.commentId, message.authorId);
    else if (message.kind === 'helpful') {
      const comment = this.comments.get(message.commentId);
      if (comment) this.moveMark(comment, message.markerId, message.delta, false);
    }
  }

  private share(message: DiscussionSync): void {
    this.cluster?.serverSideEmit('discussion:sync', message);
  }

  private upComment(commentId: string): SyncedComment {
    const comment = this.comments.get(commentId);
    if (!comment) throw new HttpError('NOT_FOUND', 'That comment does not exist, or has been taken down.');
    return comment;
  }

  private markersOf(commentId: string): Set<string> {
    let set = this.markers.get(commentId);
    if (!set) this.markers.set(commentId, (set = new Set()));
    return set;
  }

  private async staffView(commentId: string): Promise<CommentView> {
    const doc = await Comment.findById(commentId).lean();
    if (!doc) throw new HttpError('NOT_FOUND', 'That comment does not exist.');
    return this.view(synced(doc), null);
  }

  private view(comment: SyncedComment, viewerId: string | null): CommentView {
    const markers = this.markers.get(comment.id);
    return {
      id: comment.id,
      ideaId: comment.ideaId,
      parentId: comment.parentId,
      stance: comment.stance,
      body: comment.body,
      author: comment.author,
      helpful: markers?.size ?? 0,
      markedByMe: viewerId !== null && (markers?.has(viewerId) ?? false),
      createdAt: new Date(comment.createdAt).toISOString(),
    };
  }
}

function synced(doc: CommentDoc): SyncedComment {
  return {
    id: doc._id.toString(),
    ideaId: doc.idea.toString(),
    parentId: doc.parent ? doc.parent.toString() : null,
    stance: doc.stance as Stance,
    body: doc.body,
    author: { name: doc.authorName ?? null, organisation: doc.authorOrganisation ?? null },
    authorId: doc.author.toString(),
    createdAt: doc.createdAt.getTime(),
  };
}
