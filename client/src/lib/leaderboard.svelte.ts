import type { Tallies } from '$realtime/schemas/board';
import { compareTop, fetchIdea, type LiveBoard } from './live.svelte';
import { competitionRanks } from './ranks';

/** The top of a board, re-ranked on every tick; ideas climbing in from beyond the snapshot are fetched. */
export class Leaderboard {
  readonly size: number;
  #ranked = $derived.by(() => Object.values(this.#board.ideas).sort(compareTop));
  top = $derived.by(() => this.#ranked.slice(0, this.size));
  /** Places of `top`, in order; counted over every idea known, so a tie across the cut still shows. */
  ranks = $derived.by(() => competitionRanks(this.#ranked.map((idea) => idea.votes)).slice(0, this.size));

  #board: LiveBoard;
  #fetching = new Set<string>();

  constructor(board: LiveBoard, size: number) {
    this.#board = board;
    this.size = size;
  }

  follow(): () => void {
    return this.#board.listen({ unknown: (counts) => this.#climbers(counts) });
  }

  #climbers(counts: Tallies) {
    const last = this.top.length < this.size ? undefined : this.top[this.top.length - 1];
    for (const [ideaId, votes] of Object.entries(counts)) {
      // Equal votes can still outrank the last place (newer wins a tie), so ties are worth a look.
      if ((last && votes < last.votes) || this.#fetching.has(ideaId)) continue;
      this.#fetching.add(ideaId);
      void fetchIdea(ideaId).then((idea) => {
        this.#fetching.delete(ideaId);
        if (idea && (this.#board.area === null || idea.area === this.#board.area)) this.#board.seed([idea]);
      });
    }
  }
}
