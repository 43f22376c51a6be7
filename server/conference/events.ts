import type { LiveEventRecord, RoomVoteMove } from '../../realtime/events.js';
import type { IdeaView, Tallies } from '../../realtime/schemas/board.js';
import type { LiveStateView } from '../../realtime/schemas/conference.js';
import type { ModerationDecision } from '../platform/decisions.js';

/** What the conference's live sessions publish. */
export interface ConferenceEvents {
  /** A session made (`event` null) or a control stored here: the other servers apply it. */
  'live:changed': { code: string; event: LiveEventRecord | null; removed?: true };
  /**
   * A session's state after a control, for its screens: `state.counts` as the room may see them (null
   * while hidden), `staffCounts` for its facilitators; `revealed`: the room's counts go out as a tally
   * too (counts revealed, a new round at 0).
   */
  'live:state': { code: string; state: LiveStateView; staffCounts: Tallies; revealed: boolean };
  /** A vote cast or withdrawn in a session's round, stored here: the other servers' ballots follow. */
  'room:voted': RoomVoteMove;
  /** Ideas from the room waiting for the session's facilitators. */
  'live:pending': { code: string; pending: IdeaView[] };
  /** A facilitator rejected an idea from the room: for the public moderation log. */
  'moderation:decided': ModerationDecision;
}
