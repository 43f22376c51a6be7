import type { InterServerEvents, SyncedIdea, VoteMove } from '../../realtime/events.js';
import type { BoardState, IdeaEntry } from '../board/board-state.js';
import type { BoardIo } from './io.js';
import type { VoteLedger } from '../board/vote-ledger.js';

type BoardSync = Parameters<InterServerEvents['board:sync']>[0];

/**
 * With several servers, each tells the others through the adapter what it changed on the board:
 * ideas at once, and the votes it stored or withdrew once per tally step, so every server's board
 * and ballots follow every vote.
 */
export class ClusterSync {
  private moves: VoteMove[] = [];

  constructor(
    private readonly io: BoardIo,
    private readonly state: BoardState,
    private readonly ledger: VoteLedger,
  ) {
    io.on('board:sync', (payload) => this.receive(payload));
  }

  share({ ideas = [], edited = [], removed = [], votes = [] }: { ideas?: IdeaEntry[]; edited?: IdeaEntry[]; removed?: string[]; votes?: VoteMove[] }): void {
    this.io.serverSideEmit('board:sync', { ideas: ideas.map(synced), edited: edited.map(synced), removed, votes });
  }

  voteMoved(move: VoteMove): void {
    this.moves.push(move);
  }

  /** Sends the votes moved since the last call: the tally ticker calls this at every step. */
  flushVotes(): void {
    if (this.moves.length === 0) return;
    this.share({ votes: this.moves });
    this.moves = [];
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
    for (const move of payload.votes) this.ledger.apply(move);
  }
}

const synced = ({ id, area, title, body, author, status, createdAt }: IdeaEntry): SyncedIdea => ({ id, area, title, body, author, status, createdAt });
