import { pino, type Logger } from 'pino';

/**
 * The app's one logger: JSON lines on stdout, one object per event, so a log collector can filter by
 * level, request id or socket. LOG_LEVEL picks the threshold (`silent` in tests that want quiet).
 * Written synchronously: pino's default buffered stdout flushes at exit in a loop that never ends
 * once the reader is gone (EPIPE), so an app whose npm was killed would not stop on SIGTERM.
 */
export const log: Logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { app: 'reclaim' },
    timestamp: pino.stdTimeFunctions.isoTime,
  },
  pino.destination({ dest: 1, sync: true }),
);
