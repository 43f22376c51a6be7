import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { Vote } from '../models/index.js';
import { FERRET_BINARY } from '../server/platform/ferret-binary.js';
import { FACILITATOR_CODE, HttpClient, signUpByLink, removeDataDir, startBoard, startDatabase, stopDatabaseConnection } from './harness.js';

const dataDirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dataDirs) removeDataDir(dir);
});

async function seed(url: string, voterCount: number) {
  const author = new HttpClient(url);
  await author.session();
  const { body } = await author.request('POST', '/api/ideas', { area: 'employers', title: 'Employers log abuse of staff', body: 'And act on it.' });
  const ideaId = body.idea.id as string;
  const voters = await Promise.all(
    Array.from({ length: voterCount }, async () => {
      const voter = new HttpClient(url);
      await voter.session();
      return voter;
    }),
  );
  const acks = await Promise.all(voters.map((v) => v.request('PUT', `/api/ideas/${ideaId}/vote`)));
  expect(acks.every((a) => a.status === 200)).toBe(true);
  return { ideaId, voters };
}

describe('durability', () => {
  it('keeps ideas, votes and counts across a stop and restart on the same data folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reclaim-restart-'));
    dataDirs.push(dir);
    let db = await startDatabase(dir);
    let run = await startBoard(db.uri);
    const { ideaId, voters } = await seed(run.url, 25);
    await voters[0]!.request('DELETE', `/api/ideas/${ideaId}/vote`);
    // An index earlier versions built and nothing reads: the restart drops it.
    await Vote.collection.createIndex({ voter: 1 });
    await run.stop();
    await stopDatabaseConnection();
    await db.stop();

    db = await startDatabase(dir);
    run = await startBoard(db.uri);
    try {
      const reader = new HttpClient(run.url);
      reader.cookie = voters[1]!.cookie;
      const { body } = await reader.request('GET', '/api/ideas?area=employers');
      expect(body.ideas).toHaveLength(1);
      expect(body.ideas[0]).toMatchObject({ id: ideaId, title: 'Employers log abuse of staff', votes: 24, votedByMe: true });
      const areas = await reader.request('GET', '/api/areas');
      expect(areas.body.find((a: { slug: string }) => a.slug === 'employers').ideaCount).toBe(1);
      expect((await reader.request('GET', '/api/session')).body.user.kind).toBe('guest');
      // The restarted board knows who voted for what, so taking a vote back still works.
      const retract = await reader.request('DELETE', `/api/ideas/${ideaId}/vote`);
      expect(retract.body).toEqual({ ideaId, votes: 23, votedByMe: false });
      expect(await Vote.countDocuments({ idea: ideaId })).toBe(23);
      const indexes = (await Vote.collection.indexes()).map((index) => index.name);
      expect(indexes).toContain('idea_1_voter_1');
      expect(indexes).not.toContain('voter_1');
    } finally {
      await run.stop();
      await stopDatabaseConnection();
      await db.stop();
    }
  });

  it('keeps a closed session\'s frozen results, with their breakdown by group, across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reclaim-results-'));
    dataDirs.push(dir);
    let db = await startDatabase(dir);
    let run = await startBoard(db.uri);
    const staff = new HttpClient(run.url);
    await staff.session();
    expect((await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    const { ideaId } = await seed(run.url, 2);
    // An idea nobody voted for has an empty breakdown, which must come back as one.
    const { body: unvoted } = await staff.request('POST', '/api/ideas', { area: 'employers', title: 'An idea nobody voted for' });
    const { body: session } = await staff.request('POST', '/api/live', { title: 'Kept', ideaIds: [ideaId, unvoted.idea.id] });
    expect((await staff.request('POST', `/api/live/${session.code}/control`, { action: 'publish' })).status).toBe(200);
    for (const [i, group] of ['school', 'school', 'school'].entries()) {
      const member = new HttpClient(run.url);
      await member.session();
      expect((await signUpByLink(member, run.dataDir, { email: `kept-${i}@example.org`, password: 'correct horse battery staple', name: 'Kept' })).status).toBe(200);
      expect((await member.request('PATCH', '/api/profile', { group })).status).toBe(200);
      expect((await member.request('PUT', `/api/ideas/${ideaId}/vote`, { code: session.code })).status).toBe(200);
    }
    expect((await staff.request('POST', `/api/live/${session.code}/control`, { action: 'close' })).status).toBe(200);
    const before = (await staff.request('GET', `/api/live/${session.code}/results`)).body;
    // The room's own votes: the board's two guest votes stand apart, as `online`.
    expect(before.rows.map((row: { votes: number; groups: unknown }) => [row.votes, row.groups])).toEqual([
      [3, { school: 3 }],
      [0, {}],
    ]);
    await run.stop();
    await stopDatabaseConnection();
    await db.stop();

    db = await startDatabase(dir);
    run = await startBoard(db.uri);
    try {
      const after = await new HttpClient(run.url).request('GET', `/api/live/${session.code}/results`);
      expect(after.body).toMatchObject({ final: true, closedAt: before.closedAt, rows: before.rows, groups: { school: 3 } });
    } finally {
      await run.stop();
      await stopDatabaseConnection();
      await db.stop();
    }
  });

  it('keeps every acknowledged vote when the app process is killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reclaim-crash-'));
    dataDirs.push(dir);
    const first = await startApp(dir);
    const { ideaId } = await seed(first.url, 60);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    await embeddedDatabaseGone(dir);

    const second = await startApp(dir);
    const { body } = await new HttpClient(second.url).request('GET', `/api/ideas/${ideaId}`);
    expect(body.idea.votes).toBe(60);
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
  });

  // Without it, FerretDB's SQLite backend scans the whole table for each delete: every retracted vote
  // would cost the database time in proportion to all the votes stored.
  it.skipIf(process.env.MONGODB_URI)('gives every collection of the embedded database the index its deletes by _id use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'reclaim-index-'));
    dataDirs.push(dir);
    const db = await startDatabase(dir);
    const run = await startBoard(db.uri);
    try {
      const { ideaId, voters } = await seed(run.url, 3);
      const report = () => {
        const out = spawnSync(FERRET_BINARY, ['-data', join(dir, 'ferretdb'), '-report-id-indexes'], { encoding: 'utf8' });
        expect(out.status, out.stderr).toBe(0);
        return out.stdout.trim().split('\n').map((line) => line.split(' '));
      };
      const deadline = Date.now() + 10_000;
      let tables = report();
      while (tables.some(([, , indexed]) => indexed !== 'true') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        tables = report();
      }
      expect(tables.map(([, table]) => table)).toEqual(expect.arrayContaining([expect.stringMatching(/^votes_/), expect.stringMatching(/^ideas_/)]));
      expect(tables.filter(([, , indexed]) => indexed !== 'true')).toEqual([]);
      // Deletes through it still take the right vote back.
      expect((await voters[0]!.request('DELETE', `/api/ideas/${ideaId}/vote`)).body).toMatchObject({ votes: 2, votedByMe: false });
      expect(await Vote.countDocuments({ idea: ideaId })).toBe(2);
    } finally {
      await run.stop();
      await stopDatabaseConnection();
      await db.stop();
    }
  });
});

/** The real entry point, as `npm start` runs it, on a free port. */
async function startApp(dataDir: string, uri = databaseFor(dataDir)): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MONGODB_URI: uri },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let errors = '';
  child.stderr!.on('data', (chunk) => (errors += chunk));
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start within 60 s: ${errors}`)), 60_000);
    lines.on('line', (line) => {
      const match = /on (http:\/\/localhost:\d+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    child.once('exit', (code) => reject(new Error(`app exited with ${code}: ${errors}`)));
  });
  return { child, url };
}

/** With MONGODB_URI set the app uses that server (one database per data folder); otherwise its embedded FerretDB. */
function databaseFor(dataDir: string): string {
  if (!process.env.MONGODB_URI) return '';
  const url = new URL(process.env.MONGODB_URI);
  url.pathname = `/reclaim_test_${dataDir.split('-').at(-1)}`;
  return url.toString();
}

/** FerretDB leaves when its parent's pipe closes; wait (bounded) until it has let go of the folder. */
async function embeddedDatabaseGone(dataDir: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (spawnSync('pgrep', ['-f', `ferretdb -data ${join(dataDir, 'ferretdb')}`]).status === 0) {
    if (Date.now() > deadline) throw new Error('the embedded database outlived its app by 15 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
