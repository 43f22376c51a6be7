import { BOARD_ROOM_ALL, boardRoom, ideaRoom, MODERATORS_ROOM, userRoom, type VoteMove } from '../../realtime/events.js';
import type { AreaSlug, IdeaProgress } from '../../realtime/vocabulary.js';
import type { CommentView } from '../../realtime/schemas/discussion.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import { ClusterSync } from './cluster-sync.js';
import type { CurationEvents } from '../board/curation.js';
import type { DiscussionEvents } from '../discussion/discussion.js';
import type { IdeaEvents } from '../board/ideas.js';
import type { BoardIo } from './io.js';
import type { ModerationEvents, WithheldIdea } from '../moderation/moderation.js';
import type { SupporterEvents } from '../campaign/supporters.js';
import { TallyTicker, type TallyScopes, type TickOptions } from './tally-ticker.js';
import type { VoteEvents } from '../board/votes.js';
import type { VoteLedger } from '../board/vote-ledger.js';

/** Boards beyond the areas: live sessions, whose screens hear of their ideas and get their counts. */
export interface SessionBoards extends TallyScopes {
  roomsFor(idea: Pick<IdeaEntry, 'id' | 'area'>): string[];
}

/**
 * Pushes the board to sockets. New, edited and removed ideas go out at once, through the adapter so
 * every server's sockets get them; counts go out on the tally ticker. With several servers, cluster
 * sync tells the others what changed here.
 */
export class LiveBroadcaster implements IdeaEvents, VoteEvents, ModerationEvents, SupporterEvents, DiscussionEvents, CurationEvents {
  private readonly sync: ClusterSync | null;
  private readonly ticker: TallyTicker;

  constructor(
    private readonly io: BoardIo,
    private readonly state: BoardState,
    ledger: VoteLedger,
    clustered: boolean,
    private readonly sessions: SessionBoards,
    options: TickOptions = {},
  ) {
    this.sync = clustered ? new ClusterSync(io, state, ledger) : null;
    this.ticker = new TallyTicker(io, state, this.sync, sessions, options);
  }

  start(): void {
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
  }

  ideaCreated(entry: IdeaEntry): void {
    this.watchersOf(entry).emit('idea:created', { idea: this.state.view(entry, false) });
    this.sync?.share({ ideas: [entry] });
  }

  ideaEdited(entry: IdeaEntry): void {
    this.watchersOf(entry).emit('idea:updated', { idea: this.state.view(entry, false) });
    this.sync?.share({ edited: [entry] });
  }

  ideaRemoved(entry: IdeaEntry): void {
    this.watchersOf(entry).emit('idea:removed', { ideaId: entry.id, area: entry.area });
    this.sync?.share({ removed: [entry.id] });
  }

  ideaRestored(entry: IdeaEntry): void {
    this.watchersOf(entry).emit('idea:restored', { idea: this.state.view(entry, false) });
    this.sync?.share({ ideas: [entry] });
  }

  /** Its card's comment count and votes moved at once (a merge or unmerge): the same message as a rewording. */
  ideaChanged(entry: IdeaEntry): void {
    this.watchersOf(entry).emit('idea:updated', { idea: this.state.view(entry, false) });
  }

  /** The duplicate leaves every board and its page now points to `into`. */
  ideaMerged(entry: IdeaEntry, into: string): void {
    this.watchersOf(entry, true).emit('idea:merged', { ideaId: entry.id, into, area: entry.area });
  }

  ideaStatus(entry: IdeaEntry, status: IdeaProgress): void {
    this.watchersOf(entry, true).emit('idea:status', { ideaId: entry.id, status, area: entry.area });
  }

  /** To its page at once; its board's cards hear the new count in their next tally frame. */
  commentCreated(comment: CommentView, page: { id: string; area: AreaSlug }): void {
    this.io.to(ideaRoom(page.id)).emit('comment:created', { comment, area: page.area });
  }

  commentRemoved(comment: { id: string; ideaId: string }, page: { id: string; area: AreaSlug }): void {
    this.io.to(ideaRoom(page.id)).emit('comment:removed', { commentId: comment.id, ideaId: comment.ideaId, area: page.area });
  }


  helpfulChanged(page: string, counts: Record<string, number>): void {
    this.io.to(ideaRoom(page)).emit('comment:helpful', { ideaId: page, counts });
  }

  /** Watchers of the idea's area, of the whole board and of every live session it is part of; with `page`, of its page too. */
  private watchersOf(entry: Pick<IdeaEntry, 'id' | 'area'>, page = false) {
    return this.io.to([boardRoom(entry.area), BOARD_ROOM_ALL, ...this.sessions.roomsFor(entry), ...(page ? [ideaRoom(entry.id)] : [])]);
  }

  /** Through the adapter, so facilitators on every server hear of it; they fetch the queue themselves. */
  queueChanged(): void {
    this.io.to(MODERATORS_ROOM).emit('moderation:changed');
  }

  /** To every socket, through the adapter: the home page's count and /supporters follow on every server. */
  supportersChanged(count: number): void {
    this.io.emit('supporters:changed', { count });
  }

  ideaWithheld(authorId: string, idea: WithheldIdea): void {
    this.io.to(userRoom(authorId)).emit('idea:withheld', idea);
  }

  /** Other servers hear of it with the next tally step, before its count goes out. */
  voteMoved(move: VoteMove): void {
    this.sync?.voteMoved(move);
  }
}
