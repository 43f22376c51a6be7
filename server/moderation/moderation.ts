import type { PersonHints } from '../platform/person-hints.js';
import { Types } from 'mongoose';
import { Idea, Report, User } from '../../models/index.js';
import type { HiddenBy, IdeaStatus } from '../../realtime/vocabulary.js';
import type { ModerationItem, ReportInput, ReportResult } from '../../realtime/schemas/moderation.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { BoardSettings } from '../board/board-settings.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import { syncedIdea } from '../board/idea-document.js';
import type { VoteLedger } from '../board/vote-ledger.js';
import type { Publisher } from '../platform/bus.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import type { Limits } from '../platform/limits.js';
import { originOf, type Actor } from '../platform/provenance.js';
import { RateLimiter } from '../platform/rate-limit.js';
import { publicTitle, reasonOf } from './decisions.js';
import { decidedBy } from '../platform/decisions.js';
import type { ModerationEvents } from './events.js';
import { NO_REPORTS, reportStats, type ReportStats } from './report-stats.js';
import { reportsTakeDown } from './report-rule.js';

const REPORTS_PER_WINDOW = 20;
const WINDOW_MS = 10 * 60 * 1000;
const SEARCH_LIMIT = 50;

/**
 * Ideas under the one report rule (report-rule.ts): reports weighed by who made them and from where
 * take an idea down once they reach the staff's threshold; under it, the idea stays up and waits in
 * the queue. Staff hide, put back, publish held ideas and confirm take-downs; each decision goes to
 * the public log as `moderation:decided`.
 */
export class ModerationService {
  private readonly reports = new RateLimiter(REPORTS_PER_WINDOW, WINDOW_MS);

  constructor(
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
    private readonly events: Publisher<ModerationEvents>,
    /** The same queue idea edits use: an idea document has one writer at a time. */
    private readonly ideaWrites: KeyedQueue,
    private readonly settings: BoardSettings,
    private readonly limits: Limits,
    private readonly hints: PersonHints,
  ) {}

  /** Who has reported an idea (for `reportedBy`): read at start and after a Redis gap, noted as reports come. */
  async load(): Promise<void> {
    for (const doc of await Report.find({}, { reporter: 1 }).lean()) this.hints.follow('reporter', doc.reporter.toString());
  }

  async report(input: ReportInput, reporter: Actor): Promise<ReportResult> {
    const userId = reporter.user.id;
    if (!this.state.get(input.ideaId)) throw new HttpError('NOT_FOUND', 'That idea does not exist, or has been taken down already.');
    if (this.reports.take(userId) > 0) throw new HttpError('RATE_LIMITED', 'You have reported a lot in a short time. Please tell a facilitator in the room.');
    await this.limits.take('reportsPerNetwork', reporter.network);
    await this.limits.take('reportsBurstPerNetwork', reporter.network);
    try {
      await Report.create({ idea: new Types.ObjectId(input.ideaId), reporter: new Types.ObjectId(userId), reason: input.reason, origin: originOf(reporter) });
      this.hints.note('reporter', [userId]);
      this.events.publish('queue:changed');
    } catch (error) {
      // Reporting twice is one report: the person's first reason stands.
      if (!isDuplicateKey(error)) throw error;
    }
    const [stats, threshold] = await Promise.all([reportStats('idea', input.ideaId), this.settings.reportThreshold()]);
    const weighed = stats.get(input.ideaId) ?? NO_REPORTS;
    if (!reportsTakeDown(weighed.weight, threshold, false)) return { ideaId: input.ideaId, hidden: false };
    const hidden = await this.ideaWrites.run(input.ideaId, 'hide', () => this.takeDown(input.ideaId, 'reports', weighed));
    return { ideaId: input.ideaId, hidden };
  }

  /** Which of these ideas this person has reported, so a page thanks them again rather than offering the form. */
  async reportedBy(userId: string, ideaIds: string[]): Promise<string[]> {
    if (ideaIds.length === 0 || !this.hints.may('reporter', userId)) return [];
    const reports = await Report.find(
      { reporter: new Types.ObjectId(userId), idea: { $in: ideaIds.map((id) => new Types.ObjectId(id)) } },
      { idea: 1 },
    ).lean();
    return reports.map((report) => report.idea.toString());
  }

