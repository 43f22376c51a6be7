import { Types } from 'mongoose';
import { CommentReport, Report } from '../../models/index.js';
import type { ReportReason } from '../../realtime/vocabulary.js';
import type { Provenance } from '../platform/provenance.js';
import { reportsWeight } from './report-rule.js';

/** What the reports on one item add up to. */
export interface ReportStats {
  reasons: Partial<Record<ReportReason, number>>;
  reports: number;
  weight: number;
  networks: number;
}

export const NO_REPORTS: ReportStats = { reasons: {}, reports: 0, weight: 0, networks: 0 };

type ReportDoc = { reporter: Types.ObjectId; reason: string; origin?: Provenance | null };

/**
 * The reports on ideas (or comments), per item: by reason, and weighed by the one report rule.
 * Reports are few next to votes, so reading them is cheap; with `id`, one item's only.
 */
export async function reportStats(kind: 'idea' | 'comment', id?: string): Promise<Map<string, ReportStats>> {
  const docs =
    kind === 'idea'
      ? (await Report.find(id ? { idea: new Types.ObjectId(id) } : {}, { idea: 1, reporter: 1, reason: 1, origin: 1 }).lean()).map((d) => ({ ...d, item: d.idea }))
      : (await CommentReport.find(id ? { comment: new Types.ObjectId(id) } : {}, { comment: 1, reporter: 1, reason: 1, origin: 1 }).lean()).map((d) => ({ ...d, item: d.comment }));
  const byItem = new Map<string, ReportDoc[]>();
  for (const doc of docs) {
    const key = doc.item.toString();
    byItem.set(key, [...(byItem.get(key) ?? []), doc as ReportDoc]);
  }
  const stats = new Map<string, ReportStats>();
  for (const [item, reports] of byItem) {
    const reasons: Partial<Record<ReportReason, number>> = {};
    for (const report of reports) reasons[report.reason as ReportReason] = (reasons[report.reason as ReportReason] ?? 0) + 1;
    const { weight, networks } = reportsWeight(reports.map((r) => ({ reporter: r.reporter.toString(), origin: r.origin ?? null })));
    stats.set(item, { reasons, reports: reports.length, weight, networks });
  }
  return stats;
}
