import type { NotificationEntry, SyncedComment } from '../../realtime/events.js';
import type { AreaSlug } from '../../realtime/vocabulary.js';
import type { CommentView, NotificationView } from '../../realtime/schemas/discussion.js';
import type { QueueEvents } from '../platform/bus.js';

/** The idea page a comment shows on (a merged duplicate's comments show on the idea it is merged into). */
export interface CommentPage {
  id: string;
  area: AreaSlug;
}

/** What the discussion publishes. */
export interface DiscussionEvents extends QueueEvents {
  /** Up on its page (`page` null while its idea is off the board): the page shows it, its card counts it. */
  'comment:up': { comment: SyncedComment; view: CommentView; page: CommentPage | null };
  /** Taken down, from its page and its card's count. */
  'comment:down': { comment: SyncedComment; page: CommentPage | null };
  /** Helpful marks stored or withdrawn here, one by one (other servers follow them). */
  'helpful:moved': { commentId: string; markerId: string; delta: 1 | -1 };
  /** The helpful counts that moved on one idea page, coalesced. */
  'helpful:counts': { page: string; counts: Record<string, number> };
  /** A guest's comment is now a member's (they signed up or in). */
  'comment:author': { commentId: string; authorId: string };
  /** Notifications stored here (the other servers count them too). */
  'notifications:stored': NotificationEntry[];
  /** To one person, on every tab. */
  'notification:new': { userId: string; notification: NotificationView; unread: number };
}
