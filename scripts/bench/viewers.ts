import { now, serve, sleep } from './ipc.js';
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
  collect: { params: null; result: { frames: FrameStat[]; dropped: number } };
  close: { params: null; result: null };
};

const TALLY_PREFIX = '42["tally:changed"';

interface Viewer {
  close(): Promise<void>;
}

let viewers: Viewer[] = [];
let frames = new Map<string, Omit<FrameStat, 'frame'>>();
let delivered = 0;
let dropped = 0;

/**
 * Every viewer sees the same frames in the same order (one broadcast per tick per board), so a
 * frame's text identifies it: per distinct frame we keep how many viewers got it and when the
 * last one did, which is all the latency figure needs, without per-viewer state.
 */
function onFrame(frame: string, receivedAt: number): void {
  if (!frame.startsWith(TALLY_PREFIX)) return;
  delivered++;
  const stat = frames.get(frame);
  if (stat) {
    stat.viewers++;
    stat.last = receivedAt;
  } else frames.set(frame, { viewers: 1, first: receivedAt, last: receivedAt });
}

const onDrop = () => void dropped++;

async function openViewer(params: ViewerApi['connect']['params'], index: number): Promise<Viewer> {
  const localAddress = params.sources[index % params.sources.length];
  const common = { timeoutMs: params.timeoutMs, onFrame, onDrop, ...(localAddress ? { localAddress } : {}) };
  if (params.target === 'raw') return connectRaw(params.url, common);
  const socket = await LightSocket.connect({ base: params.url, ...common });
  const ack = (await socket.emit('board:watch', { area: params.area ?? undefined }, params.timeoutMs)) as { ok: boolean; message?: string };
  if (!ack.ok) {
    await socket.close();
    throw new Error(`board:watch refused: ${ack.message}`);
  }
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
    delivered = 0;
    dropped = 0;
    return null;
  },
  async count() {
    return { delivered };
  },
  async collect() {
    const list = [...frames].map(([frame, stat]) => ({ frame, ...stat }));
    frames = new Map();
    return { frames: list, dropped };
  },
  async close() {
    const closing = viewers;
    viewers = [];
    // Closing is best effort: a socket that does not close in time is dropped with the process later.
    await Promise.race([Promise.all(closing.map((v) => v.close())), sleep(10_000)]);
    return null;
  },
});
