import { Types } from 'mongoose';
import type { z } from 'zod';
import { Evidence, EvidenceSubmission, User } from '../../models/index.js';
import type { AreaSlug, EvidenceKind, ReviewState } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import { decidedBy } from '../platform/decisions.js';
import type { EvidenceInput, EvidenceItem, SubmissionView, evidenceEdit, submissionInput, submissionStaffView as staffSubmissionSchema } from '../../realtime/schemas/campaign.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import type { Limits } from '../platform/limits.js';
import { OPEN_SCREEN, vet, type TextScreen } from '../platform/text-screen.js';
import { EVIDENCE_SEED, seedEvidence } from './evidence-seed.js';
import type { Publisher } from '../platform/bus.js';
import type { CampaignEvents } from './events.js';

export type SubmissionStaffView = z.infer<typeof staffSubmissionSchema>;
type EvidenceEdit = z.infer<typeof evidenceEdit>;

/** Staff see what was decided in the last few days below what waits, so they can tell what a colleague did. */
export const RECENT_DECISIONS_MS = 3 * 24 * 60 * 60 * 1000;
/** Shown for published analysis whose sender gave no name and has none on the board. */
export const PUBLIC_SUBMITTER = 'a member of the public';

/**
 * The evidence library and "send us your analysis". Items are read from the database on each list
 * (they are few), so every server answers the same; each item and each submission has one writer at a
 * time (`writes`, with the Redis lock when clustered).
 */
export class EvidenceService {
  constructor(
    private readonly events: Publisher<CampaignEvents>,
    private readonly writes: KeyedQueue,
    private readonly limits: Limits,
    private readonly screen: TextScreen = OPEN_SCREEN,
  ) {}

  async load(): Promise<void> {
    await seedEvidence();
  }

  /** Published items, the campaign's own first; `area` keeps those bearing on it. */
  async list(area: AreaSlug | undefined): Promise<EvidenceItem[]> {
    const docs = await Evidence.find({ retired: false }).sort({ position: 1, createdAt: 1 }).lean();
    return docs.filter((doc) => !area || doc.areas.includes(area)).map(evidenceView);
  }

  /** Taken off the library: staff may bring one back. */
  async retired(): Promise<EvidenceItem[]> {
    const docs = await Evidence.find({ retired: true }).sort({ position: 1, createdAt: 1 }).lean();
    return docs.map(evidenceView);
  }

  async create(input: EvidenceInput): Promise<{ item: EvidenceItem }> {
    const doc = await Evidence.create({ ...input, source: sourceOf(input.source), position: EVIDENCE_SEED.length });
    this.events.publish('queue:changed');
    return { item: evidenceView(doc) };
  }

  /** A `source` given replaces the old one whole (a link left out is removed); editing a retired item brings it back. */
  update({ evidenceId, ...change }: EvidenceEdit): Promise<{ item: EvidenceItem }> {
    return this.writes.run(`evidence:${evidenceId}`, 'edit', async () => {
      await requireEvidence(evidenceId);
      const { source, ...rest } = change;
      await Evidence.updateOne({ _id: new Types.ObjectId(evidenceId) }, { $set: { ...rest, ...(source ? { source: sourceOf(source) } : {}), retired: false } });
      this.events.publish('queue:changed');
      return { item: evidenceView(await requireEvidence(evidenceId)) };
    });
  }

  retire(evidenceId: string): Promise<{ item: EvidenceItem }> {
    return this.writes.run(`evidence:${evidenceId}`, 'retire', async () => {
      const doc = await requireEvidence(evidenceId);
      if (!doc.retired) {
        await Evidence.updateOne({ _id: doc._id }, { $set: { retired: true } });
        this.events.publish('queue:changed');
      }
      return { item: { ...evidenceView(doc), retired: true } };
    });
  }

