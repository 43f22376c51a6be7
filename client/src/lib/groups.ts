import type { GroupVotes } from '$realtime/schemas/conference';
import { GROUP_REST, GROUP_REST_LABELS, STAKEHOLDER_GROUPS, STAKEHOLDER_SLUGS } from '$realtime/vocabulary';

export interface GroupShare {
  group: keyof GroupVotes;
  label: string;
  votes: number;
}

const ORDER: (keyof GroupVotes)[] = [...STAKEHOLDER_SLUGS, ...GROUP_REST];
const LABELS: Record<keyof GroupVotes, string> = { ...STAKEHOLDER_GROUPS, ...GROUP_REST_LABELS };

/** Largest named group first; "other groups" and "no group given" last, whatever their size. */
export function groupShares(groups: GroupVotes): GroupShare[] {
  return ORDER.filter((group) => (groups[group] ?? 0) > 0)
    .map((group) => ({ group, label: LABELS[group], votes: groups[group]! }))
    .sort((a, b) => rest(a) - rest(b) || b.votes - a.votes);
}

const rest = (share: GroupShare) => ((GROUP_REST as readonly string[]).includes(share.group) ? 1 : 0);
