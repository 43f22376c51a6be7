import type { ControlRecord } from './facilitator.js';
import type { CommentRecord, VoteRecord } from './participants.js';
import type { Coverage } from './coverage.js';
import type { FrameStat, StateStat } from './viewers.js';

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  samples: number;
  /**
   * Votes whose count some viewer had not seen when the bench stopped looking; each counts with the
   * time it had waited so far, so with any of these the figures above are lower bounds.
   */
  unseen: number;
}

export interface VoteOutcome {
  sent: number;
  accepted: number;
  /** Vote → its ack: the command, the group commit and the way back, without the broadcast. */
  ack: Latency;
  /** Failed or unanswered votes by error code (TIMEOUT, RATE_LIMITED, ...). */
  failures: Record<string, number>;
  latency: Latency;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Frames collected by several viewer processes: the same text is the same broadcast. */
export function mergeFrames(lists: FrameStat[][]): FrameStat[] {
  const merged = new Map<string, FrameStat>();
  for (const list of lists) {
    for (const stat of list) {
      const seen = merged.get(stat.frame);
      if (!seen) merged.set(stat.frame, { ...stat });
      else {
        seen.viewers += stat.viewers;
        seen.first = Math.min(seen.first, stat.first);
        seen.last = Math.max(seen.last, stat.last);
      }
    }
  }
  return [...merged.values()];
}

/** What one viewer process reports: how many board viewers it had and their coverage. */
export interface ProcessCoverage {
  viewers: number;
  coverage: Coverage;
}

/** When every viewer of one process first held `votes` or more for the idea, or null if some never did. */
function coveredAt(coverage: Coverage, ideaId: string, votes: number): number | null {
  const steps = coverage[ideaId] ?? [];
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]![0] < votes) lo = mid + 1;
    else hi = mid;
  }
  return steps[lo]?.[1] ?? null;
}

/**
 * Vote → every viewer: from sending the vote to the moment the last viewer (of every process)
 * first held a count for that idea reaching the count in the vote's ack (so it includes the vote).
 */
export function voteOutcome(votes: VoteRecord[], processes: ProcessCoverage[], observedUntil: number): VoteOutcome {
  const watching = processes.filter((p) => p.viewers > 0);
  const failures: Record<string, number> = {};
  const latencies: number[] = [];
  const acks: number[] = [];
  let unseen = 0;
  for (const vote of votes) {
    if (vote.error !== null) {
      failures[vote.error] = (failures[vote.error] ?? 0) + 1;
      continue;
    }
    acks.push(vote.ackAt - vote.sentAt);
    const times = watching.map((p) => coveredAt(p.coverage, vote.ideaId, vote.votes));
    if (times.length > 0 && times.every((t) => t !== null)) latencies.push(Math.max(...(times as number[])) - vote.sentAt);
    else {
      unseen++;
      latencies.push(observedUntil - vote.sentAt);
    }
  }
  return {
    sent: votes.length,
    accepted: votes.length - Object.values(failures).reduce((a, b) => a + b, 0),
    failures,
    ack: summarize(acks, 0),
    latency: summarize(latencies, unseen),
  };
}

export function summarize(latencies: number[], unseen: number): Latency {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? Number.NaN, samples: sorted.length, unseen };
}

/**
 * Tally messages delivered per second while frames flowed: every delivery of every frame, over the
 * time from the first frame's first arrival to the last frame's last, plus the one interval that
 * N frames at a steady cadence span. Ours and bare ws are measured by this same rule.
 */
export function deliveryRate(frames: FrameStat[], intervalMs: number): number {
  if (frames.length === 0) return 0;
  const deliveries = frames.reduce((total, f) => total + f.viewers, 0);
  const spanMs = Math.max(...frames.map((f) => f.last)) - Math.min(...frames.map((f) => f.first)) + intervalMs;
  return deliveries / (spanMs / 1000);
}

