import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppProcess } from '../scripts/bench/app-process.js';
import { ChildSet } from '../scripts/bench/ipc.js';
import { io as connect } from 'socket.io-client';
import { freePort, startFerretDb, startRedis, type Service } from '../scripts/bench/services.js';
import { ask, HttpClient, nextEvent, openSocket, type ClientSocket } from './harness.js';
import { startPostgres } from './postgres.js';

/**
 * docs/deploy.md, run: two app servers as `npm start` runs them, one FerretDB on Debian's PostgreSQL
 * (not the embedded SQLite), one Redis. A vote on either reaches the other's viewers; restarting
 * either, even by SIGKILL, loses no acknowledged vote; Redis going away leaves both serving, and
 * once it is back they catch up and join again. Last, deploy/nginx.conf in front of both.
 */

const FACILITATOR_CODE = 'two-servers-one-hall';
const children = new ChildSet();
const dataDir = mkdtempSync(join(tmpdir(), 'reclaim-deploy-'));
let postgres: Service;
let ferret: Service;
let redis: Service;
const apps: AppProcess[] = [];
const sockets: ClientSocket[] = [];

const startApp = (i: number) =>
  AppProcess.start(children, {
    cpus: null,
    dataDir: join(dataDir, `app-${i}`),
    timeoutMs: 90_000,
    shared: { mongodbUri: ferret.url, redisUrl: redis.url, facilitatorCode: FACILITATOR_CODE },
  });

async function viewerOf(app: AppProcess, area: string): Promise<ClientSocket> {
  const socket = await openSocket(app.url);
  sockets.push(socket);
  expect((await ask(socket, 'board:watch', { area })).ok).toBe(true);
  return socket;
}

async function newIdea(app: AppProcess, area: string, title: string): Promise<string> {
  const author = new HttpClient(app.url);
  await author.session();
  const created = await author.request('POST', '/api/ideas', { area, title });
  expect(created.status).toBe(201);
  return created.body.idea.id as string;
}

/** One new guest's vote on `app`, acknowledged (200) with the count it made. */
async function vote(app: AppProcess, ideaId: string): Promise<number> {
  const voter = new HttpClient(app.url);
  await voter.session();
  const cast = await voter.request('PUT', `/api/ideas/${ideaId}/vote`);
  expect(cast.status).toBe(200);
  return cast.body.votes as number;
}

const votesOn = async (app: AppProcess, ideaId: string) => (await new HttpClient(app.url).request('GET', `/api/ideas/${ideaId}`)).body.idea.votes as number;
const health = async (app: AppProcess) => {
  const response = await fetch(`${app.url}/api/healthz`);
  return { status: response.status, ...((await response.json()) as { ok: boolean; db: string; redis?: string }) };
};
const counted = (ideaId: string, n: number) => (p: { counts: Record<string, number> }) => p.counts[ideaId] === n;

