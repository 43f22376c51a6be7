import type { PersonHint } from '../../realtime/events.js';
import type { Publisher } from './bus.js';

export type HintKind = PersonHint['kind'];

/** A hint noted on this server, for the others (cluster-sync.ts carries it). */
export interface HintEvents {
  'person:noted': PersonHint;
}

/**
 * Who may have facts of a kind: posted an idea, has one off the board, reported one, has a comment off
 * its page. Pages ask for the reader's own on every view by anyone with a session, and FerretDB v1 reads
 * a whole collection for any filter but `_id` (about 80 µs a document: 1.6 s at 20,000 comments); with
 * these, the database is asked only when there can be an answer. Every server holds the same sets:
 * read at start with the collections, noted where the fact happens, and passed to the others. They
 * only grow: a fact gone since costs one read that finds nothing.
 */
export class PersonHints {
  private readonly sets = new Map<HintKind, Set<string>>();

  constructor(private readonly events: Publisher<HintEvents>) {}

  /** Facts of this kind happened here: the other servers hear of those new to the set, in one message. */
  note(kind: HintKind, personIds: readonly string[]): void {
    const fresh = personIds.filter((id) => !this.may(kind, id));
    if (fresh.length === 0) return;
    for (const id of fresh) this.follow(kind, id);
    this.events.publish('person:noted', { kind, personIds: fresh });
  }

  /** Read at start, or heard from another server. */
  follow(kind: HintKind, personId: string): void {
    let set = this.sets.get(kind);
    if (!set) this.sets.set(kind, (set = new Set()));
    set.add(personId);
  }

  may(kind: HintKind, personId: string): boolean {
    return this.sets.get(kind)?.has(personId) ?? false;
  }

  /** A guest became a member: whatever the guest may have, the member may now. */
  transfer(guestId: string, memberId: string): void {
    for (const [kind, set] of this.sets) if (set.has(guestId)) this.note(kind, [memberId]);
  }
}
