/**
 * Per idea, when every viewer of one process first held each count: [count, time] steps, both
 * ascending. A vote was seen by all of them at the first step whose count reaches the count in its
 * ack. Each vote round votes on fresh ideas, so every viewer starts a round holding 0 for them.
 */
export type Coverage = Record<string, [number, number][]>;

/**
 * The counts some viewers hold, having received the same frames this round. Viewers of one phase
 * get the same frames, so a handful of holdings stand for thousands of viewers, and a frame moves
 * a viewer from one holding to the next with one lookup, however many ideas it carries.
 */
class Holding {
  viewers = 0;
  private readonly after = new Map<object, Holding>();

  constructor(readonly counts: ReadonlyMap<string, number>) {}

  /** The holding after `frame` (any object standing for one frame's text), made once per frame. */
  next(frame: object, counts: [string, number][], made: (holding: Holding) => void): Holding {
    let next = this.after.get(frame);
    if (!next) {
      const merged = new Map(this.counts);
      for (const [ideaId, votes] of counts) if (votes > (merged.get(ideaId) ?? 0)) merged.set(ideaId, votes);
      this.after.set(frame, (next = new Holding(merged)));
      made(next);
    }
    return next;
  }

  forget(): void {
    this.after.clear();
  }
}

/** A board viewer, by the holding it is in while a round is measured. */
export interface Watcher {
  holding: Holding | null;
}

/**
 * One idea's counts across the live holdings: how many hold each count, and the lowest, which only
 * rises (a new holding starts from a live one and counts only rise in a round).
 */
class IdeaLevels {
  lowest = 0;
  readonly steps: [number, number][] = [];
  private readonly holdingsAt = new Map<number, number>();

  constructor(holdings: number) {
    this.holdingsAt.set(0, holdings);
  }

  add(count: number): void {
    this.holdingsAt.set(count, (this.holdingsAt.get(count) ?? 0) + 1);
  }

  remove(count: number, at: number, anyLeft: boolean): void {
    const left = this.holdingsAt.get(count)! - 1;
    if (left > 0) this.holdingsAt.set(count, left);
    else this.holdingsAt.delete(count);
    if (!anyLeft || this.holdingsAt.has(this.lowest)) return;
    let next = this.lowest + 1;
    // Bounded: some live holding holds a count above the old lowest.
    while (!this.holdingsAt.has(next)) next++;
    this.lowest = next;
    this.steps.push([next, at]);
  }
}

/** Follows what every board viewer of this process holds during a round, and when the lowest count of each idea rose. */
export class CoverageTracker {
  private holdings = new Set<Holding>();
  private ideas = new Map<string, IdeaLevels>();
  private framesSeen = new Set<object>();

  startRound(watchers: Watcher[]): void {
    const start = new Holding(new Map());
    start.viewers = watchers.length;
    this.holdings = new Set([start]);
    for (const watcher of watchers) watcher.holding = start;
    this.ideas = new Map();
    this.framesSeen = new Set();
  }

  endRound(watchers: Watcher[]): Coverage {
    const steps = Object.fromEntries([...this.ideas].filter(([, levels]) => levels.steps.length > 0).map(([ideaId, levels]) => [ideaId, levels.steps]));
    for (const watcher of watchers) watcher.holding = null;
    this.holdings = new Set();
    this.ideas = new Map();
    this.framesSeen = new Set();
    return steps;
  }

  /** `watcher` received a frame carrying `counts`; outside a round nothing is followed. */
  receive(watcher: Watcher, frame: object, counts: [string, number][], at: number): void {
    const from = watcher.holding;
    if (!from) return;
    // A frame's ideas are followed from its first receipt on; thousands of viewers receive each frame.
    if (!this.framesSeen.has(frame)) {
      this.framesSeen.add(frame);
      for (const [ideaId] of counts) if (!this.ideas.has(ideaId)) this.ideas.set(ideaId, new IdeaLevels(this.holdings.size));
    }
    const to = from.next(frame, counts, (made) => {
      this.holdings.add(made);
      for (const [ideaId, levels] of this.ideas) levels.add(made.counts.get(ideaId) ?? 0);
    });
    watcher.holding = to;
    to.viewers++;
    if (--from.viewers === 0) this.retire(from, at);
  }

  /**
   * A viewer whose connection was lost: it no longer counts among "every viewer". Kept, it would hold
   * the lowest count of every idea down for good, and every later vote would read as unseen.
   */
  leave(watcher: Watcher, at: number): void {
    const from = watcher.holding;
    watcher.holding = null;
    if (from && --from.viewers === 0) this.retire(from, at);
  }

  /** Nobody holds `holding` any more, so the lowest count of any idea may have risen. */
  private retire(holding: Holding, at: number): void {
    holding.forget();
    this.holdings.delete(holding);
    for (const [ideaId, levels] of this.ideas) levels.remove(holding.counts.get(ideaId) ?? 0, at, this.holdings.size > 0);
  }
}
