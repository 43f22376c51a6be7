import type { ScreenVerdict } from '../../realtime/vocabulary.js';
import { HttpError } from './errors.js';

/** What screening made of one text: its verdict and the words (as written) that decided it. */
export interface Screened {
  action: ScreenVerdict;
  terms: string[];
}

/** What kind of item screening held, for staff and the public moderation log (requests and analysis sent in wait for staff anyway: they are only marked). */
export type HeldKind = 'idea' | 'comment';

/**
 * Word screening as the content services see it (moderation/screening.ts implements it): they pass
 * the texts people send, and learn whether to refuse them or hold them for staff. Declared here, below
 * every domain, so the board, the discussion, accounts and the campaign need not import moderation.
 */
export interface TextScreen {
  screen(text: string): Screened;
  /** Staff and the public moderation log hear that an item waits for a moderator because of these words. */
  held(item: { kind: HeldKind; id: string; title: string }, terms: string[]): void;
}

/**
 * Screens each named input: any term to rephrase refuses the lot with REPHRASE, naming each input's
 * words (beside the field in a form, and as `terms`); otherwise answers the words to hold for (none: pass).
 */
export function vet(screen: TextScreen, inputs: Record<string, string | null | undefined>): string[] {
  const refused: Record<string, string[]> = {};
  const held = new Set<string>();
  for (const [field, text] of Object.entries(inputs)) {
    if (!text) continue;
    const { action, terms } = screen.screen(text);
    if (action === 'rephrase') refused[field] = terms;
    else if (action === 'hold') for (const term of terms) held.add(term);
  }
  const fields = Object.keys(refused);
  if (fields.length === 0) return [...held];
  const terms = [...new Set(fields.flatMap((field) => refused[field]!))];
  const says = (words: string[]) => `please reword ${quoted(words)}: the board does not publish ${words.length === 1 ? 'this word' : 'these words'}, so edit and send it again`;
  throw new HttpError('REPHRASE', `${fields[0]}: ${says(refused[fields[0]!]!)}`, Object.fromEntries(fields.map((f) => [f, says(refused[f]!)])), terms);
}

/**
 * A name is shown at once, with no moderator to read it first: a term to rephrase or to hold refuses
 * it alike, asking for another name.
 */
export function vetName(screen: TextScreen, name: string | undefined, field = 'name'): void {
  if (!name) return;
  const { action, terms } = screen.screen(name);
  if (action === 'pass') return;
  const says = `please choose another name: names are shown at once, without a moderator reading them, so a name cannot hold ${quoted(terms)}`;
  throw new HttpError('REPHRASE', `${field}: ${says}`, { [field]: says }, terms);
}

const quoted = (words: string[]) => words.map((w) => `“${w}”`).join(', ');

/** Screens nothing: for services built without screening (a test's, a script's). */
export const OPEN_SCREEN: TextScreen = { screen: () => ({ action: 'pass', terms: [] }), held: () => undefined };
