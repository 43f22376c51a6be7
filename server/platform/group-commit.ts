import type { mongo, Types } from 'mongoose';
import { databaseUp, withDeadline } from './database.js';
import { DATABASE_AWAY, DATABASE_BEHIND, HttpError } from './errors.js';
import { log } from './log.js';

type Collection<Doc extends mongo.Document> = mongo.Collection<Doc>;

interface Pending<Item, Result> {
  item: Item;
  /** performance.now() when it was queued: the wall clock may jump, a batch's wait must not. */
  queuedAt: number;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /**
   * How long the first vote of a batch waits for company; at most 50 ms. The default, 25 ms, is
   * unnoticeable behind an optimistic vote button. Each batch costs the app about a millisecond of
   * driver work and the embedded database about as much again, whatever its size, so at 1,000
   * votes/s the number of batches, not of votes, is most of what storing votes costs.
   */
  windowMs?: number;
  maxBatch?: number;
  /** How long a batch may go unanswered before its callers are told it failed (see withDeadline). */
  deadlineMs?: number;
  /** How long the oldest waiting write may have waited before new ones are refused (see `admit`). */
  maxWaitMs?: number;
}

/**
 * Phones give up on an ack after 8 s and show the vote as not counted; a vote stored after that would
 * count while its phone says it does not. Writes that waited 3 s still leave room for their own batch.
 */
const DEFAULT_MAX_WAIT_MS = 3_000;

export interface GroupCommitStats {
  batches: number;
  votes: number;
}

/**
 * Writes arriving within a short window go to the database as one command, and each caller's promise
 * settles only with its batch's answer. A batch goes out when its first item has waited the window,
 * or when it is full, and never while the one before it is being written.
 */
abstract class WindowedWrites<Item, Result> {
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private readonly deadlineMs: number | undefined;
  private readonly maxWaitMs: number;
  private pending: Pending<Item, Result>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing = false;
  private inFlight: Promise<void> = Promise.resolve();
  readonly stats: GroupCommitStats = { batches: 0, votes: 0 };
  /** Refusing since the last write admitted: the refusals of one backlog are logged once. */
  private refusing = false;

  constructor(options: GroupCommitOptions) {
    this.windowMs = Math.min(options.windowMs ?? 25, 50);
    this.maxBatch = options.maxBatch ?? 1000;
    this.deadlineMs = options.deadlineMs;
    this.maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  }

  /**
   * Refuses a new write (503, nothing counted) while the oldest waiting one has waited `maxWaitMs`.
   * The database is then behind, and queueing more would only make every write later; refused at once,
   * its sender can try again, and under a lasting overload the queue (and the memory it holds) stays
   * bounded. Callers ask before counting anything.
   */
  admit(): void {
    const waitedMs = this.waitedMs;
    if (waitedMs < this.maxWaitMs) {
      this.refusing = false;
      return;
    }
    if (!this.refusing) log.warn({ waitedMs: Math.round(waitedMs), waiting: this.pending.length }, 'the database is behind: new writes are refused until it catches up');
    this.refusing = true;
    throw new HttpError('UNAVAILABLE', DATABASE_BEHIND);
  }

  /** How long the oldest waiting write has waited so far; 0 with none waiting. */
  get waitedMs(): number {
    const head = this.pending[0];
    return head === undefined ? 0 : performance.now() - head.queuedAt;
  }

  /** Resolves when everything queued so far is settled (used at shutdown). */
  async drain(): Promise<void> {
    for (;;) {
      this.flushNow();
      if (!this.writing) return;
      await this.inFlight;
    }
  }

  protected enqueue(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, queuedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Settles every item of the batch. */
  protected abstract writeBatch(batch: Pending<Item, Result>[]): Promise<void>;

  /**
   * What arrives during a write joins the next batch, and that batch still waits out its first
   * item's window once the write is done. Cut as soon as the write is done, batches would follow the
   * database's round trip: at 1,000 votes/s, over 100 batches a second of about 9 votes each, whose
   * fixed cost would come to a fifth of the server core. A slow database still sees larger batches.
   */
  private schedule(): void {
    if (this.writing || this.pending.length === 0) return;
    if (this.pending.length >= this.maxBatch) return this.flushNow();
    if (this.timer) return;
    const waited = performance.now() - this.pending[0]!.queuedAt;
    this.timer = setTimeout(() => this.flushNow(), Math.max(0, this.windowMs - waited));
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxBatch);
    this.writing = true;
    this.inFlight = this.write(batch).finally(() => {
      this.writing = false;
      this.schedule();
    });
  }

  private async write(batch: Pending<Item, Result>[]): Promise<void> {
    this.stats.batches++;
    this.stats.votes += batch.length;
    // With the database away, nothing would be sent: refuse the batch now rather than after a wait per batch.
    if (!databaseUp()) {
      const away = new HttpError('UNAVAILABLE', DATABASE_AWAY);
      for (const p of batch) p.reject(away);
      return;
    }
    try {
      await withDeadline(this.writeBatch(batch), this.deadlineMs);
    } catch (error) {
      // A write the driver lost (see withDeadline): its outcome is unknown, as after a dropped connection.
      for (const p of batch) p.reject(error);
    }
  }
}

