import { isActionFailure, type ActionFailure } from '@sveltejs/kit';
import type { CommandResult, PageCommandName } from '$realtime/commands';
import type { ErrorCode } from '$realtime/vocabulary';
import { refused, run, type PageEvent } from './commands';

/** A posted form's fields, read the ways the forms here send them. */
export class Fields {
  constructor(readonly data: FormData) {}

  /** The field as sent: null when the form had none. */
  get(name: string): FormDataEntryValue | null {
    return this.data.get(name);
  }

  /** A text field as typed; '' when absent. */
  text(name: string): string {
    return String(this.data.get(name) ?? '');
  }

  /** Without the spaces around it: addresses, links, years. */
  trimmed(name: string): string {
    return this.text(name).trim();
  }

  /** Left empty (or absent), it is not sent to the command at all. */
  optional(name: string): string | undefined {
    const value = this.data.get(name);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** A checkbox: an unticked one sends nothing. */
  checked(name: string): boolean {
    return this.data.get(name) === 'on';
  }

  /** Every value of a repeated field (ticked checkboxes of one name). */
  all(name: string): string[] {
    return this.data.getAll(name).map(String);
  }
}

/** Reads the posted form. */
export async function fields(event: { request: Request }): Promise<Fields> {
  return new Fields(await event.request.formData());
}

/** How a refusal reads on the form, where the command's own words will not do. */
export interface RefusalWords {
  /** The form's message when fields were refused (each field's own shows beside it). */
  invalid?: string;
  /** The form's message when this field was refused (the first in this order wins): for fields the form does not show. */
  because?: Record<string, string>;
  /** The words beside a refused field, instead of the command's. */
  errors?: Record<string, string>;
}

/** What a refused form action answers: `echo` (which form, what was typed) with the refusal. */
export type Refused<T> = ActionFailure<T & { code: ErrorCode; message: string; errors: Record<string, string | undefined> }>;

/**
 * A form action's command: its result, or on a refusal `fail(status, { ...echo, code, message, errors })`
 * (see `refused`) for the action to return, so the page shows the form again as it was sent, with or
 * without JavaScript. Test it with `isRefused`; redirect after, outside any try.
 */
export async function attempt<N extends PageCommandName, T extends object>(event: PageEvent, name: N, input: unknown, echo: T, words: RefusalWords = {}): Promise<CommandResult<N> | Refused<T>> {
  try {
    return await run(event, name, input);
  } catch (err) {
    const failed = refused(err, echo, words.invalid);
    const { errors } = failed.data;
    const because = Object.entries(words.because ?? {}).find(([field]) => errors[field]);
    if (because) failed.data.message = because[1];
    for (const [field, text] of Object.entries(words.errors ?? {})) if (errors[field]) errors[field] = text;
    return failed;
  }
}

/** Whether `attempt` answered with the refusal, for the action to return. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function isRefused<A>(answer: A): answer is Extract<A, ActionFailure<any>> {
  return isActionFailure(answer);
}
