import { tick } from 'svelte';
import type { SubmitFunction } from '@sveltejs/kit';

type SubmitInput = Parameters<SubmitFunction>[0];

/** How the action answered: done (its redirect, or data), or refused with words people may read. */
export type Answer =
  | { ok: true; /** Where the action sends a browser without JavaScript; null when it answered with data. */ location: URL | null }
  | { ok: false; message: string; /** The action's failure data (its `errors`, what was typed); none for an error. */ data: Record<string, unknown> | undefined };

export interface SubmitOptions {
  /** As the form is sent. It may answer some other way (a socket) and `cancel()` the post. */
  start?: (input: SubmitInput) => unknown;
  /**
   * When the page updates as it would without JavaScript (following the redirect, showing the
   * refusal): always, only on a refusal (a list changed in place keeps its scroll), only when done
   * (the form shows its own refusal), or never (the hooks say it all).
   */
  update?: 'always' | 'refused' | 'done' | 'never';
  /** The answer, before the page updates. */
  answered?: (answer: Answer) => unknown;
  /** The answer, once the page has updated (and before focus moves to what was refused). */
  updated?: (answer: Answer) => unknown;
  /** What a refusal says when the action gave no message (a network failure, say). */
  failed?: string;
}

const FOCUS = 'fieldset.invalid input, [aria-invalid="true"]';

/**
 * One form's progressive enhancement: the button waits while it is sent, what was typed stays after
 * a refusal, and focus goes to the first field marked wrong (or the form's alert), as it would land
 * there without JavaScript after the page came back. The options cover forms that change the page
 * in place instead of following the action's redirect.
 */
export class FormSubmit {
  #busy = $state(false);

  get busy(): boolean {
    return this.#busy;
  }

  /** For `use:enhance`. */
  enhance({ start, update: when = 'always', answered, updated, failed = 'That did not work. Please try again.' }: SubmitOptions = {}): SubmitFunction {
    return async (input) => {
      this.#busy = true;
      let cancelled = false;
      await start?.({ ...input, cancel: () => ((cancelled = true), input.cancel()) });
      if (cancelled) {
        this.#busy = false;
        return;
      }
      const { formElement } = input;
      return async ({ result, update }) => {
        try {
          const message = result.type === 'failure' ? result.data?.message : undefined;
          const answer: Answer =
            result.type === 'redirect' || result.type === 'success'
              ? { ok: true, location: result.type === 'redirect' ? new URL(result.location, location.href) : null }
              : { ok: false, message: typeof message === 'string' ? message : failed, data: result.type === 'failure' ? result.data : undefined };
          await answered?.(answer);
          if (when === 'always' || when === (answer.ok ? 'done' : 'refused')) await update({ reset: false });
          await updated?.(answer);
          if (result.type !== 'failure') return;
          await tick();
          (formElement.querySelector<HTMLElement>(FOCUS) ?? formElement.querySelector<HTMLElement>('[role="alert"]'))?.focus();
        } finally {
          this.#busy = false;
        }
      };
    };
  }
}
