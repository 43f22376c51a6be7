/**
 * Votes cast in live sessions, per idea: what /results shows as `room` beside the board's `online`
 * votes. Today a vote with a session code is a board vote (one ledger), so there is nothing separate
 * to count and every idea's room votes are 0; once sessions keep their own room ballots, their store
 * implements this and app.ts passes it to the results in place of `NO_ROOM_VOTES`.
 */
export interface RoomVotes {
  /** Each idea's votes from the rooms; an idea left out has none. */
  of(ideaIds: readonly string[]): ReadonlyMap<string, number>;
}

export const NO_ROOM_VOTES: RoomVotes = { of: () => new Map() };
