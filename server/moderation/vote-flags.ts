import { Types } from 'mongoose';
import { FlagDecision, Idea, Vote, VoteFlag, VoteVoid } from '../../models/index.js';
import type { VoteMove } from '../../realtime/events.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { VoteFlagView } from '../../realtime/schemas/moderation.js';
import type { DecidedBy } from '../../realtime/vocabulary.js';
import type { BoardState } from '../board/board-state.js';
import type { VoteLedger } from '../board/vote-ledger.js';
import { FRESH_MS } from '../board/votes.js';
import type { Publisher } from '../platform/bus.js';
import { isDuplicateKey, isDuplicateKeyOnly } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import { KeyedQueue } from '../platform/keyed-queue.js';
import { log } from '../platform/log.js';
import type { ModerationEvents } from './events.js';
import { BURST_WINDOW_MS, type BurstCandidate, type FlagSink } from './vote-bursts.js';

interface FlagRecord {
  id: string;
  ideaId: string;
  network: string | null;
  since: number;
  title: string;
  /** The flag's votes cast so far, as this server saw them (read again from the votes when staff void it). */
  votes: number;
  networks: number;
  lastVoteAt: number;
  state: 'open' | 'voided';
  /** The number of the latest decision: the next one is stored under seq + 1. */
  seq: number;
  voided: number;
}

const FLAGS_LISTED = 100;

/**
 * A burst begins when the detector first saw its votes, which is once they were stored; a vote's
 * `createdAt` is when it was handed to the store. Under load the two are seconds apart, and the
 * burst's first votes would escape its void: they count from this much earlier.
 */
const STORE_GRACE_MS = 5_000;

/**
 * Flags of vote bursts (the detector, vote-bursts.ts, raises them) and what staff decide on them. A
 * flag is a fact, `VoteFlag`; its votes are the idea's votes from its network (or fresh sessions'
 * only votes) cast since it began, read when staff act (a filter other than `_id`: a scan, fine for a
 * staff action, never on the vote path). Voiding stores a `VoteVoid` per vote under a unique index
 * and a numbered `FlagDecision`; unvoiding deletes the flag's voids and stores a decision too. The
 * ledger stops counting voided votes on every server (`votes:voided`, shared like votes), and each
 * decision goes to the public moderation log.
 */
export class VoteFlags implements FlagSink {
  private readonly flags = new Map<string, FlagRecord>();
  /** The latest flag of each idea and network ('*': fresh sessions), which a burst still going counts into. */
  private readonly latest = new Map<string, FlagRecord>();
  private readonly counted = new Set<FlagRecord>();
  private readonly decisions = new KeyedQueue();

  constructor(
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
    private readonly events: Publisher<ModerationEvents>,
  ) {}

  async load(): Promise<void> {
    const docs = await VoteFlag.find({}).lean();
    if (docs.length === 0) return;
    const latest = new Map<string, { seq: number; action: string; votes: number }>();
    for (const d of await FlagDecision.find({}, { flag: 1, seq: 1, action: 1, votes: 1 }).lean()) {
      if ((latest.get(d.flag)?.seq ?? 0) < d.seq) latest.set(d.flag, d);
    }
    const voided = new Map<string, number>();
    for (const v of await VoteVoid.find({}, { flag: 1 }).lean()) voided.set(v.flag, (voided.get(v.flag) ?? 0) + 1);
    const offBoard = docs.map((d) => d.idea.toString()).filter((id) => !this.state.get(id));
    const titles = new Map((offBoard.length ? await Idea.find({ _id: { $in: offBoard.map((id) => new Types.ObjectId(id)) } }, { title: 1 }).lean() : []).map((i) => [i._id.toString(), i.title]));
    for (const d of docs.sort((a, b) => a.since.getTime() - b.since.getTime())) {
      const ideaId = d.idea.toString();
      const decision = latest.get(d._id);
      this.remember({
        id: d._id,
        ideaId,
        network: d.network ?? null,
        since: d.since.getTime(),
        title: this.state.get(ideaId)?.title ?? titles.get(ideaId) ?? '',
        votes: Math.max(d.votes, decision?.votes ?? 0),
        networks: d.networks,
        lastVoteAt: d.createdAt.getTime(),
        state: decision?.action === 'void' ? 'voided' : 'open',
        seq: decision?.seq ?? 0,
        voided: voided.get(d._id) ?? 0,
      });
    }
  }

