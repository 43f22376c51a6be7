import { timingSafeEqual } from 'node:crypto';
import { sha256 } from '@oslojs/crypto/sha2';
import type { NewSession } from '../../realtime/commands.js';
import type { SessionUser } from '../../realtime/schemas/common.js';
import { HttpError } from '../platform/errors.js';
import { RateLimiter } from '../platform/rate-limit.js';
import type { SessionService } from './sign-in-sessions.js';

const SIGN_INS_PER_WINDOW = 5;
/**
 * Failed sign-ins per network: new guest sessions are free, so a per-person limit alone would not slow
 * guessing; counted for everyone together, a stranger could lock every facilitator out.
 */
const FAILED_SIGN_INS_PER_WINDOW = 50;
const WINDOW_MS = 10 * 60 * 1000;
const NO_NETWORK = '-';

/** The conference day's quick staff sign-in: typed at /moderate, it makes that browser's session a facilitator's. */
export class FacilitatorCode {
  private readonly signIns = new RateLimiter(SIGN_INS_PER_WINDOW, WINDOW_MS);
  private readonly failedSignIns = new RateLimiter(FAILED_SIGN_INS_PER_WINDOW, WINDOW_MS);
  private readonly codeDigest: Uint8Array;

  constructor(
    private readonly sessions: SessionService,
    code: string,
  ) {
    this.codeDigest = digest(code);
  }

  async signIn(code: string, user: SessionUser, oldToken: string | null, network: string | null = null): Promise<NewSession> {
    const from = network ?? NO_NETWORK;
    if (this.signIns.take(user.id) > 0 || this.failedSignIns.wait(from) > 0) {
      throw new HttpError('RATE_LIMITED', 'Too many tries just now. Wait ten minutes, or ask the organisers for the code.');
    }
    if (!timingSafeEqual(digest(code), this.codeDigest)) {
      this.failedSignIns.take(from);
      throw new HttpError('FORBIDDEN', 'That is not the facilitator code.');
    }
    return this.sessions.promoteToFacilitator(user.id, oldToken);
  }

  sweep(): void {
    this.signIns.sweep();
    this.failedSignIns.sweep();
  }
}

function digest(text: string): Uint8Array {
  return sha256(new TextEncoder().encode(text));
}