beforeAll(async () => {
  postgres = await startPostgres();
  ferret = await startFerretDb({ dataDir, postgresqlUrl: postgres.url });
  redis = await startRedis();
  apps.push(...(await Promise.all([startApp(0), startApp(1)])));
}, 180_000);

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await children.stopAll();
  await redis?.stop();
  await ferret?.stop();
  await postgres?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('two app servers on FerretDB over PostgreSQL, joined by Redis', () => {
  it('shows a vote on one server to a viewer on the other', async () => {
    const [a, b] = apps as [AppProcess, AppProcess];
    expect(await health(a)).toMatchObject({ status: 200, ok: true, db: 'up', redis: 'up' });
    const viewerOnB = await viewerOf(b, 'platforms');
    const created = nextEvent(viewerOnB, 'idea:created');
    const ideaId = await newIdea(a, 'platforms', 'Platforms answer reports within a day');
    expect((await created).idea.id).toBe(ideaId);
    const seen = nextEvent(viewerOnB, 'tally:changed', counted(ideaId, 1));
    expect(await vote(a, ideaId)).toBe(1);
    await seen;
    expect(await votesOn(b, ideaId)).toBe(1);
  });

  it('loses no acknowledged vote when either server restarts, even killed', async () => {
    const ideaId = await newIdea(apps[0]!, 'police', 'Officers trained in online abuse');
    let acknowledged = 0;
    const castOnBoth = async (n: number) => {
      for (let i = 0; i < n; i++) acknowledged = Math.max(acknowledged, await vote(apps[i % 2]!, ideaId));
    };
    await castOnBoth(6);
    expect(acknowledged).toBe(6);

    // A killed (no drain, no goodbye), then B stopped as an operator stops it: each comes back from the database.
    for (const [index, signal] of [[0, 'SIGKILL'], [1, 'SIGTERM']] as const) {
      const old = apps[index]!;
      const exited = new Promise((resolve) => old.child.once('exit', resolve));
      old.child.kill(signal);
      await exited;
      apps[index] = await startApp(index);
      for (const app of apps) expect(await votesOn(app, ideaId)).toBe(acknowledged);
      const other = apps[1 - index]!;
      const viewer = await viewerOf(other, 'police');
      const seen = nextEvent(viewer, 'tally:changed', counted(ideaId, acknowledged + 1));
      acknowledged = await vote(apps[index]!, ideaId);
      await seen;
      await castOnBoth(2);
    }
    for (const app of apps) await expect.poll(() => votesOn(app, ideaId), { timeout: 5_000 }).toBe(acknowledged);
    expect(acknowledged).toBe(12);
  }, 240_000);

  it('keeps serving while Redis is away, and catches up and joins again when it is back', async () => {
    const [a, b] = apps as [AppProcess, AppProcess];
    const ideaId = await newIdea(a, 'employers', 'Employers log abuse aimed at staff');
    await expect.poll(() => votesOn(b, ideaId).catch(() => -1), { timeout: 5_000 }).toBe(0);
    // Someone who voted through a, to be notified by a while Redis is away, and who reads the board through b.
    const follower = new HttpClient(a.url);
    await follower.session();
    expect((await follower.request('PUT', `/api/ideas/${ideaId}/vote`)).body.votes).toBe(1);
    await expect.poll(() => votesOn(b, ideaId), { timeout: 5_000 }).toBe(1);
    const followerOnB = new HttpClient(b.url);
    followerOnB.cookie = follower.cookie;
    const theirs = (await follower.request('POST', '/api/ideas', { area: 'employers', title: 'Paid time off after a pile-on' })).body.idea.id as string;
    const port = Number(new URL(redis.url).port);
    redis.child.kill('SIGKILL');
    await redis.stop();
    for (const app of [a, b]) await expect.poll(async () => (await health(app)).redis, { timeout: 10_000 }).toBe('down');
    for (const app of [a, b]) expect(await health(app)).toMatchObject({ status: 200, ok: true, db: 'up' });

    // Both serve alone: votes, a new idea (under the server's own lock), sessions (limits in memory).
    expect(await vote(a, ideaId)).toBe(2);
    expect(await vote(a, ideaId)).toBe(3);
    expect(await vote(b, ideaId)).toBe(2);
    const whileAway = await newIdea(b, 'employers', 'A page for staff to report abuse');
    // Shortlisted on a: the follower's notification is stored, but b does not hear of it.
    const staff = new HttpClient(a.url);
    await staff.session();
    expect((await staff.request('POST', '/api/facilitator/session', { code: FACILITATOR_CODE })).status).toBe(200);
    expect((await staff.request('PUT', `/api/ideas/${ideaId}/status`, { status: 'shortlisted' })).status).toBe(200);
    expect((await staff.request('POST', `/api/ideas/${theirs}/hide`)).status).toBe(200);

    redis = await startRedis(port);
    for (const app of [a, b]) await expect.poll(async () => (await health(app)).redis, { timeout: 15_000 }).toBe('up');
    // The messages of the gap are lost: each server reads the database again and its counts converge.
    for (const app of [a, b]) await expect.poll(() => votesOn(app, ideaId), { timeout: 10_000 }).toBe(4);
    await expect.poll(() => votesOn(a, whileAway).catch(() => -1), { timeout: 10_000 }).toBe(0);
    // b read the notifications again too: its header counts the one stored by a in the gap.
    await expect.poll(async () => (await followerOnB.request('GET', '/api/notifications')).body.unread, { timeout: 10_000 }).toBe(1);
    // And who has what off the board: the area page b serves lists the idea a took down, for its author.
    const areaPage = async () => (await fetch(`${b.url}/areas/employers`, { headers: { cookie: follower.cookie } })).text();
    await expect.poll(async () => /Yours, not on the board:[\s\S]*Paid time off after a pile-on/.test(await areaPage()), { timeout: 10_000 }).toBe(true);

    const viewerOnB = await viewerOf(b, 'employers');
    const seen = nextEvent(viewerOnB, 'tally:changed', counted(ideaId, 5), 10_000);
    expect(await vote(a, ideaId)).toBe(5);
    await seen;
  }, 120_000);

  it('serves both through deploy/nginx.conf: pages, API, and Socket.IO from long-polling up to WebSocket', async () => {
    const nginx = await startNginx(apps);
    try {
      expect((await fetch(`${nginx.url}/api/healthz`)).status).toBe(200);
      const author = new HttpClient(nginx.url);
      await author.session();
      const created = await author.request('POST', '/api/ideas', { area: 'individuals', title: 'Helplines open in the evening' });
      expect(created.status).toBe(201);
      const ideaId = created.body.idea.id as string;

      // As browsers connect: each with its session cookie, polling first, then upgrading.
      const viewers = await Promise.all(
        Array.from({ length: 6 }, async () => {
          const visitor = new HttpClient(nginx.url);
          await visitor.session();
          const socket: ClientSocket = connect(nginx.url, { extraHeaders: { cookie: visitor.cookie }, reconnection: false, forceNew: true });
          sockets.push(socket);
          await new Promise<void>((resolve, reject) => {
            socket.once('connect', resolve);
            socket.once('connect_error', reject);
          });
          expect((await ask(socket, 'board:watch', { area: 'individuals' })).ok).toBe(true);
          return socket;
        }),
      );
      const seen = Promise.all(viewers.map((v) => nextEvent(v, 'tally:changed', counted(ideaId, 1), 10_000)));
      const voter = new HttpClient(nginx.url);
      await voter.session();
      expect((await voter.request('PUT', `/api/ideas/${ideaId}/vote`)).status).toBe(200);
      await seen;
      for (const socket of viewers) await expect.poll(() => socket.io.engine.transport.name).toBe('websocket');
      // A page through the proxy, its form posts checked against the proxied Host.
      const page = await fetch(`${nginx.url}/areas/individuals`);
      expect(page.status).toBe(200);
    } finally {
      await nginx.stop();
    }
  });
});

