import { ModerationLogEntry } from '../../models/index.js';
import type { ConferenceReport } from '../../realtime/schemas/results.js';
import type { BoardSettings } from '../board/board-settings.js';
import type { VoteLedger } from '../board/vote-ledger.js';
import type { BoardState } from '../board/board-state.js';
import type { ConferenceService } from '../conference/conference.js';
import type { EvidenceService } from '../campaign/evidence.js';
import type { Organisations } from '../campaign/organisations.js';
import type { CampaignResultsService } from './campaign-results.js';
import type { Seals } from './seals.js';

export const CAMPAIGN_TITLE = 'Recl@im the Internet';
/** Ideas per challenge in the report. */
export const REPORT_TOP = 5;
/** Rows of each session's frozen results in the report (the open data has them all). */
export const REPORT_SESSION_ROWS = 10;
/** Decisions that take something off the board or keep it off, counted in the method. */
const OFF_BOARD = ['take-down', 'decline'];

export interface ReportSources {
  state: BoardState;
  ledger: VoteLedger;
  results: CampaignResultsService;
  conference: Pick<ConferenceService, 'published' | 'results'>;
  seals: Seals;
  settings: Pick<BoardSettings, 'conference'>;
  evidence: Pick<EvidenceService, 'list'>;
  organisations: Pick<Organisations, 'list'>;
  areas: () => Promise<{ slug: ConferenceReport['areas'][number]['slug']; title: string; question: string }[]>;
}

/** What the conference report says, for /report and /report.pdf alike. */
export async function conferenceReport(s: ReportSources): Promise<ConferenceReport> {
  const [info, areas, evidence] = await Promise.all([s.settings.conference(), s.areas(), s.evidence.list(undefined)]);
  const sessions: ConferenceReport['sessions'] = [];
  for (const session of s.conference.published()) {
    const results = await s.conference.results(session.code, null);
    if (!results.final || !results.closedAt) continue;
    sessions.push({
      code: session.code,
      title: session.title,
      closedAt: results.closedAt,
      rows: results.rows.slice(0, REPORT_SESSION_ROWS).map(({ rank, title, area, votes, voided }) => ({ rank, title, area, votes, voided })),
      sealed: await s.seals.sealOf(results),
    });
  }
  const ids = s.state.rankings.ranked(null).map((idea) => idea.id);
  const split = Object.values(s.ledger.ballots.split(ids));
  const members = split.reduce((sum, x) => sum + x.members, 0);
  const guests = split.reduce((sum, x) => sum + x.guests, 0);
  return {
    campaign: { title: CAMPAIGN_TITLE, ...info },
    areas: areas.map((area) => ({ slug: area.slug, title: area.title, question: area.question, ideas: s.results.ranking(area.slug, REPORT_TOP) })),
    sessions,
    evidence: evidence.map((item) => ({ headline: item.headline, source: [item.source.organisation, item.source.title].filter(Boolean).join(', '), year: item.source.year, url: item.source.url, areas: item.areas })),
    supporters: s.organisations.list().map((o) => ({ name: o.name, website: o.website })),
    method: { votes: members + guests, members, guests, voided: s.ledger.ballots.voidedIds().length, takenDown: await takenDown() },
    generatedAt: new Date().toISOString(),
  };
}

/** Posts taken off the board (by reports or staff, or declined on review), by kind and reason, from the public log. */
async function takenDown(): Promise<ConferenceReport['method']['takenDown']> {
  const docs = await ModerationLogEntry.find({}, { action: 1, reason: 1, item: 1 }).lean();
  const counts = new Map<string, number>();
  for (const doc of docs) {
    const kind = doc.item?.kind;
    if (!OFF_BOARD.includes(doc.action) || (kind !== 'idea' && kind !== 'comment')) continue;
    const key = `${kind}\0${doc.reason}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .map(([key, count]) => {
      const [kind, reason] = key.split('\0') as [string, string];
      return { kind, reason, count };
    })
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
}
