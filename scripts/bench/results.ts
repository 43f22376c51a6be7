import type { Latency } from './measure.js';
import type { PageWeight } from './http-client.js';
import type { Plan } from './plan.js';

/** One vote round against a server: `rate` votes/s offered for a few seconds to an audience. */
export interface VoteRound {
  rate: number;
  seconds: number;
  sent: number;
  accepted: number;
  sentPerS: number;
  acceptedPerS: number;
  failures: Record<string, number>;
  latency: Latency;
  ack: Latency;
}

export interface FanoutResult extends VoteRound {
  viewers: number;
  connected: number;
  participants: number;
  ideas: number;
  deliveredPerS: number;
  /** Tally frames per second each viewer got: the tick rate when every tick has news. */
  framesPerS: number;
  frameBytes: number;
  viewerFailures: { connect: number; dropped: number };
  errors: number;
  serverCpu: ServerCpu;
}

/** Shares of one core while the votes ran: the app's Node process, its FerretDB, and the whole server core (all of it busy is 1). */
export interface ServerCpu {
  app: number;
  database: number;
  core: number;
  /** Part of `core` in softirq: mostly the kernel delivering loopback TCP, charged to no process. */
  softirq: number;
  /** The load generators' cores (viewers and participants), averaged: near 1, the figures measure the generators. */
  load: number;
}

export interface CeilingResult {
  viewers: number;
  connected: number;
  frameBytes: number;
  /** Paced like the app's tally tick: one frame per viewer every `intervalMs`. */
  intervalMs: number;
  deliveredPerS: number;
  /** From writing a round's first frame to the last viewer receiving it. */
  spread: Latency;
  /** The server core's busy share while paced: what the job alone costs, beside which ours also stores the votes. */
  coreBusy: number;
  /** Unpaced: frames back to back, as many as the sockets drain. */
  limitPerS: number;
}

export interface RampStep extends VoteRound {
  holds: boolean;
}

/** `atLeast`: the ramp ran out of steps (or of load generator) while still holding. */
export type Bound = 'exact' | 'atLeast';

export interface NaiveResult {
  viewers: number;
  connected: number;
  steps: RampStep[];
  held: number;
  bound: Bound;
}

export interface OursRamp {
  viewers: number;
  limitMs: number;
  steps: RampStep[];
  held: number;
  bound: Bound;
}

export interface DurabilityPhaseResult {
  votes: number;
  acknowledged: number;
  stored: number;
  failed: number;
  storedPerS: number;
  drift: number;
}

export interface DurabilityResult {
  concurrency: number;
  perVote: DurabilityPhaseResult;
  groupCommit: DurabilityPhaseResult & { batches: number };
  ratio: number;
}

export interface MemoryResult {
  viewers: number;
  connected: number;
  baselineRssBytes: number;
  rssBytes: number;
  perViewerBytes: number;
}

export interface DriftResult {
  acknowledged: number;
  stored: number;
  drift: number;
}

export interface Machine {
  cpus: number;
  model: string;
  node: string;
  kernel: string;
  serverCpus: string | null;
  loadCpus: string | null;
}

export interface Results {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  plan: Plan;
  durability: DurabilityResult | null;
  pages: PageWeight[];
  memory: MemoryResult | null;
  fanout: FanoutResult[];
  ceiling: CeilingResult[];
  naive: NaiveResult[];
  oursRamps: OursRamp[];
  appDrift: DriftResult | null;
  /** What went wrong, scenario by scenario; a failed scenario leaves its figures out. */
  problems: string[];
}
