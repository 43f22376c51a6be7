import { Idea } from '../models/index.js';
import type { SyncedIdea } from '../realtime/events.js';
import { AREA_SLUGS, type AreaCount, type AreaSlug, type IdeaView } from '../realtime/schemas.js';

/** What of an idea document the board keeps. */
export const IDEA_FIELDS = { area: 1, title: 1, body: 1, authorName: 1, authorOrganisation: 1, createdAt: 1 } as const;

interface IdeaFields {
  _id: { toString(): string };
  area: string;
  title: string;
  body?: string | null;
  authorName?: string | null;
  authorOrganisation?: string | null;
  createdAt: Date;
}

/** An idea document as the board and the other servers hold it. */
export function syncedIdea(doc: IdeaFields): SyncedIdea {
  return {
    id: doc._id.toString(),
    area: doc.area as AreaSlug,
    title: doc.title,
    body: doc.body ?? '',
    author: { name: doc.authorName ?? null, organisation: doc.authorOrganisation ?? null },
    createdAt: doc.createdAt.getTime(),
  };
}

/** An idea on the board: its words, as servers share them, and its live count. */
export interface IdeaEntry extends SyncedIdea {
  votes: number;
}

/**
 * The live board in memory: every published idea with its vote count, the rankings, and what changed
 * since the last tally step. Counts belong to the vote ledger (`vote-ledger.ts`), which moves them here.
 */
export class BoardState {
  private readonly ideas = new Map<string, IdeaEntry>();
  private readonly changedCounts = new Set<string>();
  private areaCountsChanged = false;
  private rankCache = new Map<AreaSlug | null, IdeaEntry[]>();

  /** Reads every published idea; `counts`, read alongside, gives each its votes. */
  async load(counts: Promise<ReadonlyMap<string, number>>): Promise<void> {
    const [docs, votes] = await Promise.all([Idea.find({ status: 'published' }, IDEA_FIELDS).lean(), counts]);
    this.ideas.clear();
    for (const doc of docs) {
      const idea = syncedIdea(doc);
      this.ideas.set(idea.id, { ...idea, votes: votes.get(idea.id) ?? 0 });
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
    this.ideas.set(idea.id, { ...idea, votes: existing?.votes ?? 0 });
    this.rankCache.clear();
    if (!existing) this.areaCountsChanged = true;
    return !existing;
  }

  /** Takes an idea off the board (it was hidden); its votes stay in the ledger's ballots for a restore. */
  removeIdea(ideaId: string): IdeaEntry | undefined {
    const entry = this.ideas.get(ideaId);
    if (!entry) return undefined;
    this.ideas.delete(ideaId);
    this.rankCache.clear();
    this.areaCountsChanged = true;
    return entry;
  }

  /** Puts a hidden idea back with `votes`: the ledger's count of its ballots (see VoteLedger.restoreIdea). */
  restoreIdea(idea: SyncedIdea, votes: number): IdeaEntry {
    const entry: IdeaEntry = { ...idea, votes };
    this.ideas.set(idea.id, entry);
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
      createdAt: new Date(entry.createdAt).toISOString(),
    };
  }
}
