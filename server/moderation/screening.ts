import {
  DataSet,
  englishDataset,
  englishRecommendedBlacklistMatcherTransformers,
  englishRecommendedTransformers,
  parseRawPattern,
  RegExpMatcher,
  type PhraseContainer,
} from 'obscenity';
import { ScreeningTerm } from '../../models/index.js';
import { SCREEN_ACTIONS, SCREEN_TERM_MAX, type ScreenAction } from '../../realtime/vocabulary.js';
import { normaliseTerm, TERM_PATTERN, type TermsImportResult, type TermsTestResult, type TermView } from '../../realtime/schemas/moderation.js';
import type { Publisher } from '../platform/bus.js';
import { toCsv } from '../platform/csv.js';
import { HttpError } from '../platform/errors.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import type { HeldKind, Screened, TextScreen } from '../platform/text-screen.js';
import type { ModerationEvents } from './events.js';
import { BASELINE_ACTIONS, BASELINE_DEFAULT } from './screening-baseline.js';
import { parseCsv } from './csv-rows.js';

type Phrase = { term: string; action: Exclude<ScreenAction, 'allow'> };
type StaffTerm = { action: ScreenAction; addedBy: string; at: Date };

const IMPORT_ROWS_MAX = 2000;
const ORDER: Record<ScreenAction, number> = { rephrase: 0, hold: 1, allow: 2 };

/** A number as written (figures, with their separators): never a word, whatever leet-speak reads in it. */
const FIGURE = /^[\d.,:;/%+-]+$/;

/** The built-in words (obscenity's English list), each with its patterns and the words it must not match inside. */
const BASELINE: PhraseContainer<{ originalWord: string }>[] = [];
new DataSet<{ originalWord: string }>().addAll(englishDataset).removePhrasesIf((phrase) => {
  BASELINE.push(phrase);
  return false;
});
const BUILT_IN = new Map(BASELINE.map((phrase) => [phrase.metadata!.originalWord, BASELINE_ACTIONS[phrase.metadata!.originalWord] ?? BASELINE_DEFAULT]));

/**
 * Word screening: obscenity's matcher, with its transformers for leet-speak and look-alike letters,
 * over the built-in words and the terms staff keep, each with what it does (rephrase, hold, allow;
 * allow-listed terms are never matched inside, so "Penistone" can pass). The list lives in memory,
 * built once per change; staff terms are ScreeningTerm documents, one writer per term
 * (`term:<t>`), and every server reads them again when one changes (`screening:changed`).
 */
export class Screening implements TextScreen {
  private staff = new Map<string, StaffTerm>();
  private dataset = new DataSet<Phrase>();
  private matcher = new RegExpMatcher({ blacklistedTerms: [], ...englishRecommendedTransformers });

  constructor(
    private readonly events: Publisher<ModerationEvents>,
    private readonly writes: KeyedQueue,
  ) {
    this.build();
  }

  async load(): Promise<void> {
    const docs = await ScreeningTerm.find({}).lean();
    this.staff = new Map(docs.map((doc) => [doc._id, { action: doc.action as ScreenAction, addedBy: doc.addedBy, at: doc.at }]));
    this.build();
  }

  /** Another server changed the list. */
  reload(): Promise<void> {
    return this.load();
  }

  screen(text: string): Screened {
    const { action, terms } = this.test(text);
    return { action, terms };
  }

  test(text: string): TermsTestResult {
    const hits = this.matcher.getAllMatches(text, true).flatMap((match) => {
      const { phraseMetadata } = this.dataset.getPayloadWithPhraseMetadata(match);
      const word = wordAround(text, match.startIndex, match.endIndex);
      // Leet-speak reads digits as letters, so a figure alone ("455 reports") would read as a word.
      return phraseMetadata && !FIGURE.test(word) ? [{ word, ...phraseMetadata }] : [];
    });
    const unique = hits.filter((hit, i) => hits.findIndex((h) => h.word === hit.word && h.term === hit.term) === i);
    const action = unique.some((h) => h.action === 'rephrase') ? 'rephrase' : unique.length ? 'hold' : 'pass';
    const terms = [...new Set(unique.filter((h) => h.action === action).map((h) => h.word))];
    return { action, terms, hits: unique };
  }

  held(item: { kind: HeldKind; id: string; title: string }, terms: string[]): void {
    this.events.publish('screening:held', { item, terms });
  }

  /** Staff's own terms and changes first, then the built-in words; within each, those that refuse, then held, then allowed. */
  list(): TermView[] {
    const terms = new Set([...BUILT_IN.keys(), ...this.staff.keys()]);
    const mine = (t: TermView) => (this.staff.has(t.term) ? 0 : 1);
    return [...terms].map((term) => this.view(term)!).sort((a, b) => mine(a) - mine(b) || ORDER[a.action] - ORDER[b.action] || a.term.localeCompare(b.term));
  }

  put(term: string, action: ScreenAction, by: string): Promise<{ term: TermView }> {
    return this.writes.run(`term:${term}`, 'put', async () => {
      await this.store(term, action, by);
      this.changed();
      return { term: this.view(term)! };
    });
  }

  /** A staff term goes; a built-in word goes back to what it does by default. */
  remove(term: string): Promise<{ term: string; now: TermView | null }> {
    return this.writes.run(`term:${term}`, 'delete', async () => {
      const { deletedCount } = await ScreeningTerm.deleteOne({ _id: term });
      if (deletedCount === 0 && !this.staff.has(term)) {
        throw new HttpError('NOT_FOUND', BUILT_IN.has(term) ? `“${term}” is a built-in word: set it to allow instead.` : `“${term}” is not on the list.`);
      }
      this.staff.delete(term);
      this.changed();
      return { term, now: this.view(term) };
    });
  }

