import type { Types } from 'mongoose';
import { Comment, CommentReport, Idea, Report, RoomVote, Session, User, Vote } from '../../models/index.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import { deleteByIds, idsWhere, pages, setByIds, SWEEP_PACE, type Pace, type SweptCollection as Collection } from '../platform/paced-scan.js';

const DAY = 24 * 60 * 60 * 1000;

interface Dated {
  _id: Types.ObjectId;
  createdAt?: Date;
  origin?: { network?: string | null } | null;
}

const NETWORK_BLANKED = { $set: { 'origin.network': null } };

/**
 * What is kept about people who only visited: guests whose every session has gone (sessions end 30
 * days after their last use) and who came more than RETENTION_DAYS ago are removed, and the keyed
 * network hash on facts older than RETENTION_DAYS is blanked. Votes, ideas and reports stay as facts,
 * so every count stays the same; they then name an id that names nobody, and no network. Ideas and
 * comments change under their one writer (`writes`); the rest are insert-only facts.
 */
export class Retention {
  constructor(
    private readonly days: number,
    private readonly writes: KeyedQueue,
    private readonly pace: Pace = SWEEP_PACE,
  ) {}

  /** Reads whole collections: the app runs it once a day, in the quiet hour (platform/quiet-hour.ts). */
  async purge(before = new Date(Date.now() - this.days * DAY)): Promise<{ guests: number; networks: number }> {
    const collection = (model: { collection: unknown }) => model.collection as Collection;
    const idle = new Map<string, Types.ObjectId>();
    for await (const page of pages<Dated & { kind: string }>(collection(User), { kind: 1, createdAt: 1 }, this.pace)) {
      for (const user of page) if (user.kind === 'guest' && user.createdAt && user.createdAt < before) idle.set(user._id.toString(), user._id);
    }
    if (idle.size) {
      for await (const page of pages<{ user: Types.ObjectId }>(collection(Session), { user: 1 }, this.pace)) for (const session of page) idle.delete(session.user.toString());
    }
    // A user's kind never changes, and a guest without a session has no way back in: deleting by _id alone is safe.
    const guests = await deleteByIds(collection(User), [...idle.values()], this.pace);

    const old = (doc: Dated) => doc.createdAt !== undefined && doc.createdAt < before && doc.origin?.network != null;
    const projection = { createdAt: 1, 'origin.network': 1 } as const;
    let networks = 0;
    for (const model of [Vote, RoomVote, Report, CommentReport]) {
      const ids = await idsWhere<Dated>(collection(model), projection, old, this.pace);
      networks += await setByIds(collection(model), ids, NETWORK_BLANKED.$set, this.pace);
    }
    for (const [model, key] of [
      [Idea, (id: string) => id],
      [Comment, (id: string) => `comment:${id}`],
    ] as const) {
      for (const _id of await idsWhere<Dated>(collection(model), projection, old, this.pace)) {
        const { modifiedCount } = await this.writes.run(key(_id.toString()), 'retention', () => collection(model).updateOne({ _id }, NETWORK_BLANKED));
        networks += modifiedCount;
      }
    }
    return { guests, networks };
  }
}
