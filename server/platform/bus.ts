import { log } from './log.js';

/** Raised by every domain whose items staff review: staff screens fetch their queue again. */
export interface QueueEvents {
  'queue:changed': undefined;
}

type Handler<P> = (payload: P) => void;
type Payload<P> = P extends undefined ? [] : [payload: P];

/** What a service holds to publish its domain's events, and no more. */
export interface Publisher<E extends object> {
  publish<K extends keyof E>(name: K, ...payload: Payload<E[K]>): void;
}

/** What a service holds to follow another domain's events. */
export interface Subscriber<E extends object> {
  on<K extends keyof E>(name: K, handler: Handler<E[K]>): () => void;
}

/**
 * The one way services publish: typed domain events, in process. Services never know who listens;
 * the transport maps each event to its rooms and to the other servers, and a domain may follow
 * another's events instead of calling into it. Handlers run before `publish` returns, so events
 * reach every listener in the order the facts happened; a handler that throws is logged and the
 * others still run, since the fact itself already stands.
 */
export class EventBus<E extends object> implements Publisher<E>, Subscriber<E> {
  readonly #handlers = new Map<keyof E, Handler<never>[]>();

  on<K extends keyof E>(name: K, handler: Handler<E[K]>): () => void {
    const list = this.#handlers.get(name) ?? [];
    this.#handlers.set(name, [...list, handler as Handler<never>]);
    return () => this.#handlers.set(name, (this.#handlers.get(name) ?? []).filter((h) => h !== handler));
  }

  publish<K extends keyof E>(name: K, ...args: Payload<E[K]>): void {
    const list = this.#handlers.get(name);
    if (!list) return;
    for (const handler of list) {
      try {
        (handler as Handler<unknown>)(args[0]);
      } catch (error) {
        log.error({ err: error, event: name }, 'a handler of a domain event failed');
      }
    }
  }
}
