import { Comment, CommentReport, Idea, Report, Session, User, Vote } from '../../models/index.js';

const DAY = 24 * 60 * 60 * 1000;
/** The purge reads whole collections (FerretDB filters only `_id` in SQLite): once a day is enough. */
export const PURGE_EVERY_MS = DAY;

/**
 * What is kept about people who only visited: guests whose every session has gone (sessions end 30
 * days after their last use) and who came more than RETENTION_DAYS ago are removed, and the keyed
 * network hash on facts older than RETENTION_DAYS is blanked. Votes, ideas and reports stay as facts,
 * so every count stays the same; they then name an id that names nobody, and no network.
 */
export class Retention {
  private lastRun = 0;

  constructor(private readonly days: number) {}

  /** On the app's 10-minute sweep: purges at most once a day. */
  async sweep(now = Date.now()): Promise<{ guests: number; networks: number } | null> {
    if (now - this.lastRun < PURGE_EVERY_MS) return null;
    this.lastRun = now;
    return this.purge(new Date(now - this.days * DAY));
  }

  async purge(before: Date): Promise<{ guests: number; networks: number }> {
    const idle = await User.find({ kind: 'guest', createdAt: { $lt: before } }, { _id: 1 }).lean();
    let guests = 0;
    if (idle.length) {
      const active = new Set((await Session.find({ user: { $in: idle.map((u) => u._id) } }, { user: 1 }).lean()).map((s) => s.user.toString()));
      const gone = idle.filter((u) => !active.has(u._id.toString())).map((u) => u._id);
      if (gone.length) guests = (await User.deleteMany({ _id: { $in: gone }, kind: 'guest' })).deletedCount ?? 0;
    }
    let networks = 0;
    for (const model of [Vote, Idea, Comment, Report, CommentReport] as const) {
      const result = await (model as typeof Vote).updateMany({ createdAt: { $lt: before }, 'origin.network': { $ne: null } }, { $set: { 'origin.network': null } });
      networks += result.modifiedCount ?? 0;
    }
    return { guests, networks };
  }
}
