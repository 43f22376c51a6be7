import type { RequestEvent } from '@sveltejs/kit';

const SEED_COOKIE = 'board-seed';

/**
 * Random order is stable for one visitor. With a session the server seeds it by the person; without
 * one (reading starts none) a cookie of its own keeps the order from shuffling on every visit.
 */
export function randomSeed({ locals, cookies, url }: RequestEvent): string | undefined {
  if (locals.user) return undefined;
  let seed = cookies.get(SEED_COOKIE);
  if (!seed || !/^[0-9a-f-]{36}$/.test(seed)) {
    seed = crypto.randomUUID();
    cookies.set(SEED_COOKIE, seed, { path: '/', httpOnly: true, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: 60 * 60 * 24 * 365 });
  }
  return seed;
}
