import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer } from 'ws';
import { now, serve } from './ipc.js';
import { textFrame } from '../../server/transport/ws-frame.js';

export type CeilingApi = {
  listen: { params: null; result: { port: number } };
  /**
   * The board's job on bare ws: every `intervalMs`, one frame to every viewer. Each round's frame
   * is told apart by a round number written over its first idea id, so its size does not change.
   */
  pace: { params: { frame: string; intervalMs: number; durationMs: number }; result: { rounds: { frame: string; sentAt: number }[] } };
  /** The same frame, round after round with no pause, for `durationMs`: the most the box delivers. */
  blast: { params: { frame: string; durationMs: number }; result: { rounds: number } };
};

/**
 * The box's own limit for this job: a bare WebSocket server writing one pre-encoded frame to every
 * viewer as fast as the sockets drain, with nothing else to do (no rooms, no packets, no acks).
 */
const sockets = new Set<Socket>();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (ws, request) => {
  const socket = request.socket as Socket;
  sockets.add(socket);
  ws.on('close', () => sockets.delete(socket));
  ws.on('error', () => undefined);
});

/**
 * A socket whose last frame the kernel has not taken yet skips the round: writes then always take
 * Node's synchronous path, and the ceiling is what the box moves, not what piles up in buffers.
 */
function writeToAll(bytes: Buffer): void {
  for (const socket of sockets) {
    if (socket.writableLength === 0) socket.write(bytes);
  }
}

const ID_FIELD = '"counts":{"';

function tagged(frame: string, round: number): string {
  const at = frame.indexOf(ID_FIELD) + ID_FIELD.length;
  if (at < ID_FIELD.length) return frame;
  return frame.slice(0, at) + round.toString(16).padStart(24, '0') + frame.slice(at + 24);
}

serve<CeilingApi>({
  async listen() {
    await new Promise<void>((resolve) => (wss.address() ? resolve() : wss.once('listening', resolve)));
    return { port: (wss.address() as AddressInfo).port };
  },
  pace({ frame, intervalMs, durationMs }) {
    const rounds: { frame: string; sentAt: number }[] = [];
    const end = now() + durationMs;
    return new Promise((resolve) => {
      // Like the app's setInterval tick: a late round is not made up for.
      const timer = setInterval(() => {
        if (now() >= end) {
          clearInterval(timer);
          return resolve({ rounds });
        }
        const text = tagged(frame, rounds.length);
        rounds.push({ frame: text, sentAt: now() });
        writeToAll(textFrame(text));
      }, intervalMs);
    });
  },
  blast({ frame, durationMs }) {
    const bytes = textFrame(frame);
    const end = now() + durationMs;
    let rounds = 0;
    return new Promise((resolve) => {
      const round = () => {
        if (now() >= end) return resolve({ rounds });
        rounds++;
        writeToAll(bytes);
        // setImmediate lets the sockets' I/O and the IPC channel run between rounds.
        setImmediate(round);
      };
      round();
    });
  },
});
