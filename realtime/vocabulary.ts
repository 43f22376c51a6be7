/**
 * The board's words and limits, free of zod and of any wire format: the models, the contract and the
 * client all read them from here, so a new area or reason is added in one place.
 */

/** The five challenge areas, in the campaign's order. */
export const AREA_SLUGS = ['police', 'platforms', 'employers', 'individuals', 'education'] as const;
export type AreaSlug = (typeof AREA_SLUGS)[number];

export const IDEA_TITLE_MIN = 3;
export const IDEA_TITLE_MAX = 120;
export const IDEA_BODY_MAX = 2000;

/**
 * `pending`: posted while facilitators review new ideas, not yet published; `hidden`: taken down by
 * reports or a facilitator; `withdrawn`: its author took it off the board.
 */
export const IDEA_STATUSES = ['published', 'hidden', 'pending', 'withdrawn'] as const;
export type IdeaStatus = (typeof IDEA_STATUSES)[number];

/** Who took an idea down. */
export const HIDDEN_BY = ['reports', 'facilitator'] as const;
export type HiddenBy = (typeof HIDDEN_BY)[number];

/** Why someone reports an idea; facilitators see the count of each. */
export const REPORT_REASONS = ['abuse', 'hate', 'personal', 'spam', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** What the public moderation log lists: every decision that takes something off the board, puts it back or voids votes. */
export const MODERATION_ACTIONS = [
  'take-down',
  'confirm',
  'restore',
  'hold',
  'publish',
  'decline',
  'merge',
  'unmerge',
  'void',
  'unvoid',
  'suspend',
  'lift',
  'appeal-granted',
  'appeal-refused',
] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];
/** What a log entry is about. */
export const LOGGED_ITEM_KINDS = ['idea', 'comment', 'submission', 'organisation-request', 'vote-flag', 'suspension'] as const;
export type LoggedItemKind = (typeof LOGGED_ITEM_KINDS)[number];
/** Who decided, as the public log says it: a role or a rule, never a name. */
export const DECIDED_BY = ['reports', 'screening', 'moderator', 'facilitator', 'admin'] as const;
export type DecidedBy = (typeof DECIDED_BY)[number];
/** What the public log shows for an item whose text was itself the abuse. */
export const REMOVED_POST = '[removed post]';
/** Reasons whose item's words never reach the public log. */
export const REDACTED_REASONS: readonly string[] = ['abuse', 'hate', 'personal', 'screening'];
/** Entries per page of the public moderation log. */
export const LOG_PAGE = 50;

/** An author's one appeal against a take-down, a hold or a decline: this long at most. */
export const APPEAL_TEXT_MAX = 500;
export const APPEAL_DECISIONS = ['grant', 'refuse'] as const;
export type AppealDecisionKind = (typeof APPEAL_DECISIONS)[number];
/** How long staff suspend an author for, in hours; or `permanent`. */
export const SUSPENSION_HOURS = [1, 24, 168] as const;
export const SUSPENSION_LABELS: Record<(typeof SUSPENSION_HOURS)[number] | 'permanent', string> = { 1: '1 hour', 24: '1 day', 168: '7 days', permanent: 'For good' };
/** Why staff suspend someone: a category, public in the log. */
export const SUSPENSION_REASONS = ['abuse', 'hate', 'personal', 'spam', 'vote-manipulation', 'evasion'] as const;
export type SuspensionReason = (typeof SUSPENSION_REASONS)[number];

/**
 * Distinct people whose reports take an idea down until a facilitator looks at it. Low, because in
 * a hall abuse on the projector does harm within minutes; a facilitator can put a wrongly reported
 * idea back, and after that reports alone cannot take it down again.
 */
export const REPORTS_TO_HIDE = 3;
export const REPORT_THRESHOLD_MIN = 1;
export const REPORT_THRESHOLD_MAX = 20;

export const NEW_IDEAS_PER_WINDOW = 5;
export const NEW_IDEAS_WINDOW_MS = 10 * 60 * 1000;

/**
 * How a board is ordered: most votes; trending (recent votes and comments weigh more, decaying with
 * time); newest; most discussed; and random, stable for one visitor so early ideas do not win by being
 * seen first.
 */
export const SORTS = ['top', 'trending', 'new', 'discussed', 'random'] as const;
export type Sort = (typeof SORTS)[number];

/** A guest holds an anonymous browser session (no sign-up, so a hall can vote in seconds); a member has an account. */
export const USER_KINDS = ['guest', 'member'] as const;
export type UserKind = (typeof USER_KINDS)[number];

/**
 * What a person may do, each role everything the one before it may: a moderator works the reports
 * queue and hides or restores ideas; a facilitator also runs live sessions and the big screen; an
 * admin also manages people.
 */
