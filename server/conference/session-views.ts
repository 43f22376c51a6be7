import { LIVE_IDEAS_MAX } from '../../realtime/vocabulary.js';
import type { Tallies } from '../../realtime/schemas/board.js';
import type { LiveIdeaView } from '../../realtime/schemas/conference.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import type { RoomBallots } from './room-ballots.js';
import { contains, roundClosed, scopeOf, type FrozenRow, type SessionEntry } from './session-fold.js';

/**
 * What a session's screens show of its round: its ideas ranked by the room's own votes (the board's
 * votes online never count here), and once the round closed, the frozen ranking and its numbers,
 * whatever happens on the board or in other sessions afterwards.
 */
export class SessionViews {
  constructor(
    private readonly state: BoardState,
    private readonly rooms: RoomBallots,
    /** The board's votes on an idea that staff voided (a flagged burst): beside its votes online. */
    private readonly voidedOnline: (ideaId: string) => number,
  ) {}

  /** Whether an idea is on the board. */
  known(ideaId: string): boolean {
    return this.state.get(ideaId) !== undefined;
  }

  /** The round's ideas, most room votes first (hidden ones left out), at most LIVE_IDEAS_MAX; frozen order once closed. */
  ideasOf(entry: Readonly<SessionEntry>): IdeaEntry[] {
    const { fold } = entry;
    if (fold.results) return fold.results.flatMap((row) => this.state.get(row.ideaId) ?? []).filter((idea) => !fold.hidden.has(idea.id));
    const { areas, ideaIds } = scopeOf(entry);
    const candidates = areas.length
      ? this.state.rankings.ranked(null).filter((idea) => areas.includes(idea.area))
      : [...ideaIds, ...fold.approved].flatMap((id) => this.state.get(id) ?? []);
    const counts = this.liveCounts(entry, candidates);
    // A stable sort: among equal room counts, the order the ideas were picked in (or the board's).
    const ideas = [...new Set(candidates)].filter((idea) => !fold.hidden.has(idea.id));
    ideas.sort((a, b) => counts[b.id]! - counts[a.id]!);
    return ideas.slice(0, LIVE_IDEAS_MAX);
  }

  /** The room's count of each idea: the frozen one once the round closed. */
  counts(entry: Readonly<SessionEntry>, ideas: IdeaEntry[] = this.ideasOf(entry)): Tallies {
    const frozen = entry.fold.results;
    if (frozen) return Object.fromEntries(frozen.map((row) => [row.ideaId, row.votes]));
    return this.liveCounts(entry, ideas);
  }

  /** What one viewer may see of the counts: none for the room while they are hidden. */
  countsFor(entry: Readonly<SessionEntry>, staff: boolean): Tallies | null {
    return entry.fold.countsHidden && !staff ? null : this.counts(entry);
  }

  /** The ideas as one screen shows them: the room's votes (null for the room while hidden), and which this viewer gave. */
  ideaViews(entry: Readonly<SessionEntry>, viewerId: string | null, staff: boolean): LiveIdeaView[] {
    const ideas = this.ideasOf(entry);
    const ids = ideas.map((idea) => idea.id);
    const mine = viewerId ? this.rooms.votedBy(entry.session.code, entry.fold.round.n, viewerId, ids) : new Set<string>();
    const counts = this.countsFor(entry, staff);
    return ideas.map((idea) => ({ ...this.state.view(idea, mine.has(idea.id)), votes: counts ? (counts[idea.id] ?? 0) : null }));
  }

  /** Every idea of the round ranked as it stands (before close): the room's votes beside the board's online. */
  ranking(entry: Readonly<SessionEntry>): FrozenRow[] {
    const ideas = this.ideasOf(entry);
    const counts = this.counts(entry, ideas);
    return ideas.map((idea) => ({ ideaId: idea.id, title: idea.title, area: idea.area, votes: counts[idea.id] ?? 0, online: idea.votes, voided: this.voidedOnline(idea.id), discussed: entry.fold.discussed.has(idea.id), groups: null }));
  }

  /** The room's counts of some ideas for one of the session's screens; null when it may see none (hidden from the room). */
  tally(entry: Readonly<SessionEntry>, staff: boolean, ideaIds: Iterable<string>): Tallies | null {
    if (entry.fold.countsHidden && !staff) return null;
    const frozen = roundClosed(entry.fold) ? this.counts(entry) : null;
    const counts: Tallies = {};
    let any = false;
    for (const id of ideaIds) {
      const idea = this.state.get(id);
      if (!idea || entry.fold.hidden.has(id) || !contains(entry, idea)) continue;
      counts[id] = frozen ? (frozen[id] ?? 0) : this.rooms.count(entry.session.code, entry.fold.round.n, id);
      any = true;
    }
    return any ? counts : null;
  }

  /** The room's count of one idea as a screen of the session may see it. */
  countOf(entry: Readonly<SessionEntry>, ideaId: string, staff: boolean): number | null {
    return this.tally(entry, staff, [ideaId])?.[ideaId] ?? (entry.fold.countsHidden && !staff ? null : 0);
  }

  private liveCounts(entry: Readonly<SessionEntry>, ideas: IdeaEntry[]): Tallies {
    return this.rooms.counts(entry.session.code, entry.fold.round.n, ideas.map((idea) => idea.id));
  }
}
