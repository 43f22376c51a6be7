import { now, serve, sleep } from './ipc.js';
import { CoverageTracker, type Coverage, type Watcher } from './coverage.js';
import { connectRaw, LightSocket } from './light-socket.js';

/** One distinct tally frame and when the viewers of this process received it. */
export interface FrameStat {
  frame: string;
  viewers: number;
  first: number;
  last: number;
}

/** When the screens of one group received one `live:state` (by its seq): how many did, the first and the last. */
export interface StateStat {
  screens: number;
  first: number;
  last: number;
}

/** One group of screens of this process (board viewers, a session's phones, its projector): its coverage and the states it received. */
/** One comment-count broadcast as a group of screens received it. */
export type CommentFrameStat = StateStat & { ideas: string[] };

export interface GroupCollect {
  viewers: number;
  coverage: Coverage;
  states: Record<number, StateStat>;
  /** Each distinct tally frame carrying comment counts: the ideas it counted, how many of these screens received it, the first and the last. */
  comments: Record<string, CommentFrameStat>;
}

/**
 * `board`: Socket.IO sockets that watch `area` (`board:watch`); `live`: sockets that join the live
 * session `code` (`live:join`: phones, a projector); `raw`: bare WebSockets to the ceiling server.
 */
export type ViewerTarget = 'board' | 'live' | 'raw';

export type ViewerApi = {
  /** Opens `count` viewers of `target`, followed as `group` (default: the target's name). */
  connect: {
    params: {
      target: ViewerTarget;
      url: string;
      count: number;
      area: string | null;
      code?: string;
      group?: string;
      sources: string[];
      concurrency: number;
      timeoutMs: number;
      /** Another server to move to when this one goes away, as a proxy would send them (board viewers only). */
      fallbackUrl?: string;
    };
    result: { connected: number; failed: number; firstError: string | null };
  };
  /** Board viewers that moved to their fallback server: how many, how long each took from the drop, and how many never made it. */
  moves: { params: null; result: { moved: number; failed: number; ms: number[] } };
  /** Per idea, the lowest and highest count this process's board viewers hold now. */
  holding: { params: { ideas: string[] }; result: Record<string, { lowest: number; highest: number }> };
  /** Forgets earlier frames and starts counting deliveries. */
  begin: { params: null; result: null };
  /** Tally frames delivered, and those of them that carried comment counts. */
  count: { params: null; result: { delivered: number; comments: number } };
  /** `coverage` and `viewers` are the `board` group's; `groups` has every group. */
  collect: { params: null; result: { frames: FrameStat[]; coverage: Coverage; viewers: number; dropped: number; groups: Record<string, GroupCollect> } };
  close: { params: null; result: null };
};

const TALLY_PREFIX = Buffer.from('42["tally:changed"');
const STATE_PREFIX = Buffer.from('42["live:state"');
const COMMENTS_FIELD = Buffer.from('"comments":{');
const SEQ = /"seq":(\d+)/;

interface Viewer {
  close(): Promise<void>;
}

interface FrameEntry extends Omit<FrameStat, 'frame'> {
  /** A copy of the frame's bytes, to recognise the next viewer's copy of it without decoding. */
  bytes: Buffer;
  counts: [string, number][] | null;
}

/** Screens followed together: each group has its own coverage, so a vote's reach is measured per kind of screen. */
class Group {
  watchers: Watcher[] = [];
  readonly tracker = new CoverageTracker();
  states = new Map<number, StateStat>();
  comments = new Map<string, CommentFrameStat>();

  begin(): void {
    this.tracker.startRound(this.watchers);
    this.states = new Map();
    this.comments = new Map();
  }

  collect(): GroupCollect {
    const states = Object.fromEntries(this.states);
    const comments = Object.fromEntries(this.comments);
    this.states = new Map();
    this.comments = new Map();
    return { viewers: this.watchers.length, coverage: this.tracker.endRound(this.watchers), states, comments };
  }
}

/** A followed socket: where it stands in its group's coverage, and its group. */
interface Screen extends Watcher {
  group: Group;
}

let viewers: Viewer[] = [];
let groups = new Map<string, Group>();
let frames = new Map<string, FrameEntry>();
/** The frame received last: viewers of one board and phase get the same one back to back. */
let lastFrame: FrameEntry | null = null;
let delivered = 0;
let commentsDelivered = 0;
let dropped = 0;
/** The comment counts received last, by their bytes: every viewer of a board gets the same broadcast back to back. */
let lastComment: { bytes: Buffer; key: string; ideas: string[] } | null = null;
let commentFrames = 0;

