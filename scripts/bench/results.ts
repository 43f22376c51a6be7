import type { Latency } from './measure.js';
import type { PageWeight } from './http-client.js';
import type { Plan } from './plan.js';
import type { ClusterResult } from './cluster.js';

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

/** Comments posted beside a round's votes (`comment:create`), and how fast each reached every viewer. */
export interface CommentFlow {
  rate: number;
  sent: number;
  accepted: number;
  sentPerS: number;
  acceptedPerS: number;
  /** Refused, unanswered or held comments by code: none is deliberate, so each is an error. */
  failures: Record<string, number>;
  /** Comment → its ack. */
  ack: Latency;
  /** Comment → its count on the cards: the first tally frame counting its idea's comments after it was sent. */
  reach: Latency;
  /** Tally frames with comment counts the viewers received. */
  delivered: number;
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
  /** Comments flowing beside the votes (`commentRate` of the plan); null when it is 0. */
  comments: CommentFlow | null;
  /** Failed votes, unseen tallies, lost viewers, and failed or unseen comments. */
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

/** One group of a session's screens, by how fast a facilitator's control and a vote reached all of it. */
export interface ScreenReach {
  screens: number;
  /** Control → the last of these screens holding the `live:state` with its seq. */
  control: Latency;
  /** Vote → the last of these screens holding a count that reaches the vote's ack. */
  vote: Latency;
}

/** The hall: phones and a projector in one live session, board viewers of its area, a facilitator. */
export interface ConferenceResult {
  code: string;
  area: string;
  phones: number;
  boardViewers: number;
  connected: { phones: number; projector: number; boardViewers: number };
  ideas: number;
  voteRate: number;
  seconds: number;
  controlIntervalMs: number;
  /** Every vote sent, accepted or not; `refusedWhilePaused` are the FORBIDDEN acks of votes that overlapped a pause. */
  votes: { sent: number; accepted: number; refusedWhilePaused: number; sentPerS: number; acceptedPerS: number; failures: Record<string, number> };
  ack: Latency;
  controls: { sent: number; applied: number; failures: Record<string, number>; ack: Latency; byAction: Record<string, Latency> };
  /** Phones and projector together: when the last screen of the session had each control. */
  everyScreen: Latency;
  phoneScreens: ScreenReach;
  projector: ScreenReach;
  /** Vote → every board viewer of the session's area (the online visitors). */
  boardVote: Latency;
  deliveredPerS: number;
  viewerFailures: { connect: number; dropped: number };
  /** Failed controls, controls or counts some screen never got, votes failed for another reason than the pause, lost screens. */
  errors: number;
  serverCpu: ServerCpu;
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
  /** Pages the build under test does not have (404): reported, not a problem. */
  pagesMissing: string[];
  memory: MemoryResult | null;
  fanout: FanoutResult[];
  ceiling: CeilingResult[];
  naive: NaiveResult[];
  oursRamps: OursRamp[];
  conference: ConferenceResult | null;
  appDrift: DriftResult | null;
  /** Two app servers, Redis and one database (`--cluster-only`, and the full run). */
  cluster: ClusterResult | null;
  /** What went wrong, scenario by scenario; a failed scenario leaves its figures out. */
  problems: string[];
}
