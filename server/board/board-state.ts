import { Idea } from '../../models/index.js';
import type { SyncedIdea } from '../../realtime/events.js';
import { AREA_SLUGS, type AreaSlug, type IdeaProgress, type Sort } from '../../realtime/vocabulary.js';
import type { AreaCount, IdeaView } from '../../realtime/schemas/board.js';
import { MiniSearchIndex, type IdeaSearch } from './search.js';

/** What of an idea document the board keeps. */
export const IDEA_FIELDS = { area: 1, title: 1, body: 1, authorName: 1, authorOrganisation: 1, createdAt: 1, progress: 1, mergedInto: 1 } as const;

/** Trending: a vote or comment weighs half as much six hours on. */
export const TREND_HALF_LIFE_MS = 6 * 60 * 60 * 1000;
/**
 * Trend scores are kept as log2 of the sum of 2^((t − TREND_EPOCH) / half-life) over an idea's
 * activity: the same order as each event weighing 2^(−age / half-life) now, without rescoring every
 * idea as time passes, and without overflow (the sum is kept in log form).
 */
const TREND_EPOCH = Date.UTC(2026, 0, 1);

interface IdeaFields {
  _id: { toString(): string };
  area: string;
  title: string;
  body?: string | null;
  authorName?: string | null;
  authorOrganisation?: string | null;
  progress?: string | null;
  createdAt: Date;
}

/** An idea document as the board and the other servers hold it. */
export function syncedIdea(doc: IdeaFields): SyncedIdea & { status: IdeaProgress } {
  return {
    id: doc._id.toString(),
    area: doc.area as AreaSlug,
    title: doc.title,
    body: doc.body ?? '',
    author: { name: doc.authorName ?? null, organisation: doc.authorOrganisation ?? null },
    status: (doc.progress ?? 'new') as IdeaProgress,
    createdAt: doc.createdAt.getTime(),
  };
}

/** An idea on the board: its words, as servers share them, and its live count. */
export interface IdeaEntry extends SyncedIdea {
  votes: number;
  status: IdeaProgress;
}

/**
 * The live board in memory: every published idea with its vote count, the rankings, and what changed
 * since the last tally step. Counts belong to the vote ledger (`vote-ledger.ts`), which moves them here;
 * comment counts, trend scores and merges are kept by idea id beside the entries, so an idea taken
 * down and put back keeps them. The search index follows every idea on and off the board.
 */
export class BoardState {
  private readonly ideas = new Map<string, IdeaEntry>();
  private readonly changedCounts = new Set<string>();
  private areaCountsChanged = false;
  private rankCache = new Map<AreaSlug | null, IdeaEntry[]>();
  /** Comments up on each idea (the discussion service moves them). */
  private readonly comments = new Map<string, number>();
  /** Ideas whose comment counts moved since the board last told its watchers. */
  private readonly commentsChanged = new Set<string>();
  /** log2 of each idea's decayed activity (see TREND_EPOCH). */
  private readonly trends = new Map<string, number>();
  /** A merged duplicate → the idea it counts towards; and each such idea → its duplicates. */
  private readonly mergedInto = new Map<string, string>();
  private readonly duplicates = new Map<string, Set<string>>();

  constructor(readonly search: IdeaSearch = new MiniSearchIndex()) {}

  /**
   * Reads every idea on the board (published, not merged into another) and the merges; `counts`,
   * read alongside, gives each its votes once the merges are known (`merges` resolves first).
   */
  async load(counts: (merges: ReadonlyMap<string, string>) => Promise<ReadonlyMap<string, number>>): Promise<void> {
    this.trends.clear();
    this.mergedInto.clear();
    this.duplicates.clear();
    for (const doc of await Idea.find({ mergedInto: { $ne: null } }, { mergedInto: 1 }).lean()) {
      if (doc.mergedInto) this.setMerged(doc._id.toString(), doc.mergedInto.toString());
    }
    const [docs, votes] = await Promise.all([Idea.find({ status: 'published' }, IDEA_FIELDS).lean(), counts(this.mergedInto)]);
    for (const id of this.ideas.keys()) this.search.remove(id);
    this.ideas.clear();
    for (const doc of docs) {
      if (doc.mergedInto) continue;
      const idea = syncedIdea(doc);
      this.ideas.set(idea.id, { ...idea, votes: votes.get(idea.id) ?? 0 });
      this.search.upsert(idea);
      this.noteActivity(idea.id, idea.createdAt);
    }
    this.rankCache.clear();
  }

  get(id: string): IdeaEntry | undefined {
    return this.ideas.get(id);
  }

  get size(): number {
    return this.ideas.size;
  }

  /** Adds or replaces an idea's text; its count is kept. Returns true when the idea is new here. */
  upsertIdea(idea: SyncedIdea): boolean {
    const existing = this.ideas.get(idea.id);
    this.ideas.set(idea.id, { ...idea, status: idea.status ?? existing?.status ?? 'new', votes: existing?.votes ?? 0 });
    this.search.upsert(idea);
    this.rankCache.clear();
    if (!existing) {
      this.areaCountsChanged = true;
      this.noteActivity(idea.id, idea.createdAt);
    }
    return !existing;
  }

  /** Takes an idea off the board (it was hidden); its votes stay in the ledger's ballots for a restore. */
  removeIdea(ideaId: string): IdeaEntry | undefined {
    const entry = this.ideas.get(ideaId);
    if (!entry) return undefined;
    this.ideas.delete(ideaId);
    this.search.remove(ideaId);
    this.rankCache.clear();
    this.areaCountsChanged = true;
    return entry;
  }

