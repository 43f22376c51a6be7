import type { Role } from '$realtime/vocabulary';

/** Each role as people read it, with what it adds, for the admin page's select and the header. */
export const ROLE_LABELS: Record<Role, { name: string; powers: string }> = {
  participant: { name: 'Participant', powers: 'posts, votes and reports' },
  moderator: { name: 'Moderator', powers: 'also works the reports queue and hides or puts back ideas' },
  facilitator: { name: 'Facilitator', powers: 'also runs live sessions and the big screen' },
  admin: { name: 'Admin', powers: 'also manages people, roles and organisations' },
};
