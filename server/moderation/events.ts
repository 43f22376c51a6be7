import type { OwnIdeaOffBoard } from '../../realtime/schemas/board.js';
import type { BoardEvents } from '../board/events.js';
import type { HeldKind } from '../platform/text-screen.js';

export type WithheldIdea = OwnIdeaOffBoard & { state: 'declined' | 'reported' };

/** What moderation publishes: the board's own events for what goes up and down, and news for authors. */
export interface ModerationEvents extends BoardEvents {
  /** To the author alone, on every device: their idea is off the board, and why. */
  'idea:withheld': { authorId: string; idea: WithheldIdea };
  /** Staff changed the screening terms here: every other server reads them again. */
  'screening:changed': undefined;
  /** Word screening held an item for a moderator (for the public moderation log): what, and the words as written. */
  'screening:held': { item: { kind: HeldKind; id: string; title: string }; terms: string[] };
}
