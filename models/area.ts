import { Schema, model } from 'mongoose';
import { AREA_SLUGS, type AreaSlug } from '../realtime/vocabulary.js';

const areaSchema = new Schema(
  {
    slug: { type: String, required: true, enum: AREA_SLUGS, unique: true },
    position: { type: Number, required: true },
    title: { type: String, required: true },
    question: { type: String, required: true },
  },
  { versionKey: false },
);

export const Area = model('Area', areaSchema);

/** The campaign's five challenges, in its order. */
export const AREA_SEED: { slug: AreaSlug; title: string; question: string }[] = [
  {
    slug: 'police',
    title: 'Police and prosecutors',
    question: 'Where do threats and harassment online become crimes, and how should police and prosecutors act on them?',
  },
  {
    slug: 'platforms',
    title: 'Social media and publishing platforms',
    question: 'What responsibility should social media and publishing platforms take for abuse on their services?',
  },
  {
    slug: 'employers',
    title: 'Organisations and employers',
    question: 'What should organisations and employers do when their people are abused online?',
  },
  {
    slug: 'individuals',
    title: 'Individuals',
    question: 'How can each of us support victims and take on the trolls?',
  },
  {
    slug: 'education',
    title: 'The next generation',
    question: 'How do we empower and educate young people to reclaim the internet?',
  },
];
