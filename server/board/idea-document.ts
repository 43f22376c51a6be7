import type { SyncedIdea } from '../../realtime/events.js';
import type { AreaSlug, IdeaProgress } from '../../realtime/vocabulary.js';
import type { PersonHints } from '../platform/person-hints.js';

/** What of an idea document the board keeps. */
export const IDEA_FIELDS = { area: 1, title: 1, body: 1, authorName: 1, authorOrganisation: 1, createdAt: 1, progress: 1, mergedInto: 1 } as const;

interface IdeaFields {
  _id: { toString(): string };
  area: string;
  title: string;
  body?: string | null;
  authorName?: string | null;
  authorOrganisation?: string | null;
  progress?: string | null;
  createdAt: Date;
}

/** An idea document as the board and the other servers hold it. */
export function syncedIdea(doc: IdeaFields): SyncedIdea & { status: IdeaProgress } {
  return {
    id: doc._id.toString(),
    area: doc.area as AreaSlug,
    title: doc.title,
    body: doc.body ?? '',
    author: { name: doc.authorName ?? null, organisation: doc.authorOrganisation ?? null },
    status: (doc.progress ?? 'new') as IdeaProgress,
    createdAt: doc.createdAt.getTime(),
  };
}

/** What an idea document tells of its author: they posted an idea, and it may be off the board. */
export function followIdeaHints(hints: Pick<PersonHints, 'follow'>, doc: { author: { toString(): string }; status: string }): void {
  const author = doc.author.toString();
  hints.follow('idea-author', author);
  if (doc.status === 'pending' || doc.status === 'hidden') hints.follow('idea-off-board', author);
}
