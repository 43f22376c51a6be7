import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import { Types } from 'mongoose';
import { Idea, Report, User } from '../../models/index.js';
import type { NewSession } from '../../realtime/commands.js';
import type { HiddenBy, IdeaStatus, ReportReason } from '../../realtime/vocabulary.js';
import type { ModerationItem, ReportInput, ReportResult } from '../../realtime/schemas/moderation.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import { syncedIdea } from '../board/idea-document.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import { RateLimiter } from '../platform/rate-limit.js';
import type { SessionService } from '../accounts/sign-in-sessions.js';
import type { VoteLedger } from '../board/vote-ledger.js';
import type { Publisher } from '../platform/bus.js';
import type { ModerationEvents } from './events.js';
import { reportsTakeDown } from './report-rule.js';

const REPORTS_PER_WINDOW = 20;
const SIGN_INS_PER_WINDOW = 5;
/** Failed sign-ins from everyone together: new guest sessions are free, so a per-person limit alone would not slow guessing. */
const FAILED_SIGN_INS_PER_WINDOW = 50;
const WINDOW_MS = 10 * 60 * 1000;
const EVERYONE = '*';
const SEARCH_LIMIT = 50;

export class ModerationService {
  private readonly reports = new RateLimiter(REPORTS_PER_WINDOW, WINDOW_MS);
  private readonly signIns = new RateLimiter(SIGN_INS_PER_WINDOW, WINDOW_MS);
  private readonly failedSignIns = new RateLimiter(FAILED_SIGN_INS_PER_WINDOW, WINDOW_MS);
  private readonly codeDigest: Uint8Array;

  constructor(
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
    private readonly events: Publisher<ModerationEvents>,
    /** The same queue idea edits use: an idea document has one writer at a time. */
    private readonly ideaWrites: KeyedQueue,
    private readonly sessions: SessionService,
    facilitatorCode: string,
  ) {
    this.codeDigest = digest(facilitatorCode);
  }

  async report(input: ReportInput, userId: string): Promise<ReportResult> {
    if (!this.state.get(input.ideaId)) throw new HttpError('NOT_FOUND', 'That idea does not exist, or has been taken down already.');
    if (this.reports.take(userId) > 0) throw new HttpError('RATE_LIMITED', 'You have reported a lot in a short time. Please tell a facilitator in the room.');
    try {
      await Report.create({ idea: new Types.ObjectId(input.ideaId), reporter: new Types.ObjectId(userId), reason: input.reason });
      this.events.publish('queue:changed');
    } catch (error) {
      // Reporting twice is one report: the person's first reason stands.
      if (!isDuplicateKey(error)) throw error;
    }
    const reports = await Report.countDocuments({ idea: new Types.ObjectId(input.ideaId) });
    if (!reportsTakeDown(reports, false)) return { ideaId: input.ideaId, hidden: false };
    const hidden = await this.ideaWrites.run(input.ideaId, 'hide', () => this.takeDown(input.ideaId, 'reports'));
    return { ideaId: input.ideaId, hidden };
  }

  /** Which of these ideas this person has reported, so a page thanks them again rather than offering the form. */
  async reportedBy(userId: string, ideaIds: string[]): Promise<string[]> {
    if (ideaIds.length === 0) return [];
    const reports = await Report.find(
      { reporter: new Types.ObjectId(userId), idea: { $in: ideaIds.map((id) => new Types.ObjectId(id)) } },
      { idea: 1 },
    ).lean();
    return reports.map((report) => report.idea.toString());
  }

  async signIn(code: string, user: SessionUser, oldToken: string | null): Promise<NewSession> {
    if (this.signIns.take(user.id) > 0 || this.failedSignIns.wait(EVERYONE) > 0) {
      throw new HttpError('RATE_LIMITED', 'Too many tries just now. Wait ten minutes, or ask the organisers for the code.');
    }
    if (!timingSafeEqual(digest(code), this.codeDigest)) {
      this.failedSignIns.take(EVERYONE);
      throw new HttpError('FORBIDDEN', 'That is not the facilitator code.');
    }
    return this.sessions.promoteToFacilitator(user.id, oldToken);
  }

  hide(ideaId: string): Promise<ModerationItem> {
    return this.ideaWrites.run(ideaId, 'hide', async () => {
      if (await this.takeDown(ideaId, 'facilitator')) this.events.publish('queue:changed');
      return this.item(ideaId);
    });
  }

  /** A pending idea goes on the board, new on every screen. */
  publish(ideaId: string): Promise<ModerationItem> {
    return this.ideaWrites.run(ideaId, 'publish', () => this.putOnBoard(ideaId, 'pending'));
  }

  /** A hidden idea comes back with its votes, cleared: from then on reports alone do not take it down. */
  restore(ideaId: string): Promise<ModerationItem> {
    return this.ideaWrites.run(ideaId, 'restore', () => this.putOnBoard(ideaId, 'hidden'));
  }

