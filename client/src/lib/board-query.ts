import { IDEA_PROGRESS_SLUGS, SORTS, type IdeaProgress, type Sort } from '$realtime/vocabulary';

/** How a board's list is asked for in its URL: `?sort=&q=&status=`, every part optional. */
export interface BoardQuery {
  sort: Sort;
  /** Words searched for in titles and details; empty for none. */
  q: string;
  status: IdeaProgress | null;
}

/** Unknown values fall back to the plain list rather than an error: the URL is typed by people and old links. */
export function readBoardQuery(url: URL): BoardQuery {
  const sort = url.searchParams.get('sort');
  const status = url.searchParams.get('status');
  return {
    sort: (SORTS as readonly string[]).includes(sort ?? '') ? (sort as Sort) : 'top',
    q: (url.searchParams.get('q') ?? '').trim().slice(0, 100),
    status: (IDEA_PROGRESS_SLUGS as readonly string[]).includes(status ?? '') ? (status as IdeaProgress) : null,
  };
}

/** The query string for a board, without the defaults, so the plain list keeps its plain address. */
export function boardSearch(query: BoardQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  if (query.sort !== 'top') params.set('sort', query.sort);
  if (query.q) params.set('q', query.q);
  if (query.status) params.set('status', query.status);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const search = params.toString();
  return search ? `?${search}` : '';
}

export const SORT_LABELS: Record<Sort, string> = {
  top: 'Most votes',
  trending: 'Trending',
  new: 'Newest',
  discussed: 'Most discussed',
  random: 'Random',
};
