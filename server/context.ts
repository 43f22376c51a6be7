import type {
  AreaSlug,
  AreaView,
  CreatedIdea,
  IdeaInput,
  IdeaListQuery,
  IdeaPage,
  IdeaView,
  ModerationItem,
  OwnIdeaOffBoard,
  ReportInput,
  ReportResult,
  ReviewSetting,
  VoteResult,
} from '../realtime/schemas.js';

export interface SessionUser {
  id: string;
  kind: 'guest' | 'facilitator';
}

export interface ValidatedSession {
  user: SessionUser;
  /** Set when the sliding expiry moved: the cookie must be sent again with this date. */
  renewedExpiresAt: Date | null;
}

export interface NewSession {
  token: string;
  user: SessionUser;
  expiresAt: Date;
}

/**
 * What the SvelteKit app may call during SSR and form actions. Express publishes it on globalThis
 * under BOARD_CONTEXT_KEY before mounting the SvelteKit handler, so pages share the one process's
 * services (and its live tallies) instead of bundling a second copy.
 */
export interface BoardContext {
  sessionCookieName: string;
  validateSessionToken(token: string): Promise<ValidatedSession | null>;
  createGuestSession(): Promise<NewSession>;
  listAreas(): Promise<AreaView[]>;
  getArea(slug: AreaSlug): Promise<AreaView>;
  listIdeas(query: IdeaListQuery, viewerId: string | null): Promise<IdeaPage>;
  createIdea(input: IdeaInput, userId: string): Promise<CreatedIdea>;
  /** Whether new ideas wait for a facilitator: the idea form says so. */
  reviewingNewIdeas(): Promise<boolean>;
  /** This person's latest ideas in the area that are not on the board, and why. */
  ownIdeasOffBoard(userId: string, area: AreaSlug): Promise<OwnIdeaOffBoard[]>;
  castVote(ideaId: string, userId: string): Promise<VoteResult>;
  retractVote(ideaId: string, userId: string): Promise<VoteResult>;
  reportIdea(input: ReportInput, userId: string): Promise<ReportResult>;
  /** Of these ideas, the ones this person has reported. */
  reportedBy(userId: string, ideaIds: string[]): Promise<string[]>;
  /** A new session for the same person, as a facilitator; `oldToken`'s session is ended. */
  signInFacilitator(code: string, user: SessionUser, oldToken: string | null): Promise<NewSession>;
  /** Signing out: the session with this token ends. */
  endSession(token: string): Promise<void>;
  moderationQueue(user: SessionUser): Promise<ModerationItem[]>;
  hideIdea(ideaId: string, user: SessionUser): Promise<ModerationItem>;
  publishIdea(ideaId: string, user: SessionUser): Promise<ModerationItem>;
  reviewSetting(user: SessionUser): Promise<ReviewSetting>;
  setReview(setting: ReviewSetting, user: SessionUser): Promise<ReviewSetting>;
  restoreIdea(ideaId: string, user: SessionUser): Promise<ModerationItem>;
}

export const BOARD_CONTEXT_KEY = Symbol.for('reclaim.board.context');
