import { Schema, model } from 'mongoose';

/** Secrets the app makes for itself once (insert-only under their `_id`), shared by every server through the database. */
const secretSchema = new Schema({ _id: { type: String, required: true }, value: { type: String, required: true } }, { versionKey: false });

export const Secret = model('Secret', secretSchema);
