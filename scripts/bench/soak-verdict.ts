import type { Latency } from './measure.js';
import type { ServerCpu } from './results.js';

/** Votes of one kind over a minute: sent, accepted, and the refusals by code. */
export interface Tally {
  sent: number;
  accepted: number;
  failures: Record<string, number>;
}

export interface Minute {
  minute: number;
  /** Board votes → every board viewer. */
  board: Latency;
  /** Room votes (with the session's code) → every phone. */
  phones: Latency;
  ack: Latency;
  votes: Tally;
  roomVotes: Tally;
  /** The votes of the minute before, taken back (board and room together). */
  retractions: Tally;
  comments: { sent: number; accepted: number };
  rssBytes: number;
  heapBytes: number;
  lag: { p99: number; max: number; mean: number };
  /** The server core over the minute: busy, the app's and the database's shares. */
  cpu: ServerCpu | null;
  handles: number;
  /** Screens (board viewers and phones) whose connection the server closed or lost this minute. */
  lost: number;
  /** Board and room votes standing at the minute's end: flat from the second minute on. */
  ballots: number;
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The targets, from the second minute on: heap and RSS grow less than 5%, the last minute's p99s within 20% of the second's. */
export function verdict(minutes: Minute[]): { checks: { what: string; value: string; meets: boolean | null }[] } {
  const second = minutes[1];
  const last = minutes.at(-1)!;
  if (!second || minutes.length < 3) return { checks: [{ what: 'targets (from the second minute to the last)', value: 'need 3 minutes or more', meets: null }] };
  const growth = (a: number, b: number) => (b - a) / a;
  const heap = growth(second.heapBytes, last.heapBytes);
  const rss = growth(second.rssBytes, last.rssBytes);
  const p99 = growth(second.board.p99, last.board.p99);
  const phones = growth(second.phones.p99, last.phones.p99);
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  return {
    checks: [
      { what: 'heap after GC, minute 2 → last (< +5%)', value: `${pct(heap)} (${mb(second.heapBytes)} → ${mb(last.heapBytes)})`, meets: heap < 0.05 },
      { what: 'RSS, minute 2 → last (< +5%)', value: `${pct(rss)} (${mb(second.rssBytes)} → ${mb(last.rssBytes)})`, meets: rss < 0.05 },
      { what: 'vote → every viewer p99, last minute vs the second (within 20%)', value: `${pct(p99)} (${Math.round(second.board.p99)} → ${Math.round(last.board.p99)} ms)`, meets: Math.abs(p99) <= 0.2 && last.board.unseen === 0 && last.lost === 0 },
      ...(second.phones.samples > 0
        ? [{ what: 'room vote → every phone p99, last minute vs the second (within 20%)', value: `${pct(phones)} (${Math.round(second.phones.p99)} → ${Math.round(last.phones.p99)} ms)`, meets: Math.abs(phones) <= 0.2 && last.phones.unseen === 0 && last.lost === 0 }]
        : []),
    ],
  };
}