/** nginx with deploy/nginx.conf, its upstreams swapped for `apps`, on a free loopback port, plain HTTP. */
async function startNginx(servers: AppProcess[]): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-nginx-'));
  chmodSync(dir, 0o777);
  const upstreams = servers.map((app) => `    server ${new URL(app.url).host} max_fails=2 fail_timeout=5s;\n`).join('');
  const conf = readFileSync(join(import.meta.dirname, '..', 'deploy', 'nginx.conf'), 'utf8')
    .replace(/((?:^|\n)  upstream \w+ \{\n(?:    hash [^\n]*\n)?)(?:    server [^\n]*\n)+/g, `$1${upstreams}`)
    .replace(/\n  server \{\n    listen 80;[\s\S]*?\n  \}\n/, '\n')
    .replace('listen 443 ssl;', `listen 127.0.0.1:${port};`)
    .replace(/ *ssl_certificate[^\n]*\n/g, '')
    .replace(/^worker_processes auto;/m, `worker_processes 1;\ndaemon off;\npid ${dir}/nginx.pid;\nerror_log stderr warn;`)
    .replace('http {\n', `http {\n  access_log off;\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n  fastcgi_temp_path ${dir}/fastcgi;\n  uwsgi_temp_path ${dir}/uwsgi;\n  scgi_temp_path ${dir}/scgi;\n`);
  expect(conf).not.toContain('10.0.0.');
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child: ChildProcess = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await expect.poll(async () => (child.exitCode !== null ? `exited: ${stderr}` : (await fetch(`${url}/api/healthz`).then((r) => r.status, () => 0))), { timeout: 10_000 }).toBe(200);
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // Fast shutdown: a graceful one waits for the sockets to close.
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
