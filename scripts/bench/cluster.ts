import { join } from 'node:path';
import { Types } from 'mongoose';
import { Vote } from '../../models/index.js';
import { AREA_SLUGS, type AreaSlug } from '../../realtime/vocabulary.js';
import { connectDatabase, disconnectDatabase } from '../../server/platform/database.js';
import { AppProcess } from './app-process.js';
import { createIdea, createSession, participantAddress, pool } from './http-client.js';
import { now, sleep, type ChildSet, type Pinning, type Worker } from './ipc.js';
import { deliveryRate, mergeFrames, summarize, voteOutcome, type Latency } from './measure.js';
import type { ParticipantApi, VoteRecord } from './participants.js';
import { APP_TICK_MS, type Plan } from './plan.js';
import type { Figure } from './report.js';
import { startFerretDb, startRedis, type Service } from './services.js';
import type { ViewerApi } from './viewers.js';

/** Two app servers, one Redis, one database: the sizes of a 2-core box (both servers share the server core). */
export interface ClusterPlan {
  viewersPerServer: number;
  participants: number;
  voteRate: number;
  seconds: number;
  /** The kill's round: server A is killed (SIGKILL) a third of the way in. */
  killSeconds: number;
}

export interface ClusterResult {
  viewersPerServer: number;
  voteRate: number;
  seconds: number;
  /** Viewers on A alone, votes on A: what one server delivers. */
  single: { connected: number; deliveredPerS: number; latency: Latency };
  /** Viewers on A and on B, votes on A: the same vote → a viewer on A, → a viewer on B. */
  pair: { connected: { a: number; b: number }; deliveredPerS: number; onA: Latency; onB: Latency; ack: Latency; failures: Record<string, number> };
  /** Both servers' delivered messages/s ÷ one server's. */
  deliveredRatio: number;
  /** B's p99 − A's p99 for the same votes. */
  extraP99Ms: number;
  kill: KillResult;
}

export interface KillResult {
  /** Votes on both servers during the round; those on A after its death fail (not errors). */
  sent: number;
  acknowledged: number;
  refusedByTheDead: number;
  failures: Record<string, number>;
  stored: number;
  /** Acknowledged votes the database does not have: must be 0. */
  lost: number;
  /** A's viewers on B again: how many, how long from the drop, and how many never got there. */
  moved: number;
  moveFailed: number;
  move: Latency;
  /** From the end of voting until every screen held the stored count of every idea (null: not within the wait). */
  convergeMs: number | null;
  /** From the kill. */
  convergeAfterKillMs: number | null;
}

export interface ClusterContext {
  plan: Plan;
  pinning: Pinning;
  children: ChildSet;
  viewers: Worker<ViewerApi>[];
  dataDir: string;
  note(message: string): void;
  spawnParticipants(name: string): Worker<ParticipantApi>;
  /** Loopback source addresses of generator process `i`. */
  sources(i: number): string[];
}

const CONNECT_TIMEOUT_MS = 10_000;
const CONVERGE_WAIT_MS = 15_000;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const split = (total: number, parts: number) => Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

async function connect(ctx: ClusterContext, url: string, count: number, area: AreaSlug, group: string, fallbackUrl?: string): Promise<number> {
  const counts = split(count, ctx.viewers.length);
  const replies = await Promise.all(
    ctx.viewers.map((w, i) =>
      w.request(
        'connect',
        { target: 'board', url, count: counts[i]!, area, group, sources: ctx.sources(i), concurrency: 16, timeoutMs: CONNECT_TIMEOUT_MS, ...(fallbackUrl ? { fallbackUrl } : {}) },
        CONNECT_TIMEOUT_MS * 6 + counts[i]! * 10,
      ),
    ),
  );
  const connected = sum(replies.map((r) => r.connected));
  if (connected < count * 0.99) throw new Error(`only ${connected} of ${count} viewers connected to ${url} (${replies.find((r) => r.firstError)?.firstError})`);
  return connected;
}

/** Waits until no viewer has received anything for a while: the last votes' ticks are out. */
async function settle(ctx: ClusterContext, maxMs: number): Promise<void> {
  const deadline = now() + maxMs;
  let last = -1;
  let quietSince = now();
  while (now() < deadline) {
    const total = sum((await Promise.all(ctx.viewers.map((w) => w.request('count', null, 10_000)))).map((c) => c.delivered));
    if (total !== last) {
      last = total;
      quietSince = now();
    } else if (now() - quietSince >= 600) return;
    await sleep(150);
  }
}

