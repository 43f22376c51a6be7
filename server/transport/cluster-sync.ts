import { randomUUID } from 'node:crypto';
import type { VoteFlagView } from '../../realtime/schemas/moderation.js';
import type { AheadMove, DiscussionSync, InterServerEvents, NotificationEntry, RoomVoteMove, SyncedIdea, VoidMove, VoteMove } from '../../realtime/events.js';
import type { PersonHints } from '../platform/person-hints.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import type { VoteLedger } from '../board/vote-ledger.js';
import type { Subscriber } from '../platform/bus.js';
import { log } from '../platform/log.js';
import type { DomainEvents } from './domain-events.js';
import type { BoardIo } from './io.js';

type BoardSync = Parameters<InterServerEvents['board:sync']>[0];
type LiveSync = Parameters<InterServerEvents['live:sync']>[0];

/** What follows the other servers' news besides the board: the discussion, the conference's sessions and the organisations. */
export interface ClusterFollowers {
  discussion: { follow(message: DiscussionSync): void };
  conference: { follow(code: string, event: LiveSync['event'], removed?: boolean): Promise<void> };
  rooms: { follow(move: RoomVoteMove): void };
  organisations: { reload(): Promise<void> };
  screening: { reload(): Promise<void> };
  settings: { forget(): void };
  flags: { follow(flag: VoteFlagView, network: string | null): void; networkOf(flagId: string): string | null };
  suspensions: { follow(message: Parameters<InterServerEvents['suspensions:sync']>[0]): void };
  /** `reload` reads again who may have what (the facts behind the hints), after a Redis gap. */
  hints: Pick<PersonHints, 'follow'> & { reload(): Promise<void> };
  notifications: { follow(entries: NotificationEntry[]): void; load(): Promise<void> };
}

/** A vote another server counted ahead of its store, counted here too until its outcome arrives. */
interface RemoteAhead {
  ideaId: string;
  holder: string;
  delta: 1 | -1;
  at: number;
}

/** No vote's store takes this long (acks give up after 10 s): a count ahead whose outcome never came is dropped. */
const AHEAD_EXPIRES_MS = 30_000;

/**
 * With several servers, each tells the others through the adapter what it changed: ideas, the
 * discussion, live session controls and organisations at once, the votes it counts as they come in,
 * and the votes it stored or withdrew as each batch settles, so every server's state follows every
 * fact. Broadcasts to rooms need none of this (the adapter carries them); it keeps each server's
 * memory in step.
 */
export class ClusterSync {
  private moves: VoteMove[] = [];
  private roomMoves: RoomVoteMove[] = [];
  private aheads: AheadMove[] = [];
  /** This server, as the others know the votes it counts ahead. */
  private readonly id = randomUUID();
  /** By server, idea and voter: votes the others counted ahead that count here too. */
  private readonly remoteAheads = new Map<string, RemoteAhead>();

