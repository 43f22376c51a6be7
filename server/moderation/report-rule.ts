import type { Provenance } from '../platform/provenance.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One report as the rule weighs it. */
export interface WeighedReport {
  reporter: string;
  origin?: Provenance | null;
}

/**
 * How much one report weighs. Members answer for what they do, and a guest session a day old is
 * somebody who stayed; a guest session minutes old costs a script nothing, so it counts little until
 * it has been around. Reports stored before provenance was recorded count fully, as they did.
 */
export function reportWeight(origin: Provenance | null | undefined): number {
  if (!origin || origin.kind === 'member' || origin.age >= DAY) return 1;
  if (origin.age >= HOUR) return 0.5;
  if (origin.age >= 10 * MINUTE) return 0.25;
  return 0.1;
}

/**
 * The weight of all the reports on one item. Each member counts on their own; guests count per
 * network, by the heaviest report from it, so a script rotating cookies on one network weighs about
 * as much as one of them, while a hall's people on different networks still count one by one.
 */
export function reportsWeight(reports: readonly WeighedReport[]): { weight: number; networks: number } {
  let weight = 0;
  const guests = new Map<string, number>();
  for (const { reporter, origin } of reports) {
    const w = reportWeight(origin);
    if (!origin || origin.kind === 'member') weight += w;
    else {
      const key = origin.network ?? `reporter:${reporter}`;
      guests.set(key, Math.max(guests.get(key) ?? 0, w));
    }
  }
  for (const w of guests.values()) weight += w;
  const networks = new Set(reports.map((r) => r.origin?.network ?? `reporter:${r.reporter}`)).size;
  return { weight: Math.round(weight * 100) / 100, networks };
}

/**
 * Whether reports take an item down before staff look: the one rule for ideas and comments alike.
 * Abuse on a projector does harm within minutes, so enough weight acts at once; under the threshold
 * the item stays up and waits in the staff queue. Staff who cleared an item have the last word.
 */
export function reportsTakeDown(weight: number, threshold: number, clearedByStaff: boolean): boolean {
  return !clearedByStaff && weight >= threshold;
}
