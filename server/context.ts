import type { AreaSlug, AreaView, IdeaInput, IdeaListQuery, IdeaPage, IdeaView, VoteResult } from '../realtime/schemas.js';

export interface SessionUser {
  id: string;
  kind: 'guest';
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
  createIdea(input: IdeaInput, userId: string): Promise<IdeaView>;
  castVote(ideaId: string, userId: string): Promise<VoteResult>;
  retractVote(ideaId: string, userId: string): Promise<VoteResult>;
}

export const BOARD_CONTEXT_KEY = Symbol.for('reclaim.board.context');
