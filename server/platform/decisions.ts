import type { DecidedBy, LoggedItemKind, ModerationAction } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';

/** The role a staff member decides as, for the public log: never their name. */
export function decidedBy(user: SessionUser): DecidedBy {
  return user.role === 'participant' ? 'moderator' : user.role;
}

/** One moderation decision, as the public log records it (moderation/log.ts): no names, no e-mails. */
export interface ModerationDecision {
  action: ModerationAction;
  /** The rule or the reason category: a report reason, `screening`, `vote-burst`, or a short staff reason. */
  reason: string;
  by: DecidedBy;
  item: {
    kind: LoggedItemKind;
    id: string;
    /** Null where the text itself is the abuse: the log shows "[removed post]". */
    title: string | null;
  };
  /** Who decided (a user id), for appeals only: never public. Null for the rules' own decisions (reports, screening). */
  byUser: string | null;
}

/**
 * Published by every domain whose staff decide (moderation, the campaign's reviews, the conference's
 * room ideas): moderation/log.ts records each in the public log. Here, below the domains, so any of
 * them can publish it without importing another.
 */
export interface DecisionEvents {
  /** A decision, for the public moderation log. */
  'moderation:decided': ModerationDecision;
}
