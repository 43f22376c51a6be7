import { Schema, model } from 'mongoose';
import { SCREEN_ACTIONS } from '../realtime/vocabulary.js';

/**
 * A term of word screening as staff set it: the normalised term is the `_id`, so each term is one
 * document, replaced or deleted whole by its one writer (`term:<t>`). Built-in words need none until
 * staff change what happens to them.
 */
const screeningTermSchema = new Schema(
  {
    _id: { type: String, required: true },
    action: { type: String, required: true, enum: SCREEN_ACTIONS },
    addedBy: { type: String, required: true },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const ScreeningTerm = model('ScreeningTerm', screeningTermSchema);
