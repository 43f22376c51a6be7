/** A place in a list ordered by votes: equal votes share the place ("=2"), and the next place skips past them. */
export interface Rank {
  place: number;
  tied: boolean;
}

/**
 * Standard competition ranking ("1224") of vote counts already sorted from most to fewest:
 * an idea's place is one more than the number of ideas with more votes.
 */
export function competitionRanks(votes: readonly number[]): Rank[] {
  return votes.map((count, i) => {
    let first = i;
    while (first > 0 && votes[first - 1] === count) first--;
    return { place: first + 1, tied: votes[i - 1] === count || votes[i + 1] === count };
  });
}

/** "=3" for a shared place, "3" for a place held alone. */
export const rankLabel = ({ place, tied }: Rank) => `${tied ? '=' : ''}${place}`;
