import type { OwnIdeaOffBoard } from '../../realtime/schemas/board.js';
import type { OwnCommentOffBoard } from '../../realtime/schemas/discussion.js';
import type { BoardEvents } from '../board/events.js';
import type { HeldKind } from '../platform/text-screen.js';
import type { VoidMove } from '../../realtime/events.js';
import type { VoteFlagView } from '../../realtime/schemas/moderation.js';
import type { DecisionEvents } from '../platform/decisions.js';

export type { ModerationDecision } from '../platform/decisions.js';

export type WithheldIdea = OwnIdeaOffBoard & { state: 'declined' | 'reported' };
export type WithheldComment = OwnCommentOffBoard & { state: 'declined' | 'reported' };

/** A suspension as every server holds it in memory, to refuse the person's writes. */
export interface SuspensionRecord {
  id: string;
  user: string;
  /** A guest's network, stopped too; null for members or when staff did not tick it. */
  network: string | null;
  /** Milliseconds since the epoch; null: for good. */
  until: number | null;
}

/** What moderation publishes: the board's own events for what goes up and down, decisions, flags, suspensions, and news for authors. */
export interface ModerationEvents extends BoardEvents, DecisionEvents {
  /** A suspension made or lifted here: every server's dispatcher follows it. */
  'suspension:added': SuspensionRecord;
  'suspension:lifted': { id: string };
  /** A burst of votes flagged (moderation/vote-bursts.ts): staff and the consoles of the idea's live sessions see it at once. */
  'flag:raised': { flag: VoteFlagView };
  /** Staff voided or unvoided a flag's votes. */
  'flag:changed': { flag: VoteFlagView };
  /** Votes that stopped (or started again) counting on this server: the other servers' ledgers follow. */
  'votes:voided': VoidMove;
  /** To the author alone, on every device: their idea is off the board, and why. */
  'idea:withheld': { authorId: string; idea: WithheldIdea };
  'comment:withheld': { authorId: string; comment: WithheldComment };
  /** Staff changed the screening terms here: every other server reads them again. */
  'screening:changed': undefined;
  /** Word screening held an item for a moderator (for the public moderation log): what, and the words as written. */
  'screening:held': { item: { kind: HeldKind; id: string; title: string }; terms: string[] };
}
