/** Pieces every domain builds on: ids, areas, clean text, join codes, who is signed in. */

import { z } from 'zod';
import { AREA_SLUGS, IDEA_BODY_MAX, IDEA_TITLE_MAX, IDEA_TITLE_MIN, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, ROLES, USER_KINDS, VOTERS } from '../vocabulary.js';

export const areaSlug = z.enum(AREA_SLUGS, { message: 'area must be one of: ' + AREA_SLUGS.join(', ') });

export const objectId = z
  .string({ message: 'an id is required' })
  .regex(/^[0-9a-f]{24}$/i, 'not a valid id')
  .transform((id) => id.toLowerCase());

/**
 * Trims, drops control characters and bidirectional overrides (which can disguise text), and for
 * single-line fields folds every run of white space, so "   " cannot pass as a title.
 */
export const cleanText = (field: string, max: number, min: number, singleLine: boolean) =>
  z
    .string({ message: `${field} must be text` })
    .transform((s) => {
      const cleaned = s.normalize('NFC').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/g, '');
      return (singleLine ? cleaned.replace(/\s+/g, ' ') : cleaned).trim();
    })
    .pipe(
      z
        .string()
        .min(min, min === 1 ? `${field} is required` : `${field} needs at least ${min} characters`)
        .max(max, `${field} must be at most ${max} characters`),
    );

export const ideaTitle = cleanText('title', IDEA_TITLE_MAX, IDEA_TITLE_MIN, true);
export const ideaBody = cleanText('body', IDEA_BODY_MAX, 0, false);

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
