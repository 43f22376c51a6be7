import type { SessionUser } from '../../realtime/schemas/common.js';
import type { BoardSettings } from './board-settings.js';
import { HttpError } from '../platform/errors.js';
import type { Limits } from '../platform/limits.js';

/** A live session's say on a vote cast with its code (the conference's sessions answer it). */
export interface SessionVoting {
  requireVoting(code: string, ideaId: string, voter: SessionUser, retract?: boolean): void;
}

/**
 * Whether a vote may be cast or withdrawn, before it reaches the ledger: the limits per account and
 * per address; in a live session, its state and who it lets vote; on the board, the board's switch.
 */
export class VotingRules {
  constructor(
    private readonly settings: BoardSettings,
    private readonly sessions: SessionVoting,
    private readonly limits: Limits,
  ) {}

  async check(voter: SessionUser, address: string | null, ideaId: string, code: string | undefined, retract = false): Promise<void> {
    await this.limits.take('votesPerAccount', voter.id);
    await this.limits.take('votesPerAddress', address);
    if (code) return this.sessions.requireVoting(code, ideaId, voter, retract);
    if (voter.kind !== 'member' && (await this.settings.voting()) === 'members') {
      throw new HttpError('FORBIDDEN', 'Votes on the board count from members only just now: sign up or sign in to vote.');
    }
  }
}
