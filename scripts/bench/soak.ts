import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AREA_SLUGS } from '../../realtime/vocabulary.js';
import { AppProcess } from './app-process.js';
import { seed } from './cluster.js';
import { createLiveSession, createSession, signInFacilitator } from './http-client.js';
import { ChildSet, choosePinning, now, pinProcess, sleep, Worker, WORKER_DIR, type Api } from './ipc.js';
import { voteOutcome, type Latency } from './measure.js';
import type { ParticipantApi } from './participants.js';
import type { ViewerApi } from './viewers.js';

/**
 * `npm run soak -- --minutes 10`: the real app under a steady load for a long while, minute by
 * minute: board viewers and a live session's phones watching, votes and comments flowing. Each
 * minute reports vote → every viewer p99, the app's RSS and heap after a forced GC, event-loop lag
 * and open handles. The same workers as the bench (scripts/bench), the same pinning.
 */
interface SoakPlan {
  minutes: number;
  viewers: number;
  phones: number;
  rate: number;
  comments: number;
  participants: number;
  outDir: string;
}

interface Minute {
  minute: number;
  board: Latency;
  phones: Latency;
  ack: Latency;
  votes: { sent: number; accepted: number; failures: Record<string, number> };
  comments: { sent: number; accepted: number };
  rssBytes: number;
  heapBytes: number;
  lag: { p99: number; max: number; mean: number };
  handles: number;
  storedVotes: number;
}

const USAGE = `npm run soak -- [--minutes N] [--viewers N] [--phones N] [--rate VOTES_PER_S] [--comments PER_S] [--out DIR]
  defaults: 10 minutes, 5000 board viewers, 500 phones in one live session, 500 votes/s, 10 comments/s;
  smaller sizes prove it runs (e.g. --minutes 1 --viewers 200 --phones 50 --rate 50 --comments 2)`;

function parse(argv: string[]): SoakPlan | null {
  const plan = { minutes: 10, viewers: 5_000, phones: 500, rate: 500, comments: 10, outDir: 'bench-results' };
  const numbers = { '--minutes': 'minutes', '--viewers': 'viewers', '--phones': 'phones', '--rate': 'rate', '--comments': 'comments' } as const;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return null;
    if (arg === '--out' && argv[i + 1]) plan.outDir = argv[++i]!;
    else if (arg in numbers && Number(argv[i + 1]) >= 0) plan[numbers[arg as keyof typeof numbers]] = Number(argv[++i]);
    else throw new Error(`unknown or incomplete argument ${arg}\n${USAGE}`);
  }
  if (plan.minutes < 1 || plan.rate <= 0) throw new Error(`--minutes and --rate must be positive\n${USAGE}`);
  // Enough people that none nears the per-account limits (300 votes a minute, 10 comments in ten minutes).
  const participants = Math.max(100, Math.min(2_000, Math.ceil(plan.viewers / 2)), Math.ceil((plan.comments * 600) / 8));
  return { ...plan, participants, outDir: resolve(plan.outDir) };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const split = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
