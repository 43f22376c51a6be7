import { Schema } from 'mongoose';
import { USER_KINDS } from '../realtime/vocabulary.js';

/**
 * Where a fact came from (server/platform/provenance.ts): the keyed hash of its network, never the
 * address; the kind of session; the age of the person's identity in milliseconds. Absent on facts
 * stored before provenance was recorded, and on facts moved from a guest to a member.
 */
export const originSchema = new Schema(
  {
    network: { type: String, default: null },
    kind: { type: String, enum: USER_KINDS, required: true },
    age: { type: Number, required: true },
  },
  { _id: false },
);
