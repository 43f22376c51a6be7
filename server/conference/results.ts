import { Types } from 'mongoose';
import { User } from '../../models/index.js';
import { GROUP_SHOWN_MIN } from '../../realtime/vocabulary.js';
import type { GroupVotes, LiveResults, LiveRoundResults } from '../../realtime/schemas/conference.js';
import type { RoomBallots } from './room-ballots.js';
import { roundTitle, sessionView, type FrozenRow, type SessionEntry } from './session-fold.js';
import type { ConferenceSessions } from './sessions.js';

/** A session's results: each round's ranking as voting runs, and what closing freezes with the breakdown by group. */
export class SessionResults {
  constructor(
    private readonly sessions: ConferenceSessions,
    private readonly rooms: RoomBallots,
  ) {}

  /**
   * Every round: frozen once it closed; as it stands while it runs. The breakdown by group comes with
   * the final results only, and shows a group on an idea only where enough of its people voted that
   * none of them can be picked out: the same for everyone, as a results page may be on a projector.
   */
  async results(code: string, staff: boolean): Promise<LiveResults> {
    const entry = await this.sessions.require(code);
    const { fold } = entry;
    const past = fold.past.map((round) => roundResults(round.n, round.title, round.closedAt, round.results));
    // While counts are hidden from the room, so is the ranking of the round under way (its order would tell them).
    const hidden = fold.countsHidden && !staff;
    const current = roundResults(fold.round.n, roundTitle(entry), fold.closedAt, hidden ? [] : (fold.results ?? this.sessions.views.ranking(entry)), fold.countsHidden);
    const rounds = [...past, current];
    return { session: sessionView(entry), final: current.closedAt !== null, closedAt: current.closedAt, rows: current.rows, groups: current.groups, rounds };
  }

  /**
   * What closing a round freezes: the ranking, each idea's room votes by the groups its member voters
   * say they belong to. Only final results break down, so nobody can tell a voter's group from how a
   * running breakdown moved when they tapped.
   */
  async frozenRanking(entry: Readonly<SessionEntry>): Promise<FrozenRow[]> {
    const rows = this.sessions.views.ranking(entry);
    const voters = this.rooms.memberVoters(entry.session.code, entry.fold.round.n, rows.map((row) => row.ideaId));
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

function roundResults(n: number, title: string, closedAt: number | null, results: FrozenRow[], hidden = false): LiveRoundResults {
  const final = closedAt !== null;
  const rows = results.map((row) => ({ ...row, groups: final && row.groups ? foldSmallGroups(row.groups) : null }));
  return { n, title, closedAt: final ? new Date(closedAt).toISOString() : null, hidden, rows: withSharedRanks(rows), groups: rows.length ? addUp(rows) : null };
}

/** Competition ranking: equal votes share a rank (1, 2, 2, 4); discussed ideas keep theirs, so no rank goes missing. */
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
