import { Types } from 'mongoose';
import type { UserKind } from '../../realtime/vocabulary.js';
import type { SessionUser } from '../../realtime/schemas/common.js';

/** Who does something, as services see a caller: the person, and where they are (for limits and provenance). */
export interface Actor {
  user: SessionUser;
  address: string | null;
  network: string | null;
}

/**
 * Where a fact (a vote, a report, an idea, a comment) came from, stored with it: the network (a keyed
 * hash, never the address), the kind of session, and how old the person's identity was. A guest's
 * identity is made with its session, so for guests this is the session's age; members count as
 * members whatever their session's age.
 */
export interface Provenance {
  network: string | null;
  kind: UserKind;
  /** Milliseconds since the person's identity (for a guest, their session) was made. */
  age: number;
}

/** An id made by the database holds the moment it was made: the identity's age needs no read. */
export function provenance(user: { id: string; kind: UserKind }, network: string | null, now = Date.now()): Provenance {
  return { network, kind: user.kind, age: Math.max(0, now - new Types.ObjectId(user.id).getTimestamp().getTime()) };
}

/** The provenance of what an actor does now. */
export const originOf = (actor: Actor): Provenance => provenance(actor.user, actor.network);
