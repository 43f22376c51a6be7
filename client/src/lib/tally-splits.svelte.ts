import type { TallySplit } from '$realtime/schemas/board';
import { LIVE_IDEAS_MAX } from '$realtime/vocabulary';
import { call } from './api';

/** Asked for at most this often: counting the split walks every member's ballot on the server. */
const EVERY_MS = 1000;

/**
 * Each idea's votes from members and from guests, for a facilitator's console: asked for again a
 * moment after counts move, so a burst of guest votes shows while it happens. Over HTTP, and in a
 * module of its own, so the phones' page carries none of it.
 */
export class TallySplits {
  byIdea: TallySplit = $state({});
  readonly #ideaIds: () => string[];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(loaded: TallySplit, ideaIds: () => string[]) {
    this.byIdea = loaded;
    this.#ideaIds = ideaIds;
  }

  /** Counts moved: many moves within a moment make one request. */
  soon() {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#fetch();
    }, EVERY_MS);
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  async #fetch() {
    const ideaIds = this.#ideaIds().slice(0, LIVE_IDEAS_MAX);
    if (ideaIds.length === 0) return;
    try {
      this.byIdea = (await call('tallies:split', { ideaIds })).splits;
    } catch {
      // Refused or offline for a moment: the last split stays up, and the next move of a count asks again.
    }
  }
}
