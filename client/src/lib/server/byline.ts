import type { RequestEvent } from '@sveltejs/kit';
import { run } from './commands';

/** What a member's post forms offer: their name, or "Anonymous participant", starting from their profile's choice. */
export interface BylineChoice {
  name: string;
  anonymous: boolean;
}

/** Null for guests, who have no name to put to a post. */
export async function bylineChoice(event: RequestEvent): Promise<BylineChoice | null> {
  if (event.locals.user?.kind !== 'member') return null;
  const profile = await run(event, 'profile:get', {});
  return { name: profile.name, anonymous: profile.anonymous };
}

/**
 * The choice a post form sent: a form that offered it marks itself, because an unticked box sends
 * nothing. Unset lets the profile decide, as the API does.
 */
export function anonymousChosen(data: FormData): boolean | undefined {
  return data.get('byline') === 'chosen' ? data.get('anonymous') === 'on' : undefined;
}