/** Votes on A while the viewers connected so far watch: what each group saw, and the messages delivered. */
async function round(ctx: ClusterContext, voters: Worker<ParticipantApi>, ideas: string[]) {
  const c = ctx.plan.cluster;
  await Promise.all(ctx.viewers.map((w) => w.request('begin', null, 10_000)));
  const { votes } = await voters.request('run', { ideas, rate: c.voteRate, durationMs: c.seconds * 1000, ackTimeoutMs: 10_000 }, c.seconds * 2_000 + 30_000);
  await settle(ctx, ctx.plan.settleMaxMs);
  const collected = await Promise.all(ctx.viewers.map((w) => w.request('collect', null, 60_000)));
  const at = now();
  const group = (name: string) => collected.flatMap((p) => (p.groups[name] ? [p.groups[name]] : []));
  return { votes, at, group, deliveredPerS: deliveryRate(mergeFrames(collected.map((p) => p.frames)), APP_TICK_MS) };
}

export async function seed(url: string, participants: number, sets: number, perSet: number, area: AreaSlug): Promise<{ cookies: string[]; sets: string[][] }> {
  const deadline = Date.now() + 5 * 60_000;
  const cookies = await pool(participants, 16, deadline, (i) => createSession(url, participantAddress(i)));
  const author = (a: number) => participantAddress(participants + a);
  const total = sets * perSet;
  const authors = await pool(Math.ceil(total / 5), 8, deadline, (a) => createSession(url, author(a)));
  const ids = (
    await pool(authors.length, 8, deadline, async (a) => {
      const created: string[] = [];
      for (let i = a * 5; i < Math.min(total, (a + 1) * 5); i++) created.push(await createIdea(url, authors[a]!, { area, title: `Bench idea ${i + 1}`, body: '' }, author(a)));
      return created;
    })
  ).flat();
  return { cookies, sets: Array.from({ length: sets }, (_, s) => ids.slice(s * perSet, (s + 1) * perSet)) };
}

async function storedCounts(ideas: string[]): Promise<Map<string, number>> {
  const rows = await Vote.aggregate<{ _id: Types.ObjectId; n: number }>([{ $group: { _id: '$idea', n: { $sum: 1 } } }]);
  const wanted = new Set(ideas);
  return new Map(rows.filter((r) => wanted.has(r._id.toString())).map((r) => [r._id.toString(), r.n]));
}

/** The kill: votes on both servers, A killed a third of the way in; its viewers move to B. */
async function killRound(ctx: ClusterContext, a: AppProcess, votersA: Worker<ParticipantApi>, votersB: Worker<ParticipantApi>, ideas: string[], mongodbUri: string): Promise<KillResult> {
  const c = ctx.plan.cluster;
  await Promise.all(ctx.viewers.map((w) => w.request('begin', null, 10_000)));
  await Promise.all(ctx.viewers.map((w) => w.request('moves', null, 10_000)));
  const durationMs = c.killSeconds * 1000;
  const run = (voters: Worker<ParticipantApi>) =>
    voters.request('run', { ideas, rate: c.voteRate / 2, durationMs, ackTimeoutMs: 3_000 }, c.killSeconds * 2_000 + 30_000);
  let killedAt = 0;
  const kill = sleep(durationMs / 3).then(() => {
    killedAt = now();
    a.child.kill('SIGKILL');
  });
  const [onA, onB] = await Promise.all([run(votersA), run(votersB), kill]);
  const endedAt = now();
  const votes: VoteRecord[] = [...onA.votes, ...onB.votes];
  const deadVotes = onA.votes.filter((v) => v.error !== null && v.sentAt >= killedAt - 1_000);
  const failures: Record<string, number> = {};
  for (const v of votes) if (v.error !== null && !deadVotes.includes(v)) failures[v.error] = (failures[v.error] ?? 0) + 1;

  await connectDatabase(mongodbUri);
  try {
    const stored = await storedCounts(ideas);
    const acknowledged = new Map<string, number>();
    for (const v of votes) if (v.error === null) acknowledged.set(v.ideaId, (acknowledged.get(v.ideaId) ?? 0) + 1);
    const lost = sum([...acknowledged].map(([id, n]) => Math.max(0, n - (stored.get(id) ?? 0))));
    let convergedAt: number | null = null;
    while (now() - endedAt < CONVERGE_WAIT_MS) {
      const held = await Promise.all(ctx.viewers.map((w) => w.request('holding', { ideas }, 10_000)));
      const agree = ideas.every((id) => held.every((h) => h[id]!.lowest === (stored.get(id) ?? 0) && h[id]!.highest === (stored.get(id) ?? 0)));
      if (agree) {
        convergedAt = now();
        break;
      }
      await sleep(100);
    }
    const moves = await Promise.all(ctx.viewers.map((w) => w.request('moves', null, 10_000)));
    await Promise.all(ctx.viewers.map((w) => w.request('collect', null, 60_000)));
    return {
      sent: votes.length,
      acknowledged: sum([...acknowledged.values()]),
      refusedByTheDead: deadVotes.length,
      failures,
      stored: sum([...stored.values()]),
      lost,
      moved: sum(moves.map((m) => m.moved)),
      moveFailed: sum(moves.map((m) => m.failed)),
      move: summarize(moves.flatMap((m) => m.ms), 0),
      convergeMs: convergedAt === null ? null : Math.max(0, convergedAt - endedAt),
      convergeAfterKillMs: convergedAt === null ? null : convergedAt - killedAt,
    };
  } finally {
    await disconnectDatabase();
  }
}

