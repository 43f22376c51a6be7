import { now, serve, sleep } from './ipc.js';
import { LightSocket } from './light-socket.js';

/** The controls the bench's facilitator cycles through: voting paused and reopened, an idea spotlit and released. */
export const CONTROL_CYCLE = ['pause', 'open', 'spotlight', 'release'] as const;
export type BenchControl = (typeof CONTROL_CYCLE)[number];

export interface ControlRecord {
  action: BenchControl;
  ideaId: string | null;
  sentAt: number;
  ackAt: number;
  /** The session's seq after the control (from the ack), or -1 when it failed. */
  seq: number;
  error: string | null;
}

export type FacilitatorApi = {
  /** One socket signed in as a facilitator (its cookie), on the session's console (`live:join`). */
  connect: {
    params: { url: string; cookie: string; code: string; localAddress: string | null; timeoutMs: number };
    result: null;
  };
  /**
   * Sends one control every `intervalMs` for `durationMs` (the first after half an interval), cycling
   * pause, open, spotlight, release; an even number of them, so voting is open again at the end.
   */
  run: {
    params: { code: string; ideas: string[]; intervalMs: number; durationMs: number; ackTimeoutMs: number };
    result: { controls: ControlRecord[] };
  };
  close: { params: null; result: null };
};

interface ControlAck {
  ok: boolean;
  code?: string;
  message?: string;
  data?: { seq: number };
}

let socket: LightSocket | null = null;

serve<FacilitatorApi>({
  async connect({ url, cookie, code, localAddress, timeoutMs }) {
    socket = await LightSocket.connect({ base: url, cookie, timeoutMs, ...(localAddress ? { localAddress } : {}) });
    const ack = (await socket.emit('live:join', { code }, timeoutMs)) as ControlAck;
    if (!ack.ok) throw new Error(`the facilitator's live:join was refused: ${ack.message}`);
    return null;
  },

  async run({ code, ideas, intervalMs, durationMs, ackTimeoutMs }) {
    const own = socket;
    if (!own) throw new Error('connect first');
    const count = 2 * Math.floor(Math.max(0, durationMs - intervalMs / 2) / intervalMs / 2) || 2;
    const pending: Promise<ControlRecord>[] = [];
    const start = now();
    for (let i = 0; i < count; i++) {
      // Paced by the clock from the start, so a late timer does not push every later control back.
      const due = start + intervalMs / 2 + i * intervalMs;
      while (now() < due) await sleep(Math.max(1, Math.min(20, due - now())));
      const action = CONTROL_CYCLE[i % CONTROL_CYCLE.length]!;
      const ideaId = action === 'spotlight' ? ideas[Math.floor(i / CONTROL_CYCLE.length) % ideas.length]! : null;
      const sentAt = now();
      pending.push(
        own.emit('live:control', ideaId ? { code, action, ideaId } : { code, action }, ackTimeoutMs).then(
          (reply) => {
            const ack = reply as ControlAck;
            return { action, ideaId, sentAt, ackAt: now(), seq: ack.ok ? ack.data!.seq : -1, error: ack.ok ? null : (ack.code ?? 'ERROR') };
          },
          (error: Error) => ({ action, ideaId, sentAt, ackAt: now(), seq: -1, error: error.message }),
        ),
      );
    }
    return { controls: await Promise.all(pending) };
  },

  async close() {
    const closing = socket;
    socket = null;
    if (closing) await Promise.race([closing.close(), sleep(10_000)]);
    return null;
  },
});
