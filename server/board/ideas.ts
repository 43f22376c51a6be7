import type { PersonHints } from '../platform/person-hints.js';
import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { z } from 'zod';
import { Area, Idea, User } from '../../models/index.js';
import { AREA_SLUGS, NEW_IDEAS_PER_WINDOW, type AreaSlug } from '../../realtime/vocabulary.js';
import type { Byline, SessionUser } from '../../realtime/schemas/common.js';
import type { AreaView, CreatedIdea, IdeaInput, IdeaListQuery, IdeaPage, IdeaView, OwnIdeaOffBoard } from '../../realtime/schemas/board.js';
import type { BoardSettings } from './board-settings.js';
import type { BoardState, IdeaEntry } from './board-state.js';
import { followIdeaHints, IDEA_FIELDS, syncedIdea } from './idea-document.js';
import { HttpError } from '../platform/errors.js';
import { KeyedQueue } from '../platform/keyed-queue.js';
import type { Limits } from '../platform/limits.js';
import { vet, type TextScreen } from '../platform/text-screen.js';
import type { VoteLedger } from './vote-ledger.js';
import type { Publisher } from '../platform/bus.js';
import type { BoardEvents } from './events.js';
import { originOf, type Actor } from '../platform/provenance.js';

/** What an author may change: the words. */
type IdeaPatch = { title?: string; body?: string };

/** An offset into a ranking, and for `random` the seed it was shuffled with (so a visitor without one keeps their order). */
const offsetCursor = z.object({ o: z.number().int().min(0), s: z.string().max(64).optional() });
const SIMILAR_LIMIT = 5;
const newCursor = z.object({ t: z.number().int(), i: z.string().regex(/^[0-9a-f]{24}$/) });

export class IdeaService {
  private areas: Map<AreaSlug, { title: string; question: string }> | null = null;

  constructor(
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
    private readonly events: Publisher<BoardEvents>,
    private readonly settings: BoardSettings,
    private readonly limits: Limits,
    private readonly screen: TextScreen,
    private readonly hints: PersonHints,
    /** Shared with moderation: an idea document has one writer at a time. */
    private readonly edits = new KeyedQueue(),
  ) {}

  async listAreas(): Promise<AreaView[]> {
    const areas = await this.loadAreas();
    const counts = new Map(this.state.ideaCounts().map((c) => [c.slug, c.ideaCount]));
    return AREA_SLUGS.map((slug) => ({ slug, ...areas.get(slug)!, ideaCount: counts.get(slug) ?? 0 }));
  }

  async getArea(slug: AreaSlug): Promise<AreaView> {
    const area = (await this.listAreas()).find((a) => a.slug === slug);
    if (!area) throw new HttpError('NOT_FOUND', `No area called "${slug}".`);
    return area;
  }

  /**
   * While facilitators review new ideas, an idea is stored as pending and nobody else sees it until one
   * publishes it. An idea from a live session's room (`liveSession`, its code) is always held: it must
   * never reach the big screen unread. Word screening refuses words to rephrase (before the limits
   * count it, so the author can send it again) and holds one with words to hold.
   */
  async create(input: IdeaInput, author: Actor, liveSession: string | null = null): Promise<CreatedIdea> {
    const { user } = author;
    const heldFor = vet(this.screen, { title: input.title, body: input.body });
    await this.limits.take('ideasPerAccount', user.id);
    await this.limits.take('ideasPerNetwork', author.network);
    await this.limits.take('ideasBurstPerNetwork', author.network);
    const byline = await bylineFor(user, input.anonymous);
    const pending = heldFor.length > 0 || liveSession !== null || (await this.settings.reviewNewIdeas());
    const doc = await Idea.create({
      area: input.area,
      title: input.title,
      body: input.body,
      author: new Types.ObjectId(user.id),
      authorName: byline.name,
      authorOrganisation: byline.organisation,
      status: pending ? 'pending' : 'published',
      liveSession,
      origin: originOf(author),
      heldFor,
    });
    const entry: IdeaEntry = { ...syncedIdea(doc), votes: 0 };
    this.hints.note('idea-author', [user.id]);
    if (pending) {
      this.hints.note('idea-off-board', [user.id]);
      this.events.publish('queue:changed');
      if (heldFor.length) this.screen.held({ kind: 'idea', id: entry.id, title: entry.title }, heldFor);
    } else {
      this.state.upsertIdea(entry);
      this.events.publish('idea:created', { idea: entry });
    }
    return { idea: this.state.view(entry, false), pending };
  }

