/**
 * Whether the server-drawn <details> with this id was opened before the script took the page over.
 * Hydration writes each `open` binding into the element, so a "Decline…" tapped on a phone whose
 * script is still loading would snap shut again; components start from what the reader did instead.
 */
export function openedBeforeHydration(id: string): boolean {
  return typeof document !== 'undefined' && document.getElementById(id)?.hasAttribute('open') === true;
}
