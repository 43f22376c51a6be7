import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureFerretBinary } from '../../server/platform/ferret-binary.js';

/**
 * The services several app servers share, started for a run (the bench's cluster, the soak, the
 * deployment tests): Debian's redis-server and one FerretDB, each on a free loopback port, each
 * gone when stopped or when this process dies.
 */
export interface Service {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Waits for a line of `child`'s stdout that `match` accepts, and resolves with what it returns. */
function lineOf<T>(child: ChildProcess, what: string, match: (line: string) => T | null, timeoutMs = 30_000): Promise<T> {
  let tail = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (tail = (tail + chunk).slice(-2_000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms\n${tail}`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const found = match(line);
      if (found === null) return;
      clearTimeout(timer);
      resolve(found);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) while starting\n${tail}`));
    });
    child.once('error', reject);
  });
}

/** redis-server on loopback, no persistence; on `port` when given (a restart keeps its address). */
export async function startRedis(port?: number): Promise<Service> {
  const chosen = port ?? (await freePort());
  const child = spawn('redis-server', ['--port', String(chosen), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await lineOf(child, 'redis-server', (line) => (/Ready to accept connections/i.test(line) ? true : null), 10_000);
  child.stdout!.resume();
  return { url: `redis://127.0.0.1:${chosen}`, child, stop: () => stopChild(child) };
}

/**
 * One FerretDB for every app server: ours (scripts/ferretdb), on SQLite under `dataDir`, or on the
 * PostgreSQL database `postgresqlUrl`. It exits with this process (its stdin is our pipe).
 */
export async function startFerretDb(options: { dataDir: string; postgresqlUrl?: string; cpus?: string | null }): Promise<Service> {
  const binary = ensureFerretBinary().path;
  const folder = join(options.dataDir, 'ferretdb');
  mkdirSync(folder, { recursive: true });
  const args = ['-data', folder, '-listen', '127.0.0.1:0', ...(options.postgresqlUrl ? ['-postgresql-url', options.postgresqlUrl] : [])];
  const [command, argv] = options.cpus ? ['taskset', ['-c', options.cpus, binary, ...args]] : [binary, args];
  const child = spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  const url = await lineOf(child, 'FerretDB', (line) => (line.startsWith('mongodb://') ? line.trim() : null));
  child.stdout!.resume();
  return { url, child, stop: () => stopChild(child) };
}
