import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomVote, Vote } from '../../models/index.js';
import { AREA_SLUGS, type AreaSlug } from '../../realtime/vocabulary.js';
import { connectDatabase, disconnectDatabase } from '../../server/platform/database.js';
import { AppProcess, busyDuring, CpuProbe } from './app-process.js';
import { cluster, type ClusterContext } from './cluster.js';
import type { CeilingApi } from './ceiling-server.js';
import type { DurabilityApi, DurabilityPhase } from './durability.js';
import type { ControlRecord, FacilitatorApi } from './facilitator.js';
import { createIdea, createLiveSession, createSession, PageMissing, pageWeight, participantAddress, pool, signInFacilitator } from './http-client.js';
import { ChildSet, choosePinning, now, pinProcess, sleep, Worker, WORKER_DIR, type Api, type Pinning } from './ipc.js';
import { commentOutcome, controlReach, deliveryRate, medianFrame, mergeFrames, pausedRefusals, summarize, voteOutcome, type Latency, type StateReceipts } from './measure.js';
import type { NaiveApi } from './naive-server.js';
import type { ParticipantApi } from './participants.js';
import { APP_TICK_MS, FLAT_LATENCY_LIMIT_MS, parsePlan, USAGE, type Plan } from './plan.js';
import { Progress } from './progress.js';
import { buildFigures, chartSvg, printTable } from './report.js';
import type {
  Bound,
  CeilingResult,
  CommentFlow,
  ConferenceResult,
  DurabilityPhaseResult,
  DurabilityResult,
  FanoutResult,
  MemoryResult,
  NaiveResult,
  OursRamp,
  RampStep,
  Results,
  VoteRound,
} from './results.js';
import type { FrameStat, GroupCollect, ViewerApi, ViewerTarget } from './viewers.js';

const CONNECT_TIMEOUT_MS = 10_000;
const ACK_TIMEOUT_MS = 10_000;
/** More than this share of viewers failing to connect makes a scenario meaningless. */
const MAX_CONNECT_LOSS = 0.01;
const IDEAS_PER_AUTHOR = 5;

interface Context {
  plan: Plan;
  pinning: Pinning;
  children: ChildSet;
  progress: Progress;
  viewers: Worker<ViewerApi>[];
  workerCount: number;
  /** The app's fresh data folder (its FerretDB files), removed at the end. */
  dataDir: string;
}

/** A set of ideas nobody has voted on yet: each vote round needs its own, so counts only rise. */
interface IdeaSet {
  area: AreaSlug;
  ids: string[];
}

function spawnWorker<A extends Api>(ctx: Context, name: string, file: string, cpus: string | null, args: string[] = []): Worker<A> {
  return new Worker<A>(name, ctx.children.spawnNode(join(WORKER_DIR, file), { cpus, args, ipc: true }));
}

/** Each generator process has its own loopback source addresses, so no run runs out of ephemeral ports. */
function sources(worker: number): string[] {
  return Array.from({ length: 8 }, (_, j) => `127.0.0.${2 + worker * 8 + j}`);
}

function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

async function connectViewers(
  ctx: Context,
  target: ViewerTarget,
  url: string,
  viewers: number,
  area: AreaSlug | null,
  live: { code: string; group: string } | null = null,
): Promise<number> {
  const counts = split(viewers, ctx.viewers.length);
  const concurrency = Math.max(1, Math.ceil(ctx.plan.connectConcurrency / ctx.viewers.length));
  const replies = await Promise.all(
    ctx.viewers.map((worker, i) =>
      worker.request(
        'connect',
        { target, url, count: counts[i]!, area, ...(live ?? {}), sources: sources(i), concurrency, timeoutMs: CONNECT_TIMEOUT_MS },
        CONNECT_TIMEOUT_MS * 6 + counts[i]! * 10,
      ),
    ),
  );
  const connected = sum(replies.map((r) => r.connected));
  if (connected < viewers * (1 - MAX_CONNECT_LOSS)) {
    throw new Error(`only ${connected} of ${viewers} viewers connected (${replies.find((r) => r.firstError)?.firstError})`);
  }
  return connected;
}

async function closeViewers(ctx: Context): Promise<void> {
  await Promise.all(ctx.viewers.map((w) => w.request('close', null, 20_000)));
}

const spawnViewers = (ctx: Context, index: number) => spawnWorker<ViewerApi>(ctx, `viewers ${index + 1}`, 'viewers.ts', ctx.pinning.load);

/**
 * After a failed scenario: a viewer process that still answers closes its sockets, and one that
 * does not (hung, or gone) is replaced. Otherwise its viewers stay connected to a server that is
 * gone or, worse, to the app, and the next scenario counts them as its own.
 */
