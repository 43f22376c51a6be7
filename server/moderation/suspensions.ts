import { Types } from 'mongoose';
import { Comment, Idea, RoleGrant, Suspension, SuspensionLift, User } from '../../models/index.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { SuspensionInput, SuspensionView } from '../../realtime/schemas/moderation.js';
import { SUSPENSION_LABELS, type DecidedBy, type SuspensionReason, type UserKind } from '../../realtime/vocabulary.js';
import type { Publisher } from '../platform/bus.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import type { ModerationEvents, SuspensionRecord } from './events.js';

const HOUR_MS = 60 * 60 * 1000;

type SuspensionDoc = { _id: Types.ObjectId; user: Types.ObjectId; kind: string; network?: string | null; until?: Date | null; reason: string; byRole: string; createdAt: Date };

/**
 * Staff suspend the author of an idea or a comment: a member, or a guest (and, when staff tick it,
 * every guest on their network) may not write until the end, or for good. Suspensions and their lifts
 * are insert-only facts; every server holds the active ones in memory (loaded at start, then moved by
 * `suspension:*` events, its own and the other servers'), so the dispatcher's check costs two map
 * lookups. Held items stay held: a suspension changes nothing already posted.
 */
export class Suspensions {
  private readonly active = new Map<string, SuspensionRecord>();
  private readonly byUser = new Map<string, Set<string>>();
  private readonly byNetwork = new Map<string, Set<string>>();

  constructor(private readonly events: Publisher<ModerationEvents>) {}

  async load(now = Date.now()): Promise<void> {
    const lifted = new Set((await SuspensionLift.find({}, { _id: 1 }).lean()).map((doc) => doc._id.toString()));
    for (const doc of (await Suspension.find({}).lean()) as SuspensionDoc[]) {
      const record = recordOf(doc);
      if (!lifted.has(record.id) && (record.until === null || record.until > now)) this.hold(record);
    }
  }

  /** Refuses a write from a suspended person (or a guest on a suspended network) with the end of the suspension. */
  check(user: { id: string; kind: UserKind }, network: string | null, now = Date.now()): void {
    if (this.active.size === 0) return;
    const ids = [...(this.byUser.get(user.id) ?? []), ...(user.kind === 'guest' && network ? (this.byNetwork.get(network) ?? []) : [])];
    let until: number | null | undefined;
    for (const id of ids) {
      const record = this.active.get(id);
      if (!record) continue;
      if (record.until !== null && record.until <= now) this.release(id);
      else if (record.until === null || until === undefined || (until !== null && record.until > until)) until = record.until;
    }
    if (until === undefined) return;
    const end = until === null ? null : new Date(until).toISOString();
    const message = end
      ? `You are suspended from posting, voting and commenting until ${end}. You can still read, and appeal a decision about your posts.`
      : 'You are suspended from posting, voting and commenting for good. You can still read, and appeal a decision about your posts.';
    throw new HttpError('SUSPENDED', message, undefined, undefined, end);
  }

  async suspend(input: SuspensionInput, staff: SessionUser): Promise<{ suspension: SuspensionView }> {
    const item = input.ideaId
      ? await Idea.findById(input.ideaId, { author: 1, origin: 1 }).lean()
      : await Comment.findById(input.commentId, { author: 1, origin: 1 }).lean();
    if (!item) throw new HttpError('NOT_FOUND', input.ideaId ? 'That idea does not exist.' : 'That comment does not exist.');
    const author = await User.findById(item.author, { kind: 1 }).lean();
    if (!author) throw new HttpError('NOT_FOUND', 'Its author no longer exists.');
    if (author._id.toString() === staff.id) throw new HttpError('BAD_REQUEST', 'You cannot suspend yourself.');
    if (await RoleGrant.exists({ _id: author._id.toString() })) throw new HttpError('FORBIDDEN', 'Its author is staff: an admin can change their role instead.');
    const kind = author.kind as UserKind;
    const network = input.network && kind === 'guest' ? (item.origin?.network ?? null) : null;
    if (input.network && kind === 'guest' && !network) throw new HttpError('BAD_REQUEST', 'network: this post has no network on record; suspend the guest alone.', { network: 'no network on record for this post' });
    const doc = (await Suspension.create({
      user: author._id,
      kind,
      network,
      until: input.hours === 'permanent' ? null : new Date(Date.now() + input.hours * HOUR_MS),
      reason: input.reason,
      by: staff.id,
      byRole: staffRole(staff),
    })) as unknown as SuspensionDoc;
    const record = recordOf(doc);
    this.hold(record);
    this.events.publish('suspension:added', record);
    this.events.publish('moderation:decided', { action: 'suspend', reason: input.reason, by: staffRole(staff), item: { kind: 'suspension', id: record.id, title: titleOf(kind, network !== null, input.hours) }, byUser: staff.id });
    this.events.publish('queue:changed');
    return { suspension: await this.view(doc) };
  }

