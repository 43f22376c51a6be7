import type { SessionUser } from '$realtime/schemas/common';

declare global {
  namespace App {
    interface Locals {
      /** Null until the visitor first votes or posts: viewing never creates a session. */
      user: SessionUser | null;
      /** The database is away for now: the page says the board is briefly unavailable (503). */
      unavailable: boolean | 'said';
    }
    interface Error {
      message: string;
    }
    interface PageData {
      /** From the root layout: the header reads it on every page. */
      user: SessionUser | null;
      /** From the root layout: the bell's count; null without a session or when it could not be read. */
      unread: number | null;
    }
  }
}

export {};
