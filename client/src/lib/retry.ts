/** How long a page waits before trying its socket or its watch again after a refusal or a drop. */
export const RETRY_MS = 3000;
