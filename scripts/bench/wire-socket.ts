import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { now } from './ipc.js';

export interface WireSocketOptions {
  localAddress?: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  /**
   * Each text message's bytes, with the time its TCP read arrived. The bytes are a view of a buffer
   * the next read reuses: copy what must outlive the call.
   */
  onMessage: (payload: Buffer, receivedAt: number) => void;
  /** The connection ended after the handshake. */
  onClose?: () => void;
}

const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
const TEXT = 0x1;
const CLOSE = 0x8;
const PING = 0x9;
const PONG = 0xa;

/**
 * A WebSocket client (RFC 6455) cut down to what the bench's generators need: text messages out
 * (masked, as a client must), unfragmented text messages in, ping and close. The `ws` client, and
 * Node's stream events, each cost the load core more per message received; with ten thousand viewers
 * on one core, that decides whether the bench measures the server or its own viewers.
 */
export class WireSocket {
  /** Settles when the handshake is done; messages may arrive (to `onMessage`) just before. */
  readonly opened: Promise<void>;
  private readonly socket: Socket;
  /** A message's first part when a read ended inside it: copied out of the shared read buffer. */
  private pending: Buffer | null = null;
  private onHandshake: ((chunk: Buffer) => void) | null = null;
  private open = false;
  private closed = false;

  constructor(
    url: string,
    private readonly options: WireSocketOptions,
  ) {
    const target = new URL(url);
    // Reads land in one buffer shared by every socket of the process: no allocation and no stream
    // events per message, which at tens of thousands of messages a second is most of a viewer's cost.
    const socket = connect({
      host: target.hostname,
      port: Number(target.port),
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      onread: { buffer: READ_BUFFER, callback: (bytes: number, buffer: Uint8Array) => this.onBytes(buffer, bytes) },
    });
    socket.setNoDelay(true);
    this.socket = socket;
    this.opened = new Promise((resolve, reject) => {
      let head: Buffer = Buffer.alloc(0);
      const fail = (why: string) => {
        clearTimeout(timer);
        socket.destroy();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail(`no WebSocket handshake within ${options.timeoutMs} ms`), options.timeoutMs);
      const onEarlyError = (error: Error) => fail(error.message);
      this.onHandshake = (chunk: Buffer) => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = head.subarray(0, head.indexOf('\r\n')).toString();
        if (!/^HTTP\/1\.1 101/.test(status)) return fail(`handshake refused: ${status}`);
        clearTimeout(timer);
        this.open = true;
        this.onHandshake = null;
        socket.off('error', onEarlyError);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.ended());
        resolve();
        if (end + 4 < head.length) this.receive(head.subarray(end + 4));
      };
      socket.on('error', onEarlyError);
      socket.once('connect', () => {
        const headers = { ...options.headers, Host: target.host, Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'Sec-WebSocket-Version': '13' };
        const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
        socket.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\n${lines.join('')}\r\n`);
      });
    });
  }

  send(text: string): void {
    this.write(TEXT, Buffer.from(text));
  }

  close(): Promise<void> {
    this.closed = true;
    if (!this.open) this.socket.destroy();
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.write(CLOSE, Buffer.alloc(0));
      this.socket.end();
    });
  }

  /** Client frames are masked (RFC 6455 §5.3). */
  private write(opcode: number, payload: Buffer): void {
    if (this.socket.destroyed) return;
    const length = payload.length;
    const header = Buffer.alloc(length < 126 ? 6 : length < 65_536 ? 8 : 14);
    header[0] = 0x80 | opcode;
    let at = 2;
    if (length < 126) header[1] = 0x80 | length;
    else if (length < 65_536) {
      header[1] = 0x80 | 126;
      header.writeUInt16BE(length, 2);
      at = 4;
    } else {
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(length), 2);
      at = 10;
    }
    const mask = randomBytes(4);
    mask.copy(header, at);
    for (let i = 0; i < length; i++) payload[i]! ^= mask[i & 3]!;
    this.socket.write(Buffer.concat([header, payload]));
  }

  /** Always true: returning false would pause the socket. */
  private onBytes(buffer: Uint8Array, bytes: number): true {
    const chunk = Buffer.from(buffer.buffer, buffer.byteOffset, bytes);
    if (this.onHandshake) this.onHandshake(chunk);
    else if (this.open) this.receive(chunk);
    return true;
  }

  private receive(chunk: Buffer): void {
    const data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    const receivedAt = now();
    let at = 0;
    while (at + 2 <= data.length) {
      const opcode = data[at]! & 0x0f;
      let length = data[at + 1]! & 0x7f;
      let start = at + 2;
      if (length === 126) {
        if (start + 2 > data.length) break;
        length = data.readUInt16BE(at + 2);
        start += 2;
      } else if (length === 127) {
        if (start + 8 > data.length) break;
        length = Number(data.readBigUInt64BE(at + 2));
        start += 8;
      }
      if (start + length > data.length) break;
      const payload = data.subarray(start, start + length);
      at = start + length;
      if (opcode === TEXT) this.options.onMessage(payload, receivedAt);
      else if (opcode === PING) this.write(PONG, Buffer.from(payload));
      else if (opcode === CLOSE) this.socket.end();
    }
    if (at < data.length) this.pending = Buffer.from(data.subarray(at));
  }

  private ended(): void {
    if (!this.closed) this.options.onClose?.();
    this.closed = true;
  }
}