function groupNamed(name: string): Group {
  let group = groups.get(name);
  if (!group) groups.set(name, (group = new Group()));
  return group;
}

/** A session's state reached a screen: only its seq and when are kept (a handful a second, to a few thousand screens). */
function onState(payload: Buffer, receivedAt: number, screen: Screen): void {
  const seq = Number(SEQ.exec(payload.toString('latin1'))?.[1] ?? Number.NaN);
  if (!Number.isInteger(seq)) return;
  const stat = screen.group.states.get(seq);
  if (!stat) screen.group.states.set(seq, { screens: 1, first: receivedAt, last: receivedAt });
  else {
    stat.screens++;
    stat.last = Math.max(stat.last, receivedAt);
  }
}

/** Comment counts reached a screen in a tally frame: each frame's ideas are read once, the next copies are recognised by their bytes. */
function onComment(payload: Buffer, receivedAt: number, screen: Screen): void {
  commentsDelivered++;
  if (lastComment === null || !payload.equals(lastComment.bytes)) {
    const comments = (JSON.parse(payload.toString('utf8', 2)) as [string, { comments?: Record<string, number> }])[1].comments;
    if (!comments) return;
    lastComment = { bytes: Buffer.from(payload), key: String(++commentFrames), ideas: Object.keys(comments) };
  }
  const stat = screen.group.comments.get(lastComment.key);
  if (!stat) screen.group.comments.set(lastComment.key, { screens: 1, first: receivedAt, last: receivedAt, ideas: lastComment.ideas });
  else {
    stat.screens++;
    stat.last = Math.max(stat.last, receivedAt);
  }
}

const startsWith = (payload: Buffer, prefix: Buffer) =>
  payload.length >= prefix.length && payload.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

/**
 * Every viewer of a board sees the same frames when the board sends them all at once, and viewers in
 * the same phase do when it staggers them; either way a frame's text identifies it: per distinct
 * frame we keep how many viewers got it and when the first and last did (delivery rate, the ceiling's
 * spread), parsed once, and a board viewer's receipt moves it to its next holding. A frame equal to
 * the one before is recognised by its bytes: decoding and hashing each copy cost a viewer process
 * more than the rest of its work per message, and the load core is as busy as the server's.
 */
function onFrame(payload: Buffer, receivedAt: number, watcher: Screen | null): void {
  if (!startsWith(payload, TALLY_PREFIX)) {
    if (watcher && startsWith(payload, STATE_PREFIX)) onState(payload, receivedAt, watcher);
    return;
  }
  if (watcher && payload.includes(COMMENTS_FIELD)) onComment(payload, receivedAt, watcher);
  delivered++;
  let entry = lastFrame !== null && payload.equals(lastFrame.bytes) ? lastFrame : undefined;
  if (!entry) {
    const text = payload.toString('utf8');
    entry = frames.get(text);
    if (!entry) frames.set(text, (entry = { viewers: 0, first: receivedAt, last: receivedAt, bytes: Buffer.from(payload), counts: null }));
    lastFrame = entry;
  }
  entry.viewers++;
  entry.last = receivedAt;
  if (!watcher?.holding) return;
  entry.counts ??= Object.entries((JSON.parse(payload.toString('utf8', 2)) as [string, { counts: Record<string, number> }])[1].counts);
  watcher.group.tracker.receive(watcher, entry, entry.counts, receivedAt);
}

const onDrop = () => void dropped++;

/** Board viewers moved to their fallback server (the cluster's kill), and those that could not be. */
let moved: number[] = [];
let moveFailures = 0;
/** The ack of `board:watch` carries the board's counts: a viewer that (re)joins starts from them. */
let joins = 0;

type WatchAck = { ok: boolean; message?: string; data?: { ideas?: { id: string; votes: number }[] } };

async function join(url: string, params: ViewerApi['connect']['params'], common: { timeoutMs: number; localAddress?: string }, watcher: Screen, onDropped: () => void): Promise<LightSocket> {
  const socket = await LightSocket.connect({ base: url, ...common, onDrop: onDropped, onFrame: (frame, at) => onFrame(frame, at, watcher) });
  const [command, payload] = params.target === 'live' ? ['live:join', { code: params.code }] : ['board:watch', { area: params.area ?? undefined }];
  const ack = (await socket.emit(command, payload, params.timeoutMs)) as WatchAck;
  if (!ack.ok) {
    await socket.close();
    throw new Error(`${command} refused: ${ack.message}`);
  }
  const ideas = ack.data?.ideas;
  if (ideas && watcher.holding) watcher.group.tracker.receive(watcher, { join: ++joins }, ideas.map((idea) => [idea.id, idea.votes]), now());
  return socket;
}