  hide(ideaId: string, by: SessionUser): Promise<ModerationItem> {
    return this.ideaWrites.run(ideaId, 'hide', async () => {
      if (await this.takeDown(ideaId, 'facilitator', (await reportStats('idea', ideaId)).get(ideaId), by)) this.events.publish('queue:changed');
      return this.item(ideaId);
    });
  }

  /** A pending idea goes on the board, new on every screen. */
  publish(ideaId: string, by: SessionUser): Promise<ModerationItem> {
    return this.ideaWrites.run(ideaId, 'publish', () => this.putOnBoard(ideaId, 'pending', by));
  }

  /** A hidden idea comes back with its votes, cleared: from then on reports alone do not take it down. */
  restore(ideaId: string, by: SessionUser): Promise<ModerationItem> {
    return this.ideaWrites.run(ideaId, 'restore', () => this.putOnBoard(ideaId, 'hidden', by));
  }

  /** Staff agree with a take-down: the idea stays down and leaves the queue. */
  confirm(ideaId: string, by: SessionUser): Promise<ModerationItem> {
    return this.ideaWrites.run(ideaId, 'confirm', async () => {
      const doc = await Idea.findById(ideaId, { status: 1, title: 1, confirmedAt: 1 }).lean();
      if (!doc) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
      if (doc.status !== 'hidden') throw new HttpError('BAD_REQUEST', 'Only an idea that has been taken down can have its take-down confirmed.');
      if (!doc.confirmedAt) {
        await Idea.updateOne({ _id: doc._id }, { $set: { confirmedAt: new Date() } });
        const reason = reasonOf((await reportStats('idea', ideaId)).get(ideaId));
        this.events.publish('moderation:decided', { action: 'confirm', reason, by: decidedBy(by), byUser: by.id, item: { kind: 'idea', id: ideaId, title: publicTitle(reason, doc.title) } });
        this.events.publish('queue:changed');
      }
      return this.item(ideaId);
    });
  }

  /**
   * Everything a facilitator should look at: ideas reports took down first, then ideas waiting for
   * review and reported ideas still up (most reported first), then what facilitators already decided.
   */
  async queue(): Promise<ModerationItem[]> {
    const [counts, offBoard] = await Promise.all([reportStats('idea'), Idea.find({ status: { $in: ['hidden', 'pending'] } }, { _id: 1 }).lean()]);
    const ids = new Set([...counts.keys(), ...offBoard.map((d) => d._id.toString())]);
    const items = await this.items([...ids], counts);
    const urgency = (i: ModerationItem) =>
      i.hiddenBy === 'reports' && !i.confirmed ? 0 : i.status === 'pending' || (i.status === 'published' && !i.cleared) ? 1 : 2;
    return items.sort((a, b) => urgency(a) - urgency(b) || b.reports - a.reports || (a.idea.createdAt < b.idea.createdAt ? 1 : -1));
  }

  /** Ideas on the board whose title or words hold `q` (in any case), most voted first: to take down one nobody reported. */
  async search(q: string): Promise<ModerationItem[]> {
    const needle = q.toLocaleLowerCase();
    const ids = this.state.rankings
      .ranked(null)
      .filter((idea) => idea.title.toLocaleLowerCase().includes(needle) || idea.body.toLocaleLowerCase().includes(needle))
      .slice(0, SEARCH_LIMIT)
      .map((idea) => idea.id);
    if (ids.length === 0) return [];
    const items = new Map((await this.items(ids, await reportStats('idea'))).map((item) => [item.idea.id, item]));
    return ids.flatMap((id) => items.get(id) ?? []);
  }

  sweep(): void {
    this.reports.sweep();
  }

