import type { DocumentLock } from './redis-lock.js';

interface Tail {
  kind: string;
  promise: Promise<unknown>;
}

/**
 * Runs the tasks given for one key one after another, so a document (or one person's vote on one
 * idea) has a single writer at a time in this process, and with a `lock`, across servers too. A task
 * whose `kind` equals the one queued last for its key joins it instead of repeating it: fifty
 * identical casts become one write.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Tail>();

  constructor(private readonly lock: DocumentLock | null = null) {}

  run<T>(key: string, kind: string, task: () => Promise<T>, joinable = false): Promise<T> {
    const tail = this.tails.get(key);
    if (joinable && tail?.kind === kind) return tail.promise as Promise<T>;
    const { lock } = this;
    const guarded = lock ? () => lock.hold(key, task) : task;
    const promise = (tail ? tail.promise.catch(() => undefined) : Promise.resolve()).then(guarded);
    this.tails.set(key, { kind, promise });
    const release = () => {
      if (this.tails.get(key)?.promise === promise) this.tails.delete(key);
    };
    promise.then(release, release);
    return promise;
  }

  get size(): number {
    return this.tails.size;
  }
}
