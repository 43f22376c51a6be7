import type { Sort } from '$realtime/vocabulary';
import type { IdeaView } from '$realtime/schemas/board';
import { compareNew, compareTop, type LiveBoard } from './live.svelte';

export type { Sort };

/** Most comments first, then the board's own order among equals. */
export function compareDiscussed(a: IdeaView, b: IdeaView): number {
  return b.comments - a.comments || compareTop(a, b);
}

/**
 * How the browser re-ranks a list from live counts. Null for trending, whose time-decayed score only
 * the server knows, and for random, whose order is the visitor's own: those never reorder live, and
 * news goes on top when brought in (fresh is what trends; random has no better place).
 */
const COMPARE: Record<Sort, ((a: IdeaView, b: IdeaView) => number) | null> = {
  top: compareTop,
  new: compareNew,
  discussed: compareDiscussed,
  trending: null,
  random: null,
};

/**
 * The order a participant sees on an area page. Counts change in place on every tick, but rows only
 * move or appear when the participant asks: a list that reshuffles under a thumb gets the wrong idea
 * voted for, and new rows pushing the page down are the layout shift we promised not to cause.
 */
export class IdeaFeed {
  readonly sort: Sort;
  /** Ids in display order; may run past what is shown (the rest is revealed by "Show more"). */
  order = $state<string[]>([]);
  /** Ideas that arrived since the list was drawn, shown when asked. */
  waiting = $state<string[]>([]);

  ideas = $derived.by(() => this.#resolve(this.order));
  outOfOrder = $derived.by(() => {
    const compare = this.#compare;
    // New ideas arrive at the top of "newest" through the news pill, never by re-ranking.
    if (!compare || this.sort === 'new') return false;
    return this.ideas.some((idea, i, all) => i > 0 && compare(all[i - 1]!, idea) > 0);
  });

  #board: LiveBoard;
  #compare: ((a: IdeaView, b: IdeaView) => number) | null;
  /** Newest `createdAt` (server clock) this list has accounted for; anything later is news. */
  #since: string;
  /** False on a page reached by cursor: it is a fixed slice of the list, not its start. */
  #grows: boolean;
  /** False for search results and a status filter: the browser cannot tell whether a new idea matches. */
  #news: boolean;

  constructor(board: LiveBoard, options: { sort: Sort; ideas: IdeaView[]; renderedAt: string; grows: boolean; news: boolean }) {
    this.#board = board;
    this.sort = options.sort;
    this.#compare = COMPARE[options.sort];
    this.#since = options.renderedAt;
    this.#grows = options.grows && options.news;
    this.#news = options.news;
    board.seed(options.ideas);
    this.order = options.ideas.map((idea) => idea.id);
  }

  /** Subscribes to the board; the returned function unsubscribes (for `$effect` cleanup). */
  follow(): () => void {
    return this.#board.listen({
      created: (idea) => this.#arrived([idea.id]),
      // Its row goes by itself (the board no longer holds it); only the count of news must drop it.
      removed: (ideaId) => {
        if (this.waiting.includes(ideaId)) this.waiting = this.waiting.filter((id) => id !== ideaId);
      },
      restored: (idea) => this.#putBack(idea),
      snapshot: () => this.#reconcile(),
    });
  }

  /** Brings in waiting ideas and applies the current ranking. */
  refresh() {
    this.order = this.#sorted([...this.waiting, ...this.order]).map((idea) => idea.id);
    this.waiting = [];
  }

  /** In the list's order; where the browser cannot rank, in the order given. */
  #sorted(ids: string[]): IdeaView[] {
    const ideas = this.#resolve(ids);
    return this.#compare ? ideas.sort(this.#compare) : ideas;
  }

  #resolve(ids: string[]): IdeaView[] {
    const ideas: IdeaView[] = [];
    for (const id of ids) {
      const idea = this.#board.ideas[id];
      if (idea) ideas.push(idea);
    }
    return ideas;
  }

  /**
   * A restored idea is not news: it returns to its place. Still in `order` (nothing re-ranked since it
   * went), it reappears there by itself; otherwise it goes where the list's own order puts it.
   */
  #putBack(idea: IdeaView) {
    if (this.order.includes(idea.id) || this.waiting.includes(idea.id) || !this.#news) return;
    const shown = this.ideas;
    const compare = this.#compare;
    // Without a ranking of its own, the list has no place for it but the end.
    const before = compare ? shown.find((other) => compare(idea, other) < 0) : undefined;
    // A slice reached by cursor holds only its own stretch of the list: an idea ranked outside it stays out.
    if (!this.#grows && (!before || before === shown[0])) return;
    const at = before ? this.order.indexOf(before.id) : this.order.length;
    this.order = [...this.order.slice(0, at), idea.id, ...this.order.slice(at)];
  }

  #arrived(ids: string[]) {
    if (ids.length === 0 || !this.#news) return;
    // Nothing to push down yet: show them straight away.
    if (this.order.length === 0) this.order = this.#sorted(ids).map((i) => i.id);
    else this.waiting = [...ids.filter((id) => !this.waiting.includes(id)), ...this.waiting];
  }

  /** After a (re)connect: ideas missed while offline wait for the participant; older ones extend the list. */
  #reconcile() {
    const listed = new Set([...this.order, ...this.waiting]);
    const fresh: string[] = [];
    const older: IdeaView[] = [];
    let newest = this.#since;
    for (const idea of Object.values(this.#board.ideas)) {
      if (idea.createdAt > newest) newest = idea.createdAt;
      if (listed.has(idea.id)) continue;
      if (idea.createdAt > this.#since) fresh.push(idea.id);
      else if (this.#grows) older.push(idea);
    }
    this.#since = newest;
    if (older.length) this.order = [...this.order, ...(this.#compare ? older.sort(this.#compare) : older).map((i) => i.id)];
    this.#arrived(fresh);
  }
}