/**
 * Group commit for facts stored under a unique index (votes, the room's votes): one unordered
 * insertMany per batch; each caller learns its document's _id once stored, null when the unique index
 * found it stored already, or the failure.
 */
export class GroupCommit<Doc extends { _id: Types.ObjectId }> extends WindowedWrites<Doc, string | null> {
  constructor(
    private readonly collection: () => Collection<Doc>,
    options: GroupCommitOptions = {},
  ) {
    super(options);
  }

  /** Resolves with the document's _id once stored, or null when the unique index found it stored already. */
  store(doc: Doc): Promise<string | null> {
    return this.enqueue(doc);
  }

  protected async writeBatch(batch: Pending<Doc, string | null>[]): Promise<void> {
    try {
      await this.collection().insertMany(
        batch.map((p) => p.item as mongo.OptionalUnlessRequiredId<Doc>),
        { ordered: false },
      );
      for (const p of batch) p.resolve(p.item._id.toString());
    } catch (error) {
      await this.settleAfterError(batch, error);
    }
  }

  private async settleAfterError(batch: Pending<Doc, string | null>[], error: unknown): Promise<void> {
    const writeErrors = listWriteErrors(error);
    if (writeErrors) {
      const failed = new Map(writeErrors.map((e) => [e.index, e]));
      batch.forEach((p, index) => {
        const writeError = failed.get(index);
        if (!writeError) p.resolve(p.item._id.toString());
        else if (writeError.code === 11000) p.resolve(null);
        else p.reject(error);
      });
      return;
    }
    // The outcome is unknown (say, the connection dropped mid-write): ask the database what it kept.
    try {
      const stored = await this.collection()
        .find({ _id: { $in: batch.map((p) => p.item._id) } } as mongo.Filter<Doc>, { projection: { _id: 1 } })
        .toArray();
      const storedIds = new Set(stored.map((d) => d._id.toString()));
      for (const p of batch) {
        if (storedIds.has(p.item._id.toString())) p.resolve(p.item._id.toString());
        else p.reject(error);
      }
    } catch {
      for (const p of batch) p.reject(error);
    }
  }
}

/** What a batch's delete says of one document: deleted by it, not there, or gone now without saying which. */
export type DeleteOutcome = 'deleted' | 'absent' | 'gone';

/**
 * Group delete by _id (retracted votes): one unordered bulk of deleteOne per batch. On the embedded
 * FerretDB each delete is a transaction of its own, about ten times a batched insert's cost, and the
 * bulk saves the command around each. A bulk answers only how many it deleted: all of them or none
 * says what happened to each; some of them only that each is gone now.
 */
export class GroupDelete<Doc extends { _id: Types.ObjectId }> extends WindowedWrites<Types.ObjectId, DeleteOutcome> {
  constructor(
    private readonly collection: () => Collection<Doc>,
    options: GroupCommitOptions = {},
  ) {
    super(options);
  }

  /** Resolves once `id` is not in the collection, with whether this delete removed it. */
  remove(id: Types.ObjectId): Promise<DeleteOutcome> {
    return this.enqueue(id);
  }

  protected async writeBatch(batch: Pending<Types.ObjectId, DeleteOutcome>[]): Promise<void> {
    try {
      const { deletedCount } = await this.collection().bulkWrite(
        batch.map((p) => ({ deleteOne: { filter: { _id: p.item } as mongo.Filter<Doc> } })),
        { ordered: false },
      );
      const outcome: DeleteOutcome = deletedCount === batch.length ? 'deleted' : deletedCount === 0 ? 'absent' : 'gone';
      for (const p of batch) p.resolve(outcome);
    } catch (error) {
      // Deleting is idempotent: the callers may try again.
      for (const p of batch) p.reject(error);
    }
  }
}

/** Insert-only facts under a unique index (votes, the room's votes): stored and taken back in batches. */
export class FactWriter<Doc extends { _id: Types.ObjectId }> extends GroupCommit<Doc> {
  private readonly deletes: GroupDelete<Doc>;

  constructor(collection: () => Collection<Doc>, options: GroupCommitOptions = {}) {
    super(collection, options);
    this.deletes = new GroupDelete(collection, options);
  }

  /** Batches and documents deleted so far. */
  get removals(): GroupCommitStats {
    return this.deletes.stats;
  }

  remove(id: Types.ObjectId): Promise<DeleteOutcome> {
    return this.deletes.remove(id);
  }

  /** Refuses a new removal while its queue is behind (see `admit`). */
  admitRemoval(): void {
    this.deletes.admit();
  }

  /** How long the oldest waiting removal has waited so far; 0 with none waiting. */
  get removalWaitedMs(): number {
    return this.deletes.waitedMs;
  }

  override async drain(): Promise<void> {
    await Promise.all([super.drain(), this.deletes.drain()]);
  }
}

function listWriteErrors(error: unknown): { index: number; code: number }[] | null {
  if (typeof error !== 'object' || error === null || !('writeErrors' in error)) return null;
  const raw = (error as { writeErrors: unknown }).writeErrors;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  if (list.length === 0) return null;
  return list.map((e: { index: number; code: number }) => ({ index: e.index, code: e.code }));
}
