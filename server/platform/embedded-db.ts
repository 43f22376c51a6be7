import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureFerretBinary } from './ferret-binary.js';
import { log } from './log.js';

export interface EmbeddedDatabase {
  uri: string;
  /** The running FerretDB's process id (a new one after each restart). */
  pid(): number | null;
  stop(): Promise<void>;
}

/** How long to wait before each restart of a FerretDB that died: quick at first, then backing off. */
const RESTART_BACKOFF_MS = [100, 500, 1_000, 2_000, 5_000, 10_000];
/** Up this long after a restart, it counts as healthy again: the next death starts the backoff afresh. */
const STABLE_AFTER_MS = 60_000;

/**
 * Starts FerretDB on SQLite with its files under `<dataDir>/ferretdb`, on a free loopback port, and
 * supervises it: should it die, it is started again on the same port (so the driver's connection
 * pool finds it by itself), after a backoff, every time it dies. The child also exits when our stdin
 * pipe closes, so a crashed app never leaves it behind. It runs in its own process group: a Ctrl-C in
 * the terminal reaches the whole foreground group, and the database must outlive the app's last vote
 * writes, so only the app stops it.
 */
export async function startEmbeddedDatabase(dataDir: string, options: { restartBackoffMs?: readonly number[] } = {}): Promise<EmbeddedDatabase> {
  const backoff = options.restartBackoffMs ?? RESTART_BACKOFF_MS;
  const binary = ensureFerretBinary((message) => log.info(message)).path;
  const folder = resolve(join(dataDir, 'ferretdb'));
  mkdirSync(folder, { recursive: true });

  let current = await launch(binary, folder, '127.0.0.1:0');
  const { uri } = current;
  const listen = `127.0.0.1:${new URL(uri).port}`;
  let stopping = false;
  let deaths = 0;
  let restartTimer: NodeJS.Timeout | null = null;
  let stableTimer: NodeJS.Timeout | null = null;

  const supervise = (running: Launched) => {
    running.child.once('exit', (code, signal) => {
      if (stopping) return;
      if (stableTimer) clearTimeout(stableTimer);
      const delayMs = backoff[Math.min(deaths, backoff.length - 1)]!;
      deaths++;
      log.error({ ferretdbPid: running.child.pid, code, signal, stderr: running.stderrTail(), restartInMs: delayMs, deaths }, 'embedded FerretDB exited unexpectedly: restarting it');
      scheduleRestart(delayMs);
    });
  };
  const scheduleRestart = (delayMs: number) => {
    restartTimer = setTimeout(() => {
      restartTimer = null;
      launch(binary, folder, listen).then(
        async (next) => {
          if (stopping) return stopChild(next.child);
          current = next;
          supervise(next);
          log.info({ ferretdbPid: next.child.pid, uri, deaths }, 'embedded FerretDB restarted');
          stableTimer = setTimeout(() => (deaths = 0), STABLE_AFTER_MS);
          stableTimer.unref();
        },
        (error: unknown) => {
          if (stopping) return;
          const retryInMs = backoff[Math.min(deaths++, backoff.length - 1)]!;
          log.error({ err: error, retryInMs }, 'embedded FerretDB did not restart: trying again');
          scheduleRestart(retryInMs);
        },
      );
    }, delayMs);
  };
  supervise(current);

  log.info({ ferretdbPid: current.child.pid, folder }, 'embedded FerretDB started');
  // Where the admin command line finds the database while the app runs: two FerretDB processes must never share the SQLite files.
  const uriFile = join(folder, URI_FILE);
  writeFileSync(uriFile, uri);

  return {
    uri,
    pid: () => current.child.pid ?? null,
    stop: async () => {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      if (stableTimer) clearTimeout(stableTimer);
      rmSync(uriFile, { force: true });
      const { child } = current;
      await stopChild(child);
      log.info({ ferretdbPid: child.pid, code: child.exitCode, signal: child.signalCode }, 'embedded FerretDB stopped');
    },
  };
}

interface Launched {
  child: ChildProcess;
  uri: string;
  stderrTail(): string;
}

/** One FerretDB process, once it has printed the address it listens on. */
async function launch(binary: string, folder: string, listen: string): Promise<Launched> {
  const child = spawn(binary, ['-data', folder, '-listen', listen], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stderrTail = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
  });
  // A write to the stdin pipe of a child that died must not become an unhandled error.
  child.stdin!.on('error', () => undefined);

  const uri = await new Promise<string>((resolveUri, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (why: string) => {
      child.kill('SIGKILL');
      reject(new Error(`The embedded database did not start: ${why}\n${stderrTail.trim()}`));
    };
    const timer = setTimeout(() => fail('no answer within 30 s'), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      line.startsWith('mongodb://') ? resolveUri(line.trim()) : fail(`unexpected output "${line}"`);
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(error.message);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(`it exited with code ${code}`);
    });
  });
  return { child, uri, stderrTail: () => stderrTail.trim() };
}

const URI_FILE = 'running.uri';

/** The address of the embedded database a running app started on this data folder, if one did. */
export function runningEmbeddedUri(dataDir: string): string | null {
  try {
    return readFileSync(join(resolve(dataDir), 'ferretdb', URI_FILE), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    log.warn({ ferretdbPid: child.pid }, 'embedded FerretDB ignored SIGTERM for 5 s: killing it');
    child.kill('SIGKILL');
  }, 5_000);
  await exited;
  clearTimeout(timer);
}
