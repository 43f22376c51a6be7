import { Types } from 'mongoose';
import { User, Vote } from '../../models/index.js';
import { AREA_SLUGS, type AreaSlug, type StakeholderGroup } from '../../realtime/vocabulary.js';
import type { GroupVotes } from '../../realtime/schemas/conference.js';
import type { CampaignResults, LeadArgument, ResultArea, ResultIdea, VoteSeries } from '../../realtime/schemas/results.js';
import type { AreaView } from '../../realtime/schemas/board.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import type { VoteLedger } from '../board/vote-ledger.js';
import type { CommentStore } from '../discussion/comment-store.js';
import { foldSmallGroups } from '../conference/results.js';
import type { RoomTotals } from './room-totals.js';
import type { Seals } from './seals.js';

/** Ideas ranked per challenge on /results; the top few of them drawn over time. */
export const RESULTS_TOP = 10;
export const TIMELINE_TOP = 3;
/** Charts read votes (a collection scan on FerretDB): drawn again at most this often. */
export const CHARTS_EVERY_MS = 60_000;
const SERIES_POINTS = 40;

type Charts = ResultArea['charts'];

/**
 * The campaign's results across its challenges: each challenge's ranking with the board's votes and
 * the rooms' side by side, comments and the lead argument each way, from memory at every call; and
 * charts of the votes (over time, members against guests, stakeholder groups folded as live results
 * fold them), drawn from the stored votes at most once a minute.
 */
export class CampaignResultsService {
  private charts: { at: number; byArea: Map<AreaSlug, Charts> } | null = null;
  private drawing: Promise<void> | null = null;

  constructor(
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
    private readonly comments: CommentStore,
    private readonly areas: () => Promise<AreaView[]>,
    private readonly room: RoomTotals,
    private readonly seals: Seals,
  ) {}

  async results(now = Date.now()): Promise<CampaignResults> {
    if (!this.charts || now - this.charts.at >= CHARTS_EVERY_MS) await this.drawCharts(now);
    const charts = this.charts!;
    const areas = await this.areas();
    return {
      areas: areas.map((area) => ({
        slug: area.slug,
        title: area.title,
        question: area.question,
        ideas: this.ranking(area.slug, RESULTS_TOP),
        charts: charts.byArea.get(area.slug) ?? { timeline: [], members: 0, guests: 0, groups: [] },
      })),
      sealed: await this.seals.list(),
      chartsAt: new Date(charts.at).toISOString(),
      generatedAt: new Date(now).toISOString(),
    };
  }

  /** A challenge's ideas, most votes first, with what the results show of each. */
  ranking(area: AreaSlug, top: number): ResultIdea[] {
    const ideas = this.state.rankings.ranked(area).slice(0, top);
    const room = this.room.of(ideas.map((idea) => idea.id));
    return ideas.map((idea) => this.result(idea, room.get(idea.id) ?? 0));
  }

  private result(idea: IdeaEntry, room: number): ResultIdea {
    const { comments, lead } = this.comments.list(idea.id, null);
    const argument = (id: string | null): LeadArgument | null => {
      const comment = id ? comments.find((c) => c.id === id) : undefined;
      return comment ? { id: comment.id, body: comment.body, author: comment.author, helpful: comment.helpful } : null;
    };
    const top = comments.filter((c) => c.parentId === null);
    return {
      id: idea.id,
      title: idea.title,
      online: idea.votes,
      room,
      comments: comments.length,
      balance: { for: top.filter((c) => c.stance === 'for').length, against: top.filter((c) => c.stance === 'against').length },
      status: idea.status,
      lead: { for: argument(lead.for), against: argument(lead.against) },
    };
  }

  /** One drawing at a time; callers meanwhile wait for it rather than read the votes again. */
  private drawCharts(now: number): Promise<void> {
    this.drawing ??= this.draw(now).finally(() => (this.drawing = null));
    return this.drawing;
  }