  /** Resolves true when this call took the idea down; an idea a facilitator cleared stays up unless a facilitator hides it. */
  private async takeDown(ideaId: string, by: HiddenBy, stats: ReportStats | undefined, staff?: SessionUser): Promise<boolean> {
    const doc = await Idea.findById(ideaId).lean();
    if (!doc) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
    if (doc.status === 'hidden' || (by === 'reports' && doc.clearedAt)) return false;
    await Idea.updateOne({ _id: doc._id }, { $set: { status: 'hidden', hiddenBy: by, confirmedAt: null } });
    // Rejecting a held idea is a decline; anything else coming down is a take-down.
    const declined = doc.status === 'pending';
    const reason = declined ? (doc.liveSession ? 'room-review' : 'review') : reasonOf(stats);
    this.events.publish('moderation:decided', { action: declined ? 'decline' : 'take-down', reason, by: staff ? decidedBy(staff) : 'reports', byUser: staff?.id ?? null, item: { kind: 'idea', id: ideaId, title: publicTitle(reason, doc.title) } });
    const entry = this.state.removeIdea(ideaId);
    if (entry) this.events.publish('idea:removed', { idea: entry });
    // Its author hears why it went, rather than finding it gone.
    const state = by === 'reports' ? 'reported' : 'declined';
    this.hints.note('idea-off-board', [doc.author.toString()]);
    this.events.publish('idea:withheld', { authorId: doc.author.toString(), idea: { id: ideaId, area: doc.area as IdeaEntry['area'], title: doc.title, state } });
    return true;
  }

  /** Puts an idea that is `from` (held or hidden) on every board; an idea in any other state is left as it is. */
  private async putOnBoard(ideaId: string, from: 'pending' | 'hidden', by: SessionUser): Promise<ModerationItem> {
    const doc = await Idea.findById(ideaId).lean();
    if (!doc) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
    if (doc.status === from) {
      const changes = from === 'hidden' ? { status: 'published', hiddenBy: null, clearedAt: new Date() } : { status: 'published' };
      await Idea.updateOne({ _id: doc._id }, { $set: changes });
      // A duplicate merged into another idea stays off the board until it is unmerged.
      if (!this.state.isMerged(ideaId)) {
        const entry = this.ledger.restoreIdea(syncedIdea(doc));
        if (from === 'hidden') this.events.publish('idea:restored', { idea: entry });
        else this.events.publish('idea:created', { idea: entry });
      }
      const action = from === 'hidden' ? 'restore' : 'publish';
      this.events.publish('moderation:decided', { action, reason: 'staff', by: decidedBy(by), byUser: by.id, item: { kind: 'idea', id: ideaId, title: doc.title } });
      this.events.publish('queue:changed');
    }
    return this.item(ideaId);
  }

  private async item(ideaId: string): Promise<ModerationItem> {
    const [item] = await this.items([ideaId], await reportStats('idea', ideaId));
    if (!item) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
    return item;
  }

  private async items(ids: string[], counts: Map<string, ReportStats>): Promise<ModerationItem[]> {
    const docs = await Idea.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }).lean();
    const authors = new Map(
      (await User.find({ _id: { $in: [...new Set(docs.map((doc) => doc.author.toString()))].map((id) => new Types.ObjectId(id)) } }, { name: 1, email: 1 }).lean()).map((u) => [
        u._id.toString(),
        u,
      ]),
    );
    return docs.map((doc) => {
      const id = doc._id.toString();
      const { reasons, reports, weight, networks } = counts.get(id) ?? NO_REPORTS;
      const { createdAt, ...idea } = syncedIdea(doc);
      const author = authors.get(doc.author.toString());
      return {
        idea: { ...idea, votes: this.state.get(id)?.votes ?? this.ledger.ballots.ballotCount(id), comments: this.state.commentCount(id), createdAt: new Date(createdAt).toISOString() },
        postedBy: { userId: doc.author.toString(), name: author?.name ?? null, email: author?.email ?? null },
        status: doc.status as IdeaStatus,
        hiddenBy: (doc.hiddenBy ?? null) as HiddenBy | null,
        cleared: Boolean(doc.clearedAt),
        reports,
        reasons,
        weight,
        networks,
        confirmed: Boolean(doc.confirmedAt),
        heldFor: doc.heldFor ?? [],
      };
    });
  }
}