/** The frame the ceiling server repeats: a real tally frame of this run, of median size. */
export function medianFrame(frames: FrameStat[]): string | null {
  const sorted = frames.map((f) => f.frame).sort((a, b) => a.length - b.length);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

/** What one group of screens of one process received of a session's states: how many screens it has and, per seq, when. */
export interface StateReceipts {
  viewers: number;
  states: Record<number, StateStat>;
}

/**
 * Control → every screen: from sending a control to the moment the last screen (of every process
 * given) held the `live:state` with the seq in the control's ack. A control some screen never got
 * counts with the time it had waited so far, as `unseen`. Failed controls are not measured here,
 * and neither is a control that changed nothing (its ack repeats a seq already measured).
 */
export function controlReach(controls: ControlRecord[], receipts: StateReceipts[], observedUntil: number): Latency {
  const screens = receipts.filter((r) => r.viewers > 0);
  const latencies: number[] = [];
  const measured = new Set<number>();
  let unseen = 0;
  for (const control of controls) {
    if (control.error !== null || measured.has(control.seq)) continue;
    measured.add(control.seq);
    const stats = screens.map((r) => r.states[control.seq]);
    if (screens.length > 0 && stats.every((stat, i) => stat !== undefined && stat.screens >= screens[i]!.viewers)) {
      latencies.push(Math.max(...stats.map((stat) => stat!.last)) - control.sentAt);
    } else {
      unseen++;
      latencies.push(observedUntil - control.sentAt);
    }
  }
  return summarize(latencies, unseen);
}

/**
 * Votes refused (FORBIDDEN) while the session was paused are expected: a vote whose flight, from its
 * sending to its ack, overlaps the time from sending a pause to the ack of the open after it. The rest,
 * refused or not, are returned to be measured as usual (where a refusal is an error).
 */
export function pausedRefusals(votes: VoteRecord[], controls: ControlRecord[]): { refusedWhilePaused: number; rest: VoteRecord[] } {
  const ordered = [...controls].filter((c) => c.error === null).sort((a, b) => a.sentAt - b.sentAt);
  const pauses: [number, number][] = [];
  for (const [i, control] of ordered.entries()) {
    if (control.action !== 'pause') continue;
    const reopened = ordered.slice(i + 1).find((c) => c.action === 'open');
    pauses.push([control.sentAt, reopened ? reopened.ackAt : Number.POSITIVE_INFINITY]);
  }
  const rest: VoteRecord[] = [];
  let refusedWhilePaused = 0;
  for (const vote of votes) {
    if (vote.error === 'FORBIDDEN' && pauses.some(([from, to]) => vote.sentAt <= to && vote.ackAt >= from)) refusedWhilePaused++;
    else rest.push(vote);
  }
  return { refusedWhilePaused, rest };
}

/** What one group of screens of one process received of the comment counts: each broadcast, the ideas it counted, and when. */
export interface CommentReceipts {
  viewers: number;
  comments: Record<string, StateStat & { ideas: string[] }>;
}

export interface CommentOutcome {
  sent: number;
  accepted: number;
  /** Failed, unanswered or held comments by error code (RATE_LIMITED, TIMEOUT, HELD, ...). */
  failures: Record<string, number>;
  /** Comment → its ack: the command, the insert and the way back. */
  ack: Latency;
  /**
   * Comment → a card: from sending it to the first tally frame counting its idea's comments that any
   * screen received after (the count may move, and a frame carry it, before the ack arrives; one carrying
   * another comment's count on the same idea a moment earlier would make this err short, the run's
   * comments being spread over the ideas); one no screen's frame ever counted is `unseen`.
   */
  reach: Latency;
}

/** The earliest frame with comment counts a group received after `since` that counted `ideaId`. */
function firstCountAfter(receipts: CommentReceipts, ideaId: string, since: number): StateStat | undefined {
  let found: StateStat | undefined;
  for (const stat of Object.values(receipts.comments)) {
    if (stat.first >= since && stat.ideas.includes(ideaId) && (!found || stat.first < found.first)) found = stat;
  }
  return found;
}

export function commentOutcome(comments: CommentRecord[], receipts: CommentReceipts[], observedUntil: number): CommentOutcome {
  const screens = receipts.filter((r) => r.viewers > 0);
  const failures: Record<string, number> = {};
  const acks: number[] = [];
  const latencies: number[] = [];
  let unseen = 0;
  for (const comment of comments) {
    if (comment.error !== null || comment.commentId === null) {
      const code = comment.error ?? 'ERROR';
      failures[code] = (failures[code] ?? 0) + 1;
      continue;
    }
    acks.push(comment.ackAt - comment.sentAt);
    // Frames differ by phase (each carries what changed since its phase's last one), so no single frame
    // reaches every viewer: the first one counting the idea, anywhere, is what is timed.
    const first = screens.map((r) => firstCountAfter(r, comment.ideaId, comment.sentAt)?.first).filter((at) => at !== undefined);
    if (first.length > 0) latencies.push(Math.min(...first) - comment.sentAt);
    else {
      unseen++;
      latencies.push(observedUntil - comment.sentAt);
    }
  }
  return {
    sent: comments.length,
    accepted: acks.length,
    failures,
    ack: summarize(acks, 0),
    reach: summarize(latencies, unseen),
  };
}
