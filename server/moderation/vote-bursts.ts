import type { VoteMove } from '../../realtime/events.js';
import type { BoardEvents } from '../board/events.js';
import type { Subscriber } from '../platform/bus.js';

/**
 * The rule. A hall of 2,000 phones shares one wifi address, so votes are never refused by network;
 * instead a burst is flagged for staff, who decide. Within the last minute, a burst is
 *
 *  - one network giving one idea at least BURST_MIN_VOTES votes, and at least BURST_RATIO times as
 *    many as it gave its next busiest idea; or
 *  - sessions younger than a minute whose only vote it is (fresh and idle: a cookie made to vote once)
 *    giving one idea at least BURST_MIN_VOTES votes, and BURST_RATIO times as many as such sessions
 *    gave any other idea, from whatever networks.
 *
 * Why a ratio and not a rate: a hall votes fast too, but for a spread of ideas (500 phones voting for
 * 1–3 of 20 ideas put about 50 on each, the busiest hardly ahead of the next), while a script swinging
 * a ranking concentrates on its idea; cover votes spread over other ideas do not hide it, since it is
 * compared with the next busiest idea, not with the network's total. 25 votes is more than a table of
 * friends, and fewer than it takes to move an idea up a busy board. A burst the facilitator caused
 * ("vote for this one now") is flagged too: a flag blocks nothing, staff read it and move on.
 *
 * Cost: each vote is a few map operations in the current 5 s slot; the windows are evaluated once a
 * second, only for networks that voted in that second. Each server sees the votes it stored.
 */
export const BURST_WINDOW_MS = 60_000;
export const BURST_MIN_VOTES = 25;
export const BURST_RATIO = 4;
const SLOT_MS = 5_000;
const SLOTS = BURST_WINDOW_MS / SLOT_MS;

export interface BurstCandidate {
  ideaId: string;
  /** Null: fresh one-vote sessions from any network. */
  network: string | null;
  /** When the idea's first vote in the window came (the start of its 5 s slot). */
  since: number;
  votes: number;
}

/** Where a burst goes: the flags (moderation/vote-flags.ts) count each vote into a flag still going, and raise new ones. */
export interface FlagSink {
  /** Counts a vote into the flag covering it, if one is still going. */
  note(move: VoteMove, freshIdle: boolean, at: number): void;
  /** Whether a flag for this idea and network (null: fresh sessions) saw a vote within the window. */
  active(ideaId: string, network: string | null, at: number): boolean;
  raise(candidate: BurstCandidate): void;
  /** After each look: tells staff of the flags whose counts moved. */
  flush(): void;
}

interface Slot {
  at: number;
  ideas: Map<string, number>;
}

/** Votes per idea over the last minute, in twelve 5 s slots reused in turn. */
class Window {
  private readonly slots: Slot[] = Array.from({ length: SLOTS }, () => ({ at: -1, ideas: new Map<string, number>() }));
  last = -1;

  add(ideaId: string, slot: number, delta: 1 | -1): void {
    const s = this.slots[slot % SLOTS]!;
    if (s.at !== slot) {
      if (delta < 0) return;
      s.at = slot;
      s.ideas.clear();
    }
    s.ideas.set(ideaId, (s.ideas.get(ideaId) ?? 0) + delta);
    if (delta > 0) this.last = slot;
  }

  /** The idea with the most votes in the window, its first slot, and the next busiest idea's votes. */
  busiest(now: number): { ideaId: string; votes: number; since: number; next: number } | null {
    const sums = new Map<string, { votes: number; first: number }>();
    for (const s of this.slots) {
      if (s.at <= now - SLOTS || s.at > now) continue;
      for (const [ideaId, n] of s.ideas) {
        const sum = sums.get(ideaId);
        if (sum) {
          sum.votes += n;
          sum.first = Math.min(sum.first, s.at);
        } else sums.set(ideaId, { votes: n, first: s.at });
      }
    }
    let top: { ideaId: string; votes: number; since: number } | null = null;
    let next = 0;
    for (const [ideaId, { votes, first }] of sums) {
      if (!top || votes > top.votes) {
        if (top) next = Math.max(next, top.votes);
        top = { ideaId, votes, since: first };
      } else next = Math.max(next, votes);
    }
    return top ? { ...top, next } : null;
  }

