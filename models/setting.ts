import { Schema, model } from 'mongoose';
import { REPORTS_TO_HIDE, VOTERS } from '../realtime/vocabulary.js';

export const BOARD_SETTINGS_ID = 'board';

/** What the conference page says until staff know more; also what a settings document from before the conference fields reads as. */
export const CONFERENCE_DEFAULTS = {
  date: 'July (date to be announced)',
  place: 'Venue to be announced',
  about:
    'A day to debate the ideas that came forward on this board, live: the ideas people backed most are put to the hall, argued for and against, and voted on from phones, with the results shared afterwards.',
};

/**
 * The switches facilitators flip for the whole board, in one document seeded at start, so a change
 * is a plain update and never an upsert race. Changes are rare and set every field they hold, so
 * two facilitators switching at once simply leave the last one's choice.
 */
const settingSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** New ideas wait for a facilitator to publish them before anyone else sees them. */
    reviewNewIdeas: { type: Boolean, required: true, default: false },
    /** Who may vote on the board: everyone, or members only. */
    voting: { type: String, required: true, enum: VOTERS, default: 'everyone' },
    /** The report weight that takes an item down before staff look (server/moderation/report-rule.ts). */
    reportThreshold: { type: Number, required: true, default: REPORTS_TO_HIDE },
    /** The July conference as staff describe it. */
    conference: {
      date: { type: String, default: CONFERENCE_DEFAULTS.date },
      place: { type: String, default: CONFERENCE_DEFAULTS.place },
      about: { type: String, default: CONFERENCE_DEFAULTS.about },
    },
    changedAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const Setting = model('Setting', settingSchema);
