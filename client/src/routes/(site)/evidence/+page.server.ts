import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { EvidenceItem } from '$realtime/schemas/campaign';
import { areaParam, holds, raise, run } from '$lib/server/commands';
import { attempt, fields, isRefused, type Fields } from '$lib/server/form-action';
import type { EvidenceValues } from '$lib/evidence';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const area = areaParam(event.url);
  const staff = holds(event, 'moderator');
  const [evidence, areas, retired] = await Promise.all([
    run(event, 'evidence:list', area ? { area } : {}),
    run(event, 'areas:list'),
    staff ? run(event, 'evidence:retired', {}) : { items: [] },
  ]).catch(raise);
  const done = DONE.find((done) => done === event.url.searchParams.get('done')) ?? null;
  return {
    area,
    items: evidence.items,
    /** Staff only: off the library, each with a way back. */
    retired: retired.items.filter((item) => !area || item.areas.includes(area)),
    areas: areas.map(({ slug, title }) => ({ slug, title })),
    staff,
    /** What a staff form just did: the page says so (also without JavaScript). */
    done,
  };
};

const DONE = ['added', 'saved', 'retired', 'restored'] as const;

function readValues(form: Fields): EvidenceValues {
  return {
    headline: form.text('headline'),
    summary: form.text('summary'),
    organisation: form.text('organisation'),
    title: form.text('title'),
    year: form.trimmed('year'),
    url: form.trimmed('url'),
    areas: form.all('areas'),
    kind: form.text('kind'),
  };
}

const toInput = (values: EvidenceValues) => ({
  headline: values.headline,
  summary: values.summary,
  source: { organisation: values.organisation, title: values.title, year: values.year === '' ? null : values.year, url: values.url },
  areas: values.areas,
  kind: values.kind,
});

/** Back to the list it was on, scrolled to the item, saying what was done (also without JavaScript). */
function back(event: RequestEvent, item: EvidenceItem, done: string): never {
  const area = areaParam(event.url);
  redirect(303, `/evidence?${area ? `area=${area}&` : ''}done=${done}#evidence-${item.id}`);
}

export const actions: Actions = {
  create: async (event) => {
    const values = readValues(await fields(event));
    const created = await attempt(event, 'evidence:create', toInput(values), { action: 'create' as const, evidenceId: null, values }, { invalid: 'Please check the finding: it was not added.' });
    if (isRefused(created)) return created;
    back(event, created.item, 'added');
  },

  update: async (event) => {
    const form = await fields(event);
    const evidenceId = String(form.get('evidenceId'));
    const values = readValues(form);
    const saved = await attempt(event, 'evidence:update', { evidenceId, ...toInput(values) }, { action: 'update' as const, evidenceId, values }, { invalid: 'Please check your changes: they were not saved.' });
    if (isRefused(saved)) return saved;
    back(event, saved.item, 'saved');
  },

  retire: (event) => shelve(event, 'retire'),
  restore: (event) => shelve(event, 'restore'),
};

/**
 * Off the library, or back into it as it was (an edit that changes nothing brings a retired item
 * back), saying so on the page it was done from.
 */
async function shelve(event: RequestEvent, action: 'retire' | 'restore') {
  const evidenceId = String((await fields(event)).get('evidenceId'));
  const done = await attempt(event, action === 'retire' ? 'evidence:retire' : 'evidence:update', { evidenceId }, { action, evidenceId, values: null });
  if (isRefused(done)) return done;
  back(event, done.item, action === 'retire' ? 'retired' : 'restored');
}
