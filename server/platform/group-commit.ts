import type { mongo, Types } from 'mongoose';
import { databaseUp } from './database.js';
import { DATABASE_AWAY, HttpError } from './errors.js';

type Collection<Doc extends mongo.Document> = mongo.Collection<Doc>;

interface Pending<Doc> {
  doc: Doc;
  /** performance.now() when it was queued: the wall clock may jump, a batch's wait must not. */
  queuedAt: number;
  /** With the new vote's _id, or null when the person's vote was already stored. */
  resolve: (storedId: string | null) => void;
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
}

export interface GroupCommitStats {
  batches: number;
  votes: number;
}

/**
 * Group commit for facts stored under a unique index (votes, the room's votes): the documents arriving
 * within a short window go to the database in one unordered insertMany, and each caller's promise
 * settles only once its own document is stored (with its _id), found already stored under the unique
 * index (null), or failed. A batch goes out when its first document has waited the window, or when it
 * is full, and never while the one before it is being written.
 */
export class GroupCommit<Doc extends { _id: Types.ObjectId }> {
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private pending: Pending<Doc>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing = false;
  private inFlight: Promise<void> = Promise.resolve();
  readonly stats: GroupCommitStats = { batches: 0, votes: 0 };

  constructor(
    private readonly collection: () => Collection<Doc>,
    options: GroupCommitOptions = {},
  ) {
    this.windowMs = Math.min(options.windowMs ?? 25, 50);
    this.maxBatch = options.maxBatch ?? 1000;
  }

  /** Resolves with the document's _id once stored, or null when the unique index found it stored already. */
  store(doc: Doc): Promise<string | null> {
    return new Promise((resolve, reject) => {
      this.pending.push({ doc, queuedAt: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when everything queued so far is settled (used at shutdown). */
  async drain(): Promise<void> {
    for (;;) {
      this.flushNow();
      if (!this.writing) return;
      await this.inFlight;
    }
  }

  /**
   * What arrives during a write joins the next batch, and that batch still waits out its first
   * vote's window once the write is done. Cut as soon as the write is done, batches would follow the
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

  private async write(batch: Pending<Doc>[]): Promise<void> {
    this.stats.batches++;
    this.stats.votes += batch.length;
    // With the database away, nothing would be sent: refuse the batch now rather than after a wait per batch.
    if (!databaseUp()) {
      const away = new HttpError('UNAVAILABLE', DATABASE_AWAY);
      for (const p of batch) p.reject(away);
      return;
    }
    try {
      await this.collection().insertMany(
        batch.map((p) => p.doc as mongo.OptionalUnlessRequiredId<Doc>),
        { ordered: false },
      );
      for (const p of batch) p.resolve(p.doc._id.toString());
    } catch (error) {
      await this.settleAfterError(batch, error);
    }
  }

  private async settleAfterError(batch: Pending<Doc>[], error: unknown): Promise<void> {
    const writeErrors = listWriteErrors(error);
    if (writeErrors) {
      const failed = new Map(writeErrors.map((e) => [e.index, e]));
      batch.forEach((p, index) => {
        const writeError = failed.get(index);
        if (!writeError) p.resolve(p.doc._id.toString());
        else if (writeError.code === 11000) p.resolve(null);
        else p.reject(error);
      });
      return;
    }
    // The outcome is unknown (say, the connection dropped mid-write): ask the database what it kept.
    try {
      const stored = await this.collection()
        .find({ _id: { $in: batch.map((p) => p.doc._id) } } as mongo.Filter<Doc>, { projection: { _id: 1 } })
        .toArray();
      const storedIds = new Set(stored.map((d) => d._id.toString()));
      for (const p of batch) {
        if (storedIds.has(p.doc._id.toString())) p.resolve(p.doc._id.toString());
        else p.reject(error);
      }
    } catch {
      for (const p of batch) p.reject(error);
    }
  }
}

function listWriteErrors(error: unknown): { index: number; code: number }[] | null {
  if (typeof error !== 'object' || error === null || !('writeErrors' in error)) return null;
  const raw = (error as { writeErrors: unknown }).writeErrors;
  const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
  if (list.length === 0) return null;
  return list.map((e: { index: number; code: number }) => ({ index: e.index, code: e.code }));
}
