import { tick } from 'svelte';
import type { SubmitFunction } from '@sveltejs/kit';

/**
 * One form's progressive enhancement: the button waits while it is sent, what was typed stays after
 * a refusal, and focus goes to the first field marked wrong (or the form's alert), as it would land
 * there without JavaScript after the page came back.
 */
export class FormSubmit {
  #busy = $state(false);

  get busy(): boolean {
    return this.#busy;
  }

  /** For `use:enhance`; `after` runs once the answer is in, before focus moves (to clear a password, say). */
  enhance(after?: (outcome: 'refused' | 'done') => void): SubmitFunction {
    return ({ formElement }) => {
      this.#busy = true;
      return async ({ result, update }) => {
        await update({ reset: false });
        this.#busy = false;
        after?.(result.type === 'failure' ? 'refused' : 'done');
        if (result.type !== 'failure') return;
        await tick();
        (formElement.querySelector<HTMLElement>('[aria-invalid="true"]') ?? formElement.querySelector<HTMLElement>('[role="alert"]'))?.focus();
      };
    };
  }
}
