import { Idea } from '../../models/index.js';
import type { IdeaProgress } from '../../realtime/vocabulary.js';
import type { IdeaView } from '../../realtime/schemas/board.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import { decidedBy } from '../platform/decisions.js';
import type { BoardState } from './board-state.js';
import { IDEA_FIELDS, syncedIdea } from './idea-document.js';
import { HttpError } from '../platform/errors.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import type { Publisher } from '../platform/bus.js';
import type { BoardEvents } from './events.js';
import type { VoteLedger } from './vote-ledger.js';

/**
 * Staff keep the board tidy and moving: merging a duplicate into another idea (reversibly) and
 * setting where an idea stands. Each idea document has one writer at a time (the queue moderation and
 * edits use); a merge holds both ideas' turns, taken in id order so two merges cannot wait on each other.
 * Its events say who voted, so that the people who voted for or discussed an idea hear what became of it.
 */
export class CurationService {
  constructor(
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
    private readonly events: Publisher<BoardEvents>,
    private readonly ideaWrites: KeyedQueue,
  ) {}

  /**
   * The duplicate leaves the board; `into` counts each voter of the two once (derived from the
   * ballots, no vote stored) and shows the duplicate's comments; its page points to `into`.
   */
  merge(ideaId: string, into: string, actor: SessionUser): Promise<{ idea: IdeaView }> {
    if (ideaId === into) throw new HttpError('BAD_REQUEST', 'into: an idea cannot be merged into itself');
    return this.both(ideaId, into, 'merge', async () => {
      const duplicate = this.state.get(ideaId);
      const target = this.state.get(into);
      if (!duplicate || !target) throw new HttpError('NOT_FOUND', 'Both ideas must be on the board to merge them.');
      if (this.state.duplicatesOf(ideaId).size > 0) throw new HttpError('BAD_REQUEST', 'Other ideas are merged into this one: unmerge them first, or merge them into the other idea.');
      const voters = this.ledger.ballots.votersOf([ideaId]);
      await Idea.updateOne({ _id: ideaId }, { $set: { mergedInto: into } });
      this.ledger.merge(ideaId, into);
      this.events.publish('idea:merged', { idea: duplicate, into: target, voters, actorId: actor.id, by: decidedBy(actor) });
      this.events.publish('idea:changed', { idea: target });
      return { idea: this.state.view(target, false) };
    });
  }

  /** Both ideas as they were before the merge: each with its own voters and comments; votes cast on the target meanwhile stay its own. */
  unmerge(ideaId: string, actor: SessionUser): Promise<{ idea: IdeaView }> {
    if (!this.state.isMerged(ideaId)) throw new HttpError('BAD_REQUEST', 'That idea is not merged into another.');
    const into = this.state.holderOf(ideaId);
    return this.both(ideaId, into, 'unmerge', async () => {
      const doc = await Idea.findById(ideaId, { ...IDEA_FIELDS, status: 1 }).lean();
      if (!doc || !this.state.isMerged(ideaId)) throw new HttpError('BAD_REQUEST', 'That idea is not merged into another.');
      await Idea.updateOne({ _id: doc._id }, { $set: { mergedInto: null } });
      // Hidden or withdrawn meanwhile, it stays off the board.
      const idea = doc.status === 'published' ? syncedIdea(doc) : null;
      this.events.publish('idea:unmerged', { ideaId, idea, actorId: actor.id, by: decidedBy(actor) });
      const back = this.ledger.unmerge(ideaId, idea);
      if (back) this.events.publish('idea:restored', { idea: back });
      const target = this.state.get(into);
      if (target) this.events.publish('idea:changed', { idea: target });
      return { idea: this.state.view(back ?? { ...syncedIdea(doc), votes: this.ledger.ballots.ballotCount(ideaId) }, false) };
    });
  }

  /** Where an idea stands in the campaign, on every screen; its voters and discussants are told. */
  setStatus(ideaId: string, status: IdeaProgress, actorId: string): Promise<{ idea: IdeaView }> {
    return this.ideaWrites.run(ideaId, 'status', async () => {
      const entry = this.state.get(ideaId);
      if (!entry) throw new HttpError('NOT_FOUND', 'That idea does not exist, or is not on the board.');
      if (entry.status !== status) {
        await Idea.updateOne({ _id: ideaId }, { $set: { progress: status } });
        this.state.setStatus(ideaId, status);
        const group = this.state.groupOf(ideaId);
        this.events.publish('idea:status', { idea: entry, status, group, voters: this.ledger.ballots.votersOf(group), actorId });
      }
      return { idea: this.state.view(entry, false) };
    });
  }

  private both<T>(a: string, b: string, kind: string, task: () => Promise<T>): Promise<T> {
    const [first, second] = a < b ? [a, b] : [b, a];
    return this.ideaWrites.run(first, kind, () => this.ideaWrites.run(second, kind, task));
  }
}
