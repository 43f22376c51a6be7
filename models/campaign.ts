import { Schema, model } from 'mongoose';
import { AREA_SLUGS, EVIDENCE_KIND_SLUGS, REVIEW_STATES } from '../realtime/vocabulary.js';

/** A finding in the evidence library. Staff edit it one at a time; retiring keeps it for the record. */
const evidenceSchema = new Schema(
  {
    headline: { type: String, required: true },
    summary: { type: String, required: true },
    source: {
      organisation: { type: String, required: true },
      title: { type: String, required: true },
      year: { type: Number, default: null },
      url: { type: String, default: null },
    },
    areas: { type: [{ type: String, enum: AREA_SLUGS }], required: true },
    kind: { type: String, required: true, enum: EVIDENCE_KIND_SLUGS },
    submittedBy: { type: String, default: null },
    /** Seeded items carry a key, so a second start (or a rival server) seeds nothing twice. */
    seedKey: { type: String, default: null },
    retired: { type: Boolean, default: false },
    position: { type: Number, default: 0 },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const Evidence = model('Evidence', evidenceSchema);

/** Analysis sent in by anyone, waiting for a moderator. `email` is private: staff only. */
const submissionSchema = new Schema(
  {
    title: { type: String, required: true },
    summary: { type: String, required: true },
    url: { type: String, default: null },
    author: { type: String, default: null },
    email: { type: String, default: null },
    submitter: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    status: { type: String, required: true, enum: REVIEW_STATES, default: 'pending' },
    reason: { type: String, default: null },
    evidence: { type: Schema.Types.ObjectId, default: null, ref: 'Evidence' },
    /** Words screening would hold, for the moderator who reads it. */
    heldFor: { type: [String], default: [] },
    createdAt: { type: Date, required: true, default: () => new Date() },
    decidedAt: { type: Date, default: null },
  },
  { versionKey: false },
);

export const EvidenceSubmission = model('EvidenceSubmission', submissionSchema);

/** An organisation asking to join the campaign. `email` is private: staff only. */
const organisationRequestSchema = new Schema(
  {
    name: { type: String, required: true },
    website: { type: String, default: null },
    contact: { type: String, required: true },
    email: { type: String, required: true },
    statement: { type: String, required: true },
    requester: { type: Schema.Types.ObjectId, required: true, ref: 'User' },
    status: { type: String, required: true, enum: REVIEW_STATES, default: 'pending' },
    reason: { type: String, default: null },
    organisation: { type: String, default: null },
    /** Words screening would hold, for the moderator who reads it. */
    heldFor: { type: [String], default: [] },
    createdAt: { type: Date, required: true, default: () => new Date() },
    decidedAt: { type: Date, default: null },
  },
  { versionKey: false },
);

export const OrganisationRequest = model('OrganisationRequest', organisationRequestSchema);