/** Two app servers on one FerretDB and one Redis, the load generators beside them. */
export async function cluster(ctx: ClusterContext): Promise<ClusterResult> {
  const c = ctx.plan.cluster;
  const services: Service[] = [];
  const participants: Worker<ParticipantApi>[] = [];
  try {
    const database = await startFerretDb({ dataDir: join(ctx.dataDir, 'cluster'), cpus: ctx.pinning.server });
    services.push(database);
    const redis = await startRedis();
    services.push(redis);
    const shared = { mongodbUri: database.url, redisUrl: redis.url, facilitatorCode: 'bench-cluster-code' };
    ctx.note('starting servers A and B');
    const [a, b] = await Promise.all(
      ['a', 'b'].map((name) => AppProcess.start(ctx.children, { cpus: ctx.pinning.server, dataDir: join(ctx.dataDir, `cluster-${name}`), timeoutMs: 90_000, shared })),
    );
    const area = AREA_SLUGS[0]!;
    ctx.note(`seeding ${c.participants} participants`);
    const { cookies, sets } = await seed(a!.url, c.participants, 3, ctx.plan.ideasPerSet, area);
    const half = Math.floor(cookies.length / 2);
    const workerCount = ctx.viewers.length;
    const votersA = ctx.spawnParticipants('participants on A');
    const votersB = ctx.spawnParticipants('participants on B');
    participants.push(votersA, votersB);
    for (const [i, [voters, url, mine]] of ([[votersA, a!.url, cookies.slice(0, half)], [votersB, b!.url, cookies.slice(half)]] as const).entries()) {
      const people = await voters.request(
        'connect',
        { url, cookies: [...mine], count: mine.length, sources: ctx.sources(workerCount + i), concurrency: 16, timeoutMs: CONNECT_TIMEOUT_MS },
        CONNECT_TIMEOUT_MS * 6 + mine.length * 10,
      );
      if (people.failed > 0) throw new Error(`${people.failed} participants could not connect (${people.firstError})`);
    }

    ctx.note(`one server: ${c.viewersPerServer} viewers on A, ${c.voteRate} votes/s on A`);
    const onA = await connect(ctx, a!.url, c.viewersPerServer, area, 'a', b!.url);
    const one = await round(ctx, votersA, sets[0]!);
    const single = { connected: onA, deliveredPerS: one.deliveredPerS, latency: voteOutcome(one.votes, one.group('a'), one.at).latency };

    ctx.note(`two servers: ${c.viewersPerServer} viewers on each, ${c.voteRate} votes/s on A`);
    const onB = await connect(ctx, b!.url, c.viewersPerServer, area, 'b');
    const two = await round(ctx, votersA, sets[1]!);
    const seenOnA = voteOutcome(two.votes, two.group('a'), two.at);
    const seenOnB = voteOutcome(two.votes, two.group('b'), two.at);
    const pair = { connected: { a: onA, b: onB }, deliveredPerS: two.deliveredPerS, onA: seenOnA.latency, onB: seenOnB.latency, ack: seenOnA.ack, failures: seenOnA.failures };

    ctx.note(`kill -9 of A ${(c.killSeconds / 3).toFixed(1)} s into ${c.killSeconds} s of votes on both`);
    const kill = await killRound(ctx, a!, votersA, votersB, sets[2]!, database.url);
    return {
      viewersPerServer: c.viewersPerServer,
      voteRate: c.voteRate,
      seconds: c.seconds,
      single,
      pair,
      deliveredRatio: single.deliveredPerS > 0 ? pair.deliveredPerS / single.deliveredPerS : 0,
      extraP99Ms: pair.onB.p99 - pair.onA.p99,
      kill,
    };
  } finally {
    await Promise.all(ctx.viewers.map((w) => w.request('close', null, 20_000).catch(() => null)));
    await Promise.all(participants.map((p) => ctx.children.stop(p.process)));
    for (const service of services.reverse()) await service.stop();
  }
}