export const ROLES = ['participant', 'moderator', 'facilitator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const atLeast = (role: Role, needed: Role) => ROLES.indexOf(role) >= ROLES.indexOf(needed);

/** Who people say they are, so the results can be broken down by it. */
export const STAKEHOLDER_GROUPS = {
  public: 'Member of the public',
  young: 'Student or young person',
  school: 'Teacher or school staff',
  justice: 'Police or justice',
  tech: 'Platform or tech company',
  charity: 'Charity or campaign group',
  work: 'Employer or union',
  journalist: 'Journalist',
  politician: 'Politician',
  researcher: 'Researcher',
} as const;
export type StakeholderGroup = keyof typeof STAKEHOLDER_GROUPS;
export const STAKEHOLDER_SLUGS = Object.keys(STAKEHOLDER_GROUPS) as StakeholderGroup[];
/** A results breakdown's columns besides the groups: too few to show apart, and no group named (guests too). */
export const GROUP_REST = ['other', 'unsaid'] as const;
export const GROUP_REST_LABELS: Record<(typeof GROUP_REST)[number], string> = { other: 'Other groups', unsaid: 'No group shown' };
/** A group with fewer votes than this on an idea is shown to the public only inside `other`. */
export const GROUP_SHOWN_MIN = 3;

/** Who may vote on a board or in a live session. */
export const VOTERS = ['everyone', 'members'] as const;
export type Voters = (typeof VOTERS)[number];

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
export const NAME_MAX = 60;
/** Shown for a post whose author chose not to give their name, or had none. */
export const ANONYMOUS = 'Anonymous participant';

/** Every error a client can see comes from this list, with the HTTP status it travels under. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  /** The words screening refused: the error carries the `terms` to reword, and the author sends again. */
  REPHRASE: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  /** The caller is suspended from writing until a time (or for good): the error carries `until`. */
  SUSPENDED: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/**
 * A live session's state: a draft (being prepared: not listed, not joinable), then its round's voting
 * open, paused (votes refused for now) or closed (results frozen), and archived when the day is done.
 */
export const LIVE_STATES = ['draft', 'open', 'paused', 'closed', 'archived'] as const;
export type LiveState = (typeof LIVE_STATES)[number];

/** What the projector shows. */
export const LIVE_VIEWS = ['leaderboard', 'spotlight', 'join', 'results'] as const;
export type LiveView = (typeof LIVE_VIEWS)[number];

/** What a facilitator does to a live session; each is one event in its sequence. */
export const LIVE_ACTIONS = [
  'publish',
  'archive',
  'new-round',
  'open',
  'pause',
  'close',
  'spotlight',
  'release',
  'hide-counts',
  'reveal-counts',
  'countdown',
  'hide-idea',
  'discussed',
  'approve',
  'reject',
  'view',
] as const;
export type LiveAction = (typeof LIVE_ACTIONS)[number];
/** What a session's events record besides the controls: a draft's settings changed (`PATCH /api/live/:code`). */
export const LIVE_EVENT_ACTIONS = [...LIVE_ACTIONS, 'edit'] as const;
export type LiveEventAction = (typeof LIVE_EVENT_ACTIONS)[number];
/** What a countdown does when it reaches zero: nothing, pause the voting, or close the round. */
export const COUNTDOWN_AT_ZERO = ['none', 'pause', 'close'] as const;
export type CountdownAtZero = (typeof COUNTDOWN_AT_ZERO)[number];
/** Actions about one idea of the session: they carry its id. */
export const LIVE_IDEA_ACTIONS = ['spotlight', 'hide-idea', 'discussed', 'approve', 'reject'] as const satisfies readonly LiveAction[];

/** Join codes: six letters and digits, none that read alike (0/O, 1/I/L), typed in any case. */
export const JOIN_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const JOIN_CODE_LENGTH = 6;
export const COUNTDOWN_MAX_SECONDS = 60 * 60;
/** Ideas a live session shows and ranks at most; a hand-picked list holds at most this many. */
export const LIVE_IDEAS_MAX = 200;

/** What kind of evidence an item is. */
export const EVIDENCE_KINDS = {
  study: 'Study',
  survey: 'Survey',
  helpline: 'Helpline data',
  media: 'Media analysis',
  submission: 'Submission',
} as const;
export type EvidenceKind = keyof typeof EVIDENCE_KINDS;
export const EVIDENCE_KIND_SLUGS = Object.keys(EVIDENCE_KINDS) as EvidenceKind[];

/** A request or submission waiting for staff, or decided. */
export const REVIEW_STATES = ['pending', 'published', 'declined'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** Where an idea stands in the campaign, set by staff. */
export const IDEA_PROGRESS = {
  new: 'New',
  discussing: 'Under discussion',
  shortlisted: 'Shortlisted for the conference',
  'in-report': "In the campaign's report",
  adopted: 'Adopted',
} as const;
export type IdeaProgress = keyof typeof IDEA_PROGRESS;
export const IDEA_PROGRESS_SLUGS = Object.keys(IDEA_PROGRESS) as IdeaProgress[];

/** A comment argues for the idea, against it, or asks what it means. */
export const STANCES = ['for', 'against', 'question'] as const;
export type Stance = (typeof STANCES)[number];
export const COMMENT_BODY_MIN = 2;
export const COMMENT_BODY_MAX = 2000;

/**
 * What word screening does with a term: `rephrase` refuses the text with the words to reword; `hold`
 * stores it for staff to read before anyone sees it; `allow` lets it through (the allow-list, for
 * names and words that only look like a term: Scunthorpe, Penistone).
 */
export const SCREEN_ACTIONS = ['rephrase', 'hold', 'allow'] as const;
export type ScreenAction = (typeof SCREEN_ACTIONS)[number];
/** What screening made of a text: `pass` unless a term to rephrase (first) or to hold was found. */
export type ScreenVerdict = 'pass' | 'hold' | 'rephrase';
export const SCREEN_TERM_MAX = 60;