  /** Staff read everything sent in: words to hold are marked for them, words to rephrase refused. */
  async submit(input: z.infer<typeof submissionInput>, user: SessionUser, address: string | null): Promise<{ submission: SubmissionView }> {
    const heldFor = vet(this.screen, { title: input.title, summary: input.summary, author: input.author });
    await this.limits.take('campaignFormsPerAccount', user.id);
    await this.limits.take('campaignFormsPerAddress', address);
    const doc = await EvidenceSubmission.create({
      title: input.title,
      summary: input.summary,
      url: input.url ?? null,
      author: input.author ?? null,
      email: input.email ?? null,
      submitter: new Types.ObjectId(user.id),
      heldFor,
    });
    this.events.publish('queue:changed');
    return { submission: submissionView(doc) };
  }

  /** Newest first, with what became of each. */
  async mine(userId: string): Promise<SubmissionView[]> {
    const docs = await EvidenceSubmission.find({ submitter: new Types.ObjectId(userId) }).sort({ createdAt: -1 }).lean();
    return docs.map(submissionView);
  }

  /**
   * Into the library as a `submission`, credited to the name its sender gave, else their name on the
   * board (unless they post anonymously), else "a member of the public". The item takes the
   * submission's id, so publishing again after a failed write never makes a second one. `areas` puts
   * it on those challenges' pages at once.
   */
  publish(submissionId: string, areas: AreaSlug[] = []): Promise<{ item: EvidenceItem }> {
    return this.writes.run(`submission:${submissionId}`, 'decide', async () => {
      const doc = await requireSubmission(submissionId);
      if (doc.status === 'declined') throw new HttpError('BAD_REQUEST', 'This analysis was declined already; it cannot be published now.');
      if (doc.status === 'pending') {
        const submittedBy = doc.author ?? (await boardName(doc.submitter)) ?? PUBLIC_SUBMITTER;
        try {
          await Evidence.create({
            _id: doc._id,
            headline: doc.title,
            summary: doc.summary,
            source: { organisation: submittedBy, title: doc.title, year: doc.createdAt.getUTCFullYear(), url: doc.url ?? null },
            areas: [...new Set(areas)],
            kind: 'submission',
            submittedBy,
            position: EVIDENCE_SEED.length,
          });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
        }
        await EvidenceSubmission.updateOne({ _id: doc._id }, { $set: { status: 'published', evidence: doc._id, reason: null, decidedAt: new Date() } });
        this.events.publish('queue:changed');
      }
      return { item: evidenceView(await requireEvidence(submissionId)) };
    });
  }

  decline(submissionId: string, reason: string, staff: SessionUser): Promise<{ submission: SubmissionStaffView }> {
    return this.writes.run(`submission:${submissionId}`, 'decide', async () => {
      const doc = await requireSubmission(submissionId);
      if (doc.status === 'published') throw new HttpError('BAD_REQUEST', 'This analysis is published already: retire its evidence item instead.');
      await EvidenceSubmission.updateOne({ _id: doc._id }, { $set: { status: 'declined', reason, decidedAt: new Date() } });
      // The reason is for the sender, not the public: the log says only that staff reviewed it.
      if (doc.status === 'pending') this.events.publish('moderation:decided', { action: 'decline', reason: 'review', by: decidedBy(staff), byUser: staff.id, item: { kind: 'submission', id: submissionId, title: doc.title } });
      this.events.publish('queue:changed');
      return { submission: submissionStaffView(await requireSubmission(submissionId)) };
    });
  }

  /** Waiting ones oldest first, then those decided in the last few days, latest first. */
  async queue(now = Date.now()): Promise<SubmissionStaffView[]> {
    const docs = await EvidenceSubmission.find({}).lean();
    return reviewOrder(docs, now).map(submissionStaffView);
  }

