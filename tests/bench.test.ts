import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Figure } from '../scripts/bench/report.js';
import type { Results } from '../scripts/bench/results.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const QUICK_BENCH_MS = 120_000;

/**
 * Runs `npm run bench -- --quick` as a user would and checks the shape and the sense of what it
 * wrote. It asserts no timings: the machine is shared and noisy, and the targets are for the full run.
 */
describe('quick bench', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'reclaim-bench-test-'));
  let exitCode: number | null = null;
  let output = '';
  let results: Results & { figures: Figure[] };
  let svg = '';

  beforeAll(async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/main.ts', '--quick', '--out', outDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGTERM'), QUICK_BENCH_MS + 30_000);
    exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
    const files = readdirSync(outDir);
    const json = files.find((f) => f.endsWith('.json'));
    const chart = files.find((f) => f.endsWith('.svg'));
    if (!json || !chart) throw new Error(`the bench wrote no results (exit ${exitCode}):\n${output}`);
    results = JSON.parse(readFileSync(join(outDir, json), 'utf8')) as Results & { figures: Figure[] };
    svg = readFileSync(join(outDir, chart), 'utf8');
  }, QUICK_BENCH_MS + 60_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('finishes without problems and prints the table', () => {
    expect(results.problems, output).toEqual([]);
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/\| Figure +\| Value +\| Target +\| Meets \|/);
    for (const figure of results.figures) expect(output).toContain(figure.label);
  });

  it('has every figure, each a number', () => {
    const keys = results.figures.map((f) => f.key);
    const [small, mid, large] = results.plan.viewers;
    for (const viewers of [small, mid, large]) {
      for (const part of ['p99', 'delivered', 'ack', 'accepted', 'comments', 'commentAck', 'commentReach', 'cpu', 'errors']) expect(keys).toContain(`fanout.${viewers}.${part}`);
      expect(keys).toContain(`ceiling.${viewers}.spread`);
      expect(keys).toContain(`ceiling.${viewers}.cpu`);
      expect(keys).toContain(`naive.${viewers}.ratio`);
    }
    for (const key of ['ceiling.ratio', 'durability.ratio', 'durability.drift', 'app.drift', 'memory.perViewer', 'page.area', 'page.screen', 'page.live']) {
      expect(keys).toContain(key);
    }
    for (const part of ['control', 'control.projector', 'control.ack', 'vote.projector', 'vote.phones', 'vote.board', 'ack', 'votes', 'cpu', 'errors']) {
      expect(keys).toContain(`conference.${part}`);
    }
    // The phone page is built on another branch: until it is merged, the bench reports it missing.
    const livePageMissing = results.pagesMissing.some((path) => path.startsWith('/live/'));
    for (const figure of results.figures) {
      if (figure.key === 'page.live' && livePageMissing) {
        expect(figure.value).toBeNull();
        expect(figure.shown).toMatch(/missing/);
        continue;
      }
      expect(Number.isFinite(figure.value), `${figure.key}: ${figure.shown}`).toBe(true);
      if (figure.target !== null) expect(typeof figure.meets, figure.key).toBe('boolean');
    }
  });

  it('measures every vote to every viewer, with nothing lost', () => {
    expect(results.fanout.map((f) => f.viewers)).toEqual(results.plan.viewers);
    for (const f of results.fanout) {
      expect(f.connected).toBe(f.viewers);
      expect(f.errors).toBe(0);
      expect(f.latency.unseen).toBe(0);
      expect(f.latency.samples).toBe(f.sent);
      expect(f.accepted).toBe(f.sent);
      expect(f.latency.p50).toBeGreaterThan(0);
      expect(f.latency.p50).toBeLessThanOrEqual(f.latency.p99);
      expect(f.latency.p99).toBeLessThanOrEqual(f.latency.max);
      expect(f.ack.p50).toBeGreaterThan(0);
      expect(f.deliveredPerS).toBeGreaterThan(0);
      expect(f.framesPerS).toBeGreaterThan(0);
      expect(f.frameBytes).toBeGreaterThan(20);
      expect(f.serverCpu.app).toBeGreaterThan(0);
      if (results.machine.loadCpus) expect(f.serverCpu.load).toBeGreaterThan(0);
    }
  });

  it('posts comments beside the votes: every one accepted, acknowledged and counted on every viewer’s card', () => {
    const { commentRate, voteSeconds } = results.plan;
    expect(commentRate).toBeGreaterThan(0);
    for (const f of results.fanout) {
      const c = f.comments!;
      expect(c, `fan-out ${f.viewers}`).not.toBeNull();
      expect(c.rate).toBe(commentRate);
      expect(c.sent).toBe(Math.round(commentRate * voteSeconds));
      expect(c.failures).toEqual({});
      expect(c.accepted).toBe(c.sent);
      expect(c.acceptedPerS).toBeGreaterThan(0);
      expect(c.acceptedPerS).toBeLessThanOrEqual(c.sentPerS);
      expect(c.ack.samples).toBe(c.accepted);
      expect(c.ack.p50).toBeGreaterThan(0);
      expect(c.ack.p50).toBeLessThanOrEqual(c.ack.p99);
      expect(c.reach.samples).toBe(c.accepted);
      expect(c.reach.unseen).toBe(0);
      expect(c.reach.p50).toBeGreaterThan(0);
      expect(c.reach.p50).toBeLessThanOrEqual(c.reach.p99);
      expect(c.reach.p99).toBeLessThanOrEqual(c.reach.max);
      // Comment counts ride in the tally frames: every viewer got some, never a message per comment.
      expect(c.delivered).toBeGreaterThanOrEqual(f.connected);
    }
  });

  it('runs the ceiling and the naive server against the same audiences', () => {
    for (const viewers of results.plan.viewers) {
      const ours = results.fanout.find((f) => f.viewers === viewers)!;
      const ceiling = results.ceiling.find((c) => c.viewers === viewers)!;
      expect(ceiling.connected).toBe(viewers);
      expect(ceiling.frameBytes).toBe(ours.frameBytes);
      expect(ceiling.deliveredPerS).toBeGreaterThan(0);
      expect(ceiling.limitPerS).toBeGreaterThan(0);
      expect(ceiling.coreBusy).toBeGreaterThan(0);
      expect(ceiling.spread.unseen).toBe(0);

      const naive = results.naive.find((n) => n.viewers === viewers)!;
      expect(naive.connected).toBe(viewers);
      expect(naive.steps[0]!.rate).toBe(results.plan.voteRate / 100);
      expect(naive.held).toBeGreaterThan(0);
      const ramp = results.oursRamps.find((r) => r.viewers === viewers)!;
      expect(ramp.limitMs).toBeGreaterThan(0);
      // The ramp climbs only from a fan-out that held its latency.
      expect(ramp.steps.length === 0).toBe(ramp.held === 0);
    }
  });

  it('runs the conference: every control and every counted vote reaches every screen of the session', () => {
    const hall = results.conference!;
    const plan = results.plan.conference;
    expect(hall.connected).toEqual({ phones: plan.phones, projector: 1, boardViewers: plan.boardViewers });
    expect(hall.errors).toBe(0);
    expect(hall.viewerFailures).toEqual({ connect: 0, dropped: 0 });

    // The facilitator paused, reopened, spotlit and released: each control a new seq, on every screen.
    expect(hall.controls.sent).toBeGreaterThanOrEqual(4);
    expect(hall.controls.applied).toBe(hall.controls.sent);
    expect(Object.keys(hall.controls.byAction).sort()).toEqual(['open', 'pause', 'release', 'spotlight']);
    for (const reach of [hall.everyScreen, hall.phoneScreens.control, hall.projector.control]) {
      expect(reach.samples).toBe(hall.controls.applied);
      expect(reach.unseen).toBe(0);
      expect(reach.p50).toBeGreaterThan(0);
      expect(reach.p50).toBeLessThanOrEqual(reach.p99);
      expect(reach.p99).toBeLessThanOrEqual(reach.max);
    }
    // Every screen is the phones and the projector: it waits for the later of the two.
    expect(hall.everyScreen.max).toBe(Math.max(hall.phoneScreens.control.max, hall.projector.control.max));

    // Votes during the pauses were refused, and only those; every other one counted and was seen everywhere.
    expect(hall.votes.refusedWhilePaused).toBeGreaterThan(0);
    expect(hall.votes.failures).toEqual({});
    expect(hall.votes.accepted).toBeGreaterThan(0);
    expect(hall.votes.accepted + hall.votes.refusedWhilePaused).toBe(hall.votes.sent);
    // The room's votes are the session's own: the board viewers beside the hall never see them.
    expect(hall.boardVote.unseen).toBe(hall.votes.accepted);
    for (const reach of [hall.projector.vote, hall.phoneScreens.vote]) {
      expect(reach.samples).toBe(hall.votes.accepted);
      expect(reach.unseen).toBe(0);
      expect(reach.p50).toBeGreaterThan(0);
      expect(reach.p50).toBeLessThanOrEqual(reach.p99);
    }
    expect(hall.ack.p50).toBeGreaterThan(0);
    expect(hall.deliveredPerS).toBeGreaterThan(0);
    expect(hall.serverCpu.app).toBeGreaterThan(0);
  });

  it('stores exactly the acknowledged votes', () => {
    const d = results.durability!;
    for (const phase of [d.perVote, d.groupCommit]) {
      expect(phase.acknowledged).toBe(phase.votes);
      expect(phase.stored).toBe(phase.acknowledged);
      expect(phase.storedPerS).toBeGreaterThan(0);
    }
    expect(d.groupCommit.batches).toBeLessThan(d.groupCommit.votes);
    expect(results.appDrift!.drift).toBe(0);
    expect(results.appDrift!.stored).toBeGreaterThan(0);
  });

  it('weighs memory and pages', () => {
    expect(results.memory!.connected).toBe(results.plan.viewers[2]);
    expect(results.memory!.perViewerBytes).toBeGreaterThan(0);
    const livePages = [...results.pages.map((p) => p.path), ...results.pagesMissing].filter((path) => path.startsWith('/live/'));
    expect(livePages).toEqual([`/live/${results.conference!.code}`]);
    for (const page of results.pages) {
      expect(page.files[0]!.encoding).toBe('gzip');
      expect(page.files.some((f) => f.url.endsWith('.js'))).toBe(true);
      expect(page.files.some((f) => f.url.endsWith('.css'))).toBe(true);
      expect(page.bytes).toBe(page.files.reduce((sum, f) => sum + f.bytes, 0));
    }
  });

  it('draws the latency chart', () => {
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('ours p99');
    expect(svg).toContain('naive p99');
    expect(svg.match(/<circle/g)?.length).toBeGreaterThanOrEqual(4 * results.plan.viewers.length);
  });
});

