import MiniSearch, { type SearchResult } from 'minisearch';
import type { AreaSlug } from '../../realtime/vocabulary.js';

/** What the board indexes of an idea. */
export interface SearchableIdea {
  id: string;
  area: AreaSlug;
  title: string;
  body: string;
}

/**
 * Full-text search over the ideas on the board, in memory with minisearch: FerretDB has no $text. The
 * board keeps it current (BoardState adds, replaces and removes entries); everything else only asks.
 */
export interface IdeaSearch {
  upsert(idea: SearchableIdea): void;
  remove(id: string): void;
  /** Ideas holding every word of `q` (a word matches its prefixes and near misses), best first. */
  find(q: string, area: AreaSlug | null): string[];
  /** Ideas sharing words with `text`, best first, at most `limit`: "vote for one of these instead?". */
  similar(text: string, area: AreaSlug | null, limit: number): string[];
}

/** Words so common in ideas that sharing them says nothing about being a duplicate. */
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in into is it its of on or that the their them this to was we were will with should would could all more not no online'.split(' '),
);

/** Titles say what an idea is: a word shared there counts twice one shared in the details. */
const SEARCH_OPTIONS = { boost: { title: 2 }, prefix: true, fuzzy: 0.2 } as const;

export class MiniSearchIndex implements IdeaSearch {
  private readonly index = new MiniSearch<SearchableIdea>({
    fields: ['title', 'body'],
    storeFields: ['area'],
    processTerm: (term) => {
      const word = term.toLowerCase();
      return STOP_WORDS.has(word) ? null : word;
    },
    searchOptions: SEARCH_OPTIONS,
  });

  upsert(idea: SearchableIdea): void {
    if (this.index.has(idea.id)) this.index.replace(idea);
    else this.index.add(idea);
  }

  remove(id: string): void {
    if (this.index.has(id)) this.index.discard(id);
  }

  find(q: string, area: AreaSlug | null): string[] {
    return this.index.search(q, { ...SEARCH_OPTIONS, combineWith: 'AND', filter: inArea(area) }).map((hit) => hit.id as string);
  }

  /** Any shared word counts, the rarer and the more of them the better: a duplicate rarely repeats every word. */
  similar(text: string, area: AreaSlug | null, limit: number): string[] {
    return this.index
      .search(text, { ...SEARCH_OPTIONS, combineWith: 'OR', filter: inArea(area) })
      .slice(0, limit)
      .map((hit) => hit.id as string);
  }
}

const inArea = (area: AreaSlug | null) => (hit: SearchResult) => area === null || hit.area === area;
