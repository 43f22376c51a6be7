/** Sliding-window limit per key, in this process's memory. */
export class RateLimiter {
  /**
   * Per key, its hits within the window, oldest first. Each key keeps one array, trimmed in place: a
   * fresh filtered copy per hit would stay until the key's next hit, seconds later, long enough to reach
   * the old generation, so at 1,000 votes/s major GCs would have a thousand more arrays a second to collect.
   */
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records a hit and returns how many ms to wait when over the limit, or 0 when allowed. */
  take(key: string, now = Date.now()): number {
    let times = this.hits.get(key);
    if (!times) this.hits.set(key, (times = []));
    const wait = this.waitFor(times, now);
    if (wait === 0) times.push(now);
    return wait;
  }

  /** How many ms to wait before a hit would be allowed, without recording one. */
  wait(key: string, now = Date.now()): number {
    const times = this.hits.get(key);
    return times ? this.waitFor(times, now) : 0;
  }

  sweep(now = Date.now()): void {
    for (const [key, times] of this.hits) {
      if (this.trim(times, now) === 0) this.hits.delete(key);
    }
  }

  private waitFor(times: number[], now: number): number {
    return this.trim(times, now) >= this.limit ? this.windowMs - (now - times[0]!) : 0;
  }

  /** Hits are recorded in time order, so they leave the window from the front. */
  private trim(times: number[], now: number): number {
    while (times.length > 0 && now - times[0]! >= this.windowMs) times.shift();
    return times.length;
  }
}
