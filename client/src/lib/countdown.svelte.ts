/**
 * Seconds left on a facilitator's countdown, ticking on this device. The end is the server's time;
 * `skewMs` (server clock minus this one's, measured at page load) keeps a phone whose clock is off
 * in step with the projector.
 */
export class Countdown {
  remaining = $state<number | null>(null);

  constructor(endsAt: string | null, skewMs = 0) {
    this.remaining = secondsLeft(endsAt, skewMs);
  }

  /** Ticks until the end, then stops: one timer at most, none once it is over. Call from `$effect`. */
  follow(endsAt: string | null, skewMs: number): () => void {
    const update = () => {
      this.remaining = secondsLeft(endsAt, skewMs);
      if (!this.remaining) clearInterval(timer);
    };
    const timer = setInterval(update, 250);
    update();
    return () => clearInterval(timer);
  }
}

function secondsLeft(endsAt: string | null, skewMs: number): number | null {
  if (!endsAt) return null;
  return Math.max(0, Math.ceil((Date.parse(endsAt) - (Date.now() + skewMs)) / 1000));
}

/** "1:05", "0:09". */
export const clock = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
