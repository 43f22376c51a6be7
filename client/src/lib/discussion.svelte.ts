import type { CommandResult } from '$realtime/commands';
import type { Ack } from '$realtime/events';
import type { Stance } from '$realtime/vocabulary';
import type { CommentView, OwnCommentOffBoard } from '$realtime/schemas/discussion';
import { callForAck } from './api';
import { COMMAND_TIMEOUT_MS, ensureSession } from './live.svelte';
import { RETRY_MS } from './retry';
import type { BoardSocket } from './socket';

export type Discussion = CommandResult<'comments:list'>;
type Lead = Discussion['lead'];
type HelpfulResult = CommandResult<'comment:helpful'>;

/**
 * One idea's discussion kept current over the idea page's socket. The list's order is the server's
 * (best first) as last read, and only a (re)connect re-reads it: helpful counts change in place and new
 * comments join the end of their list, so nothing moves under the reader's thumb. The two leading
 * arguments are chosen afresh as comments and helpful marks arrive, as the server chooses them.
 */
export class LiveDiscussion {
  readonly ideaId: string;
  /** Set when staff merged this idea into another while the page was open: that idea's id. */
  mergedInto = $state<string | null>(null);

  #comments: Record<string, CommentView> = $state({});
  #order = $state<string[]>([]);
  /** The leading argument of each side, chosen here as the server does (see `leadOf`). */
  #lead: Lead = $derived({ for: leadOf(this.#topLevel(), 'for'), against: leadOf(this.#topLevel(), 'against') });
  /** Comments that arrived live since the page was drawn: marked for a moment so the eye finds them. */
  #fresh = $state<string[]>([]);
  /** Comments with a helpful mark in flight: broadcast counts wait here so the optimistic one does not flicker. */
  #held = new Map<string, number | null>();
  #socket: BoardSocket | null = null;
  /** The reader's own comments here that are not on the page, and why, newest first. */
  #withheld = $state<OwnCommentOffBoard[]>([]);

  constructor(ideaId: string, discussion: Discussion, withheld: OwnCommentOffBoard[] = []) {
    this.ideaId = ideaId;
    this.seed(discussion);
    this.seedWithheld(withheld);
  }

  get withheld(): OwnCommentOffBoard[] {
    return this.#withheld;
  }

