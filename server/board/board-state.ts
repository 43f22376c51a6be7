import type { PersonHints } from '../platform/person-hints.js';
import { Idea } from '../../models/index.js';
import type { SyncedIdea } from '../../realtime/events.js';
import { AREA_SLUGS, type AreaSlug, type IdeaProgress } from '../../realtime/vocabulary.js';
import type { AreaCount, IdeaView } from '../../realtime/schemas/board.js';
import { followIdeaHints, IDEA_FIELDS, syncedIdea } from './idea-document.js';
import { Rankings } from './rankings.js';
import { MiniSearchIndex, type IdeaSearch } from './search.js';

/** An idea on the board: its words, as servers share them, and its live count. */
export interface IdeaEntry extends SyncedIdea {
  votes: number;
  status: IdeaProgress;
}

/**
 * The live board in memory: every published idea with its vote count, the rankings (`rankings.ts`),
 * and what changed since the last tally step. Counts belong to the vote ledger (`vote-ledger.ts`),
 * which moves them here; comment counts and merges are kept by idea id beside the entries, as trend
 * scores are in the rankings, so an idea taken down and put back keeps them. The search index
 * follows every idea on and off the board.
 */
export class BoardState {
  private readonly ideas = new Map<string, IdeaEntry>();
  private readonly changedCounts = new Set<string>();
  private areaCountsChanged = false;
  /** Comments up on each idea (the discussion service moves them). */
  private readonly comments = new Map<string, number>();
  /** Ideas whose comment counts moved since the board last told its watchers. */
  private readonly commentsChanged = new Set<string>();
  /** A merged duplicate → the idea it counts towards; and each such idea → its duplicates. */
  private readonly mergedInto = new Map<string, string>();
  private readonly duplicates = new Map<string, Set<string>>();
  /** The board's orders: most votes, trending and the rest. */
  readonly rankings = new Rankings(this.ideas, (ideaId) => this.commentCount(ideaId));

  constructor(readonly search: IdeaSearch = new MiniSearchIndex()) {}

  /**
   * Reads every idea on the board (published, not merged into another) and the merges; `counts` gives
   * each its votes once the merges are known. Who posted ideas, and who has one off the board, go to `hints`.
   */
  async load(counts: (merges: ReadonlyMap<string, string>) => Promise<ReadonlyMap<string, number>>, hints: Pick<PersonHints, 'follow'>): Promise<void> {
    this.rankings.clearTrends();
    this.mergedInto.clear();
    this.duplicates.clear();
    // One read of the ideas: any filter but `_id` reads all of them on FerretDB anyway.
    const all = await Idea.find({}, { ...IDEA_FIELDS, status: 1, author: 1 }).lean();
    for (const doc of all) {
      if (doc.mergedInto) this.setMerged(doc._id.toString(), doc.mergedInto.toString());
      followIdeaHints(hints, doc);
    }
    const votes = await counts(this.mergedInto);
    for (const id of this.ideas.keys()) this.search.remove(id);
    this.ideas.clear();
    for (const doc of all) {
      if (doc.status !== 'published' || doc.mergedInto) continue;
      const idea = syncedIdea(doc);
      this.ideas.set(idea.id, { ...idea, votes: votes.get(idea.id) ?? 0 });
      this.search.upsert(idea);
      this.rankings.noteActivity(idea.id, idea.createdAt);
    }
    this.rankings.invalidate();
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
    this.rankings.invalidate();
    if (!existing) {
      this.areaCountsChanged = true;
      this.rankings.noteActivity(idea.id, idea.createdAt);
    }
    return !existing;
  }

  /** Takes an idea off the board (it was hidden); its votes stay in the ledger's ballots for a restore. */
  removeIdea(ideaId: string): IdeaEntry | undefined {
    const entry = this.ideas.get(ideaId);
    if (!entry) return undefined;
    this.ideas.delete(ideaId);
    this.search.remove(ideaId);
    this.rankings.invalidate();
    this.areaCountsChanged = true;
    return entry;
  }

  /** Puts a hidden idea back with `votes`: the ledger's count of its ballots (see VoteLedger.restoreIdea). */
  restoreIdea(idea: SyncedIdea, votes: number): IdeaEntry {
    const entry: IdeaEntry = { ...idea, status: idea.status ?? 'new', votes };
    this.ideas.set(idea.id, entry);
    this.search.upsert(idea);
    this.rankings.noteActivity(idea.id, idea.createdAt);
    this.rankings.invalidate();
    this.areaCountsChanged = true;
    return entry;
  }

  /** Moves an idea's count (the vote ledger's job); false when the idea is not on this board or nothing moved. */
  moveCount(ideaId: string, delta: number): boolean {
    const entry = this.ideas.get(ideaId);
    if (!entry || delta === 0) return false;
    entry.votes = Math.max(0, entry.votes + delta);
    this.changedCounts.add(ideaId);
    this.rankings.invalidate();
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
    if (delta > 0) this.rankings.noteActivity(ideaId, at);
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
    this.rankings.invalidate();
  }

  clearMerged(duplicate: string): string | undefined {
    const into = this.mergedInto.get(duplicate);
    if (into === undefined) return undefined;
    this.mergedInto.delete(duplicate);
    const set = this.duplicates.get(into);
    set?.delete(duplicate);
    if (set?.size === 0) this.duplicates.delete(into);
    this.rankings.invalidate();
    return into;
  }

  /** Every idea on the board, in no order. */
  entries(): IterableIterator<IdeaEntry> {
    return this.ideas.values();
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
