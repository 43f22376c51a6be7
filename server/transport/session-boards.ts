import { liveRoom, liveStaffRoom, parseLiveRoom } from '../../realtime/events.js';
import type { IdeaEntry } from '../board/board-state.js';
import type { ConferenceSessions } from '../conference/sessions.js';

/** Boards beyond the areas: live sessions' screens, which hear of their ideas and get their counts. */
export interface SessionBoards {
  /** Which ideas' counts a board's watchers get; null for boards that are not a session's. */
  tallyScope(board: string): ((idea: IdeaEntry) => boolean) | null;
  roomsFor(idea: Pick<IdeaEntry, 'id' | 'area'>): string[];
  /** The facilitators' rooms of the sessions an idea is part of. */
  staffRoomsFor(idea: Pick<IdeaEntry, 'id' | 'area'>): string[];
}

/** The conference's sessions as rooms: a session's room and its facilitators' room. */
export function sessionBoards(sessions: ConferenceSessions): SessionBoards {
  return {
    tallyScope(board) {
      const room = parseLiveRoom(board);
      return room ? sessions.tallyScope(room.code, room.staff) : null;
    },
    roomsFor(idea) {
      return sessions.codesFor(idea).flatMap((code) => [liveRoom(code), liveStaffRoom(code)]);
    },
    staffRoomsFor(idea) {
      return sessions.codesFor(idea).map(liveStaffRoom);
    },
  };
}