  /**
   * Everything a facilitator should look at: ideas reports took down first, then ideas waiting for
   * review and reported ideas still up (most reported first), then what facilitators already decided.
   */
  async queue(): Promise<ModerationItem[]> {
    const [counts, offBoard] = await Promise.all([reportCounts(), Idea.find({ status: { $in: ['hidden', 'pending'] } }, { _id: 1 }).lean()]);
    const ids = new Set([...counts.keys(), ...offBoard.map((d) => d._id.toString())]);
    const items = await this.items([...ids], counts);
    const urgency = (i: ModerationItem) =>
      i.hiddenBy === 'reports' ? 0 : i.status === 'pending' || (i.status === 'published' && !i.cleared) ? 1 : 2;
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
    const items = new Map((await this.items(ids, await reportCounts())).map((item) => [item.idea.id, item]));
    return ids.flatMap((id) => items.get(id) ?? []);
  }

  sweep(): void {
    this.reports.sweep();
    this.signIns.sweep();
    this.failedSignIns.sweep();
  }

  /** Resolves true when this call took the idea down; an idea a facilitator cleared stays up unless a facilitator hides it. */
  private async takeDown(ideaId: string, by: 'reports' | 'facilitator'): Promise<boolean> {
    const doc = await Idea.findById(ideaId).lean();
    if (!doc) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
    if (doc.status === 'hidden' || (by === 'reports' && doc.clearedAt)) return false;
    await Idea.updateOne({ _id: doc._id }, { $set: { status: 'hidden', hiddenBy: by } });
    const entry = this.state.removeIdea(ideaId);
    if (entry) this.events.publish('idea:removed', { idea: entry });
    // Its author hears why it went, rather than finding it gone.
    const state = by === 'reports' ? 'reported' : 'declined';
    this.events.publish('idea:withheld', { authorId: doc.author.toString(), idea: { id: ideaId, area: doc.area as IdeaEntry['area'], title: doc.title, state } });
    return true;
  }

  /** Puts an idea that is `from` (held or hidden) on every board; an idea in any other state is left as it is. */
  private async putOnBoard(ideaId: string, from: 'pending' | 'hidden'): Promise<ModerationItem> {
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
      this.events.publish('queue:changed');
    }
    return this.item(ideaId);
  }

  private async item(ideaId: string): Promise<ModerationItem> {
    const [item] = await this.items([ideaId], await reportCounts(ideaId));
    if (!item) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
    return item;
  }

  private async items(ids: string[], counts: Map<string, Partial<Record<ReportReason, number>>>): Promise<ModerationItem[]> {
    const docs = await Idea.find({ _id: { $in: ids.map((id) => new Types.ObjectId(id)) } }).lean();
    const authors = new Map(
      (await User.find({ _id: { $in: [...new Set(docs.map((doc) => doc.author.toString()))].map((id) => new Types.ObjectId(id)) } }, { name: 1, email: 1 }).lean()).map((u) => [
        u._id.toString(),
        u,
      ]),
    );
    return docs.map((doc) => {
      const id = doc._id.toString();
      const reasons = counts.get(id) ?? {};
      const { createdAt, ...idea } = syncedIdea(doc);
      const author = authors.get(doc.author.toString());
      return {
        idea: { ...idea, votes: this.state.get(id)?.votes ?? this.ledger.ballots.ballotCount(id), comments: this.state.commentCount(id), createdAt: new Date(createdAt).toISOString() },
        postedBy: { userId: doc.author.toString(), name: author?.name ?? null, email: author?.email ?? null },
        status: doc.status as IdeaStatus,
        hiddenBy: (doc.hiddenBy ?? null) as HiddenBy | null,
        cleared: Boolean(doc.clearedAt),
        reports: Object.values(reasons).reduce((sum, n) => sum + n, 0),
        reasons,
        heldFor: doc.heldFor ?? [],
      };
    });
  }
}

function digest(text: string): Uint8Array {
  return sha256(new TextEncoder().encode(text));
}

/** Reports per idea and reason; reports are few next to votes, so a grouping read is cheap. */
async function reportCounts(ideaId?: string): Promise<Map<string, Partial<Record<ReportReason, number>>>> {
  const match = ideaId ? [{ $match: { idea: new Types.ObjectId(ideaId) } }] : [];
  const rows = await Report.aggregate<{ _id: { idea: Types.ObjectId; reason: ReportReason }; n: number }>([
    ...match,
    { $group: { _id: { idea: '$idea', reason: '$reason' }, n: { $sum: 1 } } },
  ]);
  const counts = new Map<string, Partial<Record<ReportReason, number>>>();
  for (const row of rows) {
    const id = row._id.idea.toString();
    const reasons = counts.get(id) ?? {};
    reasons[row._id.reason] = row.n;
    counts.set(id, reasons);
  }
  return counts;
}
