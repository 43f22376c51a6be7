import { z } from 'zod';

/** The five challenge areas, in the campaign's order. */
export const AREA_SLUGS = ['police', 'platforms', 'employers', 'individuals', 'education'] as const;
export const areaSlug = z.enum(AREA_SLUGS, { message: 'area must be one of: ' + AREA_SLUGS.join(', ') });
export type AreaSlug = z.infer<typeof areaSlug>;

export const IDEA_TITLE_MAX = 120;
export const IDEA_BODY_MAX = 2000;

export const objectId = z
  .string({ message: 'an id is required' })
  .regex(/^[0-9a-f]{24}$/i, 'not a valid id');

/**
 * Trims, drops control characters and bidirectional overrides (which can disguise text), and for
 * single-line fields folds every run of white space, so "   " cannot pass as a title.
 */
const cleanText = (field: string, max: number, min: number, singleLine: boolean) =>
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

export const ideaInput = z.object({
  area: areaSlug,
  title: cleanText('title', IDEA_TITLE_MAX, 3, true),
  body: cleanText('body', IDEA_BODY_MAX, 0, false).default(''),
});
export type IdeaInput = z.infer<typeof ideaInput>;

export const ideaEdit = z
  .object({
    title: cleanText('title', IDEA_TITLE_MAX, 3, true).optional(),
    body: cleanText('body', IDEA_BODY_MAX, 0, false).optional(),
  })
  .refine((v) => v.title !== undefined || v.body !== undefined, { message: 'nothing to change: send title or body' });
export type IdeaEdit = z.infer<typeof ideaEdit>;

export const SORTS = ['top', 'new'] as const;
export const ideaListQuery = z.object({
  area: areaSlug.optional(),
  sort: z.enum(SORTS, { message: 'sort must be top or new' }).default('top'),
  limit: z.coerce
    .number({ message: 'limit must be a number' })
    .int('limit must be a whole number')
    .min(1, 'limit must be at least 1')
    .max(100, 'limit must be at most 100')
    .default(50),
  cursor: z.string().max(200, 'cursor is too long').optional(),
});
export type IdeaListQuery = z.infer<typeof ideaListQuery>;

export const voteTarget = z.object({ ideaId: objectId });
export type VoteTarget = z.infer<typeof voteTarget>;

/** Why someone reports an idea; facilitators see the count of each. */
export const REPORT_REASONS = ['abuse', 'hate', 'personal', 'spam', 'other'] as const;
export const reportInput = z.object({
  ideaId: objectId,
  reason: z.enum(REPORT_REASONS, { message: 'reason must be one of: ' + REPORT_REASONS.join(', ') }),
});
export type ReportInput = z.infer<typeof reportInput>;
export const reportBody = reportInput.omit({ ideaId: true });

export const facilitatorSignIn = z.object({
  code: z.string({ message: 'code is required' }).trim().min(1, 'code is required').max(200, 'code is too long'),
});
export type FacilitatorSignIn = z.infer<typeof facilitatorSignIn>;

export const reviewSetting = z.object({ reviewNewIdeas: z.boolean({ message: 'reviewNewIdeas must be true or false' }) });
export type ReviewSetting = z.infer<typeof reviewSetting>;

/** Commands that carry nothing (`moderation:watch`, `areas:watch`): anything but an empty object is refused. */
export const noArguments = z.object({}).default({});

export const boardWatch = z.object({ area: areaSlug.optional() }).default({});
export type BoardWatch = z.infer<typeof boardWatch>;

/** Every error a client can see comes from this list. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface IdeaView {
  id: string;
  area: AreaSlug;
  title: string;
  body: string;
  votes: number;
  votedByMe: boolean;
  createdAt: string;
}

/**
 * One of a person's own ideas that is not on the board, and why; only its author is told:
 * `waiting` for a facilitator's review, `declined` by a facilitator, or `reported`: taken down by
 * reports until a facilitator looks at it.
 */
export interface OwnIdeaOffBoard {
  id: string;
  area: AreaSlug;
  title: string;
  state: 'waiting' | 'declined' | 'reported';
}

/** What posting an idea gave: on the board at once, or `pending` until a facilitator publishes it. */
export interface CreatedIdea {
  idea: IdeaView;
  pending: boolean;
}

export interface AreaView {
  slug: AreaSlug;
  title: string;
  question: string;
  ideaCount: number;
}

export interface VoteResult {
  ideaId: string;
  votes: number;
  votedByMe: boolean;
}

export interface IdeaPage {
  ideas: IdeaView[];
  next: string | null;
}

export interface BoardSnapshot {
  area: AreaSlug | null;
  ideas: IdeaView[];
  areas: { slug: AreaSlug; ideaCount: number }[];
}

export interface ReportResult {
  ideaId: string;
  /** True when this report was the one that took the idea down until a facilitator looks at it. */
  hidden: boolean;
}

export type ReportReason = (typeof REPORT_REASONS)[number];

/** One idea in the facilitators' queue: waiting for review, reported, hidden, or reported and hidden. */
export interface ModerationItem {
  idea: Omit<IdeaView, 'votedByMe'>;
  status: 'published' | 'hidden' | 'pending';
  /** Who took it down: enough reports, or a facilitator. Null while it is up. */
  hiddenBy: 'reports' | 'facilitator' | null;
  /** A facilitator put it back after reports: further reports no longer take it down by themselves. */
  cleared: boolean;
  reports: number;
  reasons: Partial<Record<ReportReason, number>>;
}

/** Vote counts by idea id; a tally carries only the ideas whose counts moved (ids as keys keep the frame small). */
export type Tallies = Record<string, number>;
