import type { EvidenceItem } from '$realtime/schemas/campaign';

/** The staff form's fields as typed, so a refused form comes back with nothing lost. */
export interface EvidenceValues {
  headline: string;
  summary: string;
  organisation: string;
  title: string;
  year: string;
  url: string;
  areas: string[];
  kind: string;
}

export const EMPTY_EVIDENCE: EvidenceValues = { headline: '', summary: '', organisation: '', title: '', year: '', url: '', areas: [], kind: 'study' };

export const valuesOf = (item: EvidenceItem): EvidenceValues => ({
  headline: item.headline,
  summary: item.summary,
  organisation: item.source.organisation,
  title: item.source.title,
  year: item.source.year === null ? '' : String(item.source.year),
  url: item.source.url ?? '',
  areas: [...item.areas],
  kind: item.kind,
});

/** What a refused staff form carries back from its action. */
export interface EvidenceRefusal {
  message?: string;
  errors?: Record<string, string | undefined>;
  values?: EvidenceValues | null;
}