  /**
   * Authors may reword their idea; one edit at a time per idea, and votes never touch this document.
   * New words must not slip past moderation: while facilitators review new ideas, nothing is
   * reworded, and a facilitator's clearing of an idea was for the words they read, so an edit lets
   * reports take it down again. New words screening holds take the idea off the board until a
   * moderator publishes it again (with its votes).
   */
  edit(ideaId: string, userId: string, patch: IdeaPatch): Promise<{ idea: IdeaView; pending?: true }> {
    const heldFor = vet(this.screen, patch);
    return this.edits.run(ideaId, 'edit', async () => {
      const doc = await Idea.findById(ideaId).lean();
      if (!doc || doc.status !== 'published') throw new HttpError('NOT_FOUND', 'That idea does not exist.');
      if (doc.author.toString() !== userId) throw new HttpError('FORBIDDEN', 'Only the author can edit an idea.');
      if (await this.settings.reviewNewIdeas()) {
        throw new HttpError('FORBIDDEN', 'Ideas cannot be reworded while facilitators are reviewing new ideas.');
      }
      const entry = this.state.get(ideaId);
      if (!entry) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
      const held = heldFor.length > 0 ? { status: 'pending', heldFor } : {};
      await Idea.updateOne({ _id: doc._id }, { $set: { ...patch, editedAt: new Date(), clearedAt: null, ...held } });
      const updated: IdeaEntry = { ...entry, title: patch.title ?? entry.title, body: patch.body ?? entry.body };
      const idea = this.state.view(updated, this.ledger.ballots.votedBy(userId, [ideaId]).has(ideaId));
      if (heldFor.length > 0) {
        const removed = this.state.removeIdea(ideaId);
        if (removed) this.events.publish('idea:removed', { idea: removed });
        this.hints.note('idea-off-board', [userId]);
        this.events.publish('queue:changed');
        this.screen.held({ kind: 'idea', id: ideaId, title: updated.title }, heldFor);
        return { idea, pending: true as const };
      }
      this.state.upsertIdea(updated);
      this.events.publish('idea:edited', { idea: updated });
      return { idea };
    });
  }

  /**
   * Its author takes an idea off the board for good. Its votes stay stored (facts are never
   * rewritten) but count nowhere; nobody can vote on it or bring it back.
   */
  withdraw(ideaId: string, userId: string): Promise<{ ideaId: string; withdrawn: true }> {
    return this.edits.run(ideaId, 'withdraw', async () => {
      const doc = await Idea.findById(ideaId, { author: 1, status: 1 }).lean();
      if (!doc || doc.status === 'withdrawn') throw new HttpError('NOT_FOUND', 'That idea does not exist.');
      if (doc.author.toString() !== userId) throw new HttpError('FORBIDDEN', 'Only the author can withdraw an idea.');
      await Idea.updateOne({ _id: doc._id }, { $set: { status: 'withdrawn', withdrawnAt: new Date() } });
      const entry = this.state.removeIdea(ideaId);
      if (entry) this.events.publish('idea:removed', { idea: entry });
      if (doc.status === 'pending') this.events.publish('queue:changed');
      return { ideaId, withdrawn: true as const };
    });
  }

  /**
   * This person's latest ideas in an area that are not on the board, newest first, and why: so they
   * need not post one again while it waits, and learn what became of it rather than finding it gone.
   */
  async offBoardFor(userId: string, area: AreaSlug): Promise<OwnIdeaOffBoard[]> {
    if (!this.hints.may('idea-off-board', userId)) return [];
    const docs = await Idea.find({ author: new Types.ObjectId(userId), area, status: { $in: ['pending', 'hidden'] } }, { title: 1, status: 1, hiddenBy: 1 })
      .sort({ createdAt: -1 })
      .limit(NEW_IDEAS_PER_WINDOW)
      .lean();
    return docs.map((doc) => ({
      id: doc._id.toString(),
      area,
      title: doc.title,
      state: doc.status === 'pending' ? 'waiting' : doc.hiddenBy === 'reports' ? 'reported' : 'declined',
    }));
  }

  /** Ideas from a live session's room still waiting for a facilitator, oldest first. */
  async heldFor(liveSession: string): Promise<IdeaView[]> {
    const docs = await Idea.find({ liveSession, status: 'pending' }, IDEA_FIELDS).sort({ createdAt: 1 }).lean();
    return docs.map((doc) => this.state.view({ ...syncedIdea(doc), votes: 0 }, false));
  }

  /** Reads who posted ideas and who has one off the board again (after a Redis gap: other servers' news was lost). */
  async reloadHints(): Promise<void> {
    for (const doc of await Idea.find({}, { author: 1, status: 1 }).lean()) followIdeaHints(this.hints, doc);
  }

  /** Which of these ideas this person put forward. */
  async authoredBy(userId: string, ideaIds: string[]): Promise<string[]> {
    if (ideaIds.length === 0 || !this.hints.may('idea-author', userId)) return [];
    const docs = await Idea.find({ _id: { $in: ideaIds.map((id) => new Types.ObjectId(id)) }, author: new Types.ObjectId(userId) }, { _id: 1 }).lean();
    return docs.map((doc) => doc._id.toString());
  }

