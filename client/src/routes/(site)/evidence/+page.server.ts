import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { EvidenceItem } from '$realtime/schemas/campaign';
import { areaParam, holds, raise, refused, run } from '$lib/server/commands';
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

function readValues(data: FormData): EvidenceValues {
  const text = (name: string) => String(data.get(name) ?? '');
  return {
    headline: text('headline'),
    summary: text('summary'),
    organisation: text('organisation'),
    title: text('title'),
    year: text('year').trim(),
    url: text('url').trim(),
    areas: data.getAll('areas').map(String),
    kind: text('kind'),
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
    const values = readValues(await event.request.formData());
    let item: EvidenceItem;
    try {
      ({ item } = await run(event, 'evidence:create', toInput(values)));
    } catch (err) {
      return refused(err, { action: 'create' as const, evidenceId: null, values }, 'Please check the finding: it was not added.');
    }
    back(event, item, 'added');
  },

  update: async (event) => {
    const data = await event.request.formData();
    const evidenceId = String(data.get('evidenceId'));
    const values = readValues(data);
    let item: EvidenceItem;
    try {
      ({ item } = await run(event, 'evidence:update', { evidenceId, ...toInput(values) }));
    } catch (err) {
      return refused(err, { action: 'update' as const, evidenceId, values }, 'Please check your changes: they were not saved.');
    }
    back(event, item, 'saved');
  },

  retire: (event) => shelve(event, 'retire'),
  restore: (event) => shelve(event, 'restore'),
};

/**
 * Off the library, or back into it as it was (an edit that changes nothing brings a retired item
 * back), saying so on the page it was done from.
 */
async function shelve(event: RequestEvent, action: 'retire' | 'restore') {
  const evidenceId = String((await event.request.formData()).get('evidenceId'));
  let item: EvidenceItem;
  try {
    ({ item } = await run(event, action === 'retire' ? 'evidence:retire' : 'evidence:update', { evidenceId }));
  } catch (err) {
    return refused(err, { action, evidenceId, values: null });
  }
  back(event, item, action === 'retire' ? 'retired' : 'restored');
}