  constructor(
    private readonly io: BoardIo,
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
    bus: Subscriber<DomainEvents>,
    private readonly followers: ClusterFollowers,
  ) {
    bus.on('idea:created', ({ idea }) => this.share({ ideas: [idea] }));
    bus.on('idea:restored', ({ idea }) => this.share({ ideas: [idea] }));
    bus.on('idea:edited', ({ idea }) => this.share({ edited: [idea] }));
    bus.on('idea:removed', ({ idea }) => this.share({ removed: [idea.id] }));
    // The moves settled together (a stored batch) go out together, before their acks: a server that
    // dies, even killed, has told the others of every vote it acknowledged.
    bus.on('vote:moved', (move) => {
      if (this.moves.push(move) === 1) queueMicrotask(() => this.flushVotes());
    });
    // Votes counted as they come in go out once per turn of the event loop: the others' screens see a
    // vote as soon as this server's do, without waiting for its store.
    bus.on('room:voted', (move) => this.roomMoves.push(move));
    bus.on('vote:ahead', (ahead) => {
      if (this.aheads.push(ahead) === 1) setImmediate(() => this.flushVotes());
    });
    bus.on('idea:merged', ({ idea, into }) => this.discussion({ kind: 'merge', ideaId: idea.id, into: into.id }));
    bus.on('idea:unmerged', ({ ideaId, idea }) => this.discussion({ kind: 'unmerge', ideaId, idea }));
    bus.on('idea:status', ({ idea, status }) => this.discussion({ kind: 'status', ideaId: idea.id, status }));
    bus.on('comment:up', ({ comment }) => this.discussion({ kind: 'comment', comment }));
    bus.on('comment:down', ({ comment }) => this.discussion({ kind: 'comment-removed', commentId: comment.id }));
    bus.on('comment:author', ({ commentId, authorId }) => this.discussion({ kind: 'author', commentId, authorId }));
    bus.on('person:noted', (hint) => io.serverSideEmit('hints:sync', hint));
    bus.on('notifications:stored', (entries) => io.serverSideEmit('notifications:sync', entries));
    bus.on('helpful:moved', ({ commentId, markerId, delta }) => this.discussion({ kind: 'helpful', commentId, markerId, delta }));
    bus.on('live:changed', ({ code, event, removed }) => io.serverSideEmit('live:sync', { code, event, ...(removed ? { removed } : {}) }));
    bus.on('organisations:changed', () => io.serverSideEmit('organisations:sync'));
    bus.on('screening:changed', () => io.serverSideEmit('screening:sync'));
    bus.on('settings:changed', () => io.serverSideEmit('settings:sync'));
    bus.on('votes:voided', (move) => this.share({ voids: [move] }));
    const flag = ({ flag }: { flag: VoteFlagView }) => io.serverSideEmit('flags:sync', { flag, network: followers.flags.networkOf(flag.id) });
    bus.on('flag:raised', flag);
    bus.on('flag:changed', flag);
    bus.on('suspension:added', (record) => io.serverSideEmit('suspensions:sync', { added: record }));
    bus.on('suspension:lifted', ({ id }) => io.serverSideEmit('suspensions:sync', { lifted: id }));

    io.on('board:sync', (payload) => this.receive(payload));
    io.on('notifications:sync', (entries) => followers.notifications.follow(entries));
    io.on('hints:sync', ({ kind, personIds }) => {
      for (const id of personIds) followers.hints.follow(kind, id);
    });
    io.on('discussion:sync', (message) => {
      if (message.kind === 'status') this.state.setStatus(message.ideaId, message.status);
      else if (message.kind === 'merge') this.ledger.merge(message.ideaId, message.into);
      else if (message.kind === 'unmerge') this.ledger.unmerge(message.ideaId, message.idea);
      else followers.discussion.follow(message);
    });
    io.on('flags:sync', ({ flag, network }) => followers.flags.follow(flag, network));
    io.on('live:sync', ({ code, event, removed }) => void followers.conference.follow(code, event ?? null, removed === true));
    io.on('suspensions:sync', (message) => followers.suspensions.follow(message));
    io.on('organisations:sync', () => void followers.organisations.reload().catch((error: unknown) => log.error({ err: error }, 'reading the organisations again failed')));
    io.on('settings:sync', () => followers.settings.forget());
    io.on('screening:sync', () => void followers.screening.reload().catch((error: unknown) => log.error({ err: error }, 'reading the screening terms again failed')));
  }

  /**
   * Redis is back after a gap: what the other servers said meanwhile is lost, so this server reads it
   * from the database (ideas, counts, organisations, screening terms, the board's switches,
   * notifications, who may have what), now and once more a few seconds later, for votes other servers stored while their
   * own clients were still reconnecting. `caughtUp` hears what changed, for this server's screens.
   */
  resync(caughtUp: (changes: { added: IdeaEntry[]; removed: IdeaEntry[] }) => void, againAfterMs = 5_000): void {
    const once = async () => {
      // Outcomes of the gap are lost: counts ahead of other servers would never be taken back.
      this.dropRemoteAheads();
      this.followers.settings.forget();
      const changes = await this.ledger.catchUp();
      await Promise.all([this.followers.organisations.reload(), this.followers.screening.reload(), this.followers.notifications.load(), this.followers.hints.reload()]);
      log.info({ added: changes.added.length, removed: changes.removed.length, corrected: changes.corrected }, 'caught up with the other servers');
      caughtUp(changes);
    };
    const run = () => void once().catch((error: unknown) => log.error({ err: error }, 'catching up with the other servers failed'));
    run();
    setTimeout(run, againAfterMs).unref();
  }

