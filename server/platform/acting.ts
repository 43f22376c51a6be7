import { AsyncLocalStorage } from 'node:async_hooks';

import type { Role } from '../../realtime/vocabulary.js';

/** The person a command runs for. */
export interface Acting {
  userId: string;
  role: Role;
}

const store = new AsyncLocalStorage<Acting | null>();

/**
 * Who is acting in the command being run, as ambient context: the dispatcher sets it around every
 * command, and the moderation log reads it when a service publishes a decision without saying who
 * decided (the log keeps it privately, for the rule that another moderator decides an appeal).
 */
export const acting = {
  run<T>(who: Acting | null, task: () => Promise<T>): Promise<T> {
    return store.run(who, task);
  },
  current(): Acting | null {
    return store.getStore() ?? null;
  },
};
