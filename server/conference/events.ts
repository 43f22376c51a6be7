import type { LiveEventRecord } from '../../realtime/events.js';
import type { IdeaView, Tallies } from '../../realtime/schemas/board.js';
import type { LiveStateView } from '../../realtime/schemas/conference.js';
import type { ModerationDecision } from '../platform/decisions.js';

/** What the conference's live sessions publish. */
export interface ConferenceEvents {
  /** A session made (`event` null) or a control stored here: the other servers apply it. */
  'live:changed': { code: string; event: LiveEventRecord | null };
  /** A session's state after a control, for its screens; `revealed`: the counts the room did not see while they were hidden. */
  'live:state': { code: string; state: LiveStateView; revealed: Tallies | null };
  /** Ideas from the room waiting for the session's facilitators. */
  'live:pending': { code: string; pending: IdeaView[] };
  /** A facilitator rejected an idea from the room: for the public moderation log. */
  'moderation:decided': ModerationDecision;
}
