import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AREA_SLUGS } from '../../realtime/vocabulary.js';
import { AppProcess, CpuProbe } from './app-process.js';
import { seed } from './cluster.js';
import { createLiveSession, createSession, signInFacilitator } from './http-client.js';
import { ChildSet, choosePinning, now, pinProcess, sleep, Worker, WORKER_DIR, type Api } from './ipc.js';
import { voteOutcome, type Latency } from './measure.js';
import { mb, verdict, type Minute, type Tally } from './soak-verdict.js';
import type { ParticipantApi } from './participants.js';
import type { ViewerApi } from './viewers.js';

/**
 * `npm run soak -- --minutes 10`: the real app under a steady load for a long while, minute by
 * minute: board viewers and a live session's phones watching, votes and comments flowing. Each
 * minute reports vote → every viewer p99, the app's RSS and heap after a forced GC, event-loop lag
 * and open handles. The same workers as the bench (scripts/bench), the same pinning.
 *
 * The load is steady, so that what grows is a leak and not the data: the app keeps who voted for
 * what in memory, and new votes forever would grow the heap by design. Two sets of ideas take turns:
 * each minute half the votes are cast on one set and the other half take back the votes cast on
 * the other set the minute before. A warm-up minute, not counted, casts the first set's votes, so the
 * ballots held stay the same from the first counted minute, and no counted minute is the one where
 * retractions begin. The hall's voters do the same in the live session (room votes, which only its
 * phones see). Half and half, not as many again: each retraction is a delete of its own in the
 * database, about ten times a batched insert's cost.
 */
interface SoakPlan {
  minutes: number;
  viewers: number;
  phones: number;
  rate: number;
  roomRate: number;
  comments: number;
  participants: number;
  hallVoters: number;
  ideasPerSet: number;
  outDir: string;
}

const USAGE = `npm run soak -- [--minutes N] [--viewers N] [--phones N] [--rate VOTES_PER_S] [--room-rate VOTES_PER_S] [--comments PER_S] [--out DIR]
  defaults: 10 minutes, 5000 board viewers, 500 phones in one live session, 500 board votes/s, 100 room
  votes/s, 10 comments/s; after a warm-up minute (not counted), half of the votes take back those
  of the minute before. Smaller sizes prove it runs (e.g. --minutes 1 --viewers 200 --phones 50 --rate 50 --room-rate 10 --comments 2)
  BENCH_APP_LOG=FILE  also writes the app's log to FILE (as npm run bench does)`;

