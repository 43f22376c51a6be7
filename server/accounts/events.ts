/** What the accounts publish. */
export interface AccountEvents {
  /** Sessions ended (signed out, replaced, expired): their sockets are disconnected on every server. */
  'sessions:ended': { sessionIds: string[] };
  /** A person's role changed: their open sockets reconnect with it. */
  'roles:changed': { userId: string };
}
