import { Types } from 'mongoose';
import { User } from '../../models/index.js';
import { GROUP_SHOWN_MIN } from '../../realtime/vocabulary.js';
import type { GroupVotes, LiveResultRow, LiveResults } from '../../realtime/schemas/conference.js';
import type { VoteLedger } from '../board/vote-ledger.js';
import { sessionView, type SessionEntry } from './session-fold.js';
import type { ConferenceSessions } from './sessions.js';

/** A session's results: its ranking as voting runs, and what `close` freezes with the breakdown by group. */
export class SessionResults {
  constructor(
    private readonly sessions: ConferenceSessions,
    private readonly ledger: VoteLedger,
  ) {}

  /**
   * Frozen when voting closed; as it stands while the session runs. The breakdown by group comes with
   * the final results only, and shows a group on an idea only where enough of its people voted that
   * none of them can be picked out: the same for everyone, as a results page may be on a projector.
   */
  async results(code: string): Promise<LiveResults> {
    const entry = await this.sessions.require(code);
    const { fold } = entry;
    const final = fold.state === 'closed';
    const rows = (final && fold.results ? fold.results : this.sessions.ranking(entry)).map((row) => ({
      ...row,
      groups: final && row.groups ? foldSmallGroups(row.groups) : null,
    }));
    return {
      session: sessionView(entry.session),
      final,
      closedAt: final && fold.closedAt ? new Date(fold.closedAt).toISOString() : null,
      rows: withSharedRanks(rows),
      // The shown rows added up: the totals tell nothing the rows do not.
      groups: addUp(rows),
    };
  }

  /**
   * What `close` freezes: the ranking, each idea's votes by the groups its member voters say they
   * belong to. Only final results break down, so nobody can tell a voter's group from how a running
   * breakdown moved when they tapped.
   */
  async frozenRanking(entry: Readonly<SessionEntry>): Promise<Omit<LiveResultRow, 'rank'>[]> {
    // Counts and voters read in the same turn; a vote still on its way may be in one and not yet the
    // other, so a breakdown is held to its count.
    const rows = this.sessions.ranking(entry);
    const voters = this.ledger.ballots.memberVoters(rows.map((row) => row.ideaId));
    const members = [...new Set([...voters.values()].flat())];
    const docs = members.length ? await User.find({ _id: { $in: members.map((id) => new Types.ObjectId(id)) } }, { group: 1 }).lean() : [];
    const groupOf = new Map(docs.map((doc) => [doc._id.toString(), doc.group ?? null]));
    return rows.map((row) => {
      const groups: GroupVotes = {};
      let named = 0;
      for (const voter of voters.get(row.ideaId)!) {
        const group = groupOf.get(voter);
        if (!group || named === row.votes) continue;
        groups[group] = (groups[group] ?? 0) + 1;
        named++;
      }
      if (row.votes > named) groups.unsaid = row.votes - named;
      return { ...row, groups };
    });
  }

}

/** Competition ranking: equal votes share a rank (1, 2, 2, 4). */
function withSharedRanks<T extends { votes: number }>(rows: T[]): (T & { rank: number })[] {
  return rows.map((row, i) => ({ ...row, rank: i > 0 && rows[i - 1]!.votes === row.votes ? 0 : i + 1 })).map((row, i, all) => {
    if (row.rank !== 0) return row;
    let j = i;
    while (all[j]!.rank === 0) j--;
    return { ...row, rank: all[j]!.rank };
  });
}

function addUp(rows: { groups: GroupVotes | null }[]): GroupVotes | null {
  const total: GroupVotes = {};
  for (const row of rows) {
    if (!row.groups) return null;
    for (const [group, votes] of Object.entries(row.groups) as [keyof GroupVotes, number][]) total[group] = (total[group] ?? 0) + votes;
  }
  return total;
}

/**
 * Groups with too few votes on an idea go into `other`, and an `other` itself too small goes into
 * `unsaid`, where guests' votes are: every number shown stands for several people, or for none named.
 */
export function foldSmallGroups(groups: GroupVotes): GroupVotes {
  const shown: GroupVotes = {};
  let other = 0;
  for (const [group, votes] of Object.entries(groups) as [keyof GroupVotes, number][]) {
    if (group === 'unsaid' || votes >= GROUP_SHOWN_MIN) shown[group] = votes;
    else other += votes;
  }
  if (other >= GROUP_SHOWN_MIN) shown.other = other;
  else if (other > 0) shown.unsaid = (shown.unsaid ?? 0) + other;
  return shown;
}
