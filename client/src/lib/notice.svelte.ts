export type Tone = 'info' | 'error';

const SHOWN_MS = 6000;

/**
 * A page's one passing notice. A new one replaces the last, and starting something new clears it,
 * so a success never lingers next to the error that follows it.
 */
export class PassingNotice {
  #current = $state<{ message: string; tone: Tone } | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  get message(): string | null {
    return this.#current?.message ?? null;
  }

  get tone(): Tone {
    return this.#current?.tone ?? 'info';
  }

  show(message: string, tone: Tone = 'info') {
    this.#current = { message, tone };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => (this.#current = null), SHOWN_MS);
  }

  dismiss() {
    clearTimeout(this.#timer);
    this.#current = null;
  }
}
