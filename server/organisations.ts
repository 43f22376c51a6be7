import { Organisation, ORGANISATION_SEED } from '../models/index.js';
import type { OrganisationView } from '../realtime/schemas.js';
import { isDuplicateKey } from './database.js';
import { HttpError } from './errors.js';

/** The campaign's organisations, few and rarely changed: read once, then answered from memory. */
export class Organisations {
  private bySlug = new Map<string, OrganisationView>();

  async load(): Promise<void> {
    await seed();
    const docs = await Organisation.find({}).sort({ position: 1 }).lean();
    this.bySlug = new Map(docs.map((doc) => [doc.slug, { slug: doc.slug, name: doc.name, about: doc.about, website: doc.website ?? null }]));
  }

  list(): OrganisationView[] {
    return [...this.bySlug.values()];
  }

  get(slug: string): OrganisationView {
    const organisation = this.bySlug.get(slug);
    if (!organisation) throw new HttpError('NOT_FOUND', 'That is not one of the campaign’s organisations.', { organisation: 'choose one of the campaign’s organisations' });
    return organisation;
  }

  find(slug: string | null | undefined): OrganisationView | null {
    return slug ? (this.bySlug.get(slug) ?? null) : null;
  }

  nameOf(slug: string): string | null {
    return this.bySlug.get(slug)?.name ?? null;
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
