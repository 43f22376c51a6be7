import { invalidateAll } from '$app/navigation';

/**
 * Keeps a page's data fresh while it is open and in view: its load runs again every `everyMs` (and
 * at once when the tab comes back into view). Cheap where the server caches what the page shows.
 * Without JavaScript the page is as it was served, and a reload brings it up to date.
 */
export class Refresh {
  constructor(everyMs: number) {
    $effect(() => {
      const tick = () => {
        if (document.visibilityState === 'visible') void invalidateAll();
      };
      const timer = setInterval(tick, everyMs);
      document.addEventListener('visibilitychange', tick);
      return () => {
        clearInterval(timer);
        document.removeEventListener('visibilitychange', tick);
      };
    });
  }
}