const sources = (worker: number) => Array.from({ length: 8 }, (_, j) => `127.0.0.${2 + worker * 8 + j}`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Installed once in the app by the first call, then read and reset each minute. */
const PROBE = `(() => {
  const { monitorEventLoopDelay } = process.getBuiltinModule('node:perf_hooks');
  const h = (globalThis.__soakLag ??= (() => { const m = monitorEventLoopDelay({ resolution: 10 }); m.enable(); return m; })());
  const lag = { p99: h.percentile(99) / 1e6, max: h.max / 1e6, mean: h.mean / 1e6 };
  h.reset();
  return { lag, handles: process.getActiveResourcesInfo().length, heapBytes: process.memoryUsage().heapUsed };
})()`;

async function soak(plan: SoakPlan, children: ChildSet, dataDir: string): Promise<Minute[]> {
  const pinning = choosePinning();
  pinProcess(process.pid, pinning.load);
  const spawn = <A extends Api>(name: string, file: string) => new Worker<A>(name, children.spawnNode(join(WORKER_DIR, file), { cpus: pinning.load, ipc: true }));
  const viewerWorkers = Array.from({ length: 2 }, (_, i) => spawn<ViewerApi>(`viewers ${i + 1}`, 'viewers.ts'));
  const app = await AppProcess.start(children, { cpus: pinning.server, dataDir, timeoutMs: 90_000 });
  const area = AREA_SLUGS[0]!;
  const ideasPerMinute = Math.ceil((plan.rate * 60) / plan.participants) + 1;
  log(`seeding ${plan.participants} participants and ${ideasPerMinute * plan.minutes} ideas`);
  const { cookies, sets } = await seed(app.url, plan.participants, plan.minutes, ideasPerMinute, area);
  const facilitator = await signInFacilitator(app.url, await createSession(app.url), app.facilitatorCode);
  const code = await createLiveSession(app.url, facilitator, { title: 'Soak hall', areas: [area] });

  const connect = async (count: number, params: Partial<ViewerApi['connect']['params']>) => {
    const counts = split(count, viewerWorkers.length);
    const replies = await Promise.all(
      viewerWorkers.map((w, i) =>
        w.request('connect', { target: 'board', url: app.url, count: counts[i]!, area, sources: sources(i), concurrency: 32, timeoutMs: 10_000, ...params }, 60_000 + counts[i]! * 10),
      ),
    );
    const connected = sum(replies.map((r) => r.connected));
    if (connected < count) throw new Error(`only ${connected} of ${count} connected (${replies.find((r) => r.firstError)?.firstError})`);
  };
  log(`connecting ${plan.viewers} board viewers and ${plan.phones} phones`);
  await connect(plan.viewers, { group: 'board' });
  if (plan.phones > 0) await connect(plan.phones, { target: 'live', area: null, code, group: 'phones' });
  const voters = spawn<ParticipantApi>('participants', 'participants.ts');
  const people = await voters.request('connect', { url: app.url, cookies, count: plan.participants, sources: sources(2), concurrency: 16, timeoutMs: 10_000 }, 120_000);
  if (people.failed > 0) throw new Error(`${people.failed} participants could not connect (${people.firstError})`);

  const minutes: Minute[] = [];
  await app.evaluate(PROBE);
  let stored = 0;
  for (let m = 0; m < plan.minutes; m++) {
    await Promise.all(viewerWorkers.map((w) => w.request('begin', null, 10_000)));
    const { votes, comments } = await voters.request('run', { ideas: sets[m]!, rate: plan.rate, durationMs: 60_000, ackTimeoutMs: 10_000, commentRate: plan.comments }, 180_000);
    await sleep(1_000);
    const collected = await Promise.all(viewerWorkers.map((w) => w.request('collect', null, 60_000)));
    const at = now();
    const group = (name: string) => collected.flatMap((p) => (p.groups[name] ? [p.groups[name]] : []));
    const board = voteOutcome(votes, group('board'), at);
    const phones = voteOutcome(votes, group('phones'), at);
    stored += board.accepted;
    await app.collectGarbage();
    const probe = await app.evaluate<{ lag: Minute['lag']; handles: number; heapBytes: number }>(PROBE);
    const minute: Minute = {
      minute: m + 1,
      board: board.latency,
      phones: phones.latency,
      ack: board.ack,
      votes: { sent: board.sent, accepted: board.accepted, failures: board.failures },
      comments: { sent: comments.length, accepted: comments.filter((c) => c.error === null).length },
      rssBytes: app.rssBytes(),
      heapBytes: probe.heapBytes,
      lag: probe.lag,
      handles: probe.handles,
      storedVotes: stored,
    };
    minutes.push(minute);
    log(row(minute));
  }
  await app.stop();
  return minutes;
}

const HEADER = 'minute | vote → every viewer p99 (phones) | votes ok/sent | comments ok/sent | RSS | heap after GC | loop lag p99 (max) | handles | votes stored';
function row(m: Minute): string {
  const unseen = (l: Latency) => (l.unseen > 0 ? `, ${l.unseen} unseen` : '');
  return [
    String(m.minute).padStart(6),
    `${Math.round(m.board.p99)} ms${unseen(m.board)} (${Math.round(m.phones.p99)} ms${unseen(m.phones)})`,
    `${m.votes.accepted}/${m.votes.sent}`,
    `${m.comments.accepted}/${m.comments.sent}`,
    mb(m.rssBytes),
    mb(m.heapBytes),
    `${m.lag.p99.toFixed(1)} ms (${m.lag.max.toFixed(1)} ms)`,
    String(m.handles),
    String(m.storedVotes),
  ].join(' | ');
}

/** The targets, from the second minute on: heap and RSS grow less than 5%, the last minute's p99 within 20% of the second's. */
export function verdict(minutes: Minute[]): { checks: { what: string; value: string; meets: boolean | null }[] } {
  const second = minutes[1];
  const last = minutes.at(-1)!;
  if (!second || minutes.length < 3) return { checks: [{ what: 'targets (from the second minute to the last)', value: 'need 3 minutes or more', meets: null }] };
  const growth = (a: number, b: number) => (b - a) / a;
  const heap = growth(second.heapBytes, last.heapBytes);
  const rss = growth(second.rssBytes, last.rssBytes);
  const p99 = growth(second.board.p99, last.board.p99);
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  return {
    checks: [
      { what: 'heap after GC, minute 2 → last (< +5%)', value: `${pct(heap)} (${mb(second.heapBytes)} → ${mb(last.heapBytes)})`, meets: heap < 0.05 },
      { what: 'RSS, minute 2 → last (< +5%)', value: `${pct(rss)} (${mb(second.rssBytes)} → ${mb(last.rssBytes)})`, meets: rss < 0.05 },
      { what: 'vote → every viewer p99, last minute vs the second (within 20%)', value: `${pct(p99)} (${Math.round(second.board.p99)} → ${Math.round(last.board.p99)} ms)`, meets: Math.abs(p99) <= 0.2 && last.board.unseen === 0 },
    ],
  };
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  let plan: SoakPlan | null;
  try {
    plan = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (!plan) return log(USAGE);
  const children = new ChildSet();
  const dataDir = mkdtempSync(join(tmpdir(), 'reclaim-soak-'));
  const abort = (signal: NodeJS.Signals) => {
    children.killAllNow();
    rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(`\n${signal}: soak stopped\n`);
    process.exit(130);
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  const startedAt = new Date().toISOString();
  log(`Soak: ${plan.minutes} min, ${plan.viewers} board viewers + ${plan.phones} phones, ${plan.rate} votes/s + ${plan.comments} comments/s, ${plan.participants} participants`);
  log(HEADER);
  let minutes: Minute[] = [];
  let problem: string | null = null;
  try {
    minutes = await soak(plan, children, dataDir);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  } finally {
    await children.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const { checks } = verdict(minutes);
  log('');
  for (const check of checks) log(`${check.what}: ${check.value}${check.meets === null ? '' : check.meets ? '  meets' : '  MISSES'}`);
  const errors = sum(minutes.map((m) => sum(Object.values(m.votes.failures)) + m.board.unseen + m.phones.unseen + (m.comments.sent - m.comments.accepted)));
  log(`errors (failed votes or comments, unseen counts): ${errors}`);
  if (problem) log(`\nProblem: ${problem}`);
  mkdirSync(plan.outDir, { recursive: true });
  const file = join(plan.outDir, `soak-${startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ startedAt, finishedAt: new Date().toISOString(), plan, minutes, checks, errors, problem }, null, 2) + '\n');
  log(`Results: ${file}`);
  process.exitCode = problem || errors > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