  /** Puts a hidden idea back with `votes`: the ledger's count of its ballots (see VoteLedger.restoreIdea). */
  restoreIdea(idea: SyncedIdea, votes: number): IdeaEntry {
    const entry: IdeaEntry = { ...idea, status: idea.status ?? 'new', votes };
    this.ideas.set(idea.id, entry);
    this.search.upsert(idea);
    this.noteActivity(idea.id, idea.createdAt);
    this.rankCache.clear();
    this.areaCountsChanged = true;
    return entry;
  }

  /** Moves an idea's count (the vote ledger's job); false when the idea is not on this board or nothing moved. */
  moveCount(ideaId: string, delta: number): boolean {
    const entry = this.ideas.get(ideaId);
    if (!entry || delta === 0) return false;
    entry.votes = Math.max(0, entry.votes + delta);
    this.changedCounts.add(ideaId);
    this.rankCache.clear();
    return true;
  }

  /** Staff moved an idea along; false when it is not on this board. */
  setStatus(ideaId: string, status: IdeaProgress): boolean {
    const entry = this.ideas.get(ideaId);
    if (!entry) return false;
    entry.status = status;
    return true;
  }

  /** A comment went up (+1) or came down (−1) on an idea; one going up counts as activity at `at`. */
  moveComments(ideaId: string, delta: 1 | -1, at: number): void {
    this.comments.set(ideaId, Math.max(0, (this.comments.get(ideaId) ?? 0) + delta));
    this.commentsChanged.add(ideaId);
    if (delta > 0) this.noteActivity(ideaId, at);
  }

  /** The ideas on the board whose comment counts moved since the last call, with the counts as they are now. */
  takeCommentChanges(): IdeaEntry[] {
    const changed: IdeaEntry[] = [];
    for (const id of this.commentsChanged) {
      const entry = this.ideas.get(this.mergedInto.get(id) ?? id);
      if (entry && !changed.includes(entry)) changed.push(entry);
    }
    this.commentsChanged.clear();
    return changed;
  }

  /** Comments up on an idea, its merged duplicates' included: they show on its page. */
  commentCount(ideaId: string): number {
    let count = this.comments.get(ideaId) ?? 0;
    for (const duplicate of this.duplicates.get(ideaId) ?? []) count += this.comments.get(duplicate) ?? 0;
    return count;
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

  /** The idea a merged duplicate counts towards, or the idea itself. */
  holderOf(ideaId: string): string {
    return this.mergedInto.get(ideaId) ?? ideaId;
  }

  isMerged(ideaId: string): boolean {
    return this.mergedInto.has(ideaId);
  }

  duplicatesOf(ideaId: string): ReadonlySet<string> {
    return this.duplicates.get(ideaId) ?? NONE;
  }

  /** The ideas whose voters and comments count together: an idea with its merged duplicates. */
  groupOf(ideaId: string): string[] {
    const holder = this.holderOf(ideaId);
    return [holder, ...this.duplicatesOf(holder)];
  }

  /** Records a merge (the ledger takes the duplicate off the board and moves the counts). */
  setMerged(duplicate: string, into: string): void {
    this.mergedInto.set(duplicate, into);
    let set = this.duplicates.get(into);
    if (!set) this.duplicates.set(into, (set = new Set()));
    set.add(duplicate);
    this.rankCache.clear();
  }

  clearMerged(duplicate: string): string | undefined {
    const into = this.mergedInto.get(duplicate);
    if (into === undefined) return undefined;
    this.mergedInto.delete(duplicate);
    const set = this.duplicates.get(into);
    set?.delete(duplicate);
    if (set?.size === 0) this.duplicates.delete(into);
    this.rankCache.clear();
    return into;
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

  /** Every idea on the board, in no order. */
  entries(): IterableIterator<IdeaEntry> {
    return this.ideas.values();
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

  ideaCounts(): AreaCount[] {
    const counts = new Map<AreaSlug, number>(AREA_SLUGS.map((slug) => [slug, 0]));
    for (const idea of this.ideas.values()) counts.set(idea.area, (counts.get(idea.area) ?? 0) + 1);
    return AREA_SLUGS.map((slug) => ({ slug, ideaCount: counts.get(slug) ?? 0 }));
  }

  /** What changed since the last call: the ideas whose counts moved, and whether any area gained an idea. */
  takeChanges(): { ideas: IdeaEntry[]; areaCounts: boolean } {
    const ideas: IdeaEntry[] = [];
    for (const id of this.changedCounts) {
      const entry = this.ideas.get(id);
      if (entry) ideas.push(entry);
    }
    this.changedCounts.clear();
    const areaCounts = this.areaCountsChanged;
    this.areaCountsChanged = false;
    return { ideas, areaCounts };
  }

  view(entry: IdeaEntry, votedByMe: boolean): IdeaView {
    return {
      id: entry.id,
      area: entry.area,
      title: entry.title,
      body: entry.body,
      author: entry.author,
      votes: entry.votes,
      votedByMe,
      status: entry.status,
      comments: this.commentCount(entry.id),
      createdAt: new Date(entry.createdAt).toISOString(),
    };
  }
}

const NONE: ReadonlySet<string> = new Set();

/** A 32-bit FNV-1a hash: a cheap, stable shuffle key. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