  /** A guest who signs up or in keeps sight of what they sent. */
  async transfer(guestId: string, memberId: string): Promise<void> {
    const guest = new Types.ObjectId(guestId);
    for (const doc of await EvidenceSubmission.find({ submitter: guest }, { _id: 1 }).lean()) {
      await this.writes.run(`submission:${doc._id.toString()}`, 'submitter', () =>
        EvidenceSubmission.updateOne({ _id: doc._id, submitter: guest }, { $set: { submitter: new Types.ObjectId(memberId) } }),
      );
    }
  }
}

/** Waiting ones oldest first, then those decided within RECENT_DECISIONS_MS, latest decision first. */
export function reviewOrder<T extends { status: string; createdAt: Date; decidedAt?: Date | null }>(docs: T[], now: number): T[] {
  const waiting = docs.filter((d) => d.status === 'pending').sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const decided = docs
    .filter((d) => d.status !== 'pending' && d.decidedAt && now - d.decidedAt.getTime() <= RECENT_DECISIONS_MS)
    .sort((a, b) => b.decidedAt!.getTime() - a.decidedAt!.getTime());
  return [...waiting, ...decided];
}

function sourceOf(source: EvidenceInput['source']) {
  return { organisation: source.organisation, title: source.title, year: source.year ?? null, url: source.url ?? null };
}

/** The name a submitter shows on the board: members who post under their name; nobody for guests. */
async function boardName(userId: Types.ObjectId): Promise<string | null> {
  const user = await User.findById(userId, { kind: 1, name: 1, anonymous: 1 }).lean();
  return user?.kind === 'member' && !user.anonymous && user.name ? user.name : null;
}

async function requireEvidence(evidenceId: string) {
  const doc = await Evidence.findById(evidenceId).lean();
  if (!doc) throw new HttpError('NOT_FOUND', 'There is no evidence item with that id.');
  return doc;
}

async function requireSubmission(submissionId: string) {
  const doc = await EvidenceSubmission.findById(submissionId).lean();
  if (!doc) throw new HttpError('NOT_FOUND', 'There is no submission with that id.');
  return doc;
}

interface EvidenceDoc {
  _id: Types.ObjectId;
  headline: string;
  summary: string;
  source?: { organisation: string; title: string; year?: number | null; url?: string | null } | null;
  areas: string[];
  kind: string;
  submittedBy?: string | null;
  retired?: boolean | null;
  createdAt: Date;
}

function evidenceView(doc: EvidenceDoc): EvidenceItem {
  // The schema requires a source; mongoose only types nested paths as optional.
  const source = doc.source!;
  return {
    id: doc._id.toString(),
    headline: doc.headline,
    summary: doc.summary,
    source: { organisation: source.organisation, title: source.title, year: source.year ?? null, url: source.url ?? null },
    areas: doc.areas as AreaSlug[],
    kind: doc.kind as EvidenceKind,
    submittedBy: doc.submittedBy ?? null,
    retired: Boolean(doc.retired),
    createdAt: doc.createdAt.toISOString(),
  };
}

interface SubmissionDoc {
  _id: Types.ObjectId;
  title: string;
  summary: string;
  url?: string | null;
  author?: string | null;
  email?: string | null;
  status: string;
  reason?: string | null;
  evidence?: Types.ObjectId | null;
  heldFor?: string[] | null;
  createdAt: Date;
}

/** Built field by field, never spread from the document: the private e-mail must not slip into a public answer. */
function submissionView(doc: SubmissionDoc): SubmissionView {
  return {
    id: doc._id.toString(),
    title: doc.title,
    summary: doc.summary,
    url: doc.url ?? null,
    author: doc.author ?? null,
    status: doc.status as ReviewState,
    reason: doc.reason ?? null,
    evidenceId: doc.evidence?.toString() ?? null,
    createdAt: doc.createdAt.toISOString(),
  };
}

function submissionStaffView(doc: SubmissionDoc): SubmissionStaffView {
  return { ...submissionView(doc), email: doc.email ?? null, heldFor: doc.heldFor ?? [] };
}
