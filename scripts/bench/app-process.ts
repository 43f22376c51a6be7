import { spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { now, type ChildSet } from './ipc.js';
import type { ServerCpu } from './results.js';

const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const FOLLOW_PARENT = fileURLToPath(new URL('./follow-parent.ts', import.meta.url));
const READY = /Recl@im ideas board on http:\/\/localhost:(\d+)/;
const DATABASE = /Embedded FerretDB on (mongodb:\/\/\S+)/;
const INSPECTOR = /Debugger listening on (ws:\/\/\S+)/;
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces. */
function procStat(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** Seconds one CPU spent busy so far, and how many of them in softirq (where loopback TCP delivery runs). */
function cpuCoreSeconds(cpu: number): { busy: number; softirq: number } {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`cpu${cpu} `));
  if (!line) return { busy: Number.NaN, softirq: Number.NaN };
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = line.split(/\s+/).slice(1).map(Number);
  return { busy: (user + nice + system + irq + softirq) / CLOCK_TICKS, softirq: softirq / CLOCK_TICKS };
}

/** How busy the server core, the app's two processes and the load generators' cores were between `start` and `stop`. */
export class CpuProbe {
  private before: ReturnType<CpuProbe['sample']> | null = null;
  result: ServerCpu | null = null;

  constructor(
    private readonly app: AppProcess,
    private readonly serverCpu: number | null,
    private readonly loadCpus: number[],
  ) {}

  start(): void {
    this.before = this.sample();
  }

  stop(): void {
    const before = this.before;
    if (!before) return;
    const after = this.sample();
    const seconds = (after.at - before.at) / 1000;
    const share = (from: number, to: number) => (to - from) / seconds;
    this.result = {
      app: share(before.app, after.app),
      database: share(before.database, after.database),
      core: before.core && after.core ? share(before.core.busy, after.core.busy) : Number.NaN,
      softirq: before.core && after.core ? share(before.core.softirq, after.core.softirq) : Number.NaN,
      load: this.loadCpus.length > 0 ? share(before.load, after.load) / this.loadCpus.length : Number.NaN,
    };
  }

  private sample() {
    return {
      at: now(),
      ...this.app.cpuSeconds(),
      core: this.serverCpu === null ? null : cpuCoreSeconds(this.serverCpu),
      load: this.loadCpus.reduce((total, cpu) => total + cpuCoreSeconds(cpu).busy, 0),
    };
  }
}

/** How busy the server core was while `task` ran; where the server is not pinned, how busy process `pid` was. */
export async function busyDuring<T>(serverCpu: number | null, pid: number, task: () => Promise<T>): Promise<{ result: T; busy: number }> {
  const sample = () => ({ at: now(), seconds: serverCpu === null ? cpuSeconds(pid) : cpuCoreSeconds(serverCpu).busy });
  const before = sample();
  const result = await task();
  const after = sample();
  return { result, busy: (after.seconds - before.seconds) / ((after.at - before.at) / 1000) };
}

