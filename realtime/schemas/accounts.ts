/** Sign-in, accounts, profiles and the admin view of users. */

import { z } from 'zod';
import { NAME_MAX, PASSWORD_MAX, PASSWORD_MIN, ROLES, STAKEHOLDER_SLUGS } from '../vocabulary.js';
import { cleanText, objectId } from './common.js';

export const facilitatorSignIn = z.object({
  code: z.string({ message: 'code is required' }).trim().min(1, 'code is required').max(200, 'code is too long'),
});

export const email = z
  .string({ message: 'email is required' })
  .trim()
  .toLowerCase()
  .max(254, 'email is too long')
  .pipe(z.email({ message: 'that does not look like an e-mail address' }));

/** Length only: the server also refuses the commonest passwords, from a list too long to send to browsers. */
export const password = z
  .string({ message: 'password is required' })
  .min(PASSWORD_MIN, `password needs at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `password must be at most ${PASSWORD_MAX} characters`);

export const displayName = cleanText('name', NAME_MAX, 1, true);

export const signupInput = z.object({ email, password, name: displayName });

export const signinInput = z.object({ email, password: z.string({ message: 'password is required' }).min(1, 'password is required').max(PASSWORD_MAX) });

export const passwordChange = z.object({ current: z.string({ message: 'current password is required' }).min(1, 'current password is required').max(PASSWORD_MAX), password });

export const resetRequest = z.object({ email });

export const tokenInput = z.object({ token: z.string({ message: 'the link is incomplete' }).regex(/^[a-z2-7]{32}$/, 'the link is incomplete: open it from the e-mail') });

export const resetInput = tokenInput.extend({ password });

export const stakeholderGroup = z.enum(STAKEHOLDER_SLUGS, { message: 'group must be one of: ' + STAKEHOLDER_SLUGS.join(', ') });

export const profileChange = z
  .object({ name: displayName.optional(), anonymous: z.boolean({ message: 'anonymous must be true or false' }).optional(), group: stakeholderGroup.nullable().optional() })
  .refine((v) => v.name !== undefined || v.anonymous !== undefined || v.group !== undefined, { message: 'nothing to change: send name, anonymous or group' });
export type ProfileChange = z.infer<typeof profileChange>;

export const organisationSlug = z.string({ message: 'organisation is required' }).regex(/^[a-z0-9-]{1,60}$/, 'not an organisation of the campaign');

export const affiliationInput = z.object({ organisation: organisationSlug });

export const organisationView = z.object({ slug: z.string(), name: z.string(), about: z.string(), website: z.string().nullable() });
export type OrganisationView = z.infer<typeof organisationView>;

export const profileView = z.object({
  id: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  name: z.string(),
  /** Post without the name by default: ideas then say "Anonymous participant" (staff still see who). */
  anonymous: z.boolean(),
  group: stakeholderGroup.nullable(),
  role: z.enum(ROLES),
  organisation: organisationView.nullable(),
  /** An affiliation this person asked for, waiting for an admin. */
  requested: organisationView.nullable(),
});
export type ProfileView = z.infer<typeof profileView>;

export const adminUsersQuery = z.object({ q: z.string().trim().max(100, 'q must be at most 100 characters').default('') });

export const roleChange = z.object({ userId: objectId, role: z.enum(ROLES, { message: 'role must be one of: ' + ROLES.join(', ') }) });

export const affiliationDecision = z.object({ userId: objectId, decision: z.enum(['approve', 'decline'], { message: 'decision must be approve or decline' }) });

export const adminUserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  group: stakeholderGroup.nullable(),
  organisation: organisationView.nullable(),
  requested: organisationView.nullable(),
  createdAt: z.string(),
});
export type AdminUserView = z.infer<typeof adminUserView>;
