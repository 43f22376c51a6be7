import { randomUUID } from 'node:crypto';
import type { createClient } from 'redis';
import { HttpError } from './errors.js';
import { log } from './log.js';

type RedisClient = ReturnType<typeof createClient>;

/** Deletes the lock only if it is still ours: a holder whose lease ran out must not free the next one's. */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

export interface DocumentLock {
  hold<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/**
 * One writer at a time for a document across servers. The embedded FerretDB reads a document and
 * writes it back whole, so a facilitator hiding an idea on one server while its author rewords it on
 * another could lose the hide. Servers that share a database share Redis (the Socket.IO adapter's), so
 * the lock lives there: a key set only if absent, with a lease that frees it should a server die.
 * While Redis is away the task runs under this server's own queue alone (KeyedQueue): the board
 * stays writable, and only two servers writing one document in the same moment could collide.
 */
export class RedisLock implements DocumentLock {
  constructor(
    private readonly client: RedisClient,
    private readonly leaseMs = 30_000,
    private readonly waitMs = 10_000,
  ) {}

  async hold<T>(key: string, task: () => Promise<T>): Promise<T> {
    const name = `reclaim:lock:${key}`;
    const token = randomUUID();
    const giveUpAt = Date.now() + this.waitMs;
    let pause = 5;
    while ((await this.acquire(name, token)) === false) {
      if (Date.now() > giveUpAt) throw new HttpError('UNAVAILABLE', 'Someone else is changing this idea right now. Please try again.');
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
      pause = Math.min(pause * 2, 100);
    }
    try {
      return await task();
    } finally {
      await this.client.eval(RELEASE, { keys: [name], arguments: [token] }).catch(() => undefined);
    }
  }

  /** True when the lock is ours, false when someone holds it, null when Redis cannot say (it is away). */
  private async acquire(name: string, token: string): Promise<boolean | null> {
    try {
      return (await this.client.set(name, token, { condition: 'NX', expiration: { type: 'PX', value: this.leaseMs } })) !== null;
    } catch (error) {
      log.debug({ err: error, lock: name }, 'Redis is away: writing under this server\'s own lock');
      return null;
    }
  }
}
