import { describe, expect, it } from 'vitest';
import { CoverageTracker, type Watcher } from '../scripts/bench/coverage.js';
import { controlReach, pausedRefusals, voteOutcome, type StateReceipts } from '../scripts/bench/measure.js';
import { verdict, type Minute } from '../scripts/bench/soak-verdict.js';

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

  it('stops waiting for a viewer whose connection was lost: the others reaching a count is every viewer', () => {
    const tracker = new CoverageTracker();
    const watchers: Watcher[] = [{ holding: null }, { holding: null }];
    const [kept, lost] = watchers as [Watcher, Watcher];
    tracker.startRound(watchers);
    const one = frame({ x: 1 });
    tracker.receive(kept, one, one.counts, 10);
    // Until it goes, the lost viewer holds x at 0: nobody has seen x = 1 all round.
    tracker.leave(lost, 50);
    const two = frame({ x: 2 });
    tracker.receive(kept, two, two.counts, 60);
    expect(tracker.endRound([kept])).toEqual({ x: [[1, 50], [2, 60]] });
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

describe("bench: a live session's controls", () => {
  const control = (action: 'pause' | 'open' | 'spotlight' | 'release', seq: number, sentAt: number, error: string | null = null) => ({
    action,
    ideaId: null,
    sentAt,
    ackAt: sentAt + 5,
    seq: error ? -1 : seq,
    error,
  });

  it('times a control to the last screen of every process, and counts one some screen missed as unseen', () => {
    const controls = [control('pause', 1, 100), control('open', 2, 200), control('spotlight', 3, 300), control('release', 3, 400), control('pause', -1, 500, 'TIMEOUT')];
    const receipts: StateReceipts[] = [
      { viewers: 2, states: { 1: { screens: 2, first: 110, last: 140 }, 2: { screens: 2, first: 205, last: 230 }, 3: { screens: 1, first: 310, last: 310 } } },
      { viewers: 1, states: { 1: { screens: 1, first: 150, last: 150 }, 2: { screens: 1, first: 220, last: 220 }, 3: { screens: 1, first: 320, last: 320 } } },
      { viewers: 0, states: {} },
    ];
    // seq 3 reached one of two screens of the first process; a repeated seq (a control that changed nothing) and a failed control are not timed.
    const reach = controlReach(controls, receipts, 1_000);
    expect(reach).toMatchObject({ samples: 3, unseen: 1, p50: 50, max: 700 });
  });

  it('expects refusals only from votes in flight during a pause', () => {
    const controls = [control('pause', 1, 100), control('spotlight', 2, 150), control('open', 3, 200), control('pause', 4, 400)];
    const vote = (sentAt: number, error: string | null) => ({ ideaId: 'x', sentAt, ackAt: sentAt + 10, votes: error ? -1 : 1, error });
    const votes = [vote(50, null), vote(95, 'FORBIDDEN'), vote(150, 'FORBIDDEN'), vote(250, 'FORBIDDEN'), vote(260, null), vote(500, 'FORBIDDEN'), vote(510, 'RATE_LIMITED')];
    const { refusedWhilePaused, rest } = pausedRefusals(votes, controls);
    // Open's ack came at 205: the refusal at 250 is not explained by a pause; the last pause never ended.
    expect(refusedWhilePaused).toBe(3);
    expect(rest.map((v) => v.sentAt)).toEqual([50, 250, 260, 510]);
  });
});

describe('soak: the targets', () => {
  const latency = (p99: number, unseen = 0) => ({ p50: p99 / 2, p99, max: p99, samples: 1000, unseen });
  const tally = { sent: 100, accepted: 100, failures: {} };
  const minute = (n: number, heapMb: number, rssMb: number, p99: number, phonesP99 = p99): Minute => ({
    minute: n,
    board: latency(p99),
    phones: latency(phonesP99),
    ack: latency(20),
    votes: tally,
    roomVotes: tally,
    retractions: tally,
    comments: { sent: 10, accepted: 10 },
    rssBytes: rssMb * 2 ** 20,
    heapBytes: heapMb * 2 ** 20,
    lag: { p99: 10, max: 20, mean: 5 },
    cpu: null,
    handles: 100,
    lost: 0,
    ballots: 1000,
  });
  const meets = (minutes: Minute[]) => verdict(minutes).checks.map((c) => c.meets);

  it('meets them when memory and p99 hold from the second minute, whatever the first did', () => {
    expect(meets([minute(1, 100, 200, 400), minute(2, 190, 340, 150), minute(3, 192, 345, 170), minute(4, 194, 350, 140)])).toEqual([true, true, true, true]);
  });

  it('misses on a heap or RSS that grows 5% or more, and on a p99 that moves over 20% either way', () => {
    expect(meets([minute(1, 100, 200, 150), minute(2, 190, 340, 150), minute(3, 200, 340, 150)])).toEqual([false, true, true, true]);
    expect(meets([minute(1, 100, 200, 150), minute(2, 190, 340, 150), minute(3, 190, 360, 150)])).toEqual([true, false, true, true]);
    expect(meets([minute(1, 100, 200, 150), minute(2, 190, 340, 150), minute(3, 190, 340, 181)])).toEqual([true, true, false, false]);
    expect(meets([minute(1, 100, 200, 150), minute(2, 190, 340, 150), minute(3, 190, 340, 150, 110)])).toEqual([true, true, true, false]);
  });

  it('misses when the last minute has unseen votes or none seen at all, and needs three minutes to judge', () => {
    const unseen = { ...minute(3, 190, 340, 150), board: latency(150, 3) };
    expect(meets([minute(1, 100, 200, 150), minute(2, 190, 340, 150), unseen])[2]).toBe(false);
    expect(meets([minute(1, 100, 200, 150), minute(2, 190, 340, 150), minute(3, 190, 340, Number.NaN)])[2]).toBe(false);
    expect(meets([minute(1, 100, 200, 150), minute(2, 190, 340, 150)])).toEqual([null]);
  });

  it('misses when screens were lost in the last minute, however fast the others were', () => {
    const lost = { ...minute(3, 190, 340, 150), lost: 12 };
    expect(meets([minute(1, 100, 200, 150), minute(2, 190, 340, 150), lost])).toEqual([true, true, false, false]);
  });
});
