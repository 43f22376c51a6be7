import { Schema, model } from 'mongoose';

/**
 * A closed round's frozen results as canonical JSON (sorted keys, no whitespace), written once:
 * `_id` is `<code>/<round>`, so a second writer's insert is a duplicate key and the first bytes stand.
 */
const sealedRoundSchema = new Schema(
  {
    _id: { type: String, required: true },
    code: { type: String, required: true },
    round: { type: Number, required: true },
    title: { type: String, required: true },
    closedAt: { type: Date, required: true },
    json: { type: String, required: true },
    sha256: { type: String, required: true },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const SealedRound = model('SealedRound', sealedRoundSchema);
