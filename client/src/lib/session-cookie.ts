import type { RouteOf } from './api';

/**
 * The `session:get` route, checked against the table (a GET: fetch's default), kept apart from `call`
 * so the phone's page carries only this.
 */
const PATH: RouteOf<'session:get'>['path'] = '/session';
type Holds<T extends true> = T;
export type SessionRouteIsGet = Holds<RouteOf<'session:get'>['method'] extends 'GET' ? true : false>;

/** Asks for the session, which sets the HttpOnly cookie when there is none; a failure is left for the next try. */
export async function touchSession(): Promise<void> {
  await fetch(`/api${PATH}`, { credentials: 'same-origin' }).catch(() => undefined);
}
