import type { ReportReason } from '$realtime/vocabulary';

/**
 * Words for each reason: `label` is what a participant picks from, `short` what a facilitator scans.
 * A Record, so a reason added to the contract fails the type check until it has words here.
 */
export const REASONS: Record<ReportReason, { label: string; short: string }> = {
  abuse: { label: 'Abuse, harassment or threats', short: 'Abuse or threats' },
  hate: { label: 'Hate against a group of people', short: 'Hate' },
  personal: { label: 'Shares someone’s personal details', short: 'Personal details' },
  spam: { label: 'Spam or advertising', short: 'Spam' },
  other: { label: 'Something else', short: 'Something else' },
};

export const REASON_LIST = Object.entries(REASONS) as [ReportReason, (typeof REASONS)[ReportReason]][];

export interface ReportOutcome {
  /** The idea's id, or the comment's on an idea page. */
  ideaId: string;
  /** This report was the one that took the idea down until a facilitator looks at it. */
  down: boolean;
}

/**
 * The report action redirects (so a reload never reports twice) and the outcome rides in the query:
 * the page reads it to confirm without JavaScript, and the enhanced form reads it from the redirect.
 */
export function outcomeQuery({ ideaId, down }: ReportOutcome): Record<string, string> {
  return down ? { reported: ideaId, down: '1' } : { reported: ideaId };
}

export function readOutcome(url: URL): ReportOutcome | null {
  const ideaId = url.searchParams.get('reported');
  return ideaId ? { ideaId, down: url.searchParams.get('down') === '1' } : null;
}

export const THANKS = 'Thanks — facilitators will look at it.';
export const TAKEN_DOWN = 'Thanks — your report took that idea down until a facilitator looks at it.';