const ms = (n: number) => `${Math.round(n)} ms`;
const latencyShown = (l: Latency) => `${l.unseen > 0 ? '≥ ' : ''}${ms(l.p99)} (p50 ${ms(l.p50)}, max ${ms(l.max)})`;
const kilo = (n: number) => (n >= 1000 ? `${+(n / 1000).toFixed(1)}k` : `${+n.toFixed(1)}`);

/** The cluster's rows of the final table. */
export function clusterFigures(result: ClusterResult | null, plan: ClusterPlan, missing: (key: string, label: string, target: string | null) => void): Figure[] {
  const size = `2 × ${kilo(plan.viewersPerServer)} viewers, ${kilo(plan.voteRate)} votes/s, both servers on the server core`;
  if (!result) {
    missing('cluster.extra', `cluster (${size}): vote on A → viewer on B, p99 − on A`, '≤ +20 ms');
    missing('cluster.lost', '  kill -9 of A: acknowledged votes lost', '0');
    return [];
  }
  const k = result.kill;
  const row = (key: string, label: string, value: number | null, shown: string, target: string | null = null, meets: boolean | null = null): Figure => ({ key, label, value, shown, target, meets });
  const failed = sum(Object.values(result.pair.failures));
  return [
    row('cluster.onB', `cluster (${size}): vote on A → every viewer on B p99`, result.pair.onB.p99, latencyShown(result.pair.onB)),
    row('cluster.onA', '  the same votes → every viewer on A p99', result.pair.onA.p99, latencyShown(result.pair.onA)),
    row('cluster.extra', '  B − A, p99', result.extraP99Ms, `${result.extraP99Ms >= 0 ? '+' : ''}${ms(result.extraP99Ms)}`, '≤ +20 ms', result.extraP99Ms <= 20 && result.pair.onB.unseen === 0 && failed === 0),
    row('cluster.delivered', '  delivered messages/s, both servers ÷ A alone', result.deliveredRatio, `${result.deliveredRatio.toFixed(2)}× (${kilo(result.pair.deliveredPerS)}/s ÷ ${kilo(result.single.deliveredPerS)}/s)`),
    row('cluster.moved', '  kill -9 of A: its viewers on B, p99 from the drop (moved / failed)', k.move.p99, `${ms(k.move.p99)} (${k.moved} / ${k.moveFailed})`, '≤ 5000 ms, none failed', k.moved > 0 && k.moveFailed === 0 && k.move.max <= 5_000),
    row('cluster.lost', '  acknowledged votes lost (acknowledged; stored)', k.lost, `${k.lost} (${k.acknowledged}; ${k.stored})`, '0', k.lost === 0 && sum(Object.values(k.failures)) === 0),
    row(
      'cluster.converge',
      '  every screen holds the stored counts, after the votes end (after the kill)',
      k.convergeMs,
      k.convergeMs === null ? `not within ${CONVERGE_WAIT_MS / 1000} s` : `${ms(k.convergeMs)} (${ms(k.convergeAfterKillMs!)})`,
      '≤ 2000 ms',
      k.convergeMs !== null && k.convergeMs <= 2_000,
    ),
  ];
}