async function resetViewers(ctx: Context): Promise<void> {
  ctx.viewers = await Promise.all(
    ctx.viewers.map(async (worker, index) => {
      try {
        await worker.request('close', null, 20_000);
        return worker;
      } catch {
        await ctx.children.stop(worker.process);
        return spawnViewers(ctx, index);
      }
    }),
  );
}

/** Waits until no viewer has received a tally (or a comment) for a while: the last votes' ticks are out. */
async function settle(ctx: Context): Promise<void> {
  const deadline = now() + ctx.plan.settleMaxMs;
  let last = -1;
  let quietSince = now();
  while (now() < deadline) {
    const total = sum((await Promise.all(ctx.viewers.map((w) => w.request('count', null, 10_000)))).map((c) => c.delivered + c.comments));
    if (total !== last) {
      last = total;
      quietSince = now();
    } else if (now() - quietSince >= 600) return;
    await sleep(150);
  }
}

/**
 * Votes at `rate` for `seconds` while the connected viewers watch, then what every viewer saw; with
 * `commentRate`, comments on the same ideas beside the votes, each followed to every board viewer.
 */
async function voteRound(
  ctx: Context,
  voters: Worker<ParticipantApi>,
  ideas: string[],
  rate: number,
  seconds: number,
  probe: CpuProbe | null = null,
  commentRate = 0,
): Promise<{ round: VoteRound; dropped: number; frames: FrameStat[]; comments: CommentFlow | null }> {
  await Promise.all(ctx.viewers.map((w) => w.request('begin', null, 10_000)));
  probe?.start();
  const { votes, comments, sendingMs } = await voters.request(
    'run',
    { ideas, rate, durationMs: seconds * 1000, ackTimeoutMs: ACK_TIMEOUT_MS, ...(commentRate > 0 ? { commentRate } : {}) },
    seconds * 2_000 + 30_000,
  );
  probe?.stop();
  await settle(ctx);
  const counts = commentRate > 0 ? await Promise.all(ctx.viewers.map((w) => w.request('count', null, 10_000))) : [];
  const collected = await Promise.all(ctx.viewers.map((w) => w.request('collect', null, 60_000)));
  const observedUntil = now();
  const frames = mergeFrames(collected.map((c) => c.frames));
  const outcome = voteOutcome(votes, collected, observedUntil);
  let flow: CommentFlow | null = null;
  if (commentRate > 0) {
    const board = collected.flatMap((p) => (p.groups.board ? [p.groups.board] : []));
    const c = commentOutcome(comments, board, observedUntil);
    flow = {
      rate: commentRate,
      sent: c.sent,
      accepted: c.accepted,
      sentPerS: c.sent / (sendingMs / 1000),
      acceptedPerS: c.accepted / (sendingMs / 1000),
      failures: c.failures,
      ack: c.ack,
      reach: c.reach,
      delivered: sum(counts.map((n) => n.comments)),
    };
  }
  return {
    comments: flow,
    round: {
      rate,
      seconds,
      sent: outcome.sent,
      accepted: outcome.accepted,
      sentPerS: votes.length / (sendingMs / 1000),
      acceptedPerS: outcome.accepted / (sendingMs / 1000),
      failures: outcome.failures,
      latency: outcome.latency,
      ack: outcome.ack,
    },
    dropped: sum(collected.map((c) => c.dropped)),
    frames,
  };
}

function holds(round: VoteRound, limitMs: number): boolean {
  const failed = sum(Object.values(round.failures));
  return failed === 0 && round.latency.unseen === 0 && round.latency.p99 <= limitMs;
}

/** The load generator could not offer the rate: whatever the server did, the step says nothing past it. */
const generatorLimited = (round: VoteRound) => round.sentPerS < round.rate * 0.9;

async function durability(ctx: Context): Promise<DurabilityResult> {
  const { durabilityVotes: votes, durabilityConcurrency: concurrency } = ctx.plan;
  const worker = spawnWorker<DurabilityApi>(ctx, 'durability', 'durability.ts', ctx.pinning.server);
  try {
    const { perVote, groupCommit } = await worker.request('run', { votes, concurrency }, 15 * 60_000);
    const summary = (p: DurabilityPhase): DurabilityPhaseResult => ({
      votes: p.votes,
      acknowledged: p.acknowledged,
      stored: p.stored,
      failed: p.failed,
      storedPerS: p.stored / (p.elapsedMs / 1000),
      drift: p.stored - p.acknowledged,
    });
    const group = { ...summary(groupCommit), batches: groupCommit.batches };
    const single = summary(perVote);
    return { concurrency, perVote: single, groupCommit: group, ratio: group.storedPerS / single.storedPerS };
  } finally {
    await ctx.children.stop(worker.process);
  }
}

