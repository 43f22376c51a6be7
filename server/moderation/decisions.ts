import type { ReportReason } from '../../realtime/vocabulary.js';
import type { ReportStats } from './report-stats.js';

/** Reasons whose text is itself the abuse: the public log names no title for them. */
const TEXT_IS_THE_ABUSE = new Set<string>(['abuse', 'hate', 'personal', 'screening', 'staff']);

/** The reason a take-down gives: the commonest report reason, or a staff decision. */
export function reasonOf(stats: ReportStats | undefined, fallback = 'staff'): string {
  const reasons = Object.entries(stats?.reasons ?? {}) as [ReportReason, number][];
  return reasons.sort((a, b) => b[1] - a[1])[0]?.[0] ?? fallback;
}

/** A title for the public log, unless the text itself may be the abuse. */
export function publicTitle(reason: string, title: string): string | null {
  return TEXT_IS_THE_ABUSE.has(reason) ? null : title;
}
