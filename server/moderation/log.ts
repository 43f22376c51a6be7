import { Types } from 'mongoose';
import { Idea, ModerationLogEntry } from '../../models/index.js';
import type { LogEntry } from '../../realtime/schemas/moderation.js';
import { LOG_PAGE, REDACTED_REASONS, REMOVED_POST, type DecidedBy, type LoggedItemKind, type ModerationAction } from '../../realtime/vocabulary.js';
import type { Subscriber } from '../platform/bus.js';
import { toCsv } from '../platform/csv.js';
import { log } from '../platform/log.js';
import type { ModerationDecision, ModerationEvents } from './events.js';

/** Decisions that take an item off the board or keep it off: their reason is what its author is told. */
const OFF_BOARD_ACTIONS: ModerationAction[] = ['take-down', 'confirm', 'hold', 'decline'];
/** The CSV holds the latest this many entries. */
const CSV_ROWS = 10_000;

type EntryDoc = { _id: Types.ObjectId; at: Date; action: string; reason: string; by: string; item: { kind: string; id: string; title?: string | null } };

/**
 * The public moderation log: every decision any domain publishes as `moderation:decided` (and the
 * board's merges) becomes one insert-only entry, newest first by `_id`. It holds roles, never names;
 * an item's words are left out ("[removed post]") where they were the abuse, and from then on for
 * every entry about that item. Who decided is kept apart (`byUser`), for appeals, and never served.
 */
export class ModerationLog {
  /** Entries are written one after another, in the order published: an item's words, once left out, stay out of later entries. */
  private tail: Promise<void> = Promise.resolve();

  constructor(bus: Subscriber<ModerationEvents>) {
    bus.on('moderation:decided', (decision) => this.record(decision));
    bus.on('idea:merged', ({ idea, actorId, by }) =>
      this.record({ action: 'merge', reason: 'duplicate', by, item: { kind: 'idea', id: idea.id, title: idea.title }, byUser: actorId }),
    );
    bus.on('idea:unmerged', ({ ideaId, idea, actorId, by }) =>
      this.record({ action: 'unmerge', reason: 'duplicate', by, item: { kind: 'idea', id: ideaId, title: idea?.title ?? null }, byUser: actorId }),
    );
    // Held by word screening: its words are what a moderator has yet to read, so the log names none.
    bus.on('screening:held', ({ item }) => this.record({ action: 'hold', reason: 'screening', by: 'screening', item: { kind: item.kind, id: item.id, title: null }, byUser: null }));
  }

  /** A page of the log, newest first; `cursor` is the previous page's `next`. */
  async page(cursor?: string): Promise<{ entries: LogEntry[]; next: string | null }> {
    await this.settled();
    const filter = cursor ? { _id: { $lt: new Types.ObjectId(cursor) } } : {};
    const docs = (await ModerationLogEntry.find(filter, { byUser: 0 }).sort({ _id: -1 }).limit(LOG_PAGE + 1).lean()) as EntryDoc[];
    const more = docs.length > LOG_PAGE;
    const shown = docs.slice(0, LOG_PAGE);
    return { entries: shown.map(view), next: more ? shown[shown.length - 1]!._id.toString() : null };
  }

  /** The log as a spreadsheet (UTF-8 with a BOM, formula-safe), newest first. */
  async csv(): Promise<string> {
    await this.settled();
    const docs = (await ModerationLogEntry.find({}, { byUser: 0 }).sort({ _id: -1 }).limit(CSV_ROWS).lean()) as EntryDoc[];
    const rows = docs.map(view).map((e) => [e.at, e.action, e.reason, e.by, e.item.kind, e.item.id, e.item.title ?? REMOVED_POST]);
    return '\uFEFF' + toCsv(['at', 'action', 'reason', 'by', 'kind', 'id', 'title'], rows);
  }

  /** The latest decision that took this item off the board or kept it off: its reason, and who made it. */
  async offBoardDecision(kind: LoggedItemKind, id: string): Promise<{ reason: string; byUser: string | null } | null> {
    await this.settled();
    const [doc] = await ModerationLogEntry.find({ 'item.kind': kind, 'item.id': id, action: { $in: OFF_BOARD_ACTIONS } }, { reason: 1, byUser: 1 })
      .sort({ _id: -1 })
      .limit(1)
      .lean();
    return doc ? { reason: doc.reason, byUser: doc.byUser ?? null } : null;
  }

  /** Resolves once the entries published so far are stored. */
  async settled(): Promise<void> {
    await this.tail;
  }

  private record(decision: ModerationDecision): void {
    const entry = { ...decision, _id: new Types.ObjectId(), at: new Date() };
    this.tail = this.tail.then(() => this.insert(entry)).catch((error: unknown) => log.error({ err: error, decision: decision.action }, 'a moderation log entry was not stored'));
  }

  private async insert(decision: ModerationDecision & { _id: Types.ObjectId; at: Date; byUser: string | null }): Promise<void> {
    const { kind, id } = decision.item;
    let title = decision.item.title;
    if (title === null && decision.action === 'unmerge' && Types.ObjectId.isValid(id)) title = (await Idea.findById(id, { title: 1 }).lean())?.title ?? null;
    if (title !== null && (REDACTED_REASONS.includes(decision.reason) || decision.by === 'screening' || (await this.redacted(kind, id)))) title = null;
    await ModerationLogEntry.create({ _id: decision._id, at: decision.at, action: decision.action, reason: decision.reason, by: decision.by, byUser: decision.byUser, item: { kind, id, title } });
  }

  /** An item whose words were once left out stays so in every later entry. */
  private async redacted(kind: LoggedItemKind, id: string): Promise<boolean> {
    if (kind !== 'idea' && kind !== 'comment') return false;
    return (await ModerationLogEntry.exists({ 'item.kind': kind, 'item.id': id, 'item.title': null })) !== null;
  }
}

function view(doc: EntryDoc): LogEntry {
  return {
    at: doc.at.toISOString(),
    action: doc.action as LogEntry['action'],
    reason: doc.reason,
    by: doc.by as DecidedBy,
    item: { kind: doc.item.kind as LoggedItemKind, id: doc.item.id, title: doc.item.title ?? null },
  };
}