  list(): VoteFlagView[] {
    const rank = (r: FlagRecord) => (r.state === 'open' ? 0 : 1);
    return [...this.flags.values()].sort((a, b) => rank(a) - rank(b) || b.since - a.since).slice(0, FLAGS_LISTED).map(view);
  }

  /** Open flags of these ideas: a live session's console shows them. */
  forIdeas(ideaIds: ReadonlySet<string>): VoteFlagView[] {
    return this.list().filter((flag) => ideaIds.has(flag.ideaId));
  }

  note(move: VoteMove, freshIdle: boolean, at: number): void {
    if (move.network) this.count(this.latest.get(key(move.ideaId, move.network)), at);
    if (freshIdle) this.count(this.latest.get(key(move.ideaId, null)), at);
  }

  active(ideaId: string, network: string | null, at: number): boolean {
    const flag = this.latest.get(key(ideaId, network));
    return flag !== undefined && at - flag.lastVoteAt <= BURST_WINDOW_MS;
  }

  /** In memory at once, so the next look at the windows counts into it rather than raising it again. */
  raise({ ideaId, network, since, votes }: BurstCandidate): void {
    const id = `${ideaId}:${network ?? '*'}:${Math.floor(since / 60_000)}`;
    if (this.flags.has(id)) return;
    const record: FlagRecord = { id, ideaId, network, since, title: this.state.get(ideaId)?.title ?? '', votes, networks: network ? 1 : 0, lastVoteAt: Date.now(), state: 'open', seq: 0, voided: 0 };
    this.remember(record);
    void this.store(record).catch((error: unknown) => log.error({ err: error, flag: id }, 'storing a vote flag failed'));
  }

  /** Once a second, after the detector's look: the flags whose counts moved, to staff screens. */
  flush(): void {
    for (const record of this.counted) this.events.publish('flag:changed', { flag: view(record) });
    this.counted.clear();
  }

