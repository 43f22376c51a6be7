import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { Evidence } from '../../models/index.js';
import type { AreaSlug, EvidenceKind } from '../../realtime/vocabulary.js';
import { isDuplicateKey } from '../platform/database.js';

interface EvidenceSeed {
  key: string;
  headline: string;
  summary: string;
  source: { organisation: string; title: string; year: number | null };
  areas: AreaSlug[];
  kind: EvidenceKind;
}

/** The findings the campaign cites, with their sources; links are left for staff to add. */
export const EVIDENCE_SEED: EvidenceSeed[] = [
  {
    key: 'demos-misogyny-twitter',
    headline: 'About 10,000 tweets from UK accounts in three weeks aggressively called someone a “slut” or a “whore”',
    summary:
      'Researchers at the think tank Demos gathered tweets sent from UK accounts over three weeks and counted about 10,000 that used “slut” or “whore” to attack someone. That is two words on one platform in under a month: a glimpse of how ordinary misogynistic abuse online has become.',
    source: { organisation: 'Demos', title: 'The use of misogynistic terms on Twitter', year: 2016 },
    areas: ['platforms', 'individuals'],
    kind: 'study',
  },
  {
    key: 'nasuwt-teachers',
    headline: 'Over half of teachers report online abuse from pupils and parents',
    summary:
      'More than half of the teachers who answered a survey by the NASUWT, the largest teaching union in the UK, said pupils or parents had abused them online. Schools are workplaces as well as the places where young people learn how to treat each other online.',
    source: { organisation: 'NASUWT', title: 'Survey of teachers on abuse through social media', year: null },
    areas: ['employers', 'education'],
    kind: 'survey',
  },
  {
    key: 'revenge-porn-helpline',
    headline: 'Almost 4,000 calls to the Revenge Porn Helpline in one year, with cases as young as 11',
    summary:
      'The Revenge Porn Helpline, which supports people whose intimate images are shared without their consent, took almost 4,000 calls in a year. Some of the cases it heard about involved children as young as 11.',
    source: { organisation: 'Revenge Porn Helpline', title: 'Helpline call figures for the year', year: null },
    areas: ['police', 'individuals', 'education'],
    kind: 'helpline',
  },
  {
    key: 'guardian-web-we-want',
    headline: '6 of the 10 regular Guardian writers who received the most abuse were non-white',
    summary:
      'For its series “The web we want”, the Guardian looked at the comments its moderators had blocked to see which of its regular writers drew the most abuse. Six of the ten who received the most were non-white: abuse falls hardest on voices that are already heard least.',
    source: { organisation: 'The Guardian', title: 'The web we want (series): the dark side of Guardian comments', year: 2016 },
    areas: ['platforms', 'employers'],
    kind: 'media',
  },
  {
    key: 'tell-mama',
    headline: 'Most of the Islamophobic attacks reported to Tell MAMA are perpetrated online',
    summary:
      'Tell MAMA records anti-Muslim incidents and supports the people targeted. The majority of the attacks reported to it take place online, so abuse on social media is not a side issue of anti-Muslim hatred: it is most of what people report.',
    source: { organisation: 'Tell MAMA', title: 'Annual report on anti-Muslim hatred', year: null },
    areas: ['police', 'platforms'],
    kind: 'helpline',
  },
  {
    key: 'cst-antisemitic-incidents',
    headline: '159 antisemitic incidents on social media reported to CST in one year',
    summary:
      'The Community Security Trust, which records antisemitic incidents across the UK, was told of 159 on social media in one year. Only incidents that someone takes the trouble to report are counted, so the figure is a floor rather than the full picture.',
    source: { organisation: 'Community Security Trust (CST)', title: 'Antisemitic Incidents Report', year: null },
    areas: ['police', 'platforms'],
    kind: 'helpline',
  },
];

/** Each seeded under an id made from its key: a second start (or a rival server) inserts nothing twice. */
export async function seedEvidence(): Promise<void> {
  const seeds = EVIDENCE_SEED.map((seed, position) => ({ seed, position, _id: seedId(seed.key) }));
  const existing = new Set((await Evidence.find({ _id: { $in: seeds.map((s) => s._id) } }, { _id: 1 }).lean()).map((d) => d._id.toString()));
  for (const { seed, position, _id } of seeds.filter((s) => !existing.has(s._id.toString()))) {
    const { key, source, ...finding } = seed;
    try {
      await Evidence.create({ _id, ...finding, source: { ...source, url: null }, seedKey: key, position });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

function seedId(key: string): Types.ObjectId {
  return new Types.ObjectId(createHash('sha256').update(`evidence:${key}`).digest('hex').slice(0, 24));
}
