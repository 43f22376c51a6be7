/** What a screen reader hears of a moving leaderboard: the leader, when it changes, and no more often than this. */
export const RANK_NEWS_MS = 5000;

export interface Leader {
  id: string;
  title: string;
  /** Null while a live session hides its counts. */
  votes: number | null;
}

/**
 * A leaderboard's changes, summarised for a polite live region: "Now first: <title>, 12 votes." when
 * the idea on top changes, at most once every RANK_NEWS_MS however fast votes tick in. What the page
 * showed when it opened is not news; a change that reverts within the wait is not said at all.
 */
export class RankNews {
  message = $state('');
  #said: string | null | undefined = undefined;
  #sayAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #latest: Leader | null = null;
  readonly #waitMs: number;

  constructor(waitMs = RANK_NEWS_MS) {
    this.#waitMs = waitMs;
  }

  /** Called with the leader each time the ranking may have changed. */
  update(leader: Leader | null) {
    this.#latest = leader;
    if (this.#said === undefined) {
      // The first look: what was on the screen already.
      this.#said = leader?.id ?? null;
      this.#sayAt = Date.now();
      return;
    }
    if (this.#timer) return;
    const wait = Math.max(0, this.#sayAt + this.#waitMs - Date.now());
    this.#timer = setTimeout(() => this.#flush(), wait);
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flush() {
    this.#timer = undefined;
    const leader = this.#latest;
    if ((leader?.id ?? null) === this.#said) return;
    this.#said = leader?.id ?? null;
    this.#sayAt = Date.now();
    if (!leader) return;
    const votes = leader.votes === null ? '' : `, ${leader.votes} ${leader.votes === 1 ? 'vote' : 'votes'}`;
    this.message = `Now first: ${leader.title}${votes}.`;
  }
}