  /**
   * Watches how many servers share the adapter (Redis's count of subscribers to its channel). When
   * one leaves, killed perhaps, votes it stored but never settled are unknown here: this server
   * recounts, and again after 1, 2, 4, 8 and 16 s while votes kept moving during the last recount
   * (those ideas it left alone). Returns what stops the watching.
   */
  watchServers(everyMs = 1_000): () => void {
    let last: number | null = null;
    let recounting = false;
    const recount = async () => {
      recounting = true;
      try {
        for (let round = 0; round < 6; round++) {
          const corrected = await this.ledger.reconcile();
          log.info({ corrected, left: this.ledger.leftByLastRecount }, 'recounted after a server left');
          if (this.ledger.leftByLastRecount === 0) return;
          await new Promise((resolve) => setTimeout(resolve, everyMs * 2 ** round));
        }
      } finally {
        recounting = false;
      }
    };
    const timer = setInterval(() => {
      this.dropRemoteAheads(Date.now() - AHEAD_EXPIRES_MS);
      void (this.io.of('/').adapter as unknown as { serverCount(): Promise<number> })
        .serverCount()
        .then((count) => {
          if (last !== null && count < last && !recounting) {
            log.warn({ servers: count, before: last }, 'a server left: recounting the votes');
            // Which server left is not said: the counts ahead of every other server go; moves still to come count them again.
            this.dropRemoteAheads();
      this.followers.settings.forget();
            void recount().catch((error: unknown) => log.error({ err: error }, 'recounting after a server left failed'));
          }
          last = count;
        })
        .catch(() => undefined);
    }, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Sends the votes moved since the last call (the tally ticker calls it too, at every tick). */
  flushVotes(): void {
    if (this.moves.length === 0 && this.aheads.length === 0 && this.roomMoves.length === 0) return;
    this.share({ votes: this.moves, ahead: this.aheads, rooms: this.roomMoves });
    this.moves = [];
    this.aheads = [];
    this.roomMoves = [];
  }

  /** Drops the counts ahead of other servers: all of them (a server left, Redis was away), or those older than `before`. */
  dropRemoteAheads(before = Number.POSITIVE_INFINITY): void {
    for (const [key, ahead] of this.remoteAheads) if (ahead.at < before) this.release(key);
  }

  private release(key: string): void {
    const ahead = this.remoteAheads.get(key);
    if (!ahead) return;
    this.remoteAheads.delete(key);
    this.ledger.dropAhead(ahead.ideaId, ahead.holder, ahead.delta);
  }

  private share({
    ideas = [],
    edited = [],
    removed = [],
    votes = [],
    voids,
    ahead = [],
    rooms = [],
  }: {
    ideas?: IdeaEntry[];
    edited?: IdeaEntry[];
    removed?: string[];
    votes?: VoteMove[];
    voids?: VoidMove[];
    ahead?: AheadMove[];
    rooms?: RoomVoteMove[];
  }): void {
    this.io.serverSideEmit('board:sync', {
      ideas: ideas.map(synced),
      edited: edited.map(synced),
      removed,
      votes,
      ...(voids ? { voids } : {}),
      ...(ahead.length > 0 ? { ahead } : {}),
      ...(rooms.length > 0 ? { rooms } : {}),
      from: this.id,
    });
  }

  private discussion(message: DiscussionSync): void {
    this.io.serverSideEmit('discussion:sync', message);
  }

  private receive(payload: BoardSync): void {
    // An idea new to this server may be one put back after hiding: its votes are in the ballots.
    for (const idea of payload.ideas) {
      // A duplicate merged into another idea stays off the board until it is unmerged.
      if (this.state.isMerged(idea.id)) continue;
      if (this.state.get(idea.id)) this.state.upsertIdea(idea);
      else this.ledger.restoreIdea(idea);
    }
    // A rewording must not bring back an idea this server has since seen taken down.
    for (const idea of payload.edited ?? []) if (this.state.get(idea.id)) this.state.upsertIdea(idea);
    for (const ideaId of payload.removed ?? []) this.state.removeIdea(ideaId);
    const from = payload.from ?? '';
    for (const ahead of payload.ahead ?? []) {
      const key = `${from}:${ahead.ideaId}:${ahead.voterId}`;
      if (ahead.undo) this.release(key);
      else if (!this.remoteAheads.has(key)) {
        const holder = this.ledger.countAhead(ahead.ideaId, ahead.voterId, ahead.delta);
        if (holder !== null) this.remoteAheads.set(key, { ideaId: ahead.ideaId, holder, delta: ahead.delta, at: Date.now() });
      }
    }
    // A stored vote replaces its count ahead. (A server sends a vote's count ahead and its move in that order.)
    for (const move of payload.votes) {
      if (this.remoteAheads.size > 0) this.release(`${from}:${move.ideaId}:${move.voterId}`);
      this.ledger.apply(move);
    }
    // After the votes of the same message: a void may be of a vote just heard of.
    for (const move of payload.voids ?? []) this.ledger.applyVoids(move);
    for (const move of payload.rooms ?? []) this.followers.rooms.follow(move);
  }
}

const synced = ({ id, area, title, body, author, status, createdAt }: IdeaEntry): SyncedIdea => ({ id, area, title, body, author, status, createdAt });
