import { Schema, model } from 'mongoose';

/** `_id` is the SHA-256 (hex) of the session token: a stolen database dump holds no usable token. */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    expiresAt: { type: Date, required: true },
    /** Signed in with the facilitator code. A new session is issued for it, so no session document is ever updated twice at once. */
    facilitator: { type: Boolean, default: false },
  },
  { versionKey: false },
);
sessionSchema.index({ expiresAt: 1 });
sessionSchema.index({ user: 1 });

export const Session = model('Session', sessionSchema);
