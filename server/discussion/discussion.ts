import type { PersonHints } from '../platform/person-hints.js';
import { Types } from 'mongoose';
import { Comment } from '../../models/index.js';
import type { DiscussionSync, SyncedComment } from '../../realtime/events.js';
import type { CommentView, OwnCommentOffBoard } from '../../realtime/schemas/discussion.js';
import type { Stance } from '../../realtime/vocabulary.js';
import type { BoardSettings } from '../board/board-settings.js';
import type { BoardState } from '../board/board-state.js';
import { bylineFor } from '../board/ideas.js';
import type { Publisher } from '../platform/bus.js';
import { HttpError } from '../platform/errors.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import type { Limits } from '../platform/limits.js';
import { vet, type TextScreen } from '../platform/text-screen.js';
import { commentExcerpt, CommentStore, synced, type Discussion } from './comment-store.js';
import type { DiscussionEvents } from './events.js';
import { HelpfulMarks } from './helpful.js';
import { originOf, type Actor } from '../platform/provenance.js';

/** A person's comments off one idea's page listed for them: the newest, enough for anyone not posting in bulk. */
const OFF_BOARD_SHOWN = 10;

/**
 * Arguments for and against ideas, and questions. The comments that are up live in the comment
 * store, their helpful marks in `helpful`; moderation (moderation/comments.ts) takes them down and
 * puts them up through `goUp` and `goDown`. A comment document has one writer at a time: the ideas'
 * queue, under `comment:<id>`.
 */
export class DiscussionService {
  readonly store: CommentStore;
  readonly helpful: HelpfulMarks;

  constructor(
    private readonly state: BoardState,
    private readonly events: Publisher<DiscussionEvents>,
    private readonly settings: BoardSettings,
    private readonly limits: Limits,
    private readonly writes: KeyedQueue,
    private readonly screen: TextScreen,
    private readonly hints: PersonHints,
  ) {
    this.store = new CommentStore(state);
    this.helpful = new HelpfulMarks(this.store, state, events, limits);
  }

  /** Every comment that is up, who has one that is not, and every helpful mark. */
  async load(): Promise<void> {
    // One read of the collection: a filter on the status would read all of it as well.
    for (const doc of await Comment.find({}).lean()) {
      if (doc.status === 'published') this.store.add(synced(doc));
      else this.hints.follow('comment-off-board', doc.author.toString());
    }
    await this.helpful.load();
  }

  /** Reads who has a comment off its page again (after a Redis gap: other servers' news was lost). */
  async reloadHints(): Promise<void> {
    for (const doc of await Comment.find({ status: { $ne: 'published' } }, { author: 1 }).lean()) this.hints.follow('comment-off-board', doc.author.toString());
  }

  stop(): void {
    this.helpful.stop();
  }

  /**
   * This person's latest comments on an idea's page (its merged duplicates' included) that are not on
   * it, newest first, and why: a comment held or taken down would otherwise just be gone.
   */
  async offBoardFor(userId: string, ideaId: string): Promise<OwnCommentOffBoard[]> {
    if (!this.hints.may('comment-off-board', userId)) return [];
    const holder = this.state.holderOf(ideaId);
    const ideas = this.state.groupOf(holder).map((id) => new Types.ObjectId(id));
    const docs = await Comment.find({ author: new Types.ObjectId(userId), idea: { $in: ideas }, status: { $in: ['pending', 'hidden'] } }, { idea: 1, body: 1, status: 1, hiddenBy: 1 })
      .sort({ createdAt: -1 })
      .limit(OFF_BOARD_SHOWN)
      .lean();
    return docs.map((doc) => ({
      id: doc._id.toString(),
      ideaId: holder,
      excerpt: commentExcerpt(doc.body),
      state: doc.status === 'pending' ? 'waiting' : doc.hiddenBy === 'reports' ? 'reported' : 'declined',
    }));
  }

