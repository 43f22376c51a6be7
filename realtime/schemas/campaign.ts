/** The campaign: evidence, submissions, supporting organisations, the conference page. */

import { z } from 'zod';
import { AREA_SLUGS, EVIDENCE_KIND_SLUGS, REVIEW_STATES } from '../vocabulary.js';
import { areaSlug, cleanText, objectId, wholeNumber } from './common.js';
import { email, organisationSlug, organisationView } from './accounts.js';

/** A link people may follow: http(s) only, so a `javascript:` or `data:` address is never a link. */
export const webLink = z
  .string({ message: 'link must be text' })
  .trim()
  .max(500, 'link must be at most 500 characters')
  .refine((v) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(v), { message: 'link must start with http:// or https://' });

const optionalLink = z.preprocess((v) => (v === '' || v === null ? undefined : v), webLink.optional());

const optionalEmail = z.preprocess((v) => (v === '' || v === null ? undefined : v), email.optional());

const text = (field: string, max: number, min = 1) => cleanText(field, max, min, false);

const line = (field: string, max: number, min = 1) => cleanText(field, max, min, true);

const evidenceKind = z.enum(EVIDENCE_KIND_SLUGS, { message: 'kind must be one of: ' + EVIDENCE_KIND_SLUGS.join(', ') });

const year = wholeNumber('year').pipe(z.number().min(1900, 'year is too early').max(2100, 'year is too late'));

export const evidenceQuery = z.object({ area: areaSlug.optional() });

export const evidenceInput = z.object({
  headline: line('headline', 160, 3),
  summary: text('summary', 1200, 10),
  source: z.object({
    organisation: line('source organisation', 120),
    title: line('source title', 200),
    year: year.nullable().optional(),
    url: optionalLink,
  }),
  areas: z.array(areaSlug).min(1, 'choose at least one challenge').max(5),
  kind: evidenceKind,
});
export type EvidenceInput = z.infer<typeof evidenceInput>;

export const evidenceEdit = z.object({ evidenceId: objectId }).and(evidenceInput.partial());

export const evidenceTarget = z.object({ evidenceId: objectId });

export const evidenceItem = z.object({
  id: z.string(),
  headline: z.string(),
  summary: z.string(),
  source: z.object({ organisation: z.string(), title: z.string(), year: z.number().nullable(), url: z.string().nullable() }),
  areas: z.array(areaSlug),
  kind: evidenceKind,
  /** For analysis sent in by the public and published by staff: who made it, as they gave it. */
  submittedBy: z.string().nullable(),
  retired: z.boolean(),
  createdAt: z.string(),
});
export type EvidenceItem = z.infer<typeof evidenceItem>;

/** "Send us your analysis": markup stays text; the e-mail is for staff only, never shown publicly. */
export const submissionInput = z.object({
  title: line('title', 200, 3),
  summary: text('summary', 2000, 10),
  url: optionalLink,
  author: z.preprocess((v) => (v === '' || v === null ? undefined : v), line('who made it', 120).optional()),
  email: optionalEmail,
});

export const submissionTarget = z.object({ submissionId: objectId });

/** The challenges the published item bears on: its area pages show it beside their ideas. */
export const submissionPublish = submissionTarget.extend({ areas: z.array(areaSlug).max(AREA_SLUGS.length).default([]) });

export const submissionDecline = submissionTarget.extend({ reason: text('reason', 500, 3) });

/** What the person who sent it sees: never the e-mail. */
export const submissionView = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  url: z.string().nullable(),
  author: z.string().nullable(),
  status: z.enum(REVIEW_STATES),
  /** Why staff declined it: the submitter sees it. */
  reason: z.string().nullable(),
  evidenceId: z.string().nullable(),
  createdAt: z.string(),
});
export type SubmissionView = z.infer<typeof submissionView>;

/** What staff see: the private contact e-mail too. */
/** `heldFor`: words word screening would hold, for the moderator who reads it. */
export const submissionStaffView = submissionView.extend({ email: z.string().nullable(), heldFor: z.array(z.string()) });

export const supporterView = organisationView.extend({ joinedAt: z.string() });

export const organisationRequestInput = z.object({
  name: line('organisation name', 120, 2),
  website: optionalLink,
  contact: line('contact person', 120, 2),
  email,
  statement: text('statement of support', 2000, 10),
});

export const organisationRequestTarget = z.object({ requestId: objectId });

export const organisationRequestDecline = organisationRequestTarget.extend({ reason: text('reason', 500, 3).optional() });

export const organisationEdit = z.object({ slug: organisationSlug, about: line('about', 300, 3).optional(), website: optionalLink.nullable() });

/** What the requester sees back: no e-mail. */
export const organisationRequestView = z.object({ id: z.string(), name: z.string(), website: z.string().nullable(), status: z.enum(REVIEW_STATES), createdAt: z.string() });

/** What staff see. */
export const organisationRequestStaffView = organisationRequestView.extend({ contact: z.string(), email: z.string(), statement: z.string(), reason: z.string().nullable(), heldFor: z.array(z.string()) });

export const conferenceInfo = z.object({
  /** When and where, as staff write them ("Saturday 11 July 2026"), so any format reads right. */
  date: z.string(),
  place: z.string(),
  about: z.string(),
});

export const conferenceEdit = z.object({ date: line('date', 120), place: line('place', 200), about: text('about', 2000, 10) }).partial().refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });
