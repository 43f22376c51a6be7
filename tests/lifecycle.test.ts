import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Vote } from '../models/index.js';
import { connectDatabase } from '../server/platform/database.js';
import { HttpClient, removeDataDir, startDatabase, stopDatabaseConnection } from './harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FACILITATOR_CODE = 'lights-out-at-the-end';
const STOP_WITHIN_MS = 10_000;

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A process as /proc knows it: the start time tells a pid apart from a later process given the same number. */
interface ProcessId {
  pid: number;
  startTime: string;
  comm: string;
}

function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return [stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ...stat.slice(stat.lastIndexOf(')') + 2).split(' ')];
  } catch {
    return null;
  }
}

function identify(pid: number): ProcessId | null {
  const stat = procStat(pid);
  // After the command name: state is field 3 of stat, start time field 22.
  return stat ? { pid, comm: stat[0]!, startTime: stat[20]! } : null;
}

function stillRunning(p: ProcessId): boolean {
  const stat = procStat(p.pid);
  return stat !== null && stat[20] === p.startTime && stat[1] !== 'Z' && stat[1] !== 'X';
}

function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** The process and all its descendants, as they are now. */
function processTree(pid: number): ProcessId[] {
  const self = identify(pid);
  return self ? [self, ...childPids(pid).flatMap(processTree)] : [];
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The app as an operator runs it: `npm start`, on a free port, with its embedded FerretDB. */
class NpmStart {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The board's address once it listens. */
  readonly ready: Promise<string>;
  private output = '';
  private readonly waiters: { test: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];

  constructor(
    readonly child: ChildProcess,
    startTimeoutMs = 60_000,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
    createInterface({ input: child.stdout! }).on('line', (text) => {
      this.output += `${text}\n`;
      if (!text.startsWith('{')) return;
      const line = JSON.parse(text) as LogLine;
      this.lines.push(line);
      for (const waiter of [...this.waiters]) {
        if (!waiter.test(line)) continue;
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    });
    this.ready = withTimeout(
      Promise.race([
        this.waitFor((line) => typeof line.url === 'string'),
        this.exited.then(({ code }) => Promise.reject(new Error(`npm start exited with ${code}:\n${this.output}`))),
      ]),
      startTimeoutMs,
      'npm start listening',
    ).then((line) => `http://127.0.0.1:${new URL(line.url as string).port}`);
  }

  static run(dataDir: string): NpmStart {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, FACILITATOR_CODE, LOG_LEVEL: 'info' };
    delete env.MONGODB_URI;
    delete env.REDIS_URL;
    return new NpmStart(spawn('npm', ['start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
  }

  waitFor(test: (line: LogLine) => boolean): Promise<LogLine> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  log(): string {
    return this.output;
  }
}

describe('npm start and a signal to npm', () => {
  const dataDirs: string[] = [];
  const apps: NpmStart[] = [];
  const seen: ProcessId[] = [];

  beforeAll(() => {
    for (const built of ['build/server/main.js', 'client/build/handler.js']) {
      if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm run build\` first (npm test does).`);
    }
  });

  afterAll(() => {
    // After a failure: npm killed alone would leave the app and its database running.
    for (const p of seen) if (stillRunning(p)) process.kill(p.pid, 'SIGKILL');
    for (const app of apps) if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill('SIGKILL');
    for (const dir of dataDirs) removeDataDir(dir);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops npm, node and FerretDB within 10 s of a %s, keeping every acknowledged vote', async (signal) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'reclaim-lifecycle-'));
    dataDirs.push(dataDir);
    const app = NpmStart.run(dataDir);
    apps.push(app);
    const url = await app.ready;
    const npmPid = app.child.pid!;

    const tree = new Map<string, ProcessId>();
    const collectTree = () => {
      for (const p of processTree(npmPid)) {
        tree.set(`${p.pid}:${p.startTime}`, p);
        seen.push(p);
      }
    };
    collectTree();
    // The script execs node, so no shell sits between npm and the app to swallow the signal.
    expect([...tree.values()].map((p) => p.comm)).not.toContain('sh');
    expect([...tree.values()].map((p) => p.comm)).toContain('ferretdb');

    // The request id: a sane one from a proxy is kept, anything else replaced; a refused request logs it, without its cookie.
    const probe = new HttpClient(url);
    const kept = await fetch(`${url}/api/healthz`, { headers: { 'x-request-id': 'proxy-4f2a.17' } });
    expect(kept.headers.get('x-request-id')).toBe('proxy-4f2a.17');
    const replaced = await fetch(`${url}/api/healthz`, { headers: { 'x-request-id': '"}{"level":60,"msg":"forged' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const refused = await probe.request(
      'POST',
      '/api/ideas',
      { area: 'employers', title: 'No session yet' },
      { 'x-request-id': 'no-session-1', cookie: 'reclaim_session=stale-token-kept-out-of-logs' },
    );
    expect(refused.status).toBe(401);
    const warning = await withTimeout(app.waitFor((line) => line.reqId === 'no-session-1'), 5_000, 'log line of the refused request');
    expect(warning).toMatchObject({ level: 40, req: { method: 'POST', url: '/api/ideas' }, res: { statusCode: 401 } });
    expect(JSON.stringify(warning)).not.toContain('stale-token-kept-out-of-logs');

    const author = new HttpClient(url);
    await author.session();
    const posted = await author.request('POST', '/api/ideas', { area: 'employers', title: 'Lights out, votes kept', body: 'A stop keeps what was acknowledged.' });
    expect(posted.status).toBe(201);
    const ideaId = posted.body.idea.id as string;

    const voters = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const voter = new HttpClient(url);
        return { client: voter, id: await voter.session() };
      }),
    );
    const acknowledged = new Set<string>();
    const vote = async (voter: (typeof voters)[number]) => {
      const { status } = await voter.client.request('PUT', `/api/ideas/${ideaId}/vote`);
      if (status === 200) acknowledged.add(voter.id);
    };

    // Half vote before the signal; the other half are on their way when it arrives.
    await Promise.all(voters.slice(0, 20).map(vote));
    expect(acknowledged.size).toBe(20);
    collectTree();
    const inFlight = voters.slice(20).map((voter) => vote(voter).catch(() => undefined));
    app.child.kill(signal);

    const exit = await withTimeout(app.exited, STOP_WITHIN_MS, `npm start stopping after ${signal}`);
    await Promise.all(inFlight);
    expect(exit, app.log()).toEqual({ code: 0, signal: null });
    expect(app.lines.map((line) => line.msg)).toContain('stopped');
    expect(app.lines.filter((line) => line.level >= 50)).toEqual([]);

    expect(tree.size).toBeGreaterThanOrEqual(3);
    expect([...tree.values()].filter(stillRunning)).toEqual([]);

    // The data folder, opened afresh, holds every vote that was acknowledged.
    const db = await startDatabase(dataDir);
    try {
      await connectDatabase(db.uri);
      const stored = await Vote.find({ idea: ideaId }, { voter: 1 }).lean();
      const storedVoters = new Set(stored.map((v) => v.voter.toString()));
      expect([...acknowledged].filter((id) => !storedVoters.has(id))).toEqual([]);
    } finally {
      await stopDatabaseConnection();
      await db.stop();
    }
  });
});