/** Guest sessions for the participants, then the idea sets, written by a few authors (5 ideas each, the product's limit). */
async function seedBoard(ctx: Context, app: AppProcess, sets: { area: AreaSlug; count: number }[]): Promise<{ cookies: string[]; sets: IdeaSet[] }> {
  const deadline = Date.now() + 5 * 60_000;
  const cookies = await pool(ctx.plan.participants, 16, deadline, (i) => createSession(app.url, participantAddress(i)));
  const specs = sets.flatMap((set, s) => Array.from({ length: set.count }, (_, i) => ({ set: s, area: set.area, title: `Bench idea ${s + 1}.${i + 1}` })));
  // Authors after the participants' addresses, so each is on a network of its own too.
  const author = (a: number) => participantAddress(ctx.plan.participants + a);
  const authors = await pool(Math.ceil(specs.length / IDEAS_PER_AUTHOR), 8, deadline, (a) => createSession(app.url, author(a)));
  const ids = (
    await pool(authors.length, 8, deadline, async (a) => {
      const mine = specs.slice(a * IDEAS_PER_AUTHOR, (a + 1) * IDEAS_PER_AUTHOR);
      const created: string[] = [];
      for (const spec of mine) created.push(await createIdea(app.url, authors[a]!, { area: spec.area, title: spec.title, body: '' }, author(a)));
      return created;
    })
  ).flat();
  return { cookies, sets: sets.map((set, s) => ({ area: set.area, ids: ids.filter((_, i) => specs[i]!.set === s) })) };
}

async function memory(ctx: Context, app: AppProcess, area: AreaSlug): Promise<MemoryResult> {
  const viewers = ctx.plan.viewers[2];
  await app.collectGarbage();
  const baselineRssBytes = app.rssBytes();
  const connected = await connectViewers(ctx, 'board', app.url, viewers, area);
  try {
    // Lets the handshakes' garbage and buffers settle before the forced GC.
    await sleep(2_000);
    await app.collectGarbage();
    await sleep(500);
    const rssBytes = app.rssBytes();
    return { viewers, connected, baselineRssBytes, rssBytes, perViewerBytes: (rssBytes - baselineRssBytes) / connected };
  } finally {
    await closeViewers(ctx);
  }
}

