import type { z } from 'zod';
import { Organisation, ORGANISATION_SEED } from '../../models/index.js';
import type { OrganisationView } from '../../realtime/schemas/accounts.js';
import type { supporterView } from '../../realtime/schemas/campaign.js';
import { isDuplicateKey } from '../platform/database.js';
import { HttpError } from '../platform/errors.js';
import type { Publisher } from '../platform/bus.js';
import type { CampaignEvents } from './events.js';

export type SupporterView = z.infer<typeof supporterView>;

/**
 * The campaign's organisations, few and rarely changed: read once, then answered from memory. Staff
 * approving or editing one on any server makes every server read them again (the transport carries
 * `organisations:changed` to the others, which call `reload`).
 */
export class Organisations {
  private bySlug = new Map<string, SupporterView>();

  constructor(private readonly events: Publisher<CampaignEvents> | null = null) {}

  async load(): Promise<void> {
    await seed();
    await this.reload();
  }

  /** After this server wrote an organisation: this one and every other read them again. */
  async changed(): Promise<void> {
    await this.reload();
    this.events?.publish('organisations:changed');
  }

  /** In the campaign's order, then by joining. */
  list(): SupporterView[] {
    return [...this.bySlug.values()];
  }

  get count(): number {
    return this.bySlug.size;
  }

  get(slug: string): OrganisationView {
    const organisation = this.find(slug);
    if (!organisation) throw new HttpError('NOT_FOUND', 'That is not one of the campaign’s organisations.', { organisation: 'choose one of the campaign’s organisations' });
    return organisation;
  }

  find(slug: string | null | undefined): OrganisationView | null {
    const supporter = slug ? this.bySlug.get(slug) : undefined;
    return supporter ? { slug: supporter.slug, name: supporter.name, about: supporter.about, website: supporter.website } : null;
  }

  supporter(slug: string): SupporterView {
    const supporter = this.bySlug.get(slug);
    if (!supporter) throw new HttpError('NOT_FOUND', 'That is not one of the campaign’s organisations.');
    return supporter;
  }

  nameOf(slug: string): string | null {
    return this.bySlug.get(slug)?.name ?? null;
  }

  async reload(): Promise<void> {
    const docs = await Organisation.find({}).sort({ position: 1, createdAt: 1 }).lean();
    this.bySlug = new Map(
      docs.map((doc) => [doc.slug, { slug: doc.slug, name: doc.name, about: doc.about, website: doc.website ?? null, joinedAt: doc.createdAt.toISOString() }]),
    );
  }
}

/** Each seeded under its unique slug: a second start (or a rival server) inserts nothing twice. */
async function seed(): Promise<void> {
  const existing = new Set((await Organisation.find({}, { slug: 1 }).lean()).map((o) => o.slug));
  const missing = ORGANISATION_SEED.map((o, position) => ({ ...o, position })).filter((o) => !existing.has(o.slug));
  for (const organisation of missing) {
    try {
      await Organisation.create(organisation);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}
