import { Types } from 'mongoose';
import { Account, AuthToken, Comment, CommentReport, Idea, Report, RoleGrant, User, Vote } from '../../models/index.js';
import type { ProfileExport } from '../../realtime/schemas/results.js';
import type { BoardState } from '../board/board-state.js';
import type { BoardEvents } from '../board/events.js';
import type { IdeaService } from '../board/ideas.js';
import type { DiscussionService } from '../discussion/discussion.js';
import type { SessionService } from '../accounts/sign-in-sessions.js';
import { HttpError } from '../platform/errors.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import type { Publisher } from '../platform/bus.js';

/** The byline of posts kept after their author deleted their account. */
export const FORMER_PARTICIPANT = 'Former participant';

const iso = (date: Date | null | undefined) => (date ?? new Date(0)).toISOString();

/**
 * A member's own data: everything they contributed, to take away, and leaving. Deleting an account
 * ends its sessions, removes its sign-in (the address may sign up afresh) and blanks the person's
 * profile; the person's votes stay stored under an id that names nobody, so every count stays as it
 * was. Their posts stay up under "Former participant", or go off every screen, as they choose.
 */
export class OwnData {
  constructor(
    private readonly state: BoardState,
    private readonly ideas: Pick<IdeaService, 'withdraw'>,
    private readonly discussion: DiscussionService,
    private readonly sessions: Pick<SessionService, 'endAllFor'>,
    private readonly ideaWrites: KeyedQueue,
    private readonly events: Publisher<Pick<BoardEvents, 'idea:edited'>>,
  ) {}

  async export(userId: string): Promise<ProfileExport> {
    const id = new Types.ObjectId(userId);
    const [user, ideas, comments, votes, reports, commentReports] = await Promise.all([
      User.findById(id).lean(),
      Idea.find({ author: id }, { area: 1, title: 1, body: 1, status: 1, createdAt: 1 }).sort({ createdAt: 1 }).lean(),
      Comment.find({ author: id }, { idea: 1, stance: 1, body: 1, status: 1, createdAt: 1 }).sort({ createdAt: 1 }).lean(),
      Vote.find({ voter: id }, { idea: 1, createdAt: 1 }).sort({ createdAt: 1 }).lean(),
      Report.find({ reporter: id }, { idea: 1, reason: 1, createdAt: 1 }).lean(),
      CommentReport.find({ reporter: id }, { comment: 1, reason: 1, createdAt: 1 }).lean(),
    ]);
    if (!user) throw new HttpError('NOT_FOUND', 'There is no such account.');
    return {
      exportedAt: new Date().toISOString(),
      profile: { id: userId, email: user.email ?? null, name: user.name ?? null, anonymous: user.anonymous ?? false, group: user.group ?? null, organisation: user.organisation ?? null, createdAt: iso(user.createdAt) },
      ideas: ideas.map((d) => ({ id: d._id.toString(), area: d.area, title: d.title, body: d.body ?? '', status: d.status, createdAt: iso(d.createdAt) })),
      comments: comments.map((d) => ({ id: d._id.toString(), ideaId: d.idea.toString(), stance: d.stance, body: d.body, status: d.status, createdAt: iso(d.createdAt) })),
      votes: votes.map((d) => ({ ideaId: d.idea.toString(), createdAt: iso(d.createdAt) })),
      reports: [
        ...reports.map((d) => ({ kind: 'idea' as const, itemId: d.idea.toString(), reason: d.reason, createdAt: iso(d.createdAt) })),
        ...commentReports.map((d) => ({ kind: 'comment' as const, itemId: d.comment.toString(), reason: d.reason, createdAt: iso(d.createdAt) })),
      ],
    };
  }

  async delete(userId: string, keepPosts: boolean): Promise<void> {
    const id = new Types.ObjectId(userId);
    const user = await User.findById(id, { email: 1 }).lean();
    if (!user) throw new HttpError('NOT_FOUND', 'There is no such account.');
    if (keepPosts) await this.rebyline(id);
    else await this.remove(id, userId);
    await Promise.all([
      Account.deleteMany({ user: id }),
      user.email ? AuthToken.deleteMany({ email: user.email }) : null,
      RoleGrant.deleteOne({ _id: userId }),
      User.updateOne({ _id: id }, { $set: { email: null, name: null, anonymous: true, group: null, organisation: null, requested: null } }),
    ]);
    await this.sessions.endAllFor(userId);
  }

  /** Posts stay up, under "Former participant": each idea and comment under its one writer. */
  private async rebyline(author: Types.ObjectId): Promise<void> {
    const byline = { authorName: FORMER_PARTICIPANT, authorOrganisation: null };
    for (const doc of await Idea.find({ author }, { _id: 1 }).lean()) {
      const ideaId = doc._id.toString();
      await this.ideaWrites.run(ideaId, 'byline', async () => {
        await Idea.updateOne({ _id: doc._id }, { $set: byline });
        const entry = this.state.get(ideaId);
        if (!entry) return;
        const updated = { ...entry, author: { name: FORMER_PARTICIPANT, organisation: null } };
        this.state.upsertIdea(updated);
        this.events.publish('idea:edited', { idea: updated });
      });
    }
    for (const doc of await Comment.find({ author }, { _id: 1 }).lean()) {
      const commentId = doc._id.toString();
      await this.ideaWrites.run(`comment:${commentId}`, 'byline', async () => {
        await Comment.updateOne({ _id: doc._id }, { $set: byline });
        const up = this.discussion.store.get(commentId);
        if (!up) return;
        // Down and up again: every screen and every server takes the new byline (helpful marks are kept by id).
        this.discussion.goDown(commentId);
        this.discussion.goUp({ ...up, author: { name: FORMER_PARTICIPANT, organisation: null } });
      });
    }
  }

  /** Posts go: ideas withdrawn as their author would, comments taken off every screen and kept hidden. */
  private async remove(author: Types.ObjectId, userId: string): Promise<void> {
    for (const doc of await Idea.find({ author, status: { $ne: 'withdrawn' } }, { _id: 1 }).lean()) {
      await this.ideas.withdraw(doc._id.toString(), userId).catch((error: unknown) => {
        if (!(error instanceof HttpError)) throw error;
      });
    }
    for (const doc of await Comment.find({ author }, { _id: 1 }).lean()) {
      const commentId = doc._id.toString();
      await this.ideaWrites.run(`comment:${commentId}`, 'remove', async () => {
        await Comment.updateOne({ _id: doc._id }, { $set: { status: 'hidden', hiddenBy: null, body: '', authorName: null, authorOrganisation: null } });
        this.discussion.goDown(commentId);
      });
    }
  }
}
