import { setFlagsFromString } from 'node:v8';

/** V8's own ceiling for how far the old generation may outgrow its live size, on a machine with memory to spare. */
export const HEAP_GROWING_PERCENT = 300;
const GIVEN = /^--heap[-_]growing[-_]percent\b/;

/**
 * Lets the old generation grow to four times its live size between major collections; left to
 * itself V8 chose about 1.8 times here. A major collection marks every connection's objects (about
 * 200 MB at 10,000 viewers), and on a one-core server its marking takes most of the core for about
 * 300 ms, so every vote cast in that moment reaches the screens late. At 10,000 viewers and 1,000
 * votes/s V8's own multiple brings one about every 80 seconds, this one about every five minutes,
 * for up to four times the live heap in memory.
 * A `--heap-growing-percent` on node's command line wins (node refuses it in NODE_OPTIONS).
 */
export function spaceOutMajorCollections(): void {
  if (!process.execArgv.some((arg) => GIVEN.test(arg))) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
