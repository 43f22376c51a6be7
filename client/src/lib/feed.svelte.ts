import type { IdeaView } from '$realtime/schemas';
import { compareNew, compareTop, type LiveBoard } from './live.svelte';

export type Sort = 'top' | 'new';

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
  outOfOrder = $derived.by(
    () => this.sort === 'top' && this.ideas.some((idea, i, all) => i > 0 && compareTop(all[i - 1]!, idea) > 0),
  );

  #board: LiveBoard;
  #compare: (a: IdeaView, b: IdeaView) => number;
  /** Newest `createdAt` (server clock) this list has accounted for; anything later is news. */
  #since: string;
  /** False on a page reached by cursor: it is a fixed slice of the list, not its start. */
  #grows: boolean;

  constructor(board: LiveBoard, options: { sort: Sort; ideas: IdeaView[]; renderedAt: string; grows: boolean }) {
    this.#board = board;
    this.sort = options.sort;
    this.#compare = options.sort === 'top' ? compareTop : compareNew;
    this.#since = options.renderedAt;
    this.#grows = options.grows;
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
    this.order = this.#resolve([...this.waiting, ...this.order])
      .sort(this.#compare)
      .map((idea) => idea.id);
    this.waiting = [];
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
    if (this.order.includes(idea.id) || this.waiting.includes(idea.id)) return;
    const shown = this.ideas;
    const before = shown.find((other) => this.#compare(idea, other) < 0);
    // A slice reached by cursor holds only its own stretch of the list: an idea ranked outside it stays out.
    if (!this.#grows && (!before || before === shown[0])) return;
    const at = before ? this.order.indexOf(before.id) : this.order.length;
    this.order = [...this.order.slice(0, at), idea.id, ...this.order.slice(at)];
  }

  #arrived(ids: string[]) {
    if (ids.length === 0) return;
    // Nothing to push down yet: show them straight away.
    if (this.order.length === 0) this.order = this.#resolve(ids).sort(this.#compare).map((i) => i.id);
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
    if (older.length) this.order = [...this.order, ...older.sort(this.#compare).map((i) => i.id)];
    this.#arrived(fresh);
  }
}