async function openViewer(params: ViewerApi['connect']['params'], index: number): Promise<Viewer> {
  const localAddress = params.sources[index % params.sources.length];
  const common = { timeoutMs: params.timeoutMs, ...(localAddress ? { localAddress } : {}) };
  if (params.target === 'raw') return connectRaw(params.url, { ...common, onDrop, onFrame: (frame, at) => onFrame(frame, at, null) });
  const group = groupNamed(params.group ?? params.target);
  const watcher: Screen = { holding: null, group };
  const { fallbackUrl } = params;
  let closing = false;
  let socket: LightSocket;
  // Dropped by a server that went away: to the fallback, as a proxy's next upstream would take it.
  const onDropped = () => {
    if (closing) return;
    if (!fallbackUrl) {
      // Lost for good: counted as lost, and no longer among the screens a count must reach.
      group.watchers = group.watchers.filter((w) => w !== watcher);
      group.tracker.leave(watcher, now());
      return onDrop();
    }
    const droppedAt = now();
    const retry = async () => {
      while (now() - droppedAt < 10_000 && !closing) {
        try {
          socket = await join(fallbackUrl, params, common, watcher, onDrop);
          moved.push(now() - droppedAt);
          return;
        } catch {
          await sleep(100);
        }
      }
      moveFailures++;
    };
    void retry();
  };
  socket = await join(params.url, params, common, watcher, onDropped);
  group.watchers.push(watcher);
  return {
    close: () => {
      closing = true;
      return socket.close();
    },
  };
}

serve<ViewerApi>({
  async connect(params) {
    let next = 0;
    let failed = 0;
    let opened = 0;
    let firstError: string | null = null;
    const deadline = now() + params.timeoutMs * 4 + params.count * 5;
    // A few lanes in parallel keep the server's accept queue short while the ramp stays quick.
    const lane = async () => {
      while (next < params.count && now() < deadline) {
        const index = next++;
        try {
          viewers.push(await openViewer(params, index));
          opened++;
        } catch (error) {
          failed++;
          firstError ??= error instanceof Error ? error.message : String(error);
          // Back off a little so a struggling server is not hammered by instant retries of the next socket.
          await sleep(20);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(params.concurrency, params.count) }, lane));
    failed += params.count - next;
    // Several audiences may be connected one after the other: this call's own.
    return { connected: opened, failed, firstError };
  },
  async begin() {
    frames = new Map();
    lastFrame = null;
    for (const group of groups.values()) group.begin();
    delivered = 0;
    commentsDelivered = 0;
    lastComment = null;
    dropped = 0;
    return null;
  },
  async count() {
    return { delivered, comments: commentsDelivered };
  },
  async moves() {
    const result = { moved: moved.length, failed: moveFailures, ms: moved };
    moved = [];
    moveFailures = 0;
    return result;
  },
  async holding({ ideas }) {
    const watchers = [...groups.values()].flatMap((group) => group.watchers);
    return Object.fromEntries(
      ideas.map((id) => {
        const counts = watchers.map((w) => w.holding?.counts.get(id) ?? 0);
        return [id, { lowest: Math.min(...counts), highest: Math.max(...counts) }];
      }),
    );
  },
  async collect() {
    const list = [...frames].map(([frame, { viewers, first, last }]) => ({ frame, viewers, first, last }));
    frames = new Map();
    lastFrame = null;
    const collected = Object.fromEntries([...groups].map(([name, group]) => [name, group.collect()]));
    lastComment = null;
    const board = collected.board ?? { viewers: 0, coverage: {} };
    return { frames: list, coverage: board.coverage, viewers: board.viewers, dropped, groups: collected };
  },
  async close() {
    const closing = viewers;
    for (const group of groups.values()) group.collect();
    viewers = [];
    groups = new Map();
    // Closing is best effort: a socket that does not close in time is dropped with the process later.
    await Promise.race([Promise.all(closing.map((v) => v.close())), sleep(10_000)]);
    return null;
  },
});
