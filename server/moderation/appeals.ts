import { Types } from 'mongoose';
import { Appeal, AppealDecision, Comment, Idea, RoleGrant, User } from '../../models/index.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import type { AppealKind, AppealStaffItem, AppealStatus, AppealView } from '../../realtime/schemas/moderation.js';
import type { AppealDecisionKind, DecidedBy, Role } from '../../realtime/vocabulary.js';
import type { Publisher } from '../platform/bus.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import type { CommentModeration } from './comments.js';
import type { ModerationEvents } from './events.js';
import type { ModerationLog } from './log.js';
import type { ModerationService } from './moderation.js';

/** Statuses an author may appeal: taken down (hidden) or held (pending). */
const APPEALABLE = ['hidden', 'pending'];
const STAFF_ROLES: Role[] = ['moderator', 'facilitator', 'admin'];
const EXCERPT = 80;

interface ItemFacts {
  author: string;
  status: 'published' | 'pending' | 'hidden' | 'withdrawn';
  title: string;
  ideaId: string;
}
type AppealDoc = { _id: Types.ObjectId; kind: string; item: Types.ObjectId; author: Types.ObjectId; text: string; createdAt: Date };
type DecisionDoc = { _id: Types.ObjectId; decision: string; note?: string | null; at: Date };

/**
 * The author of an idea or comment that is off the board appeals once, with a short text (unique on
 * the item). Appeals wait in the staff queue; a moderator other than the one who took the item down
 * decides (unless they are the only staff), once: a grant puts the item back through the usual
 * services, and either outcome goes into the public log.
 */
export class AppealService {
  constructor(
    private readonly ideas: ModerationService,
    private readonly comments: CommentModeration,
    private readonly log: ModerationLog,
    private readonly events: Publisher<ModerationEvents>,
  ) {}

  async appeal(kind: AppealKind, itemId: string, text: string, author: SessionUser): Promise<{ appeal: AppealView }> {
    const item = await itemFacts(kind, itemId);
    if (!item) throw new HttpError('NOT_FOUND', `That ${kind} does not exist.`);
    if (item.author !== author.id) throw new HttpError('FORBIDDEN', `Only the person who posted this ${kind} can appeal.`);
    if (!APPEALABLE.includes(item.status)) throw new HttpError('BAD_REQUEST', `This ${kind} is not off the board: there is nothing to appeal.`);
    try {
      const doc = (await Appeal.create({ kind, item: new Types.ObjectId(itemId), author: new Types.ObjectId(author.id), text })) as unknown as AppealDoc;
      this.events.publish('queue:changed');
      return { appeal: appealView(doc, null) };
    } catch (error) {
      if (isDuplicateKey(error)) throw new HttpError('FORBIDDEN', `You have appealed already: an item is appealed once.`);
      throw error;
    }
  }

  /** What the author sees of their item: where it stands, why, and their appeal. */
  async status(kind: AppealKind, itemId: string, userId: string): Promise<AppealStatus> {
    const item = await itemFacts(kind, itemId);
    if (!item || item.author !== userId) throw new HttpError('NOT_FOUND', `You have no ${kind} with that id.`);
    const [doc, decision] = await Promise.all([Appeal.findOne({ kind, item: new Types.ObjectId(itemId) }).lean(), this.log.offBoardDecision(kind, itemId)]);
    const appeal = doc ? appealView(doc as AppealDoc, (await AppealDecision.findById(doc._id).lean()) as DecisionDoc | null) : null;
    return {
      item: { kind, id: itemId, title: item.title, ideaId: item.ideaId, status: item.status, reason: decision?.reason ?? null },
      appeal,
      canAppeal: !appeal && APPEALABLE.includes(item.status),
    };
  }