async function fanout(
  ctx: Context,
  app: AppProcess,
  voters: Worker<ParticipantApi>,
  viewers: number,
  set: IdeaSet,
): Promise<{ result: FanoutResult; frames: FrameStat[] }> {
  const { plan } = ctx;
  const connected = await connectViewers(ctx, 'board', app.url, viewers, set.area);
  ctx.progress.note(`${connected} viewers watching, voting ${plan.voteSeconds} s${plan.commentRate > 0 ? `, ${plan.commentRate} comments/s` : ''}`);
  if (plan.profile) await app.startProfile();
  const loadCpus = ctx.pinning.load === null ? [] : ctx.pinning.load.split(',').map(Number);
  const probe = new CpuProbe(app, ctx.pinning.server === null ? null : Number(ctx.pinning.server), loadCpus);
  const { round, dropped, frames, comments } = await voteRound(ctx, voters, set.ids, plan.voteRate, plan.voteSeconds, probe, plan.commentRate);
  if (plan.profile) {
    const file = join(plan.outDir, `app-${viewers}-viewers-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(await app.stopProfile()));
  }
  const deliveredPerS = deliveryRate(frames, APP_TICK_MS);
  const failed = sum(Object.values(round.failures));
  return {
    result: {
      ...round,
      viewers,
      connected,
      participants: plan.participants,
      ideas: set.ids.length,
      deliveredPerS,
      framesPerS: connected > 0 ? deliveredPerS / connected : 0,
      frameBytes: Buffer.byteLength(medianFrame(frames) ?? ''),
      viewerFailures: { connect: viewers - connected, dropped },
      comments,
      errors: failed + round.latency.unseen + (viewers - connected) + dropped + (comments ? comments.sent - comments.accepted + comments.reach.unseen : 0),
      serverCpu: probe.result!,
    },
    frames,
  };
}

/** The hall's live session: a facilitator signed in with the app's code, and the session on the conference's area. */
async function openHall(app: AppProcess, area: AreaSlug): Promise<{ cookie: string; code: string }> {
  const cookie = await signInFacilitator(app.url, await createSession(app.url), app.facilitatorCode);
  const code = await createLiveSession(app.url, cookie, { title: 'Bench hall', areas: [area] });
  return { cookie, code };
}

/**
 * A hall: board viewers of the session's area, phones and a projector in the session, the
 * participants voting in it with its code, and a facilitator pausing, reopening, spotlighting and
 * releasing. Control → screens from the `live:state` each screen receives; vote → screens from the
 * tallies, per group of screens, as the fan-outs measure them.
 */
async function conference(ctx: Context, app: AppProcess, voters: Worker<ParticipantApi>, set: IdeaSet, hall: { cookie: string; code: string }): Promise<ConferenceResult> {
  const { plan } = ctx;
  const c = plan.conference;
  const { code } = hall;
  const boardViewers = await connectViewers(ctx, 'board', app.url, c.boardViewers, set.area);
  const phones = await connectViewers(ctx, 'live', app.url, c.phones, null, { code, group: 'phones' });
  const projector = await ctx.viewers[0]!.request(
    'connect',
    { target: 'live', url: app.url, count: 1, area: null, code, group: 'projector', sources: sources(0), concurrency: 1, timeoutMs: CONNECT_TIMEOUT_MS },
    CONNECT_TIMEOUT_MS * 6,
  );
  if (projector.connected !== 1) throw new Error(`the projector could not join the session (${projector.firstError})`);
  const facilitator = spawnWorker<FacilitatorApi>(ctx, 'facilitator', 'facilitator.ts', ctx.pinning.load);
  try {
    await facilitator.request(
      'connect',
      { url: app.url, cookie: hall.cookie, code, localAddress: sources(ctx.workerCount + 2)[0] ?? null, timeoutMs: CONNECT_TIMEOUT_MS },
      CONNECT_TIMEOUT_MS * 2,
    );
    ctx.progress.note(`${phones} phones, 1 projector, ${boardViewers} board viewers; voting ${c.seconds} s, a control every ${c.controlIntervalMs} ms`);
    await Promise.all(ctx.viewers.map((w) => w.request('begin', null, 10_000)));
    if (plan.profile) await app.startProfile();
    const loadCpus = ctx.pinning.load === null ? [] : ctx.pinning.load.split(',').map(Number);
    const probe = new CpuProbe(app, ctx.pinning.server === null ? null : Number(ctx.pinning.server), loadCpus);
    const durationMs = c.seconds * 1000;
    probe.start();
    const [{ votes, sendingMs }, { controls }] = await Promise.all([
      voters.request('run', { ideas: set.ids, rate: c.voteRate, durationMs, ackTimeoutMs: ACK_TIMEOUT_MS, code }, c.seconds * 2_000 + 30_000),
      facilitator.request('run', { code, ideas: set.ids, intervalMs: c.controlIntervalMs, durationMs, ackTimeoutMs: ACK_TIMEOUT_MS }, c.seconds * 2_000 + 30_000),
    ]);
    probe.stop();
    if (plan.profile) writeFileSync(join(plan.outDir, `app-conference-${Date.now()}.cpuprofile`), JSON.stringify(await app.stopProfile()));
    await settle(ctx);
    const collected = await Promise.all(ctx.viewers.map((w) => w.request('collect', null, 60_000)));
    const observedUntil = now();
    const group = (name: string): GroupCollect[] => collected.flatMap((p) => (p.groups[name] ? [p.groups[name]] : []));
    const frames = mergeFrames(collected.map((p) => p.frames));

    const { refusedWhilePaused, rest } = pausedRefusals(votes, controls);
    const reach = (screens: GroupCollect[]) => voteOutcome(rest, screens, observedUntil);
    const board = reach(group('board'));
    const onPhones = reach(group('phones'));
    const onProjector = reach(group('projector'));
    const states = (screens: GroupCollect[]): StateReceipts[] => screens.map(({ viewers, states }) => ({ viewers, states }));
    const phonesControl = controlReach(controls, states(group('phones')), observedUntil);
    const projectorControl = controlReach(controls, states(group('projector')), observedUntil);
    const everyScreen = controlReach(controls, states([...group('phones'), ...group('projector')]), observedUntil);

    const controlFailures: Record<string, number> = {};
    for (const control of controls) if (control.error) controlFailures[control.error] = (controlFailures[control.error] ?? 0) + 1;
    const applied = new Set(controls.filter((control) => control.error === null).map((control) => control.seq)).size;
    const failedControls = controls.length - applied;
    const byAction = (records: ControlRecord[]): Record<string, Latency> => {
      const out: Record<string, Latency> = {};
      for (const action of new Set(records.map((r) => r.action))) {
        out[action] = controlReach(
          records.filter((r) => r.action === action),
          states([...group('phones'), ...group('projector')]),
          observedUntil,
        );
      }
      return out;
    };
    const failedVotes = sum(Object.values(board.failures));
    const dropped = sum(collected.map((p) => p.dropped));
    const lost = c.boardViewers - boardViewers + (c.phones - phones);
    return {
      code,
      area: set.area,
      phones: c.phones,
      boardViewers: c.boardViewers,
      connected: { phones, projector: projector.connected, boardViewers },
      ideas: set.ids.length,
      voteRate: c.voteRate,
      seconds: c.seconds,
      controlIntervalMs: c.controlIntervalMs,
      votes: {
        sent: votes.length,
        accepted: board.accepted,
        refusedWhilePaused,
        sentPerS: votes.length / (sendingMs / 1000),
        acceptedPerS: board.accepted / (sendingMs / 1000),
        failures: board.failures,
      },
      ack: board.ack,
      controls: {
        sent: controls.length,
        applied,
        failures: controlFailures,
        ack: summarize(
          controls.filter((r) => r.error === null).map((r) => r.ackAt - r.sentAt),
          0,
        ),
        byAction: byAction(controls),
      },
      everyScreen,
      phoneScreens: { screens: phones, control: phonesControl, vote: onPhones.latency },
      projector: { screens: projector.connected, control: projectorControl, vote: onProjector.latency },
      boardVote: board.latency,
      deliveredPerS: deliveryRate(frames, APP_TICK_MS),
      viewerFailures: { connect: lost, dropped },
      // The room's votes are the session's own: board viewers beside the hall never see them, by design.
      errors: failedControls + everyScreen.unseen + failedVotes + onPhones.latency.unseen + onProjector.latency.unseen + lost + dropped,
      serverCpu: probe.result!,
    };
  } finally {
    await ctx.children.stop(facilitator.process);
  }
}

/**
 * Ours, past the fan-out rate, on fresh ideas, before an audience of the same size: a rate holds
 * while p99 stays flat (at most twice the fan-out's) and within the naive server's 1 s.
 */
async function oursRamp(ctx: Context, app: AppProcess, voters: Worker<ParticipantApi>, base: FanoutResult, set: IdeaSet, rampSets: IdeaSet[]): Promise<OursRamp> {
  const limitMs = Math.min(FLAT_LATENCY_LIMIT_MS, 2 * base.latency.p99);
  const steps: RampStep[] = [];
  if (!holds(base, limitMs)) return { viewers: base.viewers, limitMs, steps, held: 0, bound: 'exact' };
  let held = base.rate;
  let bound: Bound = 'atLeast';
  await connectViewers(ctx, 'board', app.url, base.viewers, set.area);
  try {
    for (const [i, factor] of ctx.plan.oursRampFactors.entries()) {
      const rate = ctx.plan.voteRate * factor;
      ctx.progress.note(`${rate} votes/s`);
      const { round } = await voteRound(ctx, voters, rampSets[i]!.ids, rate, ctx.plan.oursRampSeconds);
      const step = { ...round, holds: holds(round, limitMs) };
      steps.push(step);
      if (!step.holds) {
        bound = 'exact';
        break;
      }
      held = rate;
      if (generatorLimited(round)) break;
    }
  } finally {
    await closeViewers(ctx);
  }
  return { viewers: base.viewers, limitMs, steps, held, bound };
}

/** Bare ws to the same viewers: first the board's job (a frame per tick), then as fast as the box goes. */
async function ceiling(ctx: Context, viewers: number, frame: string): Promise<CeilingResult> {
  const durationMs = ctx.plan.ceilingSeconds * 1000;
  const server = spawnWorker<CeilingApi>(ctx, 'ceiling server', 'ceiling-server.ts', ctx.pinning.server);
  try {
    const { port } = await server.request('listen', null, 30_000);
    const connected = await connectViewers(ctx, 'raw', `ws://127.0.0.1:${port}/`, viewers, null);
    await Promise.all(ctx.viewers.map((w) => w.request('begin', null, 10_000)));
    const serverCpu = ctx.pinning.server === null ? null : Number(ctx.pinning.server);
    const {
      result: { rounds },
      busy: coreBusy,
    } = await busyDuring(serverCpu, server.process.pid!, () => server.request('pace', { frame, intervalMs: APP_TICK_MS, durationMs }, durationMs + 30_000));
    await settle(ctx);
    const frames = mergeFrames((await Promise.all(ctx.viewers.map((w) => w.request('collect', null, 60_000)))).map((c) => c.frames));
    const byText = new Map(frames.map((f) => [f.frame, f]));
    const spread = rounds.map((round) => {
      const seen = byText.get(round.frame);
      return { complete: seen !== undefined && seen.viewers >= connected, ms: (seen?.last ?? now()) - round.sentAt };
    });

    await Promise.all(ctx.viewers.map((w) => w.request('begin', null, 10_000)));
    const start = now();
    await server.request('blast', { frame, durationMs }, durationMs + 30_000);
    const counts = await Promise.all(ctx.viewers.map((w) => w.request('count', null, 10_000)));
    const limitPerS = sum(counts.map((c) => c.delivered)) / ((now() - start) / 1000);
    await closeViewers(ctx);
    return {
      viewers,
      connected,
      frameBytes: Buffer.byteLength(frame),
      intervalMs: APP_TICK_MS,
      deliveredPerS: deliveryRate(frames, APP_TICK_MS),
      spread: summarize(
        spread.map((s) => s.ms),
        spread.filter((s) => !s.complete).length,
      ),
      coreBusy,
      limitPerS,
    };
  } finally {
    await ctx.children.stop(server.process);
  }
}

/**
 * The naive server under the same audience: from a hundredth of our vote rate, doubling (or
 * halving) until p99 passes 1 s, then one step between the last rate held and the first lost.
 */
async function naive(ctx: Context, viewers: number, area: AreaSlug): Promise<NaiveResult> {
  const { plan } = ctx;
  const server = spawnWorker<NaiveApi>(ctx, 'naive server', 'naive-server.ts', ctx.pinning.server, [area]);
  const voters = spawnWorker<ParticipantApi>(ctx, 'naive participants', 'participants.ts', ctx.pinning.load);
  try {
    const { port } = await server.request('listen', null, 30_000);
    const url = `http://127.0.0.1:${port}`;
    const connected = await connectViewers(ctx, 'board', url, viewers, area);
    const people = await voters.request(
      'connect',
      { url, cookies: null, count: plan.participants, sources: sources(ctx.workerCount), concurrency: 16, timeoutMs: CONNECT_TIMEOUT_MS },
      CONNECT_TIMEOUT_MS * 6 + plan.participants * 10,
    );
    if (people.failed > 0) throw new Error(`${people.failed} naive participants could not connect (${people.firstError})`);
    const steps: RampStep[] = [];
    let lo = 0;
    let hi = Number.POSITIVE_INFINITY;
    let rate = plan.voteRate / 100;
    let bound: Bound = 'exact';
    for (let i = 0; i < plan.naiveMaxSteps; i++) {
      ctx.progress.note(`${connected} viewers, ${rate.toFixed(1)} votes/s`);
      const ideas = Array.from({ length: plan.ideasPerSet }, () => randomBytes(12).toString('hex'));
      const { round } = await voteRound(ctx, voters, ideas, rate, plan.naiveStepSeconds);
      const step = { ...round, holds: holds(round, FLAT_LATENCY_LIMIT_MS) };
      steps.push(step);
      if (step.holds) lo = Math.max(lo, rate);
      else hi = Math.min(hi, rate);
      if (step.holds && generatorLimited(round)) break;
      if (hi === Number.POSITIVE_INFINITY) rate *= 2;
      else if (lo === 0) rate /= 2;
      else if (hi / lo > 1.5) rate = Math.sqrt(lo * hi);
      else break;
    }
    if (hi === Number.POSITIVE_INFINITY) bound = 'atLeast';
    await closeViewers(ctx);
    return { viewers, connected, steps, held: lo, bound };
  } finally {
    await Promise.all([ctx.children.stop(voters.process), ctx.children.stop(server.process)]);
  }
}

/** After the run: every acknowledged vote is stored, and nothing else is (board votes and the rooms' own). */
async function storedVotes(app: AppProcess): Promise<number> {
  await connectDatabase(app.databaseUri);
  try {
    return (await Vote.countDocuments()) + (await RoomVote.countDocuments());
  } finally {
    await disconnectDatabase();
  }
}

function estimateSeconds(plan: Plan): number {
  const perViewers = plan.viewers.map(
    (v) => 3 * (v / 2_000 + 1) + plan.voteSeconds + plan.ceilingSeconds + (plan.fanoutOnly ? 0 : 6 * (plan.naiveStepSeconds + 1.5)) + 4,
  );
  const setup = 8 + plan.participants / 150 + 4;
  const hall = conferenceSeconds(plan);
  if (plan.fanoutOnly) return setup + sum(perViewers);
  if (plan.conferenceOnly) return setup + hall;
  if (plan.clusterOnly) return clusterSeconds(plan);
  return (
    setup +
    plan.durabilityVotes / 400 +
    plan.viewers[2] / 2_000 +
    sum(perViewers) +
    hall +
    plan.viewers.length * plan.oursRampFactors.length * (plan.oursRampSeconds + 2) +
    clusterSeconds(plan)
  );
}

const conferenceSeconds = ({ conference: c }: Plan) => 3 * ((c.phones + c.boardViewers) / 2_000 + 1) + c.seconds + 4;

async function run(ctx: Context, results: Results): Promise<void> {
  const { plan, progress } = ctx;
  const attempt = async <T>(label: string, weight: number, task: () => Promise<T>): Promise<T | null> => {
    progress.phase(label, weight);
    try {
      return await task();
    } catch (error) {
      results.problems.push(`${label}: ${error instanceof Error ? error.message : String(error)}`);
      await resetViewers(ctx);
      return null;
    }
  };

  const everything = !plan.fanoutOnly && !plan.conferenceOnly && !plan.clusterOnly;
  const fanouts = !plan.conferenceOnly && !plan.clusterOnly;
  const hallToo = !plan.fanoutOnly && !plan.clusterOnly;
  const twoServers = () => {
    const c = plan.cluster;
    return attempt(`cluster: 2 × ${c.viewersPerServer} viewers, two app servers + Redis + one FerretDB, kill -9 of one`, clusterSeconds(plan), () => cluster(clusterContext(ctx)));
  };
  if (plan.clusterOnly) {
    results.cluster = await twoServers();
    return;
  }
  if (everything) results.durability = await attempt('durability: group commit vs one insert per vote', plan.durabilityVotes / 400, () => durability(ctx));

  progress.phase('starting the app (embedded FerretDB, fresh data folder)', 8);
  const app = await AppProcess.start(ctx.children, { cpus: ctx.pinning.server, dataDir: ctx.dataDir, timeoutMs: 90_000 });
  try {
    progress.phase(`seeding: ${plan.participants} participants, idea sets`, plan.participants / 150);
    // Per audience, in its own area: the fan-out's ideas, then one fresh set per ramp step.
    // The conference's ideas are the last set, in an area of their own: its session is that area.
    const setsPerAudience = 1 + plan.oursRampFactors.length;
    const hallArea = AREA_SLUGS[plan.viewers.length]!;
    const seed = await seedBoard(ctx, app, [
      ...(fanouts ? plan.viewers.flatMap((_, i) => Array.from({ length: setsPerAudience }, () => ({ area: AREA_SLUGS[i]!, count: plan.ideasPerSet }))) : []),
      ...(hallToo ? [{ area: hallArea, count: plan.ideasPerSet }] : []),
    ]);
    const hallSet = hallToo ? seed.sets.at(-1)! : null;

    for (const path of everything ? [`/areas/${AREA_SLUGS[0]}`, '/screen'] : []) {
      const weight = await attempt(`page weight of ${path}`, 0.5, () => pageWeight(app.url, path));
      if (weight) results.pages.push(weight);
    }
    const hall = hallToo ? await attempt('the conference: a facilitator and a live session', 1, () => openHall(app, hallArea)) : null;
    if (hall) {
      // The phone page is another branch's work: a build without it reports it missing rather than failing.
      const path = `/live/${hall.code}`;
      const weight = await attempt(`page weight of ${path}`, 0.5, async () => {
        try {
          return await pageWeight(app.url, path);
        } catch (error) {
          if (!(error instanceof PageMissing)) throw error;
          results.pagesMissing.push(path);
          return null;
        }
      });
      if (weight) results.pages.push(weight);
    }

    const voters = spawnWorker<ParticipantApi>(ctx, 'participants', 'participants.ts', ctx.pinning.load);
    progress.phase(`connecting ${plan.participants} participants`, plan.participants / 1_000);
    const people = await voters.request(
      'connect',
      { url: app.url, cookies: seed.cookies, count: plan.participants, sources: sources(ctx.workerCount + 1), concurrency: 16, timeoutMs: CONNECT_TIMEOUT_MS },
      CONNECT_TIMEOUT_MS * 6 + plan.participants * 10,
    );
    if (people.failed > 0) throw new Error(`${people.failed} participants could not connect (${people.firstError})`);

    if (everything) results.memory = await attempt(`memory: ${plan.viewers[2]} idle viewers`, plan.viewers[2] / 2_000 + 4, () => memory(ctx, app, AREA_SLUGS[0]!));

    // The fan-outs go first, so the largest meets a board holding what a hall's would (a few
    // tens of thousands of votes); the ramps, which store far more, come last.
    let acknowledged = 0;
    const sets = (i: number) => seed.sets.slice(i * setsPerAudience, (i + 1) * setsPerAudience) as [IdeaSet, ...IdeaSet[]];
    for (const [i, viewers] of fanouts ? plan.viewers.entries() : []) {
      const [set] = sets(i);
      const ours = await attempt(`fan-out: ${viewers} viewers, ${plan.voteRate} votes/s + ${plan.commentRate} comments/s`, 3 * (viewers / 2_000 + 1) + plan.voteSeconds, async () => {
        try {
          return await fanout(ctx, app, voters, viewers, set);
        } finally {
          await closeViewers(ctx);
        }
      });
      if (ours) {
        results.fanout.push(ours.result);
        acknowledged += ours.result.accepted;
      }
      if (app.child.exitCode !== null) throw new Error(`the app died:\n${app.tail()}`);

      const frame = ours ? medianFrame(ours.frames) : null;
      if (frame) {
        const bare = await attempt(`ceiling: bare ws, ${viewers} viewers`, viewers / 2_000 + plan.ceilingSeconds + 1, () => ceiling(ctx, viewers, frame));
        if (bare) results.ceiling.push(bare);
      }
      if (!everything) continue;
      const baseline = await attempt(`naive: per-vote broadcast, ${viewers} viewers`, viewers / 2_000 + 6 * (plan.naiveStepSeconds + 1.5), () => naive(ctx, viewers, set.area));
      if (baseline) results.naive.push(baseline);
    }

    if (hall && hallSet) {
      const c = plan.conference;
      results.conference = await attempt(
        `conference: ${c.phones} phones + projector, ${c.boardViewers} board viewers, ${c.voteRate} votes/s, a control every ${c.controlIntervalMs} ms`,
        conferenceSeconds(plan),
        async () => {
          try {
            return await conference(ctx, app, voters, hallSet, hall);
          } finally {
            await closeViewers(ctx);
          }
        },
      );
      if (results.conference) acknowledged += results.conference.votes.accepted;
      if (app.child.exitCode !== null) throw new Error(`the app died:\n${app.tail()}`);
    }

    for (const base of everything ? results.fanout : []) {
      const [set, ...rampSets] = sets(plan.viewers.indexOf(base.viewers));
      const ramp = await attempt(`ours past ${plan.voteRate} votes/s, ${base.viewers} viewers`, base.viewers / 2_000 + plan.oursRampFactors.length * (plan.oursRampSeconds + 2), () =>
        oursRamp(ctx, app, voters, base, set, rampSets),
      );
      if (ramp) {
        results.oursRamps.push(ramp);
        acknowledged += sum(ramp.steps.map((s) => s.accepted));
      }
      if (app.child.exitCode !== null) throw new Error(`the app died:\n${app.tail()}`);
    }

    await ctx.children.stop(voters.process);
    results.appDrift = await attempt('drift: stored votes vs acknowledged', 2, async () => {
      const stored = await storedVotes(app);
      return { acknowledged, stored, drift: stored - acknowledged };
    });
  } finally {
    await app.stop();
  }
  // The quick run stays quick: its cluster is `--cluster-only --quick`, a test of its own.
  if (everything && plan.mode === 'full') results.cluster = await twoServers();
}

function clusterContext(ctx: Context): ClusterContext {
  return {
    plan: ctx.plan,
    pinning: ctx.pinning,
    children: ctx.children,
    viewers: ctx.viewers,
    dataDir: ctx.dataDir,
    note: (message) => ctx.progress.note(message),
    spawnParticipants: (name) => spawnWorker<ParticipantApi>(ctx, name, 'participants.ts', ctx.pinning.load),
    sources,
  };
}

const clusterSeconds = ({ cluster: c }: Plan) => 20 + c.participants / 150 + 2 * c.seconds + c.killSeconds + 3 * ((2 * c.viewersPerServer) / 2_000 + 1) + 10;

async function main(): Promise<void> {
  let plan: Plan | null;
  try {
    plan = parsePlan(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
    return;
  }
  if (!plan) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const pinning = choosePinning();
  // The orchestrator is load too: it must not take the server's core while the server is measured.
  pinProcess(process.pid, pinning.load);
  const children = new ChildSet();
  const dataDir = mkdtempSync(join(tmpdir(), 'reclaim-bench-'));
  const abort = (signal: NodeJS.Signals) => {
    children.killAllNow();
    rmSync(dataDir, { recursive: true, force: true });
    process.stderr.write(`\n${signal}: bench stopped\n`);
    process.exit(130);
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);

  const progress = new Progress(estimateSeconds(plan));
  const machineCpus = cpus();
  const results: Results = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: {
      cpus: machineCpus.length,
      model: machineCpus[0]?.model ?? 'unknown',
      node: process.version,
      kernel: release(),
      serverCpus: pinning.server,
      loadCpus: pinning.load,
    },
    plan,
    durability: null,
    pages: [],
    pagesMissing: [],
    memory: null,
    fanout: [],
    ceiling: [],
    naive: [],
    oursRamps: [],
    conference: null,
    appDrift: null,
    cluster: null,
    problems: [],
  };
  mkdirSync(plan.outDir, { recursive: true });
  const workerCount = plan.viewerProcesses;
  const ctx: Context = { plan, pinning, children, progress, viewers: [], workerCount, dataDir };
  try {
    ctx.viewers = Array.from({ length: workerCount }, (_, i) => spawnViewers(ctx, i));
    await run(ctx, results);
  } catch (error) {
    results.problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    await children.stopAll();
    rmSync(dataDir, { recursive: true, force: true });
    progress.finish();
  }
  results.finishedAt = new Date().toISOString();

  const figures = buildFigures(results);
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const jsonFile = join(plan.outDir, `${stamp}.json`);
  const svgFile = join(plan.outDir, `${stamp}.svg`);
  writeFileSync(jsonFile, JSON.stringify({ ...results, figures }, null, 2) + '\n');
  writeFileSync(svgFile, chartSvg(results));
  printTable(results, figures);
  process.stdout.write(`\nResults: ${jsonFile}\nChart:   ${svgFile}\n`);
  process.exitCode = results.problems.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
