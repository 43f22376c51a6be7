import type { OwnIdeaOffBoard } from '../../realtime/schemas/board.js';
import type { BoardEvents } from '../board/events.js';

export type WithheldIdea = OwnIdeaOffBoard & { state: 'declined' | 'reported' };

/** What moderation publishes: the board's own events for what goes up and down, and news for authors. */
export interface ModerationEvents extends BoardEvents {
  /** To the author alone, on every device: their idea is off the board, and why. */
  'idea:withheld': { authorId: string; idea: WithheldIdea };
}
