import { ANONYMOUS } from '$realtime/vocabulary';
import type { Byline } from '$realtime/schemas/common';

/** "Name · Organisation", or the anonymous label when the author gave no name. */
export function bylineText(author: Byline): string {
  if (!author.name) return ANONYMOUS;
  return author.organisation ? `${author.name} · ${author.organisation}` : author.name;
}