  void(flagId: string, by: SessionUser): Promise<{ flag: VoteFlagView; voided: number }> {
    return this.decisions.run(flagId, 'decide', async () => {
      const record = this.require(flagId);
      const votes = await this.votesOf(record);
      // Voiding again catches up with votes cast since: those voided before stay as they are.
      const before = new Set((await VoteVoid.find({ flag: record.id }, { vote: 1 }).lean()).map((v) => v.vote.toString()));
      const fresh = votes.filter((v) => !before.has(v._id.toString()));
      const docs = fresh.map((v) => ({ flag: record.id, vote: v._id, idea: new Types.ObjectId(record.ideaId), voter: v.voter, at: new Date() }));
      try {
        if (docs.length) await VoteVoid.insertMany(docs, { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyOnly(error)) throw error;
      }
      record.votes = Math.max(record.votes, votes.length);
      return this.decide(record, 'void', by, fresh.map((v) => ({ voteId: v._id.toString(), voterId: v.voter.toString() })), before.size + fresh.length);
    });
  }

  unvoid(flagId: string, by: SessionUser): Promise<{ flag: VoteFlagView; voided: number }> {
    return this.decisions.run(flagId, 'decide', async () => {
      const record = this.require(flagId);
      const voids = await VoteVoid.find({ flag: record.id }, { vote: 1, voter: 1 }).lean();
      await VoteVoid.deleteMany({ flag: record.id });
      return this.decide(record, 'unvoid', by, voids.map((v) => ({ voteId: v.vote.toString(), voterId: v.voter.toString() })), 0);
    });
  }

  /** Stores the decision, moves the counts here and on the other servers, and tells staff and the log. */
  private async decide(record: FlagRecord, action: 'void' | 'unvoid', by: SessionUser, votes: { voteId: string; voterId: string }[], voided: number) {
    record.seq = await nextDecision(record, action, by, Math.max(record.votes, votes.length));
    const move = { ideaId: record.ideaId, voided: action === 'void', votes };
    this.ledger.applyVoids(move);
    this.events.publish('votes:voided', move);
    record.state = action === 'void' ? 'voided' : 'open';
    record.voided = voided;
    this.counted.delete(record);
    this.events.publish('flag:changed', { flag: view(record) });
    this.events.publish('moderation:decided', {
      action,
      reason: 'vote-burst',
      by: by.role as DecidedBy,
      byUser: by.id,
      item: { kind: 'vote-flag', id: record.id, title: record.title || null },
    });
    return { flag: view(record), voided };
  }

  /**
   * The flag's votes as stored now: from its network, or (fresh sessions) from guests younger than a
   * minute whose only vote it still is; cast since the burst began.
   */
  private async votesOf(record: FlagRecord): Promise<{ _id: Types.ObjectId; voter: Types.ObjectId }[]> {
    const filter: Record<string, any> = { idea: new Types.ObjectId(record.ideaId), createdAt: { $gte: new Date(record.since - STORE_GRACE_MS) } };
    if (record.network) filter['origin.network'] = record.network;
    else Object.assign(filter, { 'origin.kind': 'guest', 'origin.age': { $lt: FRESH_MS } });
    const votes = await Vote.find(filter, { voter: 1 }).lean();
    return record.network ? votes : votes.filter((v) => this.ledger.ballots.ideasVotedBy(v.voter.toString()).length === 1);
  }

  /** Counts the networks of a fresh-sessions flag, stores it (a second server's flag of the burst is the same document), and tells staff. */
  private async store(record: FlagRecord): Promise<void> {
    if (!record.network) {
      const filter = { idea: new Types.ObjectId(record.ideaId), createdAt: { $gte: new Date(record.since - STORE_GRACE_MS) }, 'origin.kind': 'guest' as const, 'origin.age': { $lt: FRESH_MS } };
      const votes = await Vote.find(filter, { origin: 1 }).lean();
      record.networks = new Set(votes.map((v) => v.origin?.network ?? '')).size;
    }
    try {
      await VoteFlag.create({ _id: record.id, kind: 'vote-burst', idea: new Types.ObjectId(record.ideaId), network: record.network, since: new Date(record.since), votes: record.votes, networks: record.networks });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    this.counted.delete(record);
    this.events.publish('flag:raised', { flag: view(record) });
  }

  /** A flag raised or decided on another server: this one's list and detector follow it. */
  follow(flag: VoteFlagView, network: string | null): void {
    const record = this.flags.get(flag.id);
    if (!record) {
      const since = Date.parse(flag.since);
      this.remember({ id: flag.id, ideaId: flag.ideaId, network, since, title: flag.title, votes: flag.votes, networks: flag.networks, lastVoteAt: Date.now(), state: flag.state, seq: 0, voided: flag.voided });
      return;
    }
    Object.assign(record, { votes: Math.max(record.votes, flag.votes), networks: flag.networks, state: flag.state, voided: flag.voided });
  }

  /** The network a flag covers (null: fresh sessions), for the other servers. */
  networkOf(flagId: string): string | null {
    return this.flags.get(flagId)?.network ?? null;
  }

  private count(record: FlagRecord | undefined, at: number): void {
    if (!record || at - record.lastVoteAt > BURST_WINDOW_MS) return;
    record.votes++;
    record.lastVoteAt = at;
    this.counted.add(record);
  }

  private remember(record: FlagRecord): void {
    this.flags.set(record.id, record);
    this.latest.set(key(record.ideaId, record.network), record);
  }

  private require(flagId: string): FlagRecord {
    const record = this.flags.get(flagId);
    if (!record) throw new HttpError('NOT_FOUND', 'No such flag.');
    return record;
  }
}

/** The next decision under the flag's numbered index; another server's decision in between is read, and this one follows it. */
async function nextDecision(record: FlagRecord, action: 'void' | 'unvoid', by: SessionUser, votes: number): Promise<number> {
  let seq = record.seq + 1;
  for (let attempt = 0; attempt < 5; attempt++, seq++) {
    try {
      await FlagDecision.create({ flag: record.id, seq, action, by: new Types.ObjectId(by.id), role: by.role, votes });
      return seq;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw new HttpError('UNAVAILABLE', 'Others are deciding on this flag just now: please try again.');
}

const key = (ideaId: string, network: string | null) => `${ideaId}|${network ?? '*'}`;

function view(r: FlagRecord): VoteFlagView {
  return {
    id: r.id,
    kind: 'vote-burst',
    ideaId: r.ideaId,
    title: r.title,
    votes: r.votes,
    networks: r.networks,
    basis: r.network ? 'network' : 'fresh-sessions',
    since: new Date(r.since).toISOString(),
    state: r.state,
    voided: r.voided,
  };
}