/** User + system CPU seconds of a process, all its threads. */
function cpuSeconds(pid: number): number {
  const fields = procStat(pid);
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/**
 * The real app as people run it (`server/main.ts`, embedded FerretDB, built client), in its own
 * process. `--inspect-port` arms the inspector without opening it: it opens only on SIGUSR1, when
 * the bench needs a forced GC or a CPU profile, so the measured runs carry no debugger.
 */
export class AppProcess {
  private output = '';
  private inspector: Inspector | null = null;
  private databasePid: number | undefined;

  private constructor(
    private readonly children: ChildSet,
    readonly child: ChildProcess,
    readonly url: string,
    readonly databaseUri: string,
    /** FACILITATOR_CODE in the app's environment: what `POST /api/facilitator/session` takes. */
    readonly facilitatorCode: string,
  ) {}

  /**
   * Alone, on a fresh embedded database; with `shared`, as one of several servers on one database
   * and one Redis (the cluster's servers share their facilitator code too).
   */
  static async start(
    children: ChildSet,
    options: { cpus: string | null; dataDir: string; timeoutMs: number; shared?: { mongodbUri: string; redisUrl: string; facilitatorCode: string } },
  ): Promise<AppProcess> {
    // The bench signs its facilitator in with this run's own code, whatever the shell sets.
    const facilitatorCode = options.shared?.facilitatorCode ?? randomBytes(12).toString('hex');
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: options.dataDir, FACILITATOR_CODE: facilitatorCode };
    // A fresh embedded database on one server: whatever the shell points at is not this run's.
    delete env.MONGODB_URI;
    delete env.REDIS_URL;
    if (options.shared) Object.assign(env, { MONGODB_URI: options.shared.mongodbUri, REDIS_URL: options.shared.redisUrl });
    const child = children.spawnNode(MAIN, { cpus: options.cpus, nodeArgs: ['--inspect-port=127.0.0.1:0'], preload: FOLLOW_PARENT, env });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const { port, databaseUri } = await new Promise<{ port: string; databaseUri: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the app did not start within ${options.timeoutMs} ms:\n${output}`)), options.timeoutMs);
      const check = () => {
        const ready = READY.exec(output);
        const database = options.shared?.mongodbUri ?? DATABASE.exec(output)?.[1];
        if (ready && database) {
          clearTimeout(timer);
          resolve({ port: ready[1]!, databaseUri: database });
        }
      };
      child.stdout!.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the app exited (${code}) while starting:\n${output.trim()}`));
      });
    });
    const app = new AppProcess(children, child, `http://127.0.0.1:${port}`, databaseUri, facilitatorCode);
    child.stdout!.off('data', collect);
    child.stderr!.off('data', collect);
    child.stdout!.on('data', (chunk: Buffer) => app.append(chunk));
    child.stderr!.on('data', (chunk: Buffer) => app.append(chunk));
    return app;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resident set of the app's Node process (its FerretDB child is a separate process, not counted). */
  rssBytes(): number {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    if (!kb) throw new Error('no VmRSS in /proc status');
    return Number(kb[1]) * 1024;
  }

  /** CPU seconds so far of the app's Node process and of its embedded FerretDB, which share the server's core. */
  cpuSeconds(): { app: number; database: number } {
    // The app's children are FerretDB and tsx's esbuild service; only the first is the database.
    this.databasePid ??= readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .find((pid) => {
        try {
          return Number(procStat(pid)[1]) === this.pid && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'ferretdb';
        } catch {
          return false;
        }
      });
    return { app: cpuSeconds(this.pid), database: this.databasePid ? cpuSeconds(this.databasePid) : Number.NaN };
  }

  async collectGarbage(): Promise<void> {
    await (await this.openInspector()).call('HeapProfiler.collectGarbage');
  }

  /** Evaluates `expression` in the app's main context (the inspector's Runtime.evaluate) and returns its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const reply = (await (await this.openInspector()).call('Runtime.evaluate', { expression, returnByValue: true })) as { result: { value: T }; exceptionDetails?: { text: string } };
    if (reply.exceptionDetails) throw new Error(`the app could not evaluate ${expression.slice(0, 60)}…: ${reply.exceptionDetails.text}`);
    return reply.result.value;
  }

  async startProfile(): Promise<void> {
    const inspector = await this.openInspector();
    await inspector.call('Profiler.enable');
    await inspector.call('Profiler.setSamplingInterval', { interval: 500 });
    await inspector.call('Profiler.start');
  }

  /** Returns the profile as a .cpuprofile document (Chrome DevTools, speedscope). */
  async stopProfile(): Promise<unknown> {
    const inspector = await this.openInspector();
    const { profile } = (await inspector.call('Profiler.stop')) as { profile: unknown };
    await inspector.call('Profiler.disable');
    return profile;
  }

  async stop(): Promise<void> {
    this.inspector?.close();
    this.inspector = null;
    await this.children.stop(this.child, 15_000);
  }

  /** What the app printed lately, for error reports. */
  tail(): string {
    return this.output.trim();
  }

  private append(chunk: Buffer): void {
    this.output = (this.output + chunk.toString()).slice(-20_000);
    if (process.env.BENCH_APP_LOG) appendFileSync(process.env.BENCH_APP_LOG, chunk);
  }

  private async openInspector(): Promise<Inspector> {
    if (this.inspector) return this.inspector;
    this.child.kill('SIGUSR1');
    const deadline = Date.now() + 10_000;
    let match: RegExpExecArray | null = null;
    while (!(match = INSPECTOR.exec(this.output)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (!match) throw new Error('the app did not open its inspector on SIGUSR1');
    this.inspector = await Inspector.open(match[1]!);
    return this.inspector;
  }
}

/** The few DevTools-protocol calls the bench makes, over the inspector's loopback WebSocket. */
class Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown; error?: { message: string } };
      const waiter = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  static open(url: string): Promise<Inspector> {
    const ws = new WebSocket(url, { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Inspector(ws)));
      ws.once('error', reject);
    });
  }

  call(method: string, params: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`inspector: no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.ws.close();
  }
}
