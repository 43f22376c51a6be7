import { Schema, model } from 'mongoose';
import { ROLES } from '../realtime/vocabulary.js';

/**
 * Sign-in details, keyed by the e-mail address (lower case): the `_id` makes addresses unique without
 * a sparse index, and finding an account by address is an `_id` lookup, which the embedded FerretDB
 * hands to SQLite.
 */
const accountSchema = new Schema(
  {
    _id: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    /** argon2id, with its parameters and salt. */
    passwordHash: { type: String, required: true },
    verifiedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
accountSchema.index({ user: 1 });

export const Account = model('Account', accountSchema);

/** A staff role, one document per person (`_id`: the user's id); none means participant. */
const roleSchema = new Schema(
  {
    _id: { type: String, required: true },
    role: { type: String, required: true, enum: ROLES },
    grantedBy: { type: String, required: true },
    at: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const RoleGrant = model('RoleGrant', roleSchema);

/**
 * A link sent by e-mail: `_id` is the SHA-256 of its token, so a stolen database holds no usable
 * link. Using one deletes it, and only the request whose delete removed it goes on: a link works once.
 */
const tokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    purpose: { type: String, required: true, enum: ['signup', 'verify', 'reset'] },
    email: { type: String, required: true },
    /** A sign-up waiting for its link: the account is made from these when it is opened. */
    name: { type: String },
    passwordHash: { type: String },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
tokenSchema.index({ expiresAt: 1 });

export const AuthToken = model('AuthToken', tokenSchema);
