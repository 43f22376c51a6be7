import type { PersonHints } from '../platform/person-hints.js';
import { Types } from 'mongoose';
import { Notification, NotificationsRead } from '../../models/index.js';
import { IDEA_PROGRESS } from '../../realtime/vocabulary.js';
import type { NotificationView } from '../../realtime/schemas/discussion.js';
import type { BoardEvents } from '../board/events.js';
import type { Publisher, Subscriber } from '../platform/bus.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import { log } from '../platform/log.js';
import type { CommentStore } from './comment-store.js';
import type { DiscussionEvents } from './events.js';

const LATEST = 50;

type NotificationDoc = { _id: Types.ObjectId; kind: string; idea: Types.ObjectId; title: string; text: string; createdAt: Date };

type Notice = { kind: 'status' | 'merged'; ideaId: string; title: string; text: string };

/**
 * In-app notifications: insert-only facts, one per person and event, and per person the moment they
 * last read them (one writer per person), so "unread" is derived and nothing is ever updated in place.
 * People who voted for or discussed an idea hear when staff merge it or move it along.
 */
export class NotificationService {
  constructor(
    private readonly events: Publisher<DiscussionEvents>,
    /** One writer per person's "read up to" document (the Redis lock with several servers). */
    private readonly writes: KeyedQueue,
    private readonly comments: CommentStore,
    board: Subscriber<BoardEvents>,
    private readonly hints: PersonHints,
  ) {
    board.on('idea:merged', ({ idea, into, voters, actorId }) =>
      this.tell(this.audience(voters, [idea.id], actorId), { kind: 'merged', ideaId: idea.id, title: idea.title, text: `Merged into “${into.title}”: its votes and comments count there now` }),
    );
    board.on('idea:status', ({ idea, status, group, voters, actorId }) =>
      this.tell(this.audience(voters, group, actorId), { kind: 'status', ideaId: idea.id, title: idea.title, text: `Now: ${IDEA_PROGRESS[status]}` }),
    );
  }

  /** Who has notifications (for `list`, which every page's header calls): read once at start. */
  async load(): Promise<void> {
    for (const doc of await Notification.find({}, { user: 1 }).lean()) this.hints.follow('notified', doc.user.toString());
  }

  /** Stores one notification per person and tells each of them live, on every tab and server. */
  async notify(userIds: string[], what: Notice): Promise<void> {
    if (userIds.length === 0) return;
    const docs = await Notification.insertMany(
      userIds.map((user) => ({ user: new Types.ObjectId(user), kind: what.kind, idea: new Types.ObjectId(what.ideaId), title: what.title, text: what.text })),
    );
    this.hints.note('notified', userIds);
    const unread = await this.unreadOf(userIds);
    for (const doc of docs) {
      const user = doc.user.toString();
      this.events.publish('notification:new', { userId: user, notification: view(doc, false), unread: unread.get(user) ?? 1 });
    }
  }

  /** Everyone who voted for or commented on these ideas, but not the staff member acting. */
  private audience(voters: string[], ideaIds: string[], actorId: string): string[] {
    const people = new Set([...voters, ...this.comments.commentersOf(ideaIds)]);
    people.delete(actorId);
    return [...people];
  }

  /** Notifications go out after the answer: an idea with thousands of voters must not hold up staff. */
  private tell(people: string[], what: Notice): void {
    this.notify(people, what).catch((error: unknown) => log.error({ err: error, ideaId: what.ideaId }, 'storing notifications failed'));
  }

  async list(userId: string): Promise<{ notifications: NotificationView[]; unread: number }> {
    // Every page's header asks, for anyone with a session: most have none, and the reads below scan.
    if (!this.hints.may('notified', userId)) return { notifications: [], unread: 0 };
    const [readAt, docs, unread] = await Promise.all([
      this.readAt(userId),
      Notification.find({ user: new Types.ObjectId(userId) }).sort({ createdAt: -1 }).limit(LATEST).lean(),
      this.unreadOf([userId]),
    ]);
    return { notifications: docs.map((doc) => view(doc, doc.createdAt <= readAt)), unread: unread.get(userId) ?? 0 };
  }

  /** Everything up to now counts as read. */
  read(userId: string): Promise<{ unread: 0 }> {
    return this.writes.run(`notifications:${userId}`, 'read', async () => {
      const _id = new Types.ObjectId(userId);
      const readAt = new Date();
      if (await NotificationsRead.exists({ _id })) await NotificationsRead.updateOne({ _id }, { $set: { readAt } });
      else await NotificationsRead.create({ _id, readAt });
      return { unread: 0 as const };
    });
  }

  private async readAt(userId: string): Promise<Date> {
    return (await NotificationsRead.findById(userId, { readAt: 1 }).lean())?.readAt ?? new Date(0);
  }

  /** Unread per person: one read of their notifications, against each one's "read up to". */
  private async unreadOf(userIds: string[]): Promise<Map<string, number>> {
    const ids = userIds.map((id) => new Types.ObjectId(id));
    const [marks, docs] = await Promise.all([
      NotificationsRead.find({ _id: { $in: ids } }, { readAt: 1 }).lean(),
      Notification.find({ user: { $in: ids } }, { user: 1, createdAt: 1 }).lean(),
    ]);
    const readAt = new Map(marks.map((mark) => [mark._id.toString(), mark.readAt.getTime()]));
    const unread = new Map<string, number>();
    for (const doc of docs) {
      const user = doc.user.toString();
      if (doc.createdAt.getTime() > (readAt.get(user) ?? 0)) unread.set(user, (unread.get(user) ?? 0) + 1);
    }
    return unread;
  }
}

function view(doc: NotificationDoc, read: boolean): NotificationView {
  return { id: doc._id.toString(), kind: doc.kind as NotificationView['kind'], ideaId: doc.idea.toString(), title: doc.title, text: doc.text, createdAt: doc.createdAt.toISOString(), read };
}
