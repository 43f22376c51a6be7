import type { Types } from 'mongoose';
import type { SyncedComment } from '../../realtime/events.js';
import { STANCES, type Stance } from '../../realtime/vocabulary.js';
import type { CommentView } from '../../realtime/schemas/discussion.js';
import type { BoardState } from '../board/board-state.js';
import { HttpError } from '../platform/errors.js';
import type { CommentPage } from './events.js';

export interface Discussion {
  comments: CommentView[];
  lead: { for: string | null; against: string | null };
}

export type CommentDoc = {
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

const STANCE_ORDER = new Map<Stance, number>(STANCES.map((stance, i) => [stance, i]));

/**
 * The comments that are up, in memory (FerretDB v1 filters on anything but `_id` by reading the whole
 * collection), with the people who marked each helpful: counts are the size of those sets. Each
 * server holds its own copy, moved by what it stores and by what the others report.
 */
export class CommentStore {
  private readonly comments = new Map<string, SyncedComment>();
  private readonly byIdea = new Map<string, Set<string>>();
  private readonly markers = new Map<string, Set<string>>();

  constructor(private readonly state: BoardState) {}

  get(commentId: string): SyncedComment | undefined {
    return this.comments.get(commentId);
  }

  /** A comment that is up, or NOT_FOUND. */
  up(commentId: string): SyncedComment {
    const comment = this.comments.get(commentId);
    if (!comment) throw new HttpError('NOT_FOUND', 'That comment does not exist, or has been taken down.');
    return comment;
  }

  /** Counted on its idea's card; false when it was up already. */
  add(comment: SyncedComment): boolean {
    if (this.comments.has(comment.id)) return false;
    this.comments.set(comment.id, comment);
    let set = this.byIdea.get(comment.ideaId);
    if (!set) this.byIdea.set(comment.ideaId, (set = new Set()));
    set.add(comment.id);
    this.state.moveComments(comment.ideaId, 1, comment.createdAt);
    return true;
  }

  remove(commentId: string): SyncedComment | undefined {
    const comment = this.comments.get(commentId);
    if (!comment) return undefined;
    this.comments.delete(commentId);
    this.byIdea.get(comment.ideaId)?.delete(commentId);
    this.state.moveComments(comment.ideaId, -1, Date.now());
    return comment;
  }

  setAuthor(commentId: string, authorId: string): void {
    const comment = this.comments.get(commentId);
    if (comment) comment.authorId = authorId;
  }

  markersOf(commentId: string): Set<string> {
    let set = this.markers.get(commentId);
    if (!set) this.markers.set(commentId, (set = new Set()));
    return set;
  }

  /** The idea page a comment shows on, or null while its idea is off the board. */
  pageOf(comment: SyncedComment): CommentPage | null {
    const page = this.state.get(this.state.holderOf(comment.ideaId));
    return page ? { id: page.id, area: page.area } : null;
  }

  /** An idea's discussion, its merged duplicates' included: best first within each stance, each argument followed by its replies. */
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

  view(comment: SyncedComment, viewerId: string | null): CommentView {
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

/** A comment's first words, where the log or its author's list names it. */
export function commentExcerpt(body: string): string {
  return body.length > 80 ? `${body.slice(0, 79)}\u2026` : body;
}

export function synced(doc: CommentDoc): SyncedComment {
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
