/** Pieces every domain builds on: ids, areas, clean text, join codes, who is signed in. */

import { z } from 'zod';
import { AREA_SLUGS, IDEA_BODY_MAX, IDEA_TITLE_MAX, IDEA_TITLE_MIN, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, ROLES, USER_KINDS, VOTERS } from '../vocabulary.js';

export const areaSlug = z.enum(AREA_SLUGS, { message: 'area must be one of: ' + AREA_SLUGS.join(', ') });

export const objectId = z
  .string({ message: 'an id is required' })
  .regex(/^[0-9a-f]{24}$/i, 'not a valid id')
  .transform((id) => id.toLowerCase());

/** Half of a surrogate pair without the other half: not text, and stored it would read back as U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * Text that shows nothing: white space, format characters (zero-width spaces and joiners, the BOM),
 * marks with nothing to sit on, and the letters that draw as blanks (Hangul fillers, the braille blank).
 */
const NOTHING_VISIBLE = /^[\s\p{Cc}\p{Cf}\p{Z}\p{M}\u115F\u1160\u3164\uFFA0\u2800\u180E\u17B4\u17B5\u{1D159}\u{1D173}-\u{1D17A}]*$/u;

/**
 * NFC-normalises, trims, drops control characters and bidirectional overrides (which can disguise
 * text), and for single-line fields folds every run of white space, so "   " cannot pass as a title.
 * Refuses a lone surrogate (what is acknowledged must be what is stored) and text with characters but
 * none visible (`\u200B`, `\u3164`, `\u2800`…).
 */
export const cleanText = (field: string, max: number, min: number, singleLine: boolean) =>
  z
    .string({ message: `${field} must be text` })
    .refine((s) => !LONE_SURROGATE.test(s), `${field} has a broken character (a lone surrogate)`)
    .transform((s) => {
      const cleaned = s.normalize('NFC').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, '');
      return (singleLine ? cleaned.replace(/\s+/g, ' ') : cleaned).trim();
    })
    .refine((s) => s === '' || !NOTHING_VISIBLE.test(s), `${field} has no visible character`)
    .pipe(
      z
        .string()
        .min(min, min === 1 ? `${field} is required` : `${field} needs at least ${min} characters`)
        .max(max, `${field} must be at most ${max} characters`),
    );

export const ideaTitle = cleanText('title', IDEA_TITLE_MAX, IDEA_TITLE_MIN, true);
export const ideaBody = cleanText('body', IDEA_BODY_MAX, 0, false);

/**
 * A whole number, strictly: a JSON number, or (from a query string) decimal digits. No booleans, no
 * arrays, no hex or exponents, no empty string: `true`, `[30]` and `"0x10"` are refused, not coerced.
 */
export const wholeNumber = (field: string) =>
  z.preprocess((v) => (typeof v === 'string' && /^-?\d{1,15}$/.test(v) ? Number(v) : v), z.number({ message: `${field} must be a whole number` }).int(`${field} must be a whole number`));

/** Commands that carry nothing: anything but an empty object is refused. */
export const noArguments = z.object({}).default({});

/** A join code as people type it: any case, spaces and dashes ignored. */
export const liveCode = z
  .string({ message: 'a join code is required' })
  .transform((code) => code.replace(/[\s-]/g, '').toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`), `a join code is ${JOIN_CODE_LENGTH} letters and digits, as shown on the screen`));

export const voters = z.enum(VOTERS, { message: 'voting must be everyone or members' });

export const sessionUser = z.object({
  id: z.string(),
  kind: z.enum(USER_KINDS),
  role: z.enum(ROLES),
  /** A member's display name; null for guests. */
  name: z.string().nullable(),
  /** The organisation an admin confirmed they belong to. */
  organisation: z.string().nullable(),
});
export type SessionUser = z.infer<typeof sessionUser>;

/** Who put an idea forward, as everyone sees it: no name for guests and people posting anonymously. */
export const byline = z.object({ name: z.string().nullable(), organisation: z.string().nullable() });
export type Byline = z.infer<typeof byline>;