  /** An admin ends a suspension early; lifting one already lifted answers as it stands. */
  async lift(suspensionId: string, admin: SessionUser): Promise<{ suspension: SuspensionView }> {
    const doc = (await Suspension.findById(suspensionId).lean()) as SuspensionDoc | null;
    if (!doc) throw new HttpError('NOT_FOUND', 'There is no such suspension.');
    try {
      await SuspensionLift.create({ _id: doc._id, by: admin.id });
      this.release(suspensionId);
      this.events.publish('suspension:lifted', { id: suspensionId });
      const hours = doc.until ? Math.round((doc.until.getTime() - doc.createdAt.getTime()) / HOUR_MS) : 'permanent';
      this.events.publish('moderation:decided', { action: 'lift', reason: doc.reason, by: 'admin', item: { kind: 'suspension', id: suspensionId, title: titleOf(doc.kind as UserKind, Boolean(doc.network), hours) }, byUser: admin.id });
      this.events.publish('queue:changed');
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return { suspension: await this.view(doc) };
  }

  /** The suspensions in force now, for the staff page, latest first. */
  async list(now = Date.now()): Promise<SuspensionView[]> {
    const ids = [...this.active.values()].filter((r) => r.until === null || r.until > now).map((r) => new Types.ObjectId(r.id));
    if (ids.length === 0) return [];
    const docs = (await Suspension.find({ _id: { $in: ids } }).lean()) as SuspensionDoc[];
    const views = await Promise.all(docs.map((doc) => this.view(doc)));
    return views.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** What another server decided. */
  follow(message: { added: SuspensionRecord } | { lifted: string }): void {
    if ('added' in message) this.hold(message.added);
    else this.release(message.lifted);
  }

  private hold(record: SuspensionRecord): void {
    this.active.set(record.id, record);
    index(this.byUser, record.user, record.id);
    if (record.network) index(this.byNetwork, record.network, record.id);
  }

  private release(id: string): void {
    const record = this.active.get(id);
    if (!record) return;
    this.active.delete(id);
    unindex(this.byUser, record.user, id);
    if (record.network) unindex(this.byNetwork, record.network, id);
  }

  private async view(doc: SuspensionDoc): Promise<SuspensionView> {
    const [person, lift] = await Promise.all([User.findById(doc.user, { name: 1 }).lean(), SuspensionLift.findById(doc._id).lean()]);
    return {
      id: doc._id.toString(),
      userId: doc.user.toString(),
      name: person?.name ?? null,
      kind: doc.kind as UserKind,
      network: Boolean(doc.network),
      until: doc.until ? doc.until.toISOString() : null,
      reason: doc.reason as SuspensionReason,
      by: doc.byRole as DecidedBy,
      createdAt: doc.createdAt.toISOString(),
      liftedAt: lift ? lift.at.toISOString() : null,
    };
  }
}

const recordOf = (doc: SuspensionDoc): SuspensionRecord => ({ id: doc._id.toString(), user: doc.user.toString(), network: doc.network ?? null, until: doc.until ? doc.until.getTime() : null });

const staffRole = (user: SessionUser): DecidedBy => (user.role === 'participant' ? 'moderator' : user.role);

/** What the public log says of a suspension: no name, no network, only its kind and length. */
function titleOf(kind: UserKind, network: boolean, hours: number | 'permanent'): string {
  const who = kind === 'member' ? 'A member' : network ? 'A guest and their network' : 'A guest';
  const label = (SUSPENSION_LABELS as Record<string, string>)[String(hours)] ?? `${hours} hours`;
  return `${who}, ${hours === 'permanent' ? 'for good' : `for ${label}`}`;
}

function index(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(id);
  map.set(key, set);
}

function unindex(map: Map<string, Set<string>>, key: string, id: string): void {
  const set = map.get(key);
  set?.delete(id);
  if (set?.size === 0) map.delete(key);
}