  /** The most helpful argument for and against: the oldest of those tied, as the server chooses. */
  get lead(): { for: CommentView | null; against: CommentView | null } {
    return { for: this.#get(this.#lead.for), against: this.#get(this.#lead.against) };
  }

  /** Top-level comments besides the two leading ones, best first, of one stance or all. */
  rest(stance: Stance | null): CommentView[] {
    const leads = new Set([this.#lead.for, this.#lead.against]);
    return this.#topLevel().filter((c) => !leads.has(c.id) && (stance === null || c.stance === stance));
  }

  /** Replies read as a conversation: oldest first. */
  replies(parentId: string): CommentView[] {
    return this.#order
      .map((id) => this.#comments[id])
      .filter((c): c is CommentView => c?.parentId === parentId)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  }

  /**
   * What a filter tab shows: the top-level comments of its stance (the leading ones included) with
   * their replies. Under "All" that is every comment, the number the idea's card shows.
   */
  count(stance: Stance | null): number {
    const threads = new Set(this.#topLevel().filter((c) => stance === null || c.stance === stance).map((c) => c.id));
    return threads.size + this.#replies().filter((c) => threads.has(c.parentId!)).length;
  }

  /** Top-level comments of one stance: the arguments each side has, and the questions. */
  arguments(stance: Stance): number {
    return this.#topLevel().filter((c) => c.stance === stance).length;
  }

  /** Replies on the page, so the tally of arguments adds up to every comment. */
  get replyCount(): number {
    return this.#replies().length;
  }

  isFresh(commentId: string): boolean {
    return this.#fresh.includes(commentId);
  }

  /** Called by the page's board before its socket connects: the same connection carries both. */
  attach(socket: BoardSocket) {
    this.#socket = socket;
    socket.on('connect', () => void this.#watch(socket));
    socket.on('comment:created', ({ comment }) => {
      if (comment.ideaId !== this.ideaId || this.#comments[comment.id]) return;
      // One of the reader's own, published or put back: no longer off the page.
      this.#withheld = this.#withheld.filter((own) => own.id !== comment.id);
      this.#comments[comment.id] = comment;
      this.#order = [...this.#order, comment.id];
      this.#fresh = [...this.#fresh, comment.id];
      setTimeout(() => (this.#fresh = this.#fresh.filter((id) => id !== comment.id)), 4000);
    });
    socket.on('comment:removed', ({ commentId, ideaId }) => ideaId === this.ideaId && this.#remove(commentId));
    // Sent to the author's sockets only: their comment went, and this is why.
    socket.on('comment:withheld', (own) => {
      if (own.ideaId === this.ideaId) this.#withheld = [own, ...this.#withheld.filter((known) => known.id !== own.id)];
    });
    socket.on('comment:helpful', ({ ideaId, counts }) => {
      if (ideaId !== this.ideaId) return;
      for (const [id, helpful] of Object.entries(counts)) {
        const comment = this.#comments[id];
        if (!comment) continue;
        if (this.#held.has(id)) this.#held.set(id, helpful);
        else comment.helpful = helpful;
      }
    });
    socket.on('idea:merged', ({ ideaId, into }) => {
      if (ideaId === this.ideaId) this.mergedInto = into;
    });
  }

  /** Optimistic: the toggle shows the new state at once and rolls back if the server says no. */
  async helpful(commentId: string, mark: boolean): Promise<{ ok: true } | { ok: false; message: string }> {
    const comment = this.#comments[commentId];
    if (!comment || comment.markedByMe === mark || this.#held.has(commentId)) return { ok: true };
    const before = comment.helpful;
    comment.markedByMe = mark;
    comment.helpful = Math.max(0, before + (mark ? 1 : -1));
    this.#held.set(commentId, null);
    try {
      const result = await this.#sendHelpful(commentId, mark);
      if (result.ok) {
        comment.helpful = result.data.helpful;
        comment.markedByMe = result.data.markedByMe;
        return { ok: true };
      }
      comment.markedByMe = !mark;
      comment.helpful = this.#held.get(commentId) ?? before;
      return { ok: false, message: result.message };
    } finally {
      this.#held.delete(commentId);
    }
  }

  /** Gone from this page at once (staff hid it, or a report took it down); the broadcast may come later. */
  remove(commentId: string) {
    this.#remove(commentId);
  }

  async #sendHelpful(commentId: string, mark: boolean): Promise<Ack<HelpfulResult>> {
    const socket = this.#socket;
    if (socket?.connected) {
      const result = await socket
        .timeout(COMMAND_TIMEOUT_MS)
        .emitWithAck(mark ? 'comment:helpful' : 'comment:unhelpful', { commentId })
        .catch((): Ack<HelpfulResult> => ({ ok: false, code: 'UNAVAILABLE', message: 'The board is not answering. Please try again.' }));
      if (result.ok || result.code !== 'UNAUTHENTICATED') return result;
      // The socket connected before this browser had a session: get one, and reconnect so the next mark goes through it.
      await ensureSession(true);
      socket.disconnect().connect();
    }
    return helpfulOverHttp(commentId, mark);
  }

  async #watch(socket: BoardSocket) {
    const result = await socket
      .timeout(COMMAND_TIMEOUT_MS)
      .emitWithAck('idea:watch', { ideaId: this.ideaId })
      .catch(() => null);
    if (!result?.ok) {
      if (result?.code === 'NOT_FOUND') return;
      setTimeout(() => socket.connected && void this.#watch(socket), RETRY_MS);
      return;
    }
    // Comments with a mark in flight keep this person's optimistic state.
    const pending = new Map([...this.#held.keys()].map((id) => [id, this.#comments[id]]));
    this.seed(result.data);
    for (const [id, mine] of pending) if (mine && this.#comments[id]) this.#comments[id] = mine;
  }

  /** Replaces what the page holds with a fresh read (a reconnect, a page reloaded by a form). */
  seed({ comments }: Discussion) {
    const byId: Record<string, CommentView> = {};
    for (const comment of comments) byId[comment.id] = { ...comment };
    this.#comments = byId;
    this.#order = comments.map((c) => c.id);
  }

  seedWithheld(withheld: OwnCommentOffBoard[]) {
    this.#withheld = withheld.map((own) => ({ ...own }));
  }

  #remove(commentId: string) {
    const gone = this.#comments[commentId];
    if (!gone) return;
    delete this.#comments[commentId];
    // Its replies go with it: they answer something nobody can read any more.
    const orphans = new Set(this.#order.filter((id) => this.#comments[id]?.parentId === commentId));
    for (const id of orphans) delete this.#comments[id];
    // A leading argument taken down hands its place to the next best of its side (the lead is derived).
    this.#order = this.#order.filter((id) => id !== commentId && !orphans.has(id));
  }

  #topLevel(): CommentView[] {
    return this.#order.map((id) => this.#comments[id]).filter((c): c is CommentView => !!c && c.parentId === null);
  }

  #replies(): CommentView[] {
    return this.#order.map((id) => this.#comments[id]).filter((c): c is CommentView => !!c && c.parentId !== null);
  }

  #get(id: string | null): CommentView | null {
    return id ? (this.#comments[id] ?? null) : null;
  }
}

/**
 * The leading argument of one side, as the server's `comments:list` chooses it
 * (server/discussion/comment-store.ts): among the top-level comments of that stance the most helpful,
 * then the oldest, then the smallest id.
 */
export function leadOf(topLevel: readonly CommentView[], stance: 'for' | 'against'): string | null {
  let best: CommentView | null = null;
  for (const c of topLevel) {
    if (c.stance !== stance || c.parentId !== null) continue;
    if (!best || c.helpful > best.helpful || (c.helpful === best.helpful && (c.createdAt < best.createdAt || (c.createdAt === best.createdAt && c.id < best.id)))) best = c;
  }
  return best?.id ?? null;
}

function helpfulOverHttp(commentId: string, mark: boolean): Promise<Ack<HelpfulResult>> {
  return callForAck(mark ? 'comment:helpful' : 'comment:unhelpful', { commentId }, 'Your mark was not saved.');
}
