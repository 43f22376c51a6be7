import { describe, expect, it } from 'vitest';
import { competitionRanks, rankLabel } from '../client/src/lib/ranks.js';

const labels = (votes: number[]) => competitionRanks(votes).map(rankLabel);

describe('shared ranks', () => {
  it('gives equal votes the same place and skips the places they share', () => {
    expect(labels([9, 5, 5, 2])).toEqual(['1', '=2', '=2', '4']);
    expect(labels([4, 4, 4, 1, 1])).toEqual(['=1', '=1', '=1', '=4', '=4']);
  });

  it('marks no tie where every count differs, and handles empty and single lists', () => {
    expect(labels([3, 2, 1, 0])).toEqual(['1', '2', '3', '4']);
    expect(labels([])).toEqual([]);
    expect(labels([0])).toEqual(['1']);
  });

  it('ties ideas with no votes at all', () => {
    expect(labels([2, 0, 0, 0])).toEqual(['1', '=2', '=2', '=2']);
  });
});
