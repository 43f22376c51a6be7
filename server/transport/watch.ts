import { AREAS_ROOM, boardRoom, ideaRoom, liveRoom, liveStaffRoom, MODERATORS_ROOM } from '../../realtime/events.js';
import type { AreaSlug } from '../../realtime/vocabulary.js';
import type { AreaCount, BoardSnapshot } from '../../realtime/schemas/board.js';
import type { BoardState } from '../board/board-state.js';
import { HttpError } from '../platform/errors.js';
import type { BoardSocket } from './io.js';
import type { VoteLedger } from '../board/vote-ledger.js';

/** Ideas a board snapshot carries at most, best first; clients fetch any other idea by id. */
export const SNAPSHOT_LIMIT = 500;

/**
 * What a socket watches, kept in its rooms: the rooms route broadcasts (through the Redis adapter too)
 * and tell the tally broadcaster which board each watcher is on.
 */
export class Watching {
  constructor(
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
  ) {}

  /** Watching another board leaves the previous one. */
  async board(socket: BoardSocket | null, area: AreaSlug | null): Promise<BoardSnapshot> {
    const watcher = socketOnly(socket);
    const room = boardRoom(area);
    if (watcher.data.board && watcher.data.board !== room) await watcher.leave(watcher.data.board);
    await watcher.join(room);
    watcher.data.board = room;
    const entries = this.state.rankings.ranked(area).slice(0, SNAPSHOT_LIMIT);
    const userId = watcher.data.user?.id;
    const mine = userId ? this.ledger.ballots.votedBy(userId, entries.map((e) => e.id)) : new Set<string>();
    return { area, ideas: entries.map((entry) => this.state.view(entry, mine.has(entry.id))), areas: this.state.ideaCounts() };
  }

  /**
   * An idea page's live discussion: the room of the idea it shows (a merged duplicate's page shows the
   * idea it is merged into). Apart from the board the socket watches: a page is no tally board.
   */
  async idea(socket: BoardSocket | null, ideaId: string): Promise<void> {
    const watcher = socketOnly(socket);
    const room = ideaRoom(this.state.holderOf(ideaId));
    if (watcher.data.idea && watcher.data.idea !== room) await watcher.leave(watcher.data.idea);
    await watcher.join(room);
    watcher.data.idea = room;
  }

  /**
   * A phone, projector or console joins a live session's screens: a tally board of its own (watching
   * a session leaves any board watched before), facilitators on the one that always sees counts.
   */
  async live(socket: BoardSocket | null, code: string, staff: boolean): Promise<void> {
    const watcher = socketOnly(socket, 'Joining is done over a socket.');
    const room = staff ? liveStaffRoom(code) : liveRoom(code);
    if (watcher.data.board && watcher.data.board !== room) await watcher.leave(watcher.data.board);
    await watcher.join(room);
    watcher.data.board = room;
  }

  async areas(socket: BoardSocket | null): Promise<{ areas: AreaCount[] }> {
    await socketOnly(socket).join(AREAS_ROOM);
    return { areas: this.state.ideaCounts() };
  }

  async moderation(socket: BoardSocket | null): Promise<{ watching: true }> {
    await socketOnly(socket).join(MODERATORS_ROOM);
    return { watching: true };
  }
}

function socketOnly(socket: BoardSocket | null, refusal = 'Watching is done over a socket.'): BoardSocket {
  if (!socket) throw new HttpError('BAD_REQUEST', refusal);
  return socket;
}