  /** Rows `term,action` (a header row and further columns are ignored); each row is checked on its own. */
  async import(csv: string, by: string): Promise<TermsImportResult> {
    const result: TermsImportResult = { added: 0, updated: 0, unchanged: 0, rejected: [] };
    const rows = parseCsv(csv).filter(({ cells }) => cells.some((cell) => cell.trim() !== ''));
    if (rows[0] && normaliseTerm(rows[0].cells[0] ?? '') === 'term') rows.shift();
    if (rows.length > IMPORT_ROWS_MAX) throw new HttpError('BAD_REQUEST', `csv: at most ${IMPORT_ROWS_MAX} rows at a time`, { csv: `at most ${IMPORT_ROWS_MAX} rows at a time` });
    const seen = new Map<string, number>();
    for (const { line, cells } of rows) {
      const term = normaliseTerm((cells[0] ?? '').replace(/^'(?=[=+\-@])/, ''));
      const action = normaliseTerm(cells[1] ?? '') as ScreenAction;
      const reason = !TERM_PATTERN.test(term) || term.length > SCREEN_TERM_MAX ? 'not a term: letters, digits, spaces, apostrophes and hyphens' : !SCREEN_ACTIONS.includes(action) ? `the action must be one of: ${SCREEN_ACTIONS.join(', ')}` : seen.has(term) ? `the term is on line ${seen.get(term)} already` : null;
      if (reason) {
        result.rejected.push({ line, reason });
        continue;
      }
      seen.set(term, line);
      const before = this.view(term);
      if (before?.action === action) {
        result.unchanged++;
        continue;
      }
      await this.writes.run(`term:${term}`, 'put', () => this.store(term, action, by));
      if (before) result.updated++;
      else result.added++;
    }
    if (result.added + result.updated > 0) this.changed();
    return result;
  }

  /** The list as a spreadsheet: `term,action,list` (built-in or staff). */
  csv(): string {
    return toCsv(['term', 'action', 'list'], this.list().map((t) => [t.term, t.action, t.builtIn ? 'built-in' : 'staff']));
  }

  private async store(term: string, action: ScreenAction, by: string): Promise<void> {
    const doc = { action, addedBy: by, at: new Date() };
    await ScreeningTerm.replaceOne({ _id: term }, doc, { upsert: true });
    this.staff.set(term, doc);
  }

  private changed(): void {
    this.build();
    this.events.publish('screening:changed');
  }

  private view(term: string): TermView | null {
    const standard = BUILT_IN.get(term) ?? null;
    const action = this.staff.get(term)?.action ?? standard;
    return action ? { term, action, builtIn: standard !== null, standard } : null;
  }

  private build(): void {
    const dataset = new DataSet<Phrase>();
    const allowed: string[] = [];
    for (const phrase of BASELINE) {
      const term = phrase.metadata!.originalWord;
      const action = this.staff.get(term)?.action ?? BUILT_IN.get(term)!;
      if (action === 'allow') continue;
      dataset.addPhrase((p) => {
        for (const pattern of phrase.patterns) p.addPattern(pattern);
        for (const word of phrase.whitelistedTerms) p.addWhitelistedTerm(word);
        return p.setMetadata({ term, action });
      });
    }
    for (const [term, { action }] of this.staff) {
      if (action === 'allow') allowed.push(term.replace(/\|/g, ''));
      else if (!BUILT_IN.has(term)) dataset.addPhrase((p) => p.addPattern(patternOf(term)).setMetadata({ term, action }));
    }
    const built = dataset.build();
    this.dataset = dataset;
    this.matcher = new RegExpMatcher({ ...built, whitelistedTerms: [...(built.whitelistedTerms ?? []), ...allowed], ...englishRecommendedTransformers });
  }
}

/**
 * A staff term as a pattern: its letters as the matcher sees the text after its transformers (so
 * "hammer" matches once double letters are folded, and "b1tch" is "bitch"); `|` keeps a word's edge.
 */
function patternOf(term: string) {
  const start = term.startsWith('|') ? '|' : '';
  const end = term.endsWith('|') && term.length > 1 ? '|' : '';
  const core = term.slice(start.length, term.length - end.length);
  const transformers = englishRecommendedBlacklistMatcherTransformers.map((t) => (t.type === 1 ? { type: 1 as const, s: t.factory() } : { type: 0 as const, f: t.transform }));
  let folded = '';
  for (const ch of core) {
    let code: number | undefined = ch.codePointAt(0)!;
    for (const t of transformers) {
      if (code === undefined) break;
      code = t.type === 0 ? t.f(code) : t.s.transform(code);
    }
    if (code !== undefined) folded += String.fromCodePoint(code);
  }
  return parseRawPattern(`${start}${folded.replace(/[[\]?\\|]/g, '')}${end}`);
}

/** The word (or words) the match lies in, as the author wrote them, without the punctuation around it. */
function wordAround(text: string, start: number, end: number): string {
  let from = start;
  let to = end + 1;
  while (from > 0 && !/\s/u.test(text[from - 1]!)) from--;
  while (to < text.length && !/\s/u.test(text[to]!)) to++;
  return text.slice(from, to).replace(/^["“‘'([{]+|[.,;:!?"”’')\]}]+$/gu, '') || text.slice(start, end + 1);
}