  private async draw(now: number): Promise<void> {
    const byArea = new Map<AreaSlug, Charts>();
    const tops = new Map(AREA_SLUGS.map((area) => [area, this.state.rankings.ranked(area).slice(0, TIMELINE_TOP)]));
    const series = await this.timelines([...tops.values()].flat(), now);
    const groupsOf = await this.memberGroups();
    for (const area of AREA_SLUGS) {
      const ids = this.state.rankings.ranked(area).map((idea) => idea.id);
      const split = this.ledger.ballots.split(ids);
      const members = Object.values(split).reduce((sum, s) => sum + s.members, 0);
      const guests = Object.values(split).reduce((sum, s) => sum + s.guests, 0);
      const groups: GroupVotes = {};
      for (const voters of this.ledger.ballots.memberVoters(ids).values()) {
        for (const voter of voters) {
          const group = groupsOf.get(voter) ?? 'unsaid';
          groups[group] = (groups[group] ?? 0) + 1;
        }
      }
      if (guests > 0) groups.unsaid = (groups.unsaid ?? 0) + guests;
      const folded = foldSmallGroups(groups);
      byArea.set(area, {
        timeline: tops.get(area)!.map((idea) => series.get(idea.id)!),
        members,
        guests,
        groups: (Object.entries(folded) as [keyof GroupVotes, number][]).map(([group, votes]) => ({ group, votes })).sort((a, b) => b.votes - a.votes),
      });
    }
    this.charts = { at: now, byArea };
  }

  /** Each idea's votes so far over time (its merged duplicates' too), from the votes' times; voided ones left out. */
  private async timelines(ideas: IdeaEntry[], now: number): Promise<Map<string, VoteSeries>> {
    const holderOf = new Map<string, string>();
    for (const idea of ideas) for (const id of this.state.groupOf(idea.id)) holderOf.set(id, idea.id);
    const votes = holderOf.size ? await Vote.find({ idea: { $in: [...holderOf.keys()].map((id) => new Types.ObjectId(id)) } }, { idea: 1, createdAt: 1 }).lean() : [];
    const times = new Map<string, number[]>(ideas.map((idea) => [idea.id, []]));
    for (const vote of votes) {
      if (this.ledger.ballots.isVoided(vote._id.toString())) continue;
      times.get(holderOf.get(vote.idea.toString())!)?.push(vote.createdAt.getTime());
    }
    return new Map(ideas.map((idea) => [idea.id, { ideaId: idea.id, title: idea.title, points: cumulative(times.get(idea.id)!, now) }]));
  }

  /** Every voting member's stakeholder group (an `_id` read: FerretDB hands it to SQLite). */
  private async memberGroups(): Promise<Map<string, StakeholderGroup>> {
    const members = new Set<string>();
    for (const voters of this.ledger.ballots.memberVoters(this.state.rankings.ranked(null).map((idea) => idea.id)).values()) for (const v of voters) members.add(v);
    if (members.size === 0) return new Map();
    const docs = await User.find({ _id: { $in: [...members].map((id) => new Types.ObjectId(id)) } }, { group: 1 }).lean();
    return new Map(docs.flatMap((doc) => (doc.group ? [[doc._id.toString(), doc.group as StakeholderGroup]] : [])));
  }
}

/** Votes so far at up to SERIES_POINTS moments, from the first vote to now. */
function cumulative(times: number[], now: number): { at: string; votes: number }[] {
  times.sort((a, b) => a - b);
  if (times.length === 0) return [{ at: new Date(now).toISOString(), votes: 0 }];
  const start = times[0]!;
  const step = Math.max(1, (now - start) / (SERIES_POINTS - 1));
  const points = [{ at: new Date(start).toISOString(), votes: 0 }];
  let i = 0;
  for (let t = start + step; t <= now + 1; t += step) {
    while (i < times.length && times[i]! <= t) i++;
    points.push({ at: new Date(Math.min(t, now)).toISOString(), votes: i });
  }
  return points;
}
