import type { Stance } from '$realtime/vocabulary';

/**
 * Words for each stance: `tag` on a comment, `choice` in the form, `plural` on the filter tabs. A
 * Record, so a stance added to the contract fails the type check until it has words here.
 */
export const STANCE_WORDS: Record<Stance, { tag: string; choice: string; plural: string; hint: string }> = {
  for: { tag: 'For', choice: 'For', plural: 'For', hint: 'Why it would work' },
  against: { tag: 'Against', choice: 'Against', plural: 'Against', hint: 'What could go wrong' },
  question: { tag: 'Question', choice: 'Question', plural: 'Questions', hint: 'What it means, how it would work' },
};

/** `?stance=` on an idea page: the list shows one side, or everything. */
export function readStance(url: URL): Stance | null {
  const stance = url.searchParams.get('stance');
  return stance && stance in STANCE_WORDS ? (stance as Stance) : null;
}
