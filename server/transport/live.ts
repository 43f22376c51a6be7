import { BOARD_ROOM_ALL, boardRoom, ideaRoom, liveRoom, liveStaffRoom, MODERATORS_ROOM, sessionRoom, userRoom } from '../../realtime/events.js';
import type { VoteFlagView } from '../../realtime/schemas/moderation.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import type { Subscriber } from '../platform/bus.js';
import type { ClusterSync } from './cluster-sync.js';
import type { DomainEvents } from './domain-events.js';
import type { BoardIo } from './io.js';
import type { SessionBoards } from './session-boards.js';
import { TallyTicker, type TickOptions } from './tally-ticker.js';

/**
 * Maps the domain events to rooms: news of ideas, comments, sessions and people goes out at once,
 * through the adapter so every server's sockets get it; counts go out on the tally ticker, each
 * server to its own sockets.
 */
export class LiveBroadcaster {
  private readonly ticker: TallyTicker;

  constructor(
    private readonly io: BoardIo,
    private readonly state: BoardState,
    bus: Subscriber<DomainEvents>,
    private readonly sessions: SessionBoards,
    sync: ClusterSync | null,
    options: TickOptions = {},
  ) {
    this.ticker = new TallyTicker(io, state, sync, sessions, options);
    bus.on('idea:created', ({ idea }) => this.sendIdea('idea:created', idea));
    bus.on('idea:restored', ({ idea }) => this.sendIdea('idea:restored', idea));
    // A rewording, and a card whose votes and comment count moved at once (a merge or unmerge): the same message.
    bus.on('idea:edited', ({ idea }) => this.sendIdea('idea:updated', idea));
    bus.on('idea:changed', ({ idea }) => this.sendIdea('idea:updated', idea));
    bus.on('idea:removed', ({ idea }) => this.watchersOf(idea).emit('idea:removed', { ideaId: idea.id, area: idea.area }));
    // The duplicate leaves every board and its page now points to `into`.
    bus.on('idea:merged', ({ idea, into }) => this.watchersOf(idea, true).emit('idea:merged', { ideaId: idea.id, into: into.id, area: idea.area }));
    bus.on('idea:status', ({ idea, status }) => this.watchersOf(idea, true).emit('idea:status', { ideaId: idea.id, status, area: idea.area }));
    bus.on('idea:withheld', ({ authorId, idea }) => io.to(userRoom(authorId)).emit('idea:withheld', idea));
    bus.on('comment:withheld', ({ authorId, comment }) => io.to(userRoom(authorId)).emit('comment:withheld', comment));
    // To its page at once; its board's cards hear the new count in their next tally frame.
    bus.on('comment:up', ({ view, page }) => {
      if (page) io.to(ideaRoom(page.id)).emit('comment:created', { comment: view, area: page.area });
    });
    bus.on('comment:down', ({ comment, page }) => {
      if (page) io.to(ideaRoom(page.id)).emit('comment:removed', { commentId: comment.id, ideaId: comment.ideaId, area: page.area });
    });
    bus.on('helpful:counts', ({ page, counts }) => io.to(ideaRoom(page)).emit('comment:helpful', { ideaId: page, counts }));
    bus.on('notification:new', ({ userId, notification, unread }) => io.to(userRoom(userId)).emit('notification:new', { notification, unread }));
    // Staff screens fetch the queue themselves.
    bus.on('queue:changed', () => io.to(MODERATORS_ROOM).emit('moderation:changed'));
    // A vote burst: to staff, and to the consoles of the live sessions its idea is part of.
    const flagged = ({ flag }: { flag: VoteFlagView }) => {
      const idea = this.state.get(flag.ideaId);
      io.to([MODERATORS_ROOM, ...(idea ? this.sessions.staffRoomsFor(idea) : [])]).emit('flags:changed', { flag });
    };
    bus.on('flag:raised', flagged);
    bus.on('flag:changed', flagged);
    bus.on('supporters:changed', ({ count }) => io.emit('supporters:changed', { count }));
    // The room's counts ride with the state, none to the room while hidden; a reveal or a new round sends them as a tally too.
    bus.on('live:state', ({ code, state, staffCounts, revealed }) => {
      io.to(liveRoom(code)).emit('live:state', state);
      io.to(liveStaffRoom(code)).emit('live:state', { ...state, counts: staffCounts });
      if (revealed && state.counts) io.to(liveRoom(code)).emit('tally:changed', { counts: state.counts });
      if (revealed) io.to(liveStaffRoom(code)).emit('tally:changed', { counts: staffCounts });
    });
    bus.on('live:pending', ({ code, pending }) => io.to(liveStaffRoom(code)).emit('live:pending', { code, pending }));
    bus.on('sessions:ended', ({ sessionIds }) => {
      if (sessionIds.length > 0) io.in(sessionIds.map(sessionRoom)).disconnectSockets(true);
    });
    bus.on('roles:changed', ({ userId }) => io.in(userRoom(userId)).disconnectSockets(true));
  }

  start(): void {
    this.ticker.start();
  }

  stop(): void {
    this.ticker.stop();
  }

  /**
   * After Redis was away: ideas this server's own screens missed (each server tells its own, so none
   * hears it twice). Counts need nothing: the next tally frames carry those the recount moved.
   */
  caughtUp({ added, removed }: { added: IdeaEntry[]; removed: IdeaEntry[] }): void {
    for (const idea of added) this.watchersOf(idea).local.emit('idea:restored', { idea: this.state.view(idea, false) });
    for (const idea of removed) this.watchersOf(idea).local.emit('idea:removed', { ideaId: idea.id, area: idea.area });
  }

  /** Watchers of the idea's area, of the whole board and of every live session it is part of; with `page`, of its page too. */
  private watchersOf(entry: Pick<IdeaEntry, 'id' | 'area'>, page = false) {
    const sessions = this.sessions.copiesFor(entry).map(({ room }) => room);
    return this.io.to([boardRoom(entry.area), BOARD_ROOM_ALL, ...sessions, ...(page ? [ideaRoom(entry.id)] : [])]);
  }

  /**
   * An idea new, back or changed: the board's watchers see its votes online, each live session's
   * screens the room's own count of it (none while hidden from the room).
   */
  private sendIdea(event: 'idea:created' | 'idea:restored' | 'idea:updated', idea: IdeaEntry): void {
    const view = this.state.view(idea, false);
    this.io.to([boardRoom(idea.area), BOARD_ROOM_ALL]).emit(event, { idea: view });
    for (const { room, votes } of this.sessions.copiesFor(idea)) this.io.to(room).emit(event, { idea: { ...view, votes } });
  }
}
