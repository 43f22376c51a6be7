import { Types } from 'mongoose';
import { Idea, Report, User } from '../../models/index.js';
import { isDuplicateKey } from '../platform/database.js';
import type { DiscussionService } from '../discussion/discussion.js';
import type { EvidenceService } from '../campaign/evidence.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import type { VoteService } from '../board/votes.js';
import type { PersonHints } from '../platform/person-hints.js';

/**
 * A guest who signs up or in keeps what they did as a guest: their ideas, votes and reports become
 * the member's, and so do their comments and helpful marks; they still see what became of the analysis they sent. Facts are moved as facts (a new one for the member, then the guest's removed), so an
 * idea both had voted for or reported counts once, by the unique indexes, never by adding up.
 * Running it again moves nothing twice.
 */
export class GuestMerge {
  constructor(
    private readonly votes: VoteService,
    /** The idea documents' one writer (shared with edits and moderation). */
    private readonly ideaWrites: KeyedQueue,
    private readonly evidence: EvidenceService,
    private readonly discussion: DiscussionService,
    private readonly hints: Pick<PersonHints, 'transfer'>,
  ) {}

  async merge(guestId: string, memberId: string): Promise<void> {
    const guest = new Types.ObjectId(guestId);
    const member = new Types.ObjectId(memberId);
    await User.updateOne({ _id: guest, kind: 'guest' }, { $set: { mergedInto: member } });
    for (const idea of await Idea.find({ author: guest }, { _id: 1 }).lean()) {
      const id = idea._id.toString();
      await this.ideaWrites.run(id, 'author', () => Idea.updateOne({ _id: idea._id, author: guest }, { $set: { author: member } }));
    }
    await this.votes.transfer(guestId, memberId);
    for (const report of await Report.find({ reporter: guest }).lean()) {
      try {
        await Report.create({ idea: report.idea, reporter: member, reason: report.reason, createdAt: report.createdAt });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      await Report.deleteOne({ _id: report._id });
    }
    await this.evidence.transfer(guestId, memberId);
    await this.discussion.transfer(guestId, memberId);
    this.hints.transfer(guestId, memberId);
  }
}
