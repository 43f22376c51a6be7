import { Types } from 'mongoose';
import { Notification, NotificationsRead } from '../../models/index.js';
import { IDEA_PROGRESS } from '../../realtime/vocabulary.js';
import type { NotificationView } from '../../realtime/schemas/discussion.js';
import type { NotificationEntry } from '../../realtime/events.js';
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
  /**
   * Per person, their notifications as [person, id, time], oldest first, on every server: every page's
   * header counts the unread, and FerretDB would read every notification to find one person's.
   */
  private readonly byPerson = new Map<string, NotificationEntry[]>();

  constructor(
    private readonly events: Publisher<DiscussionEvents>,
    /** One writer per person's "read up to" document (the Redis lock with several servers). */
    private readonly writes: KeyedQueue,
    private readonly comments: CommentStore,
    board: Subscriber<BoardEvents>,
  ) {
    board.on('idea:merged', ({ idea, into, voters, actorId }) =>
      this.tell(this.audience(voters, [idea.id], actorId), { kind: 'merged', ideaId: idea.id, title: idea.title, text: `Merged into “${into.title}”: its votes and comments count there now` }),
    );
    board.on('idea:status', ({ idea, status, group, voters, actorId }) =>
      this.tell(this.audience(voters, group, actorId), { kind: 'status', ideaId: idea.id, title: idea.title, text: `Now: ${IDEA_PROGRESS[status]}` }),
    );
  }

  /** Every notification's person and time: at start, and after a Redis gap (those already known are kept once). */
  async load(): Promise<void> {
    for (const doc of await Notification.find({}, { user: 1, createdAt: 1 }).lean()) this.remember([doc.user.toString(), doc._id.toString(), doc.createdAt.getTime()]);
  }

  /** Notifications another server stored. */
  follow(entries: NotificationEntry[]): void {
    for (const entry of entries) this.remember(entry);
  }

  /** Stores one notification per person and tells each of them live, on every tab and server. */
  async notify(userIds: string[], what: Notice): Promise<void> {
    if (userIds.length === 0) return;
    const docs = await Notification.insertMany(
      userIds.map((user) => ({ user: new Types.ObjectId(user), kind: what.kind, idea: new Types.ObjectId(what.ideaId), title: what.title, text: what.text })),
    );
    const entries = docs.map((doc): NotificationEntry => [doc.user.toString(), doc._id.toString(), doc.createdAt.getTime()]);
    for (const entry of entries) this.remember(entry);
    this.events.publish('notifications:stored', entries);
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

  /** The latest, newest first, each read or not, and how many are unread. */
  async list(userId: string): Promise<{ notifications: NotificationView[]; unread: number }> {
    const mine = this.byPerson.get(userId);
    if (!mine) return { notifications: [], unread: 0 };
    const latest = mine.slice(-LATEST).reverse();
    // By `_id`, the one filter FerretDB does not answer by reading every notification.
    const [readAt, docs] = await Promise.all([this.readAt(userId), Promise.all(latest.map(([, id]) => Notification.findById(id).lean()))]);
    const notifications = docs.flatMap((doc) => (doc ? [view(doc, doc.createdAt <= readAt)] : []));
    return { notifications, unread: unreadAfter(mine, readAt.getTime()) };
  }

  /** What every page's header shows: nothing read from the database for someone never notified. */
  async unread(userId: string): Promise<{ unread: number }> {
    const mine = this.byPerson.get(userId);
    if (!mine) return { unread: 0 };
    return { unread: unreadAfter(mine, (await this.readAt(userId)).getTime()) };
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

  /** Unread per person, each against their "read up to" (one read of those marks). */
  private async unreadOf(userIds: string[]): Promise<Map<string, number>> {
    const marks = await NotificationsRead.find({ _id: { $in: userIds.map((id) => new Types.ObjectId(id)) } }, { readAt: 1 }).lean();
    const readAt = new Map(marks.map((mark) => [mark._id.toString(), mark.readAt.getTime()]));
    return new Map(userIds.map((user) => [user, unreadAfter(this.byPerson.get(user) ?? [], readAt.get(user) ?? 0)]));
  }

  private remember(entry: NotificationEntry): void {
    const mine = this.byPerson.get(entry[0]);
    if (!mine) return void this.byPerson.set(entry[0], [entry]);
    if (mine.some(([, id]) => id === entry[1])) return;
    mine.push(entry);
    // Another server's may arrive after a newer one of this server's: kept oldest first.
    if (mine.length > 1 && mine.at(-2)![2] > entry[2]) mine.sort((a, b) => a[2] - b[2]);
  }
}

/** How many of these (oldest first) came after `readAt`. */
function unreadAfter(mine: NotificationEntry[], readAt: number): number {
  let count = 0;
  for (let i = mine.length - 1; i >= 0 && mine[i]![2] > readAt; i--) count++;
  return count;
}

function view(doc: NotificationDoc, read: boolean): NotificationView {
  return { id: doc._id.toString(), kind: doc.kind as NotificationView['kind'], ideaId: doc.idea.toString(), title: doc.title, text: doc.text, createdAt: doc.createdAt.toISOString(), read };
}
