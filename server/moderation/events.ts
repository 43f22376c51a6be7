import type { DecidedBy, LoggedItemKind, ModerationAction } from '../../realtime/vocabulary.js';
import type { OwnIdeaOffBoard } from '../../realtime/schemas/board.js';
import type { BoardEvents } from '../board/events.js';
import type { HeldKind } from '../platform/text-screen.js';
import type { VoidMove } from '../../realtime/events.js';
import type { VoteFlagView } from '../../realtime/schemas/moderation.js';

export type WithheldIdea = OwnIdeaOffBoard & { state: 'declined' | 'reported' };

/** What moderation publishes: the board's own events for what goes up and down, and news for authors. */
/** One moderation decision, as the public log records it (moderation/log.ts): no names, no e-mails. */
export interface ModerationDecision {
  action: ModerationAction;
  /** The rule or the reason category: a report reason, `screening`, `vote-burst`, or a short staff reason. */
  reason: string;
  by: DecidedBy;
  item: {
    kind: LoggedItemKind;
    id: string;
    /** Null where the text itself is the abuse: the log shows "[removed post]". */
    title: string | null;
  };
}

export interface ModerationEvents extends BoardEvents {
  /** A decision, for the public moderation log. */
  'moderation:decided': ModerationDecision;
  /** A burst of votes flagged (moderation/vote-bursts.ts): staff and the consoles of the idea's live sessions see it at once. */
  'flag:raised': { flag: VoteFlagView };
  /** Staff voided or unvoided a flag's votes. */
  'flag:changed': { flag: VoteFlagView };
  /** Votes that stopped (or started again) counting on this server: the other servers' ledgers follow. */
  'votes:voided': VoidMove;
  /** To the author alone, on every device: their idea is off the board, and why. */
  'idea:withheld': { authorId: string; idea: WithheldIdea };
  /** Staff changed the screening terms here: every other server reads them again. */
  'screening:changed': undefined;
  /** Word screening held an item for a moderator (for the public moderation log): what, and the words as written. */
  'screening:held': { item: { kind: HeldKind; id: string; title: string }; terms: string[] };
}
