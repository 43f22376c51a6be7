import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vote } from '../models/index.js';
import { loadWebHandler } from '../server/transport/web.js';
import { HttpClient, openSocket, removeDataDir, startBoard, startDatabase, stopDatabaseConnection, type Database, type RunningBoard } from './harness.js';

let db: Database;
let run: RunningBoard;

beforeAll(async () => {
  // Restarted 6 s after it dies (the app's own first wait is 100 ms): long enough to see it away.
  db = await startDatabase(undefined, { restartBackoffMs: [6_000] });
  run = await startBoard(db.uri, { web: await loadWebHandler(), dataDir: db.dataDir });
});

afterAll(async () => {
  await run?.stop();
  await stopDatabaseConnection();
  await db?.stop();
  if (db) removeDataDir(db.dataDir);
});

const timed = async <T>(work: () => Promise<T>) => {
  const startedAt = performance.now();
  const result = await work();
  return { result, ms: performance.now() - startedAt };
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(process.env.MONGODB_URI)('the embedded database killed in the middle of a vote burst', () => {
  it('answers 503 within 2 s while it is away, is back within 10 s, and keeps every acknowledged vote', async () => {
    const author = new HttpClient(run.url);
    await author.session();
    const ideaIds: string[] = [];
    for (const title of ['Helplines open at night', 'Evidence kits in libraries', 'Training for moderators']) {
      ideaIds.push((await author.request('POST', '/api/ideas', { area: 'individuals', title, body: '' })).body.idea.id);
    }
    const voters = await Promise.all(
      Array.from({ length: 200 }, async () => {
        const voter = new HttpClient(run.url);
        await voter.session();
        return voter;
      }),
    );

    // The burst: a new voter every 10 ms votes for each idea in turn, for two seconds; FerretDB dies after half a second.
    const acknowledged: { ideaId: string; voter: HttpClient }[] = [];
    const refused: { status: number; code: string; ms: number; startedAt: number }[] = [];
    let killedAt = Infinity;
    const burst = voters.map(async (voter, i) => {
      await sleep(i * 10);
      for (const ideaId of ideaIds) {
        const startedAt = performance.now();
        const { result, ms } = await timed(() => voter.request('PUT', `/api/ideas/${ideaId}/vote`));
        if (result.status === 200) acknowledged.push({ ideaId, voter });
        else refused.push({ status: result.status, code: result.body?.error?.code, ms, startedAt });
        await sleep(30);
      }
    });
    // Timed where they are answered: this test's own requests share the process and its event loop.
    const served: { arrivedAt: number; ms: number; status: number }[] = [];
    const timing = (req: IncomingMessage, res: ServerResponse) => {
      if (!/^\/api\/ideas\/[^/]+\/vote$/.test(req.url ?? '')) return;
      const arrivedAt = performance.now();
      res.once('finish', () => served.push({ arrivedAt: arrivedAt - killedAt, ms: performance.now() - arrivedAt, status: res.statusCode }));
    };
    run.board.httpServer.prependListener('request', timing);
    await sleep(500);
    const pid = db.pid()!;
    killedAt = performance.now();
    process.kill(pid, 'SIGKILL');
    // Still away once the burst is over (it is restarted 6 s after it died): each kind of request in turn.
    const whileDown = (async () => {
      await Promise.all(burst);
      expect(performance.now() - killedAt).toBeLessThan(5_000);
      const down = await timed(() => fetch(`${run.url}/api/healthz`));
      expect(down.result.status).toBe(503);
      expect(down.ms).toBeLessThan(1_000);
      const post = await timed(() => author.request('POST', '/api/ideas', { area: 'police', title: 'Written while the database is away', body: '' }));
      expect(post.result).toMatchObject({ status: 503, body: { error: { code: 'UNAVAILABLE' } } });
      expect(post.ms).toBeLessThan(2_000);
      const session = await timed(() => author.request('GET', '/api/session'));
      expect(session.result.status).toBe(503);
      expect(session.ms).toBeLessThan(2_000);
      const page = await timed(() => fetch(`${run.url}/`, { headers: { cookie: author.cookie } }));
      expect(page.result.status).toBe(503);
      expect(await page.result.text()).toMatch(/briefly unavailable/);
      expect(page.ms).toBeLessThan(2_000);
      // A socket handshake is answered: refused with UNAVAILABLE when it needs the session, accepted without one.
      const handshake = await timed(() => openSocket(run.url, author.cookie).then(() => 'connected', (error: Error) => error.message));
      expect(handshake.result).toMatch(/UNAVAILABLE/);
      expect(handshake.ms).toBeLessThan(2_000);
      (await openSocket(run.url)).close();
    })();
    await whileDown;
    run.board.httpServer.off('request', timing);

    // Some votes were refused, each as UNAVAILABLE; none as INTERNAL.
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r).toMatchObject({ status: 503, code: 'UNAVAILABLE' });
    // Every vote that reached the server while it was away was answered within 2 s; those in flight
    // when it died wait for the driver to give up on their connection, once.
    const whileAway = served.filter((a) => a.arrivedAt >= 0);
    expect(whileAway.length).toBeGreaterThan(50);
    const slowest = whileAway.reduce((a, b) => (b.ms > a.ms ? b : a));
    expect(slowest.ms, JSON.stringify(slowest)).toBeLessThan(2_000);
    expect(Math.max(...served.map((a) => a.ms))).toBeLessThan(4_000);
    expect(served.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);

    // Back by itself within 10 s of the kill, with a new FerretDB process, and writes accepted again.
    await expect.poll(async () => (await fetch(`${run.url}/api/healthz`)).status, { timeout: 10_000 - (performance.now() - killedAt), interval: 100 }).toBe(200);
    expect(db.pid()).not.toBe(pid);
    expect(performance.now() - killedAt).toBeLessThan(10_000);
    const again = await voters[0]!.request('PUT', `/api/ideas/${ideaIds[2]}/vote`);
    expect(again.status).toBe(200);
    expect((await author.request('POST', '/api/ideas', { area: 'police', title: 'Written once it is back', body: '' })).status).toBe(201);

    // Every acknowledged vote is stored.
    const voterIds = new Map<HttpClient, string>();
    for (const voter of voters) voterIds.set(voter, (await voter.request('GET', '/api/session')).body.user.id);
    const stored = new Set((await Vote.find({}, { idea: 1, voter: 1 }).lean()).map((v) => `${v.idea}:${v.voter}`));
    for (const { ideaId, voter } of acknowledged) expect(stored.has(`${ideaId}:${voterIds.get(voter)}`)).toBe(true);
    expect(acknowledged.length).toBeGreaterThan(0);
    // And the counts on the board are those votes, not more.
    const listed = (await author.request('GET', '/api/ideas?area=individuals')).body.ideas as { id: string; votes: number }[];
    // (Votes whose write was cut short may be stored unacknowledged: the board counts again once it is back.)
    const counted = async () => ((await author.request('GET', '/api/ideas?area=individuals')).body.ideas as { id: string; votes: number }[]).map((idea) => idea.votes);
    const storedCounts = listed.map((idea) => [...stored].filter((key) => key.startsWith(`${idea.id}:`)).length);
    await expect.poll(counted, { timeout: 5_000 }).toEqual(storedCounts);
  }, 60_000);
});
