/** Votes cast in live sessions' own ballots, per idea: what /results shows as `room` beside the board's `online`. */
export interface RoomTotals {
  /** Each idea's votes from every room and round; an idea left out has none. */
  of(ideaIds: readonly string[]): ReadonlyMap<string, number>;
}
