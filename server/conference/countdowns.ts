import type { SessionEntry } from './session-fold.js';

/**
 * A timer per session whose countdown does something at zero (pause or close): when it fires, the
 * conference stores that step. Every server holds the timer; the LiveEvent {session, seq} index lets
 * one of them store the step, and the others find it taken and leave it.
 */
export class Countdowns {
  private readonly timers = new Map<string, { endsAt: number; timer: NodeJS.Timeout }>();

  constructor(private readonly atZero: (code: string, endsAt: number) => void) {}

  /** After every event a server applies: (re)arms, keeps or drops the session's timer. */
  follow({ session, fold }: Readonly<SessionEntry>): void {
    const { code } = session;
    const endsAt = fold.countdownEndsAt;
    const voting = fold.state === 'open' || (fold.atZero === 'close' && fold.state === 'paused');
    const due = endsAt !== null && fold.atZero !== 'none' && voting ? endsAt : null;
    const current = this.timers.get(code);
    if (current && current.endsAt !== due) {
      clearTimeout(current.timer);
      this.timers.delete(code);
    }
    if (due === null || this.timers.has(code)) return;
    const timer = setTimeout(() => {
      this.timers.delete(code);
      this.atZero(code, due);
    }, Math.max(0, due - Date.now()));
    timer.unref();
    this.timers.set(code, { endsAt: due, timer });
  }

  stop(): void {
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
