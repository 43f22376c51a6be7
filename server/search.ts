import type { AreaSlug } from '../realtime/schemas.js';

/** What the board indexes of an idea. */
export interface SearchableIdea {
  id: string;
  area: AreaSlug;
  title: string;
  body: string;
}

/**
 * Full-text search over the ideas on the board, in memory: FerretDB has no $text. The board keeps it
 * current (BoardState adds, replaces and removes entries); everything else only asks. `minisearch` is
 * the library meant for this (fields title and body, title boosted, prefix and fuzzy search); until it
 * is installed, `TermIndex` below does the same small job, and swapping it is this file alone.
 */
export interface IdeaSearch {
  upsert(idea: SearchableIdea): void;
  remove(id: string): void;
  /** Ideas holding every word of `q` (a word matches its prefixes and near misses), best first. */
  find(q: string, area: AreaSlug | null): string[];
  /** Ideas sharing words with `text`, best first, at most `limit`: "vote for one of these instead?". */
  similar(text: string, area: AreaSlug | null, limit: number): string[];
}

const TITLE_BOOST = 2;
const PREFIX_WEIGHT = 0.6;
const FUZZY_WEIGHT = 0.4;
/** Words so common in ideas that sharing them says nothing about being a duplicate. */
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in into is it its of on or that the their them this to was we were will with should would could all more not no online'.split(' '),
);

interface Doc {
  area: AreaSlug;
  terms: Map<string, number>;
}

interface Hit {
  score: number;
  /** Which query words matched this idea. */
  matched: Set<number>;
}

export class TermIndex implements IdeaSearch {
  private readonly docs = new Map<string, Doc>();
  /** term → idea id → weight (title words count double). */
  private readonly postings = new Map<string, Map<string, number>>();

  upsert(idea: SearchableIdea): void {
    this.remove(idea.id);
    const terms = new Map<string, number>();
    for (const term of tokenize(idea.title)) terms.set(term, (terms.get(term) ?? 0) + TITLE_BOOST);
    for (const term of tokenize(idea.body)) terms.set(term, (terms.get(term) ?? 0) + 1);
    this.docs.set(idea.id, { area: idea.area, terms });
    for (const [term, weight] of terms) {
      let posting = this.postings.get(term);
      if (!posting) this.postings.set(term, (posting = new Map()));
      posting.set(idea.id, weight);
    }
  }

  remove(id: string): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    this.docs.delete(id);
    for (const term of doc.terms.keys()) {
      const posting = this.postings.get(term);
      posting?.delete(id);
      if (posting?.size === 0) this.postings.delete(term);
    }
  }

  find(q: string, area: AreaSlug | null): string[] {
    const words = tokenize(q);
    if (words.length === 0) return [];
    const hits = this.score(words, area);
    return rank([...hits].filter(([, hit]) => hit.matched.size === words.length));
  }

  similar(text: string, area: AreaSlug | null, limit: number): string[] {
    const words = tokenize(text).filter((word) => !STOP_WORDS.has(word));
    if (words.length === 0) return [];
    // A near-duplicate shares a good share of the words typed, not one common word.
    const needed = Math.min(2, words.length);
    return rank([...this.score(words, area)].filter(([, hit]) => hit.matched.size >= needed)).slice(0, limit);
  }

  private score(words: string[], area: AreaSlug | null): Map<string, Hit> {
    const hits = new Map<string, Hit>();
    words.forEach((word, index) => {
      for (const [term, weight] of this.variants(word)) {
        const posting = this.postings.get(term)!;
        // Rarer words say more (inverse document frequency).
        const idf = Math.log(1 + this.docs.size / posting.size);
        for (const [id, tf] of posting) {
          if (area !== null && this.docs.get(id)!.area !== area) continue;
          let hit = hits.get(id);
          if (!hit) hits.set(id, (hit = { score: 0, matched: new Set() }));
          hit.score += weight * tf * idf;
          hit.matched.add(index);
        }
      }
    });
    return hits;
  }

  /** Indexed terms a query word stands for: itself, terms it begins, and terms one typo away. */
  private variants(word: string): Map<string, number> {
    const found = new Map<string, number>();
    if (this.postings.has(word)) found.set(word, 1);
    for (const term of this.postings.keys()) {
      if (term === word) continue;
      if (word.length >= 2 && term.startsWith(word)) found.set(term, PREFIX_WEIGHT);
      else if (word.length >= 4 && Math.abs(term.length - word.length) <= 1 && withinOneEdit(word, term)) found.set(term, FUZZY_WEIGHT);
    }
    return found;
  }
}

function rank(hits: [string, Hit][]): string[] {
  return hits.sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
}

/** Lower case, accents dropped, split on anything that is not a letter or digit. */
function tokenize(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 2);
}

function withinOneEdit(a: string, b: string): boolean {
  if (a.length > b.length) [a, b] = [b, a];
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
  return a.slice(i) === b.slice(i + 1);
}
