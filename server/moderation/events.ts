import type { OwnIdeaOffBoard } from '../../realtime/schemas/board.js';
import type { BoardEvents } from '../board/events.js';
import type { DecisionEvents } from '../platform/decisions.js';

export type { ModerationDecision } from '../platform/decisions.js';

export type WithheldIdea = OwnIdeaOffBoard & { state: 'declined' | 'reported' };

/** A suspension as every server holds it in memory, to refuse the person's writes. */
export interface SuspensionRecord {
  id: string;
  user: string;
  /** A guest's network, stopped too; null for members or when staff did not tick it. */
  network: string | null;
  /** Milliseconds since the epoch; null: for good. */
  until: number | null;
}

/** What moderation publishes: the board's own events for what goes up and down, decisions, suspensions, and news for authors. */
export interface ModerationEvents extends BoardEvents, DecisionEvents {
  /** A suspension made or lifted here: every server's dispatcher follows it. */
  'suspension:added': SuspensionRecord;
  'suspension:lifted': { id: string };
  /** To the author alone, on every device: their idea is off the board, and why. */
  'idea:withheld': { authorId: string; idea: WithheldIdea };
}
