import type { AheadMove, SyncedIdea, VoteMove } from '../../realtime/events.js';
import type { DecidedBy, IdeaProgress } from '../../realtime/vocabulary.js';
import type { QueueEvents } from '../platform/bus.js';
import type { IdeaEntry } from './board-state.js';

/** What happens on the board, as its services publish it (see platform/bus.ts). */
export interface BoardEvents extends QueueEvents {
  /** On the board now (posted, published by staff): every screen of its board adds it. */
  'idea:created': { idea: IdeaEntry };
  /** Its author reworded it. */
  'idea:edited': { idea: IdeaEntry };
  /** Off every screen at once: withdrawn by its author, or taken down. */
  'idea:removed': { idea: IdeaEntry };
  /** Back on the board, with its votes. */
  'idea:restored': { idea: IdeaEntry };
  /** Its card's votes and comment count moved at once (a merge or unmerge). */
  'idea:changed': { idea: IdeaEntry };
  /**
   * A duplicate now counts towards `into`. `voters`: who voted for the duplicate before the merge,
   * who hear what became of it, with the people who discussed it; `actorId` is the staff member, deciding as `by`.
   */
  'idea:merged': { idea: IdeaEntry; into: IdeaEntry; voters: string[]; actorId: string; by: DecidedBy };
  /** A merge undone: `idea` is the duplicate's words when it goes back on the board (null: it stays off). */
  'idea:unmerged': { ideaId: string; idea: SyncedIdea | null; actorId: string; by: DecidedBy };
  /** Staff moved it along; `group` is the idea and its merged duplicates, `voters` everyone who voted for them. */
  'idea:status': { idea: IdeaEntry; status: IdeaProgress; group: string[]; voters: string[]; actorId: string };
  /** A vote stored or withdrawn on this server. */
  'vote:moved': VoteMove;
  /** Staff changed the board's switches here: every other server reads them again. */
  'settings:changed': undefined;
  /** A vote this server counted as it came in, before the store (`undo`: the store did not bear it out). */
  'vote:ahead': AheadMove;
}
