import type { SessionUser } from '$realtime/schemas';

declare global {
  namespace App {
    interface Locals {
      /** Null until the visitor first votes or posts: viewing never creates a session. */
      user: SessionUser | null;
    }
    interface Error {
      message: string;
    }
    interface PageData {
      /** From the root layout: the header reads it on every page. */
      user: SessionUser | null;
    }
  }
}

export {};