  async get(ideaId: string, viewerId: string | null): Promise<IdeaView> {
    const entry = this.state.get(ideaId);
    if (!entry) throw new HttpError('NOT_FOUND', 'That idea does not exist.');
    const mine = viewerId ? this.ledger.ballots.votedBy(viewerId, [ideaId]) : new Set<string>();
    return this.state.view(entry, mine.has(ideaId));
  }

  /** An idea's page: the idea on the board, or a merged duplicate as it stood, with the idea it now counts towards. */
  async page(ideaId: string, viewerId: string | null): Promise<{ idea: IdeaView; mergedInto: string | null }> {
    const into = this.state.isMerged(ideaId) ? this.state.holderOf(ideaId) : null;
    if (into === null) return { idea: await this.get(ideaId, viewerId), mergedInto: null };
    const doc = await Idea.findById(ideaId, { ...IDEA_FIELDS, status: 1 }).lean();
    if (!doc || doc.status !== 'published') throw new HttpError('NOT_FOUND', 'That idea does not exist.');
    const ownVotes = this.ledger.ballots.votersOf([ideaId]);
    const entry: IdeaEntry = { ...syncedIdea(doc), votes: ownVotes.length };
    return { idea: this.state.view(entry, viewerId !== null && ownVotes.includes(viewerId)), mergedInto: into };
  }

  /** Ideas on the board like `text` (a title being typed), best first. */
  similar(text: string, area: AreaSlug | null, viewerId: string | null): IdeaView[] {
    return this.views(
      this.state.search.similar(text, area, SIMILAR_LIMIT).flatMap((id) => this.state.get(id) ?? []),
      viewerId,
    );
  }

  /**
   * One page of a board in the order asked for, narrowed to a status and to ideas holding the words
   * of `q`. `random` shuffles by the visitor (their person's id, or the `seed` they were given), so
   * one visitor sees one order while early ideas are not everyone's first.
   */
  async list(query: IdeaListQuery, viewerId: string | null): Promise<IdeaPage> {
    const area = query.area ?? null;
    const found = query.q ? new Set(this.state.search.find(query.q, area)) : null;
    const keep = (entry: IdeaEntry) => (found === null || found.has(entry.id)) && (query.status === undefined || entry.status === query.status);
    let page: IdeaEntry[];
    let next: string | null = null;
    if (query.sort !== 'new') {
      const cursor = query.cursor ? decodeCursor(query.cursor, offsetCursor) : { o: 0, s: undefined };
      const seed = query.sort === 'random' ? (cursor.s ?? query.seed ?? viewerId ?? randomUUID()) : '';
      const offset = cursor.o;
      const ranked = this.state.rankings.sorted(area, query.sort, seed).filter(keep);
      page = ranked.slice(offset, offset + query.limit);
      if (offset + query.limit < ranked.length) next = encodeCursor({ o: offset + query.limit, ...(query.sort === 'random' ? { s: seed } : {}) });
    } else {
      const newest = this.state.rankings.newest(area).filter(keep);
      let start = 0;
      if (query.cursor) {
        const after = decodeCursor(query.cursor, newCursor);
        start = newest.findIndex((i) => i.createdAt < after.t || (i.createdAt === after.t && i.id < after.i));
        if (start === -1) start = newest.length;
      }
      page = newest.slice(start, start + query.limit);
      const last = page.at(-1);
      if (last && start + query.limit < newest.length) next = encodeCursor({ t: last.createdAt, i: last.id });
    }
    return { ideas: this.views(page, viewerId), next };
  }

  private views(entries: IdeaEntry[], viewerId: string | null): IdeaView[] {
    const mine = viewerId ? this.ledger.ballots.votedBy(viewerId, entries.map((i) => i.id)) : new Set<string>();
    return entries.map((entry) => this.state.view(entry, mine.has(entry.id)));
  }

  private async loadAreas(): Promise<Map<AreaSlug, { title: string; question: string }>> {
    if (!this.areas) {
      const docs = await Area.find({}, { slug: 1, title: 1, question: 1 }).lean();
      this.areas = new Map(docs.map((d) => [d.slug as AreaSlug, { title: d.title, question: d.question }]));
    }
    return this.areas;
  }
}

function encodeCursor(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError('BAD_REQUEST', 'cursor: not a cursor from this list (use the `next` value as given)');
  }
}

/**
 * How a post (an idea, a comment) is signed: a member's name (and confirmed organisation) unless they
 * post anonymously, this once or by default; guests have no name. Kept with the post as it was.
 */
export async function bylineFor(user: SessionUser, anonymous: boolean | undefined): Promise<Byline> {
  if (user.kind !== 'member') return { name: null, organisation: null };
  const profile = await User.findById(user.id, { anonymous: 1 }).lean();
  if (anonymous ?? profile?.anonymous ?? false) return { name: null, organisation: null };
  return { name: user.name, organisation: user.organisation };
}
