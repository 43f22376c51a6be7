import type { AreaSlug, Sort } from '../../realtime/vocabulary.js';
import type { IdeaEntry } from './board-state.js';

/** Trending: a vote or comment weighs half as much six hours on. */
export const TREND_HALF_LIFE_MS = 6 * 60 * 60 * 1000;
/**
 * Trend scores are kept as log2 of the sum of 2^((t − TREND_EPOCH) / half-life) over an idea's
 * activity: the same order as each event weighing 2^(−age / half-life) now, without rescoring every
 * idea as time passes, and without overflow (the sum is kept in log form).
 */
const TREND_EPOCH = Date.UTC(2026, 0, 1);

/**
 * The board's orders over the ideas of the board state (`board-state.ts`): most votes (kept until a
 * count or the board changes), trending, newest, most discussed, shuffled. Trend scores are kept by
 * idea id, so an idea taken down and put back keeps its own.
 */
export class Rankings {
  private readonly rankCache = new Map<AreaSlug | null, IdeaEntry[]>();
  /** log2 of each idea's decayed activity (see TREND_EPOCH). */
  private readonly trends = new Map<string, number>();

  constructor(
    private readonly ideas: ReadonlyMap<string, IdeaEntry>,
    private readonly commentCount: (ideaId: string) => number,
  ) {}

  /** A count, an idea or a merge changed: the order by votes is read afresh. */
  invalidate(): void {
    this.rankCache.clear();
  }

  clearTrends(): void {
    this.trends.clear();
  }

  /** A vote, a comment or the idea itself arriving at `at` (ms): trending weighs it by its age. */
  noteActivity(ideaId: string, at: number): void {
    const x = (at - TREND_EPOCH) / TREND_HALF_LIFE_MS;
    const current = this.trends.get(ideaId);
    if (current === undefined) this.trends.set(ideaId, x);
    else {
      const high = Math.max(current, x);
      this.trends.set(ideaId, high + Math.log2(1 + 2 ** (Math.min(current, x) - high)));
    }
  }

  /**
   * Ideas of one area (or all) in a board order: most votes; trending (decayed activity); newest;
   * most discussed; or shuffled by `seed`, the same for the same seed.
   */
  sorted(area: AreaSlug | null, sort: Sort, seed: string): IdeaEntry[] {
    if (sort === 'top') return this.ranked(area);
    if (sort === 'new') return this.newest(area);
    const list = [...this.ideas.values()].filter((i) => area === null || i.area === area);
    const newer = (a: IdeaEntry, b: IdeaEntry) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1);
    if (sort === 'trending') {
      const trend = (i: IdeaEntry) => this.trends.get(i.id) ?? -Infinity;
      return list.sort((a, b) => trend(b) - trend(a) || newer(a, b));
    }
    if (sort === 'discussed') return list.sort((a, b) => this.commentCount(b.id) - this.commentCount(a.id) || b.votes - a.votes || newer(a, b));
    const keys = new Map(list.map((i) => [i.id, fnv1a(seed + i.id)]));
    return list.sort((a, b) => keys.get(a.id)! - keys.get(b.id)! || (a.id < b.id ? -1 : 1));
  }

  /** Ideas of one area (or all), most votes first, newest first among equals. */
  ranked(area: AreaSlug | null): IdeaEntry[] {
    let list = this.rankCache.get(area);
    if (!list) {
      list = [...this.ideas.values()].filter((i) => area === null || i.area === area);
      list.sort((a, b) => b.votes - a.votes || b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
      this.rankCache.set(area, list);
    }
    return list;
  }

  newest(area: AreaSlug | null): IdeaEntry[] {
    return [...this.ideas.values()]
      .filter((i) => area === null || i.area === area)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  }
}

/** A 32-bit FNV-1a hash: a cheap, stable shuffle key. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
