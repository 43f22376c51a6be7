import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * Commands a worker process answers: each maps a command name to its parameters and result.
 * Every worker is a separate Node process, so that load, app and baselines never share an event loop.
 */
export type Api = Record<string, { params: unknown; result: unknown }>;

interface Request {
  id: number;
  kind: string;
  params: unknown;
}
type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** Which CPUs the server side and the load side get (taskset lists), or null where the box cannot split them. */
export interface Pinning {
  server: string | null;
  load: string | null;
}

/** The server gets the first CPU this process may use, the load all the others; a container's cpuset is respected. */
export function choosePinning(): Pinning {
  const taskset = spawnSync('taskset', ['-p', '-c', String(process.pid)], { encoding: 'utf8' });
  const list = taskset.status === 0 ? taskset.stdout.split(':').at(-1)!.trim() : '';
  const cpus = list.split(',').flatMap((part) => {
    const [from, to = from] = part.split('-').map(Number);
    return Number.isInteger(from) && Number.isInteger(to) ? Array.from({ length: to! - from! + 1 }, (_, i) => from! + i) : [];
  });
  if (cpus.length < 2) return { server: null, load: null };
  return { server: String(cpus[0]), load: cpus.slice(1).join(',') };
}

/** Moves a running process (all its threads) onto `cpus`; used for the orchestrator itself. */
export function pinProcess(pid: number, cpus: string | null): void {
  if (cpus) spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

export const WORKER_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Every child this run started, so that they all go away at the end, on error too. */
export class ChildSet {
  private readonly children = new Set<ChildProcess>();

  /** Starts `node --import tsx <script>` pinned to `cpus`; taskset execs node, so the pid and IPC channel are node's. */
  spawnNode(
    script: string,
    options: { cpus: string | null; nodeArgs?: string[]; preload?: string; args?: string[]; env?: NodeJS.ProcessEnv; ipc?: boolean },
  ): ChildProcess {
    const preload = options.preload ? ['--import', options.preload] : [];
    const nodeArgv = [...(options.nodeArgs ?? []), '--import', 'tsx', ...preload, script, ...(options.args ?? [])];
    const [command, argv] = options.cpus ? ['taskset', ['-c', options.cpus, process.execPath, ...nodeArgv]] : [process.execPath, nodeArgv];
    const child = spawn(command, argv, {
      stdio: ['pipe', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
      env: options.env ?? process.env,
    });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  async stop(child: ChildProcess, graceMs = 5_000): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.children].map((child) => this.stop(child)));
  }

  /** Last resort when the orchestrator itself is dying: no waiting. */
  killAllNow(): void {
    for (const child of this.children) child.kill('SIGKILL');
  }
}

/** The orchestrator's handle on a worker process: typed request/response over the IPC channel. */
export class Worker<A extends Api> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private stderrTail = '';

  constructor(
    readonly name: string,
    readonly process: ChildProcess,
  ) {
    process.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4_000);
    });
    process.stdout?.resume();
    process.on('message', (message: Response) => {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${this.name}: ${message.error}`));
    });
    process.once('exit', (code, signal) => {
      const error = new Error(`${this.name} exited (${signal ?? code})${this.stderrTail ? `:\n${this.stderrTail.trim()}` : ''}`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    });
  }

  request<K extends keyof A & string>(kind: K, params: A[K]['params'], timeoutMs: number): Promise<A[K]['result']> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${kind} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as A[K]['result']);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const request: Request = { id, kind, params };
      this.process.send(request);
    });
  }
}

export type Handlers<A extends Api> = { [K in keyof A]: (params: A[K]['params']) => Promise<A[K]['result']> };

/** Worker side: answers the orchestrator's requests and exits when the orchestrator goes away. */
export function serve<A extends Api>(handlers: Handlers<A>): void {
  if (!process.send) throw new Error('This is a bench worker: run `npm run bench`.');
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (request: Request) => {
    let response: Response;
    try {
      const handler = handlers[request.kind as keyof A];
      if (!handler) throw new Error(`unknown command ${request.kind}`);
      response = { id: request.id, ok: true, result: await handler(request.params as A[keyof A]['params']) };
    } catch (error) {
      response = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
    process.send?.(response);
  });
}

/** Same machine, same clock: every process stamps events with this, so times compare across processes. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
