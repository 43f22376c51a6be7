let hydrated = false;

/** Called once the page has hydrated: from then on a disclosure is opened or shut by the person only. */
export function markHydrated(): void {
  hydrated = true;
}

/**
 * Whether the server-drawn <details> with this id was opened before the script took the page over.
 * Hydration writes each `open` binding into the element, so a "Decline…" tapped on a phone whose
 * script is still loading would snap shut again; components start from what the reader did instead.
 * After hydration it says no: a component made later starts as it says it does.
 */
export function openedBeforeHydration(id: string): boolean {
  return !hydrated && typeof document !== 'undefined' && document.getElementById(id)?.hasAttribute('open') === true;
}
