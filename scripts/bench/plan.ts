import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_TICK_MS } from '../../server/transport/tally-ticker.js';
import type { ClusterPlan } from './cluster.js';

/** Everything a run does, in numbers; `--quick` is the same run, smaller, for the test suite. */
export interface Plan {
  mode: 'full' | 'quick';
  /** Fan-out sizes; the targets speak of the second (5k) and the third (10k). */
  viewers: [number, number, number];
  participants: number;
  ideasPerSet: number;
  voteRate: number;
  voteSeconds: number;
  /** Comments/s posted beside the fan-outs' votes (the live path must stay fast with discussion flowing). */
  commentRate: number;
  ceilingSeconds: number;
  /** The naive server starts at voteRate ÷ 100 (what ours must beat a hundredfold) and doubles. */
  naiveStepSeconds: number;
  naiveMaxSteps: number;
  /** Ours, at the largest audience, past voteRate: these multiples of it. */
  oursRampFactors: number[];
  oursRampSeconds: number;
  durabilityVotes: number;
  durabilityConcurrency: number;
  viewerProcesses: number;
  connectConcurrency: number;
  /** Longest wait for the last tallies after the votes stop. */
  settleMaxMs: number;
  outDir: string;
  profile: boolean;
  /** Only the fan-outs and their bare-ws ceilings: a few minutes shorter, for working on the live path. */
  fanoutOnly: boolean;
  /** Only the conference (and the live page's weight): for working on live sessions. */
  conferenceOnly: boolean;
  conference: ConferencePlan;
  /** Only the cluster: two app servers, Redis, one database. */
  clusterOnly: boolean;
  cluster: ClusterPlan;
}

/**
 * A hall: phones in one live session and online visitors watching its area's board, the
 * participants voting in the session, a facilitator pausing, reopening, spotlighting and releasing.
 */
export interface ConferencePlan {
  /** Sockets that `live:join` the session; one more joins it as the projector. */
  phones: number;
  /** Board viewers (`board:watch`) of the session's area. */
  boardViewers: number;
  voteRate: number;
  seconds: number;
  /** One control this often: each of pause, open, spotlight and release every four of these. */
  controlIntervalMs: number;
}

export const FLAT_LATENCY_LIMIT_MS = 1_000;
/** The app's tally tick: ours sends at most one frame per board this often, and bare ws is given the same job. */
export const APP_TICK_MS = DEFAULT_TICK_MS;

const FULL: Omit<Plan, 'outDir' | 'profile' | 'fanoutOnly' | 'conferenceOnly' | 'clusterOnly' | 'viewerProcesses'> = {
  mode: 'full',
  viewers: [1_000, 5_000, 10_000],
  participants: 2_000,
  ideasPerSet: 20,
  voteRate: 1_000,
  voteSeconds: 20,
  commentRate: 50,
  ceilingSeconds: 5,
  naiveStepSeconds: 4,
  naiveMaxSteps: 9,
  oursRampFactors: [2, 4, 8],
  oursRampSeconds: 4,
  durabilityVotes: 20_000,
  durabilityConcurrency: 2_000,
  connectConcurrency: 64,
  settleMaxMs: 15_000,
  conference: { phones: 2_000, boardViewers: 3_000, voteRate: 1_000, seconds: 30, controlIntervalMs: 1_000 },
  // Both app servers, FerretDB and Redis share the server core of a 2-core box: 2 × 1k viewers fit.
  cluster: { viewersPerServer: 1_000, participants: 2_000, voteRate: 500, seconds: 10, killSeconds: 12 },
};

const QUICK: typeof FULL = {
  mode: 'quick',
  viewers: [100, 250, 500],
  participants: 100,
  ideasPerSet: 20,
  voteRate: 100,
  voteSeconds: 4,
  commentRate: 5,
  ceilingSeconds: 1.5,
  naiveStepSeconds: 1,
  naiveMaxSteps: 4,
  oursRampFactors: [2],
  oursRampSeconds: 1.5,
  durabilityVotes: 2_000,
  durabilityConcurrency: 200,
  connectConcurrency: 32,
  settleMaxMs: 3_000,
  conference: { phones: 200, boardViewers: 300, voteRate: 100, seconds: 5, controlIntervalMs: 500 },
  cluster: { viewersPerServer: 100, participants: 100, voteRate: 50, seconds: 4, killSeconds: 6 },
};

export const USAGE = `npm run bench [-- --quick] [--fanout-only | --conference-only | --cluster-only] [--out DIR] [--profile] [--help]
  --quick            a small run (under two minutes), the one the test suite uses
  --fanout-only      only the fan-outs and their bare-ws ceilings (no durability, memory, naive, ramps, conference)
  --conference-only  only the conference: a live session's phones, projector and facilitator (and its page)
  --cluster-only     only the cluster: two app servers, Redis and one FerretDB; cross-server latency, kill -9 of one
                     (2 × 1k viewers, 2 × 100 with --quick: the servers share the server core)
  --out DIR          where the JSON and SVG go (default: bench-results/)
  --profile          save a CPU profile of the app during each fan-out and the conference (.cpuprofile, beside the JSON)
  BENCH_APP_LOG=FILE also writes the app servers' logs to FILE`;

/** The run to do, or null when the user asked for the usage. */
export function parsePlan(argv: string[]): Plan | null {
  let quick = false;
  let profile = false;
  let fanoutOnly = false;
  let conferenceOnly = false;
  let clusterOnly = false;
  let outDir = 'bench-results';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return null;
    if (arg === '--quick') quick = true;
    else if (arg === '--profile') profile = true;
    else if (arg === '--fanout-only') fanoutOnly = true;
    else if (arg === '--conference-only') conferenceOnly = true;
    else if (arg === '--cluster-only') clusterOnly = true;
    else if (arg === '--out' && argv[i + 1]) outDir = argv[++i]!;
    else throw new Error(`unknown argument ${arg}\n${USAGE}`);
  }
  if ([fanoutOnly, conferenceOnly, clusterOnly].filter(Boolean).length > 1) throw new Error(`--fanout-only, --conference-only and --cluster-only exclude each other\n${USAGE}`);
  return { ...(quick ? QUICK : FULL), outDir: resolve(outDir), profile, fanoutOnly, conferenceOnly, clusterOnly, viewerProcesses: Math.max(2, availableParallelism() - 1) };
}