  idle(now: number): boolean {
    return this.last <= now - SLOTS;
  }
}

/** Follows every vote this server stores, and raises a flag for each burst (see the rule above). */
export class VoteBursts {
  private readonly networks = new Map<string, Window>();
  private readonly fresh = new Window();
  /** Fresh voters in the window: the idea and slot of their first vote, and whether it is still their only one. */
  private readonly freshVoters = new Map<string, { ideaId: string; slot: number; idle: boolean }>();
  private readonly moved = new Set<string>();
  private freshMoved = false;
  /** Ideas flagged for one network's burst lately: fresh sessions' votes in them are the same burst. */
  private readonly networkFlagged = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    bus: Subscriber<BoardEvents>,
    private readonly flags: FlagSink,
    private readonly now: () => number = Date.now,
  ) {
    bus.on('vote:moved', (move) => this.note(move));
  }

  start(everyMs = 1_000): void {
    this.timer = setInterval(() => this.evaluate(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** O(1): the vote joins its network's window and, from a fresh session's only vote, the fresh window. */
  note(move: VoteMove): void {
    if (move.delta < 0 || move.network === undefined) return;
    const at = this.now();
    const slot = Math.floor(at / SLOT_MS);
    if (move.network !== null) {
      let window = this.networks.get(move.network);
      if (!window) this.networks.set(move.network, (window = new Window()));
      window.add(move.ideaId, slot, 1);
      this.moved.add(move.network);
    }
    let freshIdle = false;
    const first = this.freshVoters.get(move.voterId);
    if (first) {
      // A second vote: this session is not idle, and its first vote leaves the fresh window.
      if (first.idle) this.fresh.add(first.ideaId, first.slot, -1);
      first.idle = false;
    } else if (move.fresh) {
      this.freshVoters.set(move.voterId, { ideaId: move.ideaId, slot, idle: true });
      this.fresh.add(move.ideaId, slot, 1);
      this.freshMoved = true;
      freshIdle = true;
    }
    this.flags.note(move, freshIdle, at);
  }

  /** Once a second: the windows that moved, checked against the rule; idle ones dropped. */
  evaluate(): void {
    const at = this.now();
    const slot = Math.floor(at / SLOT_MS);
    for (const network of this.moved) {
      const top = this.networks.get(network)?.busiest(slot);
      if (!top || !isBurst(top)) continue;
      this.networkFlagged.set(top.ideaId, at);
      if (!this.flags.active(top.ideaId, network, at)) this.flags.raise({ ideaId: top.ideaId, network, since: top.since * SLOT_MS, votes: top.votes });
    }
    this.moved.clear();
    if (this.freshMoved) {
      const top = this.fresh.busiest(slot);
      // A burst flagged by its network already is the same burst.
      const byNetwork = top && at - (this.networkFlagged.get(top.ideaId) ?? -Infinity) <= BURST_WINDOW_MS;
      if (top && isBurst(top) && !byNetwork && !this.flags.active(top.ideaId, null, at)) {
        this.flags.raise({ ideaId: top.ideaId, network: null, since: top.since * SLOT_MS, votes: top.votes });
      }
      this.freshMoved = false;
    }
    for (const [network, window] of this.networks) if (window.idle(slot)) this.networks.delete(network);
    for (const [ideaId, flaggedAt] of this.networkFlagged) if (at - flaggedAt > BURST_WINDOW_MS) this.networkFlagged.delete(ideaId);
    for (const [voterId, first] of this.freshVoters) if (first.slot <= slot - SLOTS) this.freshVoters.delete(voterId);
    this.flags.flush();
  }
}

function isBurst({ votes, next }: { votes: number; next: number }): boolean {
  return votes >= BURST_MIN_VOTES && votes >= BURST_RATIO * next;
}
