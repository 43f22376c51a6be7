import { Types } from 'mongoose';
import { HelpfulMark } from '../../models/index.js';
import type { SyncedComment } from '../../realtime/events.js';
import type { Publisher } from '../platform/bus.js';
import { isDuplicateKey } from '../platform/database.js';
import { KeyedQueue } from '../platform/keyed-queue.js';
import type { Limits } from '../platform/limits.js';
import type { BoardState } from '../board/board-state.js';
import type { CommentStore } from './comment-store.js';
import type { DiscussionEvents } from './events.js';

/** Helpful counts go out at most this often per idea page: a burst of marks is one message. */
const HELPFUL_DEBOUNCE_MS = 100;

type MarkResult = { commentId: string; helpful: number; markedByMe: boolean };

/**
 * "Helpful" marks on comments: facts under a unique index, one per person and comment, counted as
 * the size of each comment's set of markers in the comment store.
 */
export class HelpfulMarks {
  /** One person's marks on one comment, in order. */
  private readonly marks = new KeyedQueue();
  private readonly due = new Map<string, Set<string>>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: CommentStore,
    private readonly state: BoardState,
    private readonly events: Publisher<DiscussionEvents>,
    private readonly limits: Limits,
  ) {}

  /** Every mark, once at start. */
  async load(): Promise<void> {
    for (const mark of await HelpfulMark.find({}, { comment: 1, marker: 1 }).lean()) this.store.markersOf(mark.comment.toString()).add(mark.marker.toString());
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One mark per person: the unique index decides between servers, this server's queue between tabs. */
  mark(commentId: string, userId: string): Promise<MarkResult> {
    return this.marks.run(`${commentId}:${userId}`, 'mark', async () => {
      const comment = this.store.up(commentId);
      await this.limits.take('helpfulPerAccount', userId);
      const markers = this.store.markersOf(commentId);
      if (!markers.has(userId)) {
        try {
          await HelpfulMark.create({ comment: new Types.ObjectId(commentId), marker: new Types.ObjectId(userId) });
          this.moved(comment, userId, 1, true);
        } catch (error) {
          // Marked already (another server, a moment ago): one mark, as it was.
          if (!isDuplicateKey(error)) throw error;
          markers.add(userId);
        }
      }
      return { commentId, helpful: markers.size, markedByMe: true };
    }, true);
  }

  unmark(commentId: string, userId: string): Promise<MarkResult> {
    return this.marks.run(`${commentId}:${userId}`, 'unmark', async () => {
      const comment = this.store.up(commentId);
      const deleted = await HelpfulMark.deleteOne({ comment: new Types.ObjectId(commentId), marker: new Types.ObjectId(userId) });
      if ((deleted.deletedCount ?? 0) > 0) this.moved(comment, userId, -1, true);
      else this.store.markersOf(commentId).delete(userId);
      return { commentId, helpful: this.store.markersOf(commentId).size, markedByMe: false };
    }, true);
  }

  /**
   * A guest's marks become the member's: each moves as a fact (the member's inserted, then the
   * guest's deleted), so a comment both had marked counts once, by the unique index.
   */
  async transfer(guestId: string, memberId: string): Promise<void> {
    const member = new Types.ObjectId(memberId);
    for (const mark of await HelpfulMark.find({ marker: new Types.ObjectId(guestId) }, { comment: 1 }).lean()) {
      const commentId = mark.comment.toString();
      await this.marks.run(`${commentId}:${memberId}`, 'transfer', async () => {
        try {
          await HelpfulMark.create({ comment: mark.comment, marker: member });
          this.movedAnywhere(commentId, memberId, 1);
        } catch (error) {
          // The member had marked it too: theirs stands, and the guest's goes.
          if (!isDuplicateKey(error)) throw error;
        }
        await HelpfulMark.deleteOne({ _id: mark._id });
        this.movedAnywhere(commentId, guestId, -1);
      });
    }
  }

  /** A mark another server stored or withdrew. */
  follow(commentId: string, markerId: string, delta: 1 | -1): void {
    const comment = this.store.get(commentId);
    if (comment) this.moved(comment, markerId, delta, false);
  }

  private moved(comment: SyncedComment, markerId: string, delta: 1 | -1, here: boolean): void {
    const markers = this.store.markersOf(comment.id);
    if (delta > 0) markers.add(markerId);
    else markers.delete(markerId);
    if (!here) return;
    this.events.publish('helpful:moved', { commentId: comment.id, markerId, delta });
    const page = this.state.holderOf(comment.ideaId);
    let due = this.due.get(page);
    if (!due) this.due.set(page, (due = new Set()));
    due.add(comment.id);
    this.timer ??= setTimeout(() => this.flush(), HELPFUL_DEBOUNCE_MS);
  }

  /** A comment that is up counts and tells its page; one off the board only keeps its markers for when it comes back. */
  private movedAnywhere(commentId: string, markerId: string, delta: 1 | -1): void {
    const comment = this.store.get(commentId);
    if (comment) return this.moved(comment, markerId, delta, true);
    if (delta > 0) this.store.markersOf(commentId).add(markerId);
    else this.store.markersOf(commentId).delete(markerId);
  }

  private flush(): void {
    this.timer = null;
    for (const [page, ids] of this.due) {
      this.events.publish('helpful:counts', { page, counts: Object.fromEntries([...ids].map((id) => [id, this.store.markersOf(id).size])) });
    }
    this.due.clear();
  }
}
