import { describe, expect, it } from 'vitest';
import { CoverageTracker, type Watcher } from '../scripts/bench/coverage.js';
import { voteOutcome } from '../scripts/bench/measure.js';

/** One frame as viewers receive it: the same object for everyone who gets the same text. */
const frame = (counts: Record<string, number>) => ({ counts: Object.entries(counts) });

describe('bench: vote → every viewer', () => {
  it('sees a count only once the last viewer holds it, when viewers get different frames at different times', () => {
    const tracker = new CoverageTracker();
    const watchers: Watcher[] = [{ holding: null }, { holding: null }, { holding: null }];
    const [a, b, c] = watchers as [Watcher, Watcher, Watcher];
    tracker.startRound(watchers);

    // Phase one (a, b) hears of idea x at 1 vote; phase two (c) only later, and of 2 votes at once.
    const first = frame({ x: 1 });
    tracker.receive(a, first, first.counts, 10);
    tracker.receive(b, first, first.counts, 11);
    const second = frame({ x: 2, y: 1 });
    tracker.receive(a, second, second.counts, 20);
    const late = frame({ x: 2, y: 1 });
    tracker.receive(c, late, late.counts, 25);
    tracker.receive(b, second, second.counts, 30);
    const coverage = tracker.endRound(watchers);

    expect(coverage).toEqual({ x: [[1, 25], [2, 30]], y: [[1, 30]] });
    expect(watchers.every((w) => w.holding === null)).toBe(true);

    const vote = (ideaId: string, votes: number, sentAt: number) => ({ ideaId, votes, sentAt, ackAt: sentAt + 3, error: null });
    const outcome = voteOutcome(
      [vote('x', 1, 5), vote('x', 2, 15), vote('y', 1, 16), vote('y', 2, 17)],
      [{ viewers: 3, coverage }, { viewers: 1, coverage: { x: [[2, 40]], y: [[1, 40]] } }],
      100,
    );
    // The other process's viewer saw x = 2 only at 40: every vote waits for it. y = 2 was never seen.
    expect(outcome.latency).toMatchObject({ samples: 4, unseen: 1, max: 100 - 17 });
    expect(outcome.latency.p50).toBe(40 - 15);
    expect(outcome.ack.p50).toBe(3);
  });

  it('follows nothing outside a round', () => {
    const tracker = new CoverageTracker();
    const watcher: Watcher = { holding: null };
    const early = frame({ x: 5 });
    tracker.receive(watcher, early, early.counts, 1);
    tracker.startRound([watcher]);
    expect(tracker.endRound([watcher])).toEqual({});
  });
});
