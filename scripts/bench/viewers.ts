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

export type ViewerApi = {
  /** Opens `count` viewers: Socket.IO sockets that watch `area`, or bare WebSockets to the ceiling server. */
  connect: {
    params: { target: 'board' | 'raw'; url: string; count: number; area: string | null; sources: string[]; concurrency: number; timeoutMs: number };
    result: { connected: number; failed: number; firstError: string | null };
  };
  /** Forgets earlier frames and starts counting deliveries. */
  begin: { params: null; result: null };
  count: { params: null; result: { delivered: number } };
  collect: { params: null; result: { frames: FrameStat[]; coverage: Coverage; viewers: number; dropped: number } };
  close: { params: null; result: null };
};

const TALLY_PREFIX = Buffer.from('42["tally:changed"');

interface Viewer {
  close(): Promise<void>;
}

interface FrameEntry extends Omit<FrameStat, 'frame'> {
  /** A copy of the frame's bytes, to recognise the next viewer's copy of it without decoding. */
  bytes: Buffer;
  counts: [string, number][] | null;
}

let viewers: Viewer[] = [];
let watchers: Watcher[] = [];
let frames = new Map<string, FrameEntry>();
/** The frame received last: viewers of one board and phase get the same one back to back. */
let lastFrame: FrameEntry | null = null;
const tracker = new CoverageTracker();
let delivered = 0;
let dropped = 0;

/**
 * Every viewer of a board sees the same frames when the board sends them all at once, and viewers in
 * the same phase do when it staggers them; either way a frame's text identifies it: per distinct
 * frame we keep how many viewers got it and when the first and last did (delivery rate, the ceiling's
 * spread), parsed once, and a board viewer's receipt moves it to its next holding. A frame equal to
 * the one before is recognised by its bytes: decoding and hashing each copy cost a viewer process
 * more than the rest of its work per message, and the load core is as busy as the server's.
 */
function onFrame(payload: Buffer, receivedAt: number, watcher: Watcher | null): void {
  if (payload.length < TALLY_PREFIX.length || payload.compare(TALLY_PREFIX, 0, TALLY_PREFIX.length, 0, TALLY_PREFIX.length) !== 0) return;
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
  tracker.receive(watcher, entry, entry.counts, receivedAt);
}

const onDrop = () => void dropped++;

async function openViewer(params: ViewerApi['connect']['params'], index: number): Promise<Viewer> {
  const localAddress = params.sources[index % params.sources.length];
  const common = { timeoutMs: params.timeoutMs, onDrop, ...(localAddress ? { localAddress } : {}) };
  if (params.target === 'raw') return connectRaw(params.url, { ...common, onFrame: (frame, at) => onFrame(frame, at, null) });
  const watcher: Watcher = { holding: null };
  const socket = await LightSocket.connect({ base: params.url, ...common, onFrame: (frame, at) => onFrame(frame, at, watcher) });
  const ack = (await socket.emit('board:watch', { area: params.area ?? undefined }, params.timeoutMs)) as { ok: boolean; message?: string };
  if (!ack.ok) {
    await socket.close();
    throw new Error(`board:watch refused: ${ack.message}`);
  }
  watchers.push(watcher);
  return socket;
}

serve<ViewerApi>({
  async connect(params) {
    let next = 0;
    let failed = 0;
    let firstError: string | null = null;
    const deadline = now() + params.timeoutMs * 4 + params.count * 5;
    // A few lanes in parallel keep the server's accept queue short while the ramp stays quick.
    const lane = async () => {
      while (next < params.count && now() < deadline) {
        const index = next++;
        try {
          viewers.push(await openViewer(params, index));
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
    return { connected: viewers.length, failed, firstError };
  },
  async begin() {
    frames = new Map();
    lastFrame = null;
    tracker.startRound(watchers);
    delivered = 0;
    dropped = 0;
    return null;
  },
  async count() {
    return { delivered };
  },
  async collect() {
    const list = [...frames].map(([frame, { viewers, first, last }]) => ({ frame, viewers, first, last }));
    frames = new Map();
    lastFrame = null;
    return { frames: list, coverage: tracker.endRound(watchers), viewers: watchers.length, dropped };
  },
  async close() {
    const closing = viewers;
    tracker.endRound(watchers);
    viewers = [];
    watchers = [];
    // Closing is best effort: a socket that does not close in time is dropped with the process later.
    await Promise.race([Promise.all(closing.map((v) => v.close())), sleep(10_000)]);
    return null;
  },
});
