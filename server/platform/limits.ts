import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { createClient } from 'redis';
import { NEW_IDEAS_PER_WINDOW, NEW_IDEAS_WINDOW_MS } from '../../realtime/vocabulary.js';
import { HttpError } from './errors.js';

type RedisClient = ReturnType<typeof createClient>;

interface Rule {
  /** How many in `seconds`, per key. */
  points: number;
  seconds: number;
  /** Finishes "…, try again in N seconds." */
  refusal: string;
}

/**
 * Per account, per address and per network (platform/network.ts). A hall of phones shares one address
 * behind its wifi, so limits per address or network are wide where a hall acts together (voting,
 * joining, posting over a session) and tight where one person does (signing up, asking for reset
 * links). Writes anyone can make with a fresh guest cookie (guest sessions, ideas, comments, reports)
 * have a second, short window per network: a hall's rate over minutes, but no script's burst.
 */
export const RULES = {
  signinPerAddress: { points: 60, seconds: 15 * 60, refusal: 'Too many sign-in attempts from your network' },
  /**
   * Failed sign-ins, counted per e-mail address and network (`email|network`) and per e-mail address
   * alone: they slow the next answers, never refuse them, so a stranger elsewhere cannot lock the real
   * person out (accounts.ts signinDelayMs).
   */
  signinFailures: { points: 100_000, seconds: 60 * 60, refusal: 'Too many failed sign-ins' },
  /** Wrong current passwords when changing one: a stolen session must not make it an oracle. */
  passwordChecksPerAccount: { points: 5, seconds: 15 * 60, refusal: 'Too many wrong current passwords' },
  signupPerAddress: { points: 20, seconds: 60 * 60, refusal: 'Too many new accounts from your network' },
  /** Each sign-up sends the address an e-mail, whether or not it has an account. */
  signupPerEmail: { points: 3, seconds: 60 * 60, refusal: 'We have sent this address several e-mails already' },
  resetPerEmail: { points: 3, seconds: 60 * 60, refusal: 'We have sent this address several links already' },
  resetPerAddress: { points: 20, seconds: 60 * 60, refusal: 'Too many reset requests from your network' },
  ideasPerAccount: { points: NEW_IDEAS_PER_WINDOW, seconds: NEW_IDEAS_WINDOW_MS / 1000, refusal: `You can put forward ${NEW_IDEAS_PER_WINDOW} ideas every ${NEW_IDEAS_WINDOW_MS / 60_000} minutes` },
  ideasPerNetwork: { points: 600, seconds: 10 * 60, refusal: 'Many ideas have come from your network just now' },
  ideasBurstPerNetwork: { points: 30, seconds: 10, refusal: 'Many ideas have come from your network in the last few seconds' },
  /** Analysis sent in and requests to join: each lands in the staff queue, read by people. */
  campaignFormsPerAccount: { points: 10, seconds: 60 * 60, refusal: 'You have sent us a lot in the last hour' },
  campaignFormsPerAddress: { points: 100, seconds: 60 * 60, refusal: 'Many forms have come from your network in the last hour' },
  /** Comments and their reports: each can reach every open idea page, and reports reach staff. */
  commentsPerAccount: { points: 10, seconds: 10 * 60, refusal: 'You have commented a lot in the last ten minutes' },
  commentsPerNetwork: { points: 3_000, seconds: 10 * 60, refusal: 'Many comments have come from your network just now' },
  commentsBurstPerNetwork: { points: 50, seconds: 10, refusal: 'Many comments have come from your network in the last few seconds' },
  commentReportsPerAccount: { points: 20, seconds: 10 * 60, refusal: 'You have reported a lot in a short time' },
  /** Reports of ideas and comments together. */
  reportsPerNetwork: { points: 600, seconds: 10 * 60, refusal: 'Many reports have come from your network just now' },
  reportsBurstPerNetwork: { points: 30, seconds: 10, refusal: 'Many reports have come from your network in the last few seconds' },
  /** 2,000 phones joining a hall within minutes must all get in; a script rotating cookies must not get thousands. */
  guestSessionsPerNetwork: { points: 5_000, seconds: 10 * 60, refusal: 'Many people have joined from your network just now' },
  guestSessionsBurstPerNetwork: { points: 1_000, seconds: 10, refusal: 'Many people have joined from your network in the last few seconds' },
  helpfulPerAccount: { points: 300, seconds: 60, refusal: 'That is a lot of helpful marks in a minute' },
  /**
   * Looking up a live session by code (a page or a socket joining): a hall of 2,000 phones loads the page,
   * joins and rejoins within minutes from one network; codes that find no session (guesses, drafts) are
   * counted apart and far fewer, so finding a draft or an archived session by guessing takes years.
   */
  liveLookupsPerNetwork: { points: 12_000, seconds: 10 * 60, refusal: 'Many people have joined sessions from your network just now' },
  liveMissesPerNetwork: { points: 500, seconds: 10 * 60, refusal: 'Too many session codes that do not exist have been tried from your network' },
  votesPerAccount: { points: 300, seconds: 60, refusal: 'That is a lot of votes in a minute' },
  votesPerAddress: { points: 120_000, seconds: 60, refusal: 'Too many votes from your network' },
} satisfies Record<string, Rule>;

export type RuleName = keyof typeof RULES;

/**
 * Rate limits with rate-limiter-flexible: in this process's memory alone, in Redis with several
 * servers (the Socket.IO adapter's), so a limit holds whichever server a request reaches; the memory
 * limiter stands in should Redis fail.
 */
export class Limits {
  private readonly limiters = new Map<RuleName, RateLimiterAbstract>();

  constructor(redis: RedisClient | null, rules: Partial<Record<RuleName, Partial<Rule>>> = {}) {
    for (const name of Object.keys(RULES) as RuleName[]) {
      const { points, seconds } = { ...RULES[name], ...rules[name] };
      const memory = new RateLimiterMemory({ keyPrefix: name, points, duration: seconds });
      this.limiters.set(
        name,
        redis
          ? new RateLimiterRedis({ storeClient: redis, useRedisPackage: true, keyPrefix: `reclaim:limit:${name}`, points, duration: seconds, insuranceLimiter: memory })
          : memory,
      );
    }
  }

  /** Counts one more for each key, or refuses with how long to wait (429). */
  async take(name: RuleName, ...keys: (string | null | undefined)[]): Promise<void> {
    for (const key of keys) {
      if (!key) continue;
      try {
        await this.limiters.get(name)!.consume(key);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw new HttpError('RATE_LIMITED', `${RULES[name].refusal}: please try again in ${seconds} second${seconds === 1 ? '' : 's'}.`);
      }
    }
  }

  /** How many of `name` this key has used in its current window. */
  async used(name: RuleName, key: string): Promise<number> {
    return (await this.limiters.get(name)!.get(key))?.consumedPoints ?? 0;
  }

  /** Counts one without refusing (failed sign-ins: they slow the next try rather than block it). */
  async note(name: RuleName, key: string): Promise<void> {
    await this.limiters.get(name)!.penalty(key, 1);
  }

  async clear(name: RuleName, key: string): Promise<void> {
    await this.limiters.get(name)!.delete(key);
  }
}
