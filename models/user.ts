import { Schema, model } from 'mongoose';
import { STAKEHOLDER_SLUGS, USER_KINDS } from '../realtime/vocabulary.js';

/**
 * A person: a guest (a browser session, nothing more) or a member with an account. Profile fields
 * change only through the person's own profile or an admin's decision on an affiliation, one writer at
 * a time (see server/people.ts); roles live in their own documents, so granting one never races a
 * profile edit.
 */
const userSchema = new Schema(
  {
    kind: { type: String, required: true, enum: USER_KINDS, default: 'guest' },
    /** A member's sign-in address, as in their Account: set once, at sign-up. */
    email: { type: String, default: null },
    name: { type: String, default: null },
    anonymous: { type: Boolean, default: false },
    group: { type: String, enum: [...STAKEHOLDER_SLUGS, null], default: null },
    /** The organisation an admin confirmed (its slug), and one asked for and not yet decided. */
    organisation: { type: String, default: null },
    requested: { type: String, default: null },
    /** A guest who signed up or in: what they did as a guest moved to this member. */
    mergedInto: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const User = model('User', userSchema);
