import type { AreaSlug } from '$realtime/vocabulary';
import type { IdeaView } from '$realtime/schemas/board';
import { call } from './api';

/** Long enough to wait for a pause in typing, short enough to show before the person finishes. */
const DEBOUNCE_MS = 350;
const MIN_TEXT = 3;

/**
 * Ideas like the one being typed, so people vote for an existing one instead of posting it again.
 * Asked after a pause in typing; an answer for older text than the latest is dropped.
 */
export class SimilarIdeas {
  #ideas = $state<IdeaView[]>([]);
  #area: AreaSlug;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #asked: AbortController | null = null;
  #text = '';

  constructor(area: AreaSlug) {
    this.#area = area;
  }

  get ideas(): IdeaView[] {
    return this.#ideas;
  }

  /** The text as typed so far; an empty or short one clears the list. */
  update(text: string) {
    const wanted = text.replace(/\s+/g, ' ').trim();
    if (wanted === this.#text) return;
    this.#text = wanted;
    clearTimeout(this.#timer);
    this.#asked?.abort();
    if (wanted.length < MIN_TEXT) {
      this.#ideas = [];
      return;
    }
    this.#timer = setTimeout(() => void this.#ask(wanted), DEBOUNCE_MS);
  }

  /** The idea was posted or the form left: nothing to suggest any more. */
  clear() {
    this.update('');
  }

  async #ask(text: string) {
    const asked = new AbortController();
    this.#asked = asked;
    try {
      const { ideas } = await call('ideas:similar', { area: this.#area, text }, { signal: asked.signal });
      if (!asked.signal.aborted && text === this.#text) this.#ideas = ideas.slice(0, 5);
    } catch {
      // Only a hint: when it cannot be had, the form works as before.
    }
  }
}