  /** Appeals not yet decided, oldest first, with their items. */
  async queue(): Promise<AppealStaffItem[]> {
    const [docs, decided] = await Promise.all([Appeal.find({}).sort({ createdAt: 1 }).lean(), AppealDecision.find({}, { _id: 1 }).lean()]);
    const done = new Set(decided.map((d) => d._id.toString()));
    const open = (docs as AppealDoc[]).filter((doc) => !done.has(doc._id.toString()));
    const people = new Map((await User.find({ _id: { $in: [...new Set(open.map((d) => d.author.toString()))].map((id) => new Types.ObjectId(id)) } }, { name: 1 }).lean()).map((u) => [u._id.toString(), u.name ?? null]));
    const items = await Promise.all(
      open.map(async (doc): Promise<AppealStaffItem | null> => {
        const kind = doc.kind as AppealKind;
        const item = await itemFacts(kind, doc.item.toString());
        if (!item) return null;
        const decision = await this.log.offBoardDecision(kind, doc.item.toString());
        return { ...appealView(doc, null), title: item.title, ideaId: item.ideaId, itemStatus: item.status, reason: decision?.reason ?? null, postedBy: { userId: item.author, name: people.get(item.author) ?? null } };
      }),
    );
    return items.filter((item) => item !== null);
  }

  async decide(appealId: string, decision: AppealDecisionKind, note: string | undefined, staff: SessionUser): Promise<{ appeal: AppealView }> {
    const doc = (await Appeal.findById(appealId).lean()) as AppealDoc | null;
    if (!doc) throw new HttpError('NOT_FOUND', 'There is no such appeal.');
    const kind = doc.kind as AppealKind;
    const itemId = doc.item.toString();
    const taken = await this.log.offBoardDecision(kind, itemId);
    if (taken?.byUser === staff.id && (await RoleGrant.countDocuments({ role: { $in: STAFF_ROLES } })) > 1) {
      throw new HttpError('FORBIDDEN', 'You made the decision this appeal is about: another moderator decides it.');
    }
    let stored: DecisionDoc;
    try {
      stored = (await AppealDecision.create({ _id: doc._id, decision, note: note || null, by: staff.id })) as unknown as DecisionDoc;
    } catch (error) {
      if (isDuplicateKey(error)) throw new HttpError('BAD_REQUEST', 'This appeal has been decided already.');
      throw error;
    }
    const item = await itemFacts(kind, itemId);
    if (decision === 'grant' && item) await this.putBack(kind, itemId, item.status, staff);
    const by: DecidedBy = staff.role === 'participant' ? 'moderator' : staff.role;
    this.events.publish('moderation:decided', {
      action: decision === 'grant' ? 'appeal-granted' : 'appeal-refused',
      reason: taken?.reason ?? 'appeal',
      by,
      item: { kind, id: itemId, title: item?.title ?? null },
      byUser: staff.id,
    });
    this.events.publish('queue:changed');
    return { appeal: appealView(doc, stored) };
  }

  private async putBack(kind: AppealKind, itemId: string, status: ItemFacts['status'], staff: SessionUser): Promise<void> {
    if (kind === 'idea') {
      if (status === 'hidden') await this.ideas.restore(itemId, staff);
      else if (status === 'pending') await this.ideas.publish(itemId, staff);
    } else if (status === 'hidden') await this.comments.restore(itemId, staff);
    else if (status === 'pending') await this.comments.publish(itemId, staff);
  }
}

async function itemFacts(kind: AppealKind, itemId: string): Promise<ItemFacts | null> {
  if (kind === 'idea') {
    const doc = await Idea.findById(itemId, { author: 1, status: 1, title: 1 }).lean();
    return doc ? { author: doc.author.toString(), status: doc.status as ItemFacts['status'], title: doc.title, ideaId: itemId } : null;
  }
  const doc = await Comment.findById(itemId, { author: 1, status: 1, body: 1, idea: 1 }).lean();
  if (!doc) return null;
  const title = doc.body.length > EXCERPT ? `${doc.body.slice(0, EXCERPT - 1).trimEnd()}…` : doc.body;
  return { author: doc.author.toString(), status: doc.status as ItemFacts['status'], title, ideaId: doc.idea.toString() };
}

function appealView(doc: AppealDoc, decision: DecisionDoc | null): AppealView {
  return {
    id: doc._id.toString(),
    kind: doc.kind as AppealKind,
    itemId: doc.item.toString(),
    text: doc.text,
    createdAt: doc.createdAt.toISOString(),
    state: decision ? (decision.decision === 'grant' ? 'granted' : 'refused') : 'waiting',
    note: decision?.note ?? null,
    decidedAt: decision ? decision.at.toISOString() : null,
  };
}