  /**
   * A reply goes to a comment that is up and is not itself a reply, on the same idea's page; it is
   * stored with that comment's idea, so it follows it should a merge be undone.
   */
  async create(
    input: { ideaId: string; body: string; stance: Stance; parentId?: string; anonymous?: boolean },
    caller: Actor,
  ): Promise<{ comment: CommentView; pending: boolean }> {
    if (!this.state.get(input.ideaId)) throw new HttpError('NOT_FOUND', 'That idea does not exist, or is no longer on the board.');
    let ideaId = input.ideaId;
    if (input.parentId) {
      const parent = this.store.get(input.parentId);
      if (!parent || parent.parentId !== null || this.state.holderOf(parent.ideaId) !== input.ideaId) {
        throw new HttpError('BAD_REQUEST', 'parentId: a reply goes to a comment on this idea that is not itself a reply', { parentId: 'not a comment on this idea you can reply to' });
      }
      ideaId = parent.ideaId;
    }
    const heldFor = vet(this.screen, { body: input.body });
    await this.limits.take('commentsPerAccount', caller.user.id);
    await this.limits.take('commentsPerNetwork', caller.network);
    await this.limits.take('commentsBurstPerNetwork', caller.network);
    const byline = await bylineFor(caller.user, input.anonymous);
    const pending = heldFor.length > 0 || (await this.settings.reviewNewIdeas());
    // Stored as built (mongoose casts and fills defaults) without `create`'s save machinery, which cost
    // twice the insert itself: the fields are parsed at the edge and set here, nothing to validate again.
    const doc = new Comment({
      idea: new Types.ObjectId(ideaId),
      parent: input.parentId ? new Types.ObjectId(input.parentId) : null,
      stance: input.stance,
      body: input.body,
      author: new Types.ObjectId(caller.user.id),
      authorName: byline.name,
      authorOrganisation: byline.organisation,
      status: pending ? 'pending' : 'published',
      origin: originOf(caller),
      heldFor,
    });
    await Comment.collection.insertOne(doc.toObject());
    const comment = synced(doc);
    if (pending) {
      this.hints.note('comment-off-board', [caller.user.id]);
      this.events.publish('queue:changed');
      if (heldFor.length) this.screen.held({ kind: 'comment', id: comment.id, title: this.state.get(input.ideaId)?.title ?? '' }, heldFor);
    } else this.goUp(comment);
    return { comment: this.store.view(comment, caller.user.id), pending };
  }

  /** An idea's discussion, its merged duplicates' included; a duplicate's page shows the idea it is merged into. */
  list(ideaId: string, viewerId: string | null): Discussion {
    return this.store.list(ideaId, viewerId);
  }

  mark(commentId: string, userId: string) {
    return this.helpful.mark(commentId, userId);
  }

  unmark(commentId: string, userId: string) {
    return this.helpful.unmark(commentId, userId);
  }

  /**
   * A guest who signs up or in keeps their comments and helpful marks. A comment changes author under
   * its one writer; its byline stays as posted, since the guest never put a name to it.
   */
  async transfer(guestId: string, memberId: string): Promise<void> {
    const guest = new Types.ObjectId(guestId);
    const member = new Types.ObjectId(memberId);
    for (const doc of await Comment.find({ author: guest }, { _id: 1 }).lean()) {
      const commentId = doc._id.toString();
      await this.writes.run(`comment:${commentId}`, 'author', () => Comment.updateOne({ _id: doc._id, author: guest }, { $set: { author: member } }));
      this.store.setAuthor(commentId, memberId);
      this.events.publish('comment:author', { commentId, authorId: memberId });
    }
    await this.helpful.transfer(guestId, memberId);
  }

  /** A comment goes up here: counted on its idea's card, on every page watching, and on the other servers. */
  goUp(comment: SyncedComment): void {
    this.store.add(comment);
    this.events.publish('comment:up', { comment, view: this.store.view(comment, null), page: this.store.pageOf(comment) });
  }

  goDown(commentId: string): void {
    const comment = this.store.remove(commentId);
    if (!comment) return;
    this.hints.note('comment-off-board', [comment.authorId]);
    this.events.publish('comment:down', { comment, page: this.store.pageOf(comment) });
  }

  /** What another server changed of the discussion. */
  follow(message: DiscussionSync): void {
    if (message.kind === 'comment') this.store.add(message.comment);
    else if (message.kind === 'comment-removed') this.store.remove(message.commentId);
    else if (message.kind === 'author') this.store.setAuthor(message.commentId, message.authorId);
    else if (message.kind === 'helpful') this.helpful.follow(message.commentId, message.markerId, message.delta);
  }
}
