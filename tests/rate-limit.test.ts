import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../server/platform/rate-limit.js';

describe('RateLimiter', () => {
  it('allows the limit within the window, then says how long until the oldest hit leaves it', () => {
    const limiter = new RateLimiter(3, 10_000);
    expect([0, 1_000, 2_000].map((t) => limiter.take('a', t))).toEqual([0, 0, 0]);
    expect(limiter.take('a', 4_000)).toBe(6_000);
    expect(limiter.take('b', 4_000)).toBe(0);
    // A refused hit is not recorded: once the first hit is 10 s old, one more is allowed, and only one.
    expect(limiter.take('a', 10_000)).toBe(0);
    expect(limiter.take('a', 10_500)).toBe(500);
    expect(limiter.take('a', 11_000)).toBe(0);
  });

  it('answers wait() without recording a hit', () => {
    const limiter = new RateLimiter(2, 1_000);
    expect(limiter.wait('a', 0)).toBe(0);
    limiter.take('a', 0);
    expect(limiter.wait('a', 100)).toBe(0);
    limiter.take('a', 200);
    expect(limiter.wait('a', 300)).toBe(700);
    expect(limiter.wait('a', 1_000)).toBe(0);
    expect(limiter.take('a', 1_000)).toBe(0);
    expect(limiter.wait('a', 1_100)).toBe(100);
  });

  it('forgets a key whose hits have all left the window, and keeps one still in it', () => {
    const limiter = new RateLimiter(1, 1_000);
    limiter.take('old', 0);
    limiter.take('recent', 900);
    limiter.sweep(1_500);
    expect(limiter.take('old', 1_500)).toBe(0);
    expect(limiter.take('recent', 1_500)).toBe(400);
    expect((limiter as unknown as { hits: Map<string, number[]> }).hits.size).toBe(2);
    limiter.sweep(5_000);
    expect((limiter as unknown as { hits: Map<string, number[]> }).hits.size).toBe(0);
  });
});
