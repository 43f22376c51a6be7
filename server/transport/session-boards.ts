import { liveRoom, liveStaffRoom, parseLiveRoom } from '../../realtime/events.js';
import type { Tallies } from '../../realtime/schemas/board.js';
import type { IdeaEntry } from '../board/board-state.js';
import type { RoomBallots } from '../conference/room-ballots.js';
import type { ConferenceSessions } from '../conference/sessions.js';

/**
 * Boards beyond the areas: live sessions' screens. Their counts are the room's own (votes cast with the
 * session's code in its round), never the board's: the ticker asks here which of them moved and what
 * each screen may see of them (the room nothing while counts are hidden; facilitators always).
 */
export interface SessionBoards {
  isSession(board: string): boolean;
  /** The room's counts of these ideas for a session board's watchers; null when there are none to send them. */
  tally(board: string, ideaIds: Iterable<string>): Tallies | null;
  /** The session boards whose room counts moved since the last call, with the ideas that moved. */
  takeChanges(): Map<string, Set<string>>;
  /** Each room of the sessions an idea is part of, with the count its screens may see (null: hidden). */
  copiesFor(idea: Pick<IdeaEntry, 'id' | 'area'>): { room: string; votes: number | null }[];
  /** The facilitators' rooms of the sessions an idea is part of. */
  staffRoomsFor(idea: Pick<IdeaEntry, 'id' | 'area'>): string[];
}

/** The conference's sessions as rooms: a session's room and its facilitators' room. */
export function sessionBoards(sessions: ConferenceSessions, rooms: RoomBallots): SessionBoards {
  return {
    isSession: (board) => parseLiveRoom(board) !== null,
    tally(board, ideaIds) {
      const room = parseLiveRoom(board);
      const entry = room ? sessions.entryOf(room.code) : undefined;
      return entry && room ? sessions.views.tally(entry, room.staff, ideaIds) : null;
    },
    takeChanges() {
      const boards = new Map<string, Set<string>>();
      for (const [code, ideas] of rooms.takeChanges()) boards.set(liveRoom(code), ideas).set(liveStaffRoom(code), ideas);
      return boards;
    },
    copiesFor(idea) {
      return sessions.entriesFor(idea).flatMap((entry) => [
        { room: liveRoom(entry.session.code), votes: sessions.views.countOf(entry, idea.id, false) },
        { room: liveStaffRoom(entry.session.code), votes: sessions.views.countOf(entry, idea.id, true) },
      ]);
    },
    staffRoomsFor(idea) {
      return sessions.codesFor(idea).map(liveStaffRoom);
    },
  };
}