/**
 * `npm run bench -- --cluster-only --quick`: two app servers on one FerretDB and one Redis, 2 × 100
 * viewers, then a kill -9 of one. Shape and sense again, and what must hold whatever the timings:
 * nothing acknowledged is lost, every viewer of the dead server moves, every screen converges.
 */
describe('quick cluster bench', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'reclaim-bench-cluster-'));
  let output = '';
  let exitCode: number | null = null;
  let results: Results & { figures: Figure[] };

  beforeAll(async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/main.ts', '--quick', '--cluster-only', '--out', outDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGTERM'), QUICK_BENCH_MS);
    exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(killer);
    const json = readdirSync(outDir).find((f) => f.endsWith('.json'));
    if (!json) throw new Error(`the bench wrote no results (exit ${exitCode}):\n${output}`);
    results = JSON.parse(readFileSync(join(outDir, json), 'utf8')) as Results & { figures: Figure[] };
  }, QUICK_BENCH_MS + 30_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('measures both servers and the kill, with nothing lost', () => {
    expect(results.problems, output).toEqual([]);
    expect(exitCode, output).toBe(0);
    const c = results.cluster!;
    const size = results.plan.cluster.viewersPerServer;
    expect(c.single.connected).toBe(size);
    expect(c.pair.connected).toEqual({ a: size, b: size });
    expect(c.pair.failures).toEqual({});
    for (const latency of [c.single.latency, c.pair.onA, c.pair.onB]) {
      expect(latency.unseen).toBe(0);
      expect(latency.p50).toBeGreaterThan(0);
      expect(latency.p50).toBeLessThanOrEqual(latency.p99);
    }
    expect(c.deliveredRatio).toBeGreaterThan(0);
    expect(c.kill.failures).toEqual({});
    expect(c.kill.acknowledged).toBeGreaterThan(0);
    expect(c.kill.lost).toBe(0);
    expect(c.kill.stored).toBeGreaterThanOrEqual(c.kill.acknowledged);
    expect(c.kill.moved).toBe(size);
    expect(c.kill.moveFailed).toBe(0);
    expect(c.kill.convergeMs).not.toBeNull();
    const keys = results.figures.filter((f) => f.key.startsWith('cluster.')).map((f) => f.key);
    expect(keys).toEqual(['cluster.onB', 'cluster.onA', 'cluster.extra', 'cluster.delivered', 'cluster.moved', 'cluster.lost', 'cluster.converge']);
    for (const figure of results.figures.filter((f) => f.key.startsWith('cluster.'))) expect(output).toContain(figure.label);
  });
});
