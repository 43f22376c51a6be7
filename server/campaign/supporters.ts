import { Types } from 'mongoose';
import type { z } from 'zod';
import { Organisation, OrganisationRequest } from '../../models/index.js';
import type { ReviewState } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import { decidedBy } from '../platform/decisions.js';
import type { organisationEdit, organisationRequestInput, organisationRequestStaffView, organisationRequestView } from '../../realtime/schemas/campaign.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import { reviewOrder } from './evidence.js';
import type { Publisher } from '../platform/bus.js';
import type { CampaignEvents } from './events.js';
import type { KeyedQueue } from '../platform/keyed-queue.js';
import type { Limits } from '../platform/limits.js';
import { vet, type TextScreen } from '../platform/text-screen.js';
import type { Organisations, SupporterView } from './organisations.js';

type RequestView = z.infer<typeof organisationRequestView>;
export type RequestStaffView = z.infer<typeof organisationRequestStaffView>;

const SLUG_TRIES = 20;
const ABOUT_MAX = 300;

/**
 * "Join the campaign": organisations ask, staff approve them onto /supporters. A request has one
 * writer at a time, as has an organisation's entry (`writes`, with the Redis lock when clustered).
 */
export class SupporterService {
  constructor(
    private readonly organisations: Organisations,
    private readonly events: Publisher<CampaignEvents>,
    private readonly writes: KeyedQueue,
    private readonly limits: Limits,
    private readonly screen: TextScreen,
  ) {}

  async request(input: z.infer<typeof organisationRequestInput>, user: SessionUser, address: string | null): Promise<{ request: RequestView }> {
    const clash = this.organisations.list().find((o) => sameName(o.name, input.name));
    if (clash) throw nameTaken(clash.name);
    // Staff read every request: words to hold are marked for them, words to rephrase refused.
    const heldFor = vet(this.screen, { name: input.name, statement: input.statement });
    await this.limits.take('campaignFormsPerAccount', user.id);
    await this.limits.take('campaignFormsPerAddress', address);
    const doc = await OrganisationRequest.create({
      name: input.name,
      website: input.website ?? null,
      contact: input.contact,
      email: input.email,
      statement: input.statement,
      requester: new Types.ObjectId(user.id),
      heldFor,
    });
    this.events.publish('queue:changed');
    return { request: requestView(doc) };
  }

  /**
   * The organisation joins under a slug made from its name, on every server, and every screen hears
   * the new count. Its line on /supporters starts as its statement (staff can reword it).
   */
  approve(requestId: string): Promise<{ organisation: SupporterView }> {
    return this.writes.run(`organisation-request:${requestId}`, 'decide', async () => {
      const doc = await requireRequest(requestId);
      if (doc.status === 'declined') throw new HttpError('BAD_REQUEST', 'This request was declined already; it cannot be approved now.');
      if (doc.status === 'published' && doc.organisation) {
        // Approved on another server a moment ago, before its news arrived here.
        if (!this.organisations.find(doc.organisation)) await this.organisations.reload();
        return { organisation: this.organisations.supporter(doc.organisation) };
      }
      const slug = await createOrganisation(doc.name, doc.website ?? null, clip(doc.statement, ABOUT_MAX));
      await OrganisationRequest.updateOne({ _id: doc._id }, { $set: { status: 'published', organisation: slug, reason: null, decidedAt: new Date() } });
      await this.organisations.changed();
      this.events.publish('supporters:changed', { count: this.organisations.count });
      this.events.publish('queue:changed');
      return { organisation: this.organisations.supporter(slug) };
    });
  }

  decline(requestId: string, reason: string | undefined, staff: SessionUser): Promise<{ request: RequestStaffView }> {
    return this.writes.run(`organisation-request:${requestId}`, 'decide', async () => {
      const doc = await requireRequest(requestId);
      if (doc.status === 'published') throw new HttpError('BAD_REQUEST', 'This organisation was approved already.');
      await OrganisationRequest.updateOne({ _id: doc._id }, { $set: { status: 'declined', reason: reason ?? null, decidedAt: new Date() } });
      // The reason is for the organisation, not the public: the log says only that staff reviewed it.
      if (doc.status === 'pending') this.events.publish('moderation:decided', { action: 'decline', reason: 'review', by: decidedBy(staff), byUser: staff.id, item: { kind: 'organisation-request', id: requestId, title: doc.name } });
      this.events.publish('queue:changed');
      return { request: requestStaffView(await requireRequest(requestId)) };
    });
  }