function parse(argv: string[]): SoakPlan | null {
  const plan = { minutes: 10, viewers: 5_000, phones: 500, rate: 500, roomRate: 100, comments: 10, outDir: 'bench-results' };
  const numbers = { '--minutes': 'minutes', '--viewers': 'viewers', '--phones': 'phones', '--rate': 'rate', '--room-rate': 'roomRate', '--comments': 'comments' } as const;
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
  // The hall votes from about one phone in two.
  const hallVoters = Math.max(10, Math.ceil(plan.phones / 2));
  // Each person votes at most once per idea of the minute's set.
  const ideasPerSet = Math.ceil(Math.max((plan.rate * 30) / participants, (plan.roomRate * 30) / hallVoters)) + 1;
  return { ...plan, participants, hallVoters, ideasPerSet, outDir: resolve(plan.outDir) };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const split = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
const sources = (worker: number) => Array.from({ length: 8 }, (_, j) => `127.0.0.${2 + worker * 8 + j}`);

/** Installed once in the app by the first call, then read and reset each minute. */
const PROBE = `(() => {
  const { monitorEventLoopDelay } = process.getBuiltinModule('node:perf_hooks');
  const h = (globalThis.__soakLag ??= (() => { const m = monitorEventLoopDelay({ resolution: 10 }); m.enable(); return m; })());
  const lag = { p99: h.percentile(99) / 1e6, max: h.max / 1e6, mean: h.mean / 1e6 };
  h.reset();
  return { lag, handles: process.getActiveResourcesInfo().length, heapBytes: process.memoryUsage().heapUsed };
})()`;

/** The warm-up minute (index 0), then the counted ones. */
async function soak(plan: SoakPlan, children: ChildSet, dataDir: string): Promise<Minute[]> {
  const pinning = choosePinning();
  pinProcess(process.pid, pinning.load);
  const spawn = <A extends Api>(name: string, file: string) => new Worker<A>(name, children.spawnNode(join(WORKER_DIR, file), { cpus: pinning.load, ipc: true }));
  const viewerWorkers = Array.from({ length: 2 }, (_, i) => spawn<ViewerApi>(`viewers ${i + 1}`, 'viewers.ts'));
  const app = await AppProcess.start(children, { cpus: pinning.server, dataDir, timeoutMs: 90_000 });
  const area = AREA_SLUGS[0]!;
  log(`seeding ${plan.participants} participants, ${plan.hallVoters} hall voters and 2 × ${plan.ideasPerSet} ideas`);
  const { cookies, sets } = await seed(app.url, plan.participants + plan.hallVoters, 2, plan.ideasPerSet, area);
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
  const hall = spawn<ParticipantApi>('hall', 'participants.ts');
  const enter = async (worker: Worker<ParticipantApi>, people: string[], source: number) => {
    const reply = await worker.request('connect', { url: app.url, cookies: people, count: people.length, sources: sources(source), concurrency: 16, timeoutMs: 10_000 }, 120_000);
    if (reply.failed > 0) throw new Error(`${reply.failed} voters could not connect (${reply.firstError})`);
  };
  await enter(voters, cookies.slice(0, plan.participants), 2);
  await enter(hall, cookies.slice(plan.participants), 3);

  const minutes: Minute[] = [];
  await app.evaluate(PROBE);
  let ballots = 0;
  const durationMs = 60_000;
  const timeout = durationMs * 3;
  // Minute 0 warms up, uncounted: the first counted minute already has a minute's votes to take back.
  for (let m = 0; m <= plan.minutes; m++) {
    const casting = sets[m % 2]!;
    const previous = sets[(m + 1) % 2]!;
    await Promise.all(viewerWorkers.map((w) => w.request('begin', null, 10_000)));
    const run = (worker: Worker<ParticipantApi>, params: Omit<ParticipantApi['run']['params'], 'durationMs' | 'ackTimeoutMs'>) =>
      worker.request('run', { ...params, durationMs, ackTimeoutMs: 10_000 }, timeout);
    const none = Promise.resolve({ votes: [], comments: [], sendingMs: 0 });
    const probe = new CpuProbe(app, pinning.server === null ? null : Number(pinning.server), pinning.load === null ? [] : pinning.load.split(',').map(Number));
    probe.start();
    const [cast, roomCast, taken, roomTaken] = await Promise.all([
      run(voters, { ideas: casting, rate: plan.rate / 2, commentRate: plan.comments }),
      plan.roomRate > 0 ? run(hall, { ideas: casting, rate: plan.roomRate / 2, code }) : none,
      m > 0 ? run(voters, { ideas: previous, rate: plan.rate / 2, retract: true }) : none,
      m > 0 && plan.roomRate > 0 ? run(hall, { ideas: previous, rate: plan.roomRate / 2, code, retract: true }) : none,
    ]);
    probe.stop();
    await sleep(1_000);
    const collected = await Promise.all(viewerWorkers.map((w) => w.request('collect', null, 60_000)));
    const at = now();
    const group = (name: string) => collected.flatMap((p) => (p.groups[name] ? [p.groups[name]] : []));
    const board = voteOutcome(cast.votes, group('board'), at);
    const phones = voteOutcome(roomCast.votes, group('phones'), at);
    const retractions = voteOutcome([...taken.votes, ...roomTaken.votes], [], at);
    ballots += board.accepted + phones.accepted - retractions.accepted;
    await app.collectGarbage();
    const inside = await app.evaluate<{ lag: Minute['lag']; handles: number; heapBytes: number }>(PROBE);
    const tally = (o: typeof board): Tally => ({ sent: o.sent, accepted: o.accepted, failures: o.failures });
    const minute: Minute = {
      minute: m,
      board: board.latency,
      phones: phones.latency,
      ack: board.ack,
      votes: tally(board),
      roomVotes: tally(phones),
      retractions: tally(retractions),
      comments: { sent: cast.comments.length, accepted: cast.comments.filter((c) => c.error === null).length },
      rssBytes: app.rssBytes(),
      heapBytes: inside.heapBytes,
      lag: inside.lag,
      cpu: probe.result,
      handles: inside.handles,
      lost: sum(collected.map((c) => c.dropped)),
      ballots,
    };
    minutes.push(minute);
    log(m === 0 ? `${row(minute)} | warm-up, not counted` : row(minute));
  }
  await app.stop();
  return minutes;
}

const HEADER = 'minute | vote → every viewer p99 (room vote → every phone) | votes ok/sent (room) | retracted ok/sent | comments ok/sent | RSS | heap after GC | loop lag p99 (max) | server core busy (app, db; load core) | handles | ballots';
const pct = (share: number) => `${Math.round(share * 100)}%`;
function row(m: Minute): string {
  const unseen = (l: Latency) => (l.unseen > 0 ? `, ${l.unseen} unseen` : '');
  return [
    String(m.minute).padStart(6),
    `${Math.round(m.board.p99)} ms${unseen(m.board)} (${Math.round(m.phones.p99)} ms${unseen(m.phones)})${m.lost > 0 ? `, ${m.lost} screens lost` : ''}`,
    `${m.votes.accepted}/${m.votes.sent} (${m.roomVotes.accepted}/${m.roomVotes.sent})`,
    `${m.retractions.accepted}/${m.retractions.sent}`,
    `${m.comments.accepted}/${m.comments.sent}`,
    mb(m.rssBytes),
    mb(m.heapBytes),
    `${m.lag.p99.toFixed(1)} ms (${m.lag.max.toFixed(1)} ms)`,
    m.cpu ? `${pct(m.cpu.core)} (${pct(m.cpu.app)}, ${pct(m.cpu.database)}; ${pct(m.cpu.load)})` : '—',
    String(m.handles),
    String(m.ballots),
  ].join(' | ');
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
  log(
    `Soak: ${plan.minutes} min after a warm-up minute, ${plan.viewers} board viewers + ${plan.phones} phones, ${plan.rate} board votes/s + ${plan.roomRate} room votes/s (half of each taking back the minute before's) + ${plan.comments} comments/s, ${plan.participants} participants + ${plan.hallVoters} hall voters`,
  );
  log(HEADER);
  let run: Minute[] = [];
  let problem: string | null = null;
  try {
    run = await soak(plan, children, dataDir);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  } finally {
    await children.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const [warmUp = null, ...minutes] = run;
  const { checks } = verdict(minutes);
  log('');
  for (const check of checks) log(`${check.what}: ${check.value}${check.meets === null ? '' : check.meets ? '  meets' : '  MISSES'}`);
  const failed = (t: Tally) => t.sent - t.accepted;
  const errors = sum(run.map((m) => failed(m.votes) + failed(m.roomVotes) + failed(m.retractions) + m.board.unseen + m.phones.unseen + m.lost + (m.comments.sent - m.comments.accepted)));
  log(`errors (failed votes, retractions or comments, unseen counts, lost screens): ${errors}`);
  if (problem) log(`\nProblem: ${problem}`);
  mkdirSync(plan.outDir, { recursive: true });
  const file = join(plan.outDir, `soak-${startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ startedAt, finishedAt: new Date().toISOString(), plan, warmUp, minutes, checks, errors, problem }, null, 2) + '\n');
  log(`Results: ${file}`);
  process.exitCode = problem || errors > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
