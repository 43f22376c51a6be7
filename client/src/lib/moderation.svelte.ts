import type { CommentModerationItem, ModerationItem, VoteFlagView } from '$realtime/schemas/moderation';
import { plural } from './format';
import { lastingSocket } from './socket';

/** What the /moderate load `depends` on: refreshing the queue reruns it, and nothing else. */
export const MODERATION_DEPENDENCY = 'app:moderation';

/** A burst of reports (or of decisions) is one refresh, not one each. */
const REFRESH_GAP_MS = 1000;

/**
 * Refreshes the queue whenever the server says it changed, and after every reconnect, since what
 * changed meanwhile went unheard. Vote bursts come with the flag itself (`onflag`): their counts move
 * every second during a burst, so they are updated in place rather than refetched. Returns the
 * function that stops watching.
 */
export function watchQueue(refresh: () => Promise<unknown>, onflag?: (flag: VoteFlagView) => void): () => void {
  let closed = false;
  const socket = lastingSocket(() => closed);
  let lastAt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const soon = () => {
    if (timer) return;
    timer = setTimeout(
      async () => {
        lastAt = Date.now();
        try {
          await refresh();
        } finally {
          timer = undefined;
        }
      },
      Math.max(0, lastAt + REFRESH_GAP_MS - Date.now()),
    );
  };
  let reconnect = false;
  socket.on('connect', () => {
    socket.emit('moderation:watch', {}, () => undefined);
    if (reconnect) soon();
    reconnect = true;
  });
  socket.on('moderation:changed', soon);
  if (onflag) socket.on('flags:changed', ({ flag }) => onflag(flag));
  socket.connect();
  return () => {
    closed = true;
    clearTimeout(timer);
    socket.disconnect();
  };
}

export type StatusTone = 'urgent' | 'pending' | 'reported' | 'hidden' | 'cleared' | 'published';

/** What ideas and comments share in the queue: where they stand, and what people said of them. */
type Decidable = Pick<ModerationItem, 'status' | 'hiddenBy' | 'cleared' | 'reports' | 'confirmed'>;

/** What a facilitator needs to read first about an item, and how loudly to say it. */
export function describeStatus(item: Decidable): { text: string; tone: StatusTone } {
  if (item.status === 'pending') return { text: 'New — waiting for review', tone: 'pending' };
  if (item.status === 'hidden') {
    if (item.confirmed) return { text: 'Taken down — confirmed by staff', tone: 'hidden' };
    return item.hiddenBy === 'reports'
      ? { text: `Taken down by ${plural(item.reports, 'report')} — needs review`, tone: 'urgent' }
      : { text: 'Hidden by a facilitator', tone: 'hidden' };
  }
  if (item.cleared) return { text: 'Put back by a facilitator', tone: 'cleared' };
  // Only a search finds these: the queue holds nothing that nobody reported.
  return item.reports > 0 ? { text: 'Reported, still up', tone: 'reported' } : { text: 'On the board, not reported', tone: 'published' };
}

/**
 * A queue card's form actions (`?/publish`, or `?/publishComment` for suffix 'Comment') and what each
 * did, in the words a facilitator checks it against: where the item shows, and what it keeps when put back.
 */
export function queueDecisions(suffix: '' | 'Comment', where: string, kept: string) {
  return {
    publish: { action: `?/publish${suffix}`, done: `Published: it is on ${where} now.` },
    restore: { action: `?/restore${suffix}`, done: `Put back: it is on ${where} again, with its ${kept}.` },
    hide: { action: `?/hide${suffix}`, done: `Hidden: it has gone from ${where}.` },
    confirm: { action: `?/confirm${suffix}`, done: 'Confirmed: it stays down and leaves the queue.' },
  };
}

/**
 * The queue as a facilitator works through it. The server ranks by urgency, so an item just handled
 * would sink at the next refresh and the one below would slide under the pointer that pressed Hide.
 * Here items keep the place they were first shown in, and items new since then come in at the top.
 */
export class ModerationQueue<Item extends Decidable> {
  items = $derived.by(() => this.#arrange(this.#source()));
  /** Decisions only a facilitator can make: items reports took down, and new ones waiting to be published. */
  needsReview = $derived(this.items.filter((item) => (item.hiddenBy === 'reports' && item.status === 'hidden' && !item.confirmed) || item.status === 'pending').length);

  #source: () => Item[];
  #key: (item: Item) => string;
  /** Display order so far. Plain, not state: it is only written while `items` is derived. */
  #order: string[] = [];

  constructor(source: () => Item[], key: (item: Item) => string) {
    this.#source = source;
    this.#key = key;
  }

  #arrange(latest: Item[]): Item[] {
    const byId = new Map(latest.map((item) => [this.#key(item), item]));
    const known = new Set(this.#order);
    const fresh = latest.map(this.#key).filter((id) => !known.has(id));
    this.#order = [...fresh, ...this.#order.filter((id) => byId.has(id))];
    return this.#order.map((id) => byId.get(id)!);
  }
}

/** What the one staff queue shows: everything, or one kind of work. */
export const QUEUE_SHOWS = ['all', 'ideas', 'comments', 'evidence', 'organisations'] as const;
export type QueueShow = (typeof QUEUE_SHOWS)[number];
/** Ideas and comments queued for the same kind of decision. */
export const ideaKey = (item: ModerationItem) => item.idea.id;
export const commentKey = (item: CommentModerationItem) => item.comment.id;

export const queueShow = (value: string | null): QueueShow => (QUEUE_SHOWS as readonly string[]).includes(value ?? '') ? (value as QueueShow) : 'all';