  /** Staff reword an organisation's line or set its website; `website: null` removes it. */
  update({ slug, about, website }: z.infer<typeof organisationEdit>): Promise<{ organisation: SupporterView }> {
    this.organisations.supporter(slug);
    return this.writes.run(`organisation:${slug}`, 'edit', async () => {
      const change = { ...(about === undefined ? {} : { about }), ...(website === undefined ? {} : { website }) };
      if (Object.keys(change).length > 0) {
        await Organisation.updateOne({ slug }, { $set: change });
        await this.organisations.changed();
      }
      return { organisation: this.organisations.supporter(slug) };
    });
  }

  async queue(now = Date.now()): Promise<RequestStaffView[]> {
    return reviewOrder(await OrganisationRequest.find({}).lean(), now).map(requestStaffView);
  }
}

/**
 * Inserts under the first free slug (`name`, `name-2`, …): the unique index settles two servers
 * approving at once. A name already among the supporters is refused, however it is written.
 */
async function createOrganisation(name: string, website: string | null, about: string): Promise<string> {
  const base = slugOf(name);
  for (let attempt = 1; attempt <= SLUG_TRIES; attempt++) {
    const existing = await Organisation.find({}, { slug: 1, name: 1, position: 1 }).lean();
    const clash = existing.find((o) => sameName(o.name, name));
    if (clash) throw nameTaken(clash.name);
    const taken = new Set(existing.map((o) => o.slug));
    let suffix = 1;
    while (taken.has(suffix === 1 ? base : `${base}-${suffix}`)) suffix++;
    const slug = suffix === 1 ? base : `${base}-${suffix}`;
    try {
      await Organisation.create({ slug, name, about, website, position: Math.max(-1, ...existing.map((o) => o.position)) + 1 });
      return slug;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw new HttpError('UNAVAILABLE', 'Could not find a free address for this organisation. Please try again.');
}

function nameTaken(name: string): HttpError {
  return new HttpError('BAD_REQUEST', `${name} already supports the campaign.`, { name: 'this organisation already supports the campaign' });
}

/** Names compared by their letters and digits alone, in any case, with any accents, "&" read as "and". */
function sameName(a: string, b: string): boolean {
  return nameKey(a) === nameKey(b);
}

function nameKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase().replace(/&/g, 'and').replace(/[^\p{L}\p{N}]/gu, '');
}

/** Lower-case ASCII letters, digits and dashes, as the organisation's address on the board; a name of other letters only is "organisation". */
function slugOf(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 50)
    .replace(/^-+|-+$/g, '');
  return slug || 'organisation';
}

/** At most `max` characters, cut at a word. */
function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  const cut = line.slice(0, max - 1);
  return `${cut.slice(0, cut.lastIndexOf(' ') > 0 ? cut.lastIndexOf(' ') : cut.length).replace(/[\s,;:.]+$/, '')}…`;
}

async function requireRequest(requestId: string) {
  const doc = await OrganisationRequest.findById(requestId).lean();
  if (!doc) throw new HttpError('NOT_FOUND', 'There is no request with that id.');
  return doc;
}

interface RequestDoc {
  _id: Types.ObjectId;
  name: string;
  website?: string | null;
  contact: string;
  email: string;
  statement: string;
  status: string;
  reason?: string | null;
  heldFor?: string[] | null;
  createdAt: Date;
}

/** Built field by field: the contact's e-mail is for staff alone. */
function requestView(doc: RequestDoc): RequestView {
  return { id: doc._id.toString(), name: doc.name, website: doc.website ?? null, status: doc.status as ReviewState, createdAt: doc.createdAt.toISOString() };
}

function requestStaffView(doc: RequestDoc): RequestStaffView {
  return { ...requestView(doc), contact: doc.contact, email: doc.email, statement: doc.statement, reason: doc.reason ?? null, heldFor: doc.heldFor ?? [] };
}
