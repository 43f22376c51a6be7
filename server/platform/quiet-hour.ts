/**
 * Jobs that read whole collections (expired sessions, the retention purge: platform/paced-scan.ts; a
 * cluster's routine vote recount) run once a day in this hour (UTC), the board's quietest, never in the
 * middle of a conference day. On the embedded FerretDB such a read either holds the database for
 * seconds or, paced, holds one read snapshot for minutes while SQLite's write-ahead log grows under the
 * votes written meanwhile: the soak saw votes wait 1–5 s for the database around a sweep at 600 votes a
 * second, paced or not.
 */
export const QUIET_HOUR_UTC = 3;

const HOUR = 60 * 60 * 1000;

/** True at most once a day: the first time it is asked within the quiet hour. */
export class QuietHour {
  private lastRun = Number.NEGATIVE_INFINITY;

  due(now = Date.now()): boolean {
    if (new Date(now).getUTCHours() !== QUIET_HOUR_UTC || now - this.lastRun < 2 * HOUR) return false;
    this.lastRun = now;
    return true;
  }
}
