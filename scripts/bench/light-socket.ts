import { WireSocket } from './wire-socket.js';

/**
 * A Socket.IO client reduced to what the bench needs, speaking Engine.IO v4 / Socket.IO v5 frames
 * over a bare WebSocket: socket.io-client tops out near 50k messages/s per process, which would
 * measure the load generator instead of the server.
 *
 *   server → client   0{...}  engine open          client → server   40        connect to "/"
 *                     40{...} connected                              3         pong
 *                     44{...} connect refused                        42N[e,p]  event with ack id N
 *                     2       ping
 *                     42[e,p] event
 *                     43N[r]  ack N
 */
/** An event's bytes (`42[...]`), valid only during the call, as WireSocket hands them over. */
type FrameListener = (frame: Buffer, receivedAt: number) => void;

export interface LightSocketOptions {
  /** The server's base URL on loopback, e.g. http://127.0.0.1:3000 */
  base: string;
  localAddress?: string;
  cookie?: string;
  /** Sent as X-Forwarded-For: the network the app takes this client to be on. */
  forwardedFor?: string;
  timeoutMs: number;
  onFrame?: FrameListener;
  onDrop?: () => void;
}

const EVENT_PREFIX = '42';
const ACK_PREFIX = '43';
const DIGIT_2 = 0x32;
const DIGIT_3 = 0x33;
const DIGIT_4 = 0x34;

export class LightSocket {
  private nextAck = 0;
  private readonly acks = new Map<number, (reply: unknown) => void>();

  private constructor(
    private readonly ws: WireSocket,
    private readonly options: LightSocketOptions,
  ) {}

  static connect(options: LightSocketOptions): Promise<LightSocket> {
    const url = `${options.base.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
    return new Promise((resolve, reject) => {
      let connected = false;
      const fail = (why: string) => {
        clearTimeout(timer);
        void ws.close();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail(`no Socket.IO connect within ${options.timeoutMs} ms`), options.timeoutMs);
      const ws = new WireSocket(url, {
        timeoutMs: options.timeoutMs,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...(options.forwardedFor ? { 'x-forwarded-for': options.forwardedFor } : {}) },
        onMessage: (payload, receivedAt) => {
          if (connected) return socket.receive(payload, receivedAt);
          const frame = payload.toString('utf8');
          if (frame[0] === '0') ws.send('40');
          else if (frame.startsWith('40')) {
            connected = true;
            clearTimeout(timer);
            resolve(socket);
          } else if (frame.startsWith('44')) fail(`connect refused: ${frame.slice(2)}`);
        },
        onClose: () => {
          if (connected) options.onDrop?.();
          else fail('closed during the handshake');
        },
      });
      const socket = new LightSocket(ws, options);
      ws.opened.catch((error: Error) => fail(error.message));
    });
  }

  /** Sends `42N["event",payload]` and resolves with the ack's first argument, or rejects on timeout. */
  emit(event: string, payload: unknown, timeoutMs: number): Promise<unknown> {
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error('TIMEOUT'));
      }, timeoutMs);
      this.acks.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.ws.send(`${EVENT_PREFIX}${id}${JSON.stringify([event, payload])}`);
    });
  }

  close(): Promise<void> {
    return this.ws.close();
  }

  /** By its first bytes, so the viewers' tally frames reach `onFrame` without being decoded here. */
  private receive(payload: Buffer, receivedAt: number): void {
    if (payload[0] === DIGIT_4 && payload[1] === DIGIT_2) this.options.onFrame?.(payload, receivedAt);
    else if (payload[0] === DIGIT_4 && payload[1] === DIGIT_3) {
      const frame = payload.toString('utf8');
      const open = frame.indexOf('[');
      const id = Number(frame.slice(ACK_PREFIX.length, open));
      const waiter = this.acks.get(id);
      if (!waiter) return;
      this.acks.delete(id);
      waiter((JSON.parse(frame.slice(open)) as unknown[])[0]);
    } else if (payload.length === 1 && payload[0] === DIGIT_2) this.ws.send('3');
  }
}

/** A bare WebSocket to the ceiling server: frames arrive as they are, with the same listener path as the board's. */
export async function connectRaw(url: string, options: Omit<LightSocketOptions, 'base' | 'cookie'>): Promise<{ close(): Promise<void> }> {
  const ws = new WireSocket(url, {
    timeoutMs: options.timeoutMs,
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    onMessage: (frame, receivedAt) => options.onFrame?.(frame, receivedAt),
    onClose: () => options.onDrop?.(),
  });
  await ws.opened;
  return ws;
}
