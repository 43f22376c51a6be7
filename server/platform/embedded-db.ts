import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureFerretBinary } from './ferret-binary.js';
import { log } from './log.js';

export interface EmbeddedDatabase {
  uri: string;
  stop(): Promise<void>;
}

/**
 * Starts FerretDB on SQLite with its files under `<dataDir>/ferretdb`, on a free loopback port.
 * The child also exits when our stdin pipe closes, so a crashed app never leaves it behind. It runs
 * in its own process group: a Ctrl-C in the terminal reaches the whole foreground group, and the
 * database must outlive the app's last vote writes, so only the app stops it.
 */
export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const binary = ensureFerretBinary((message) => log.info(message)).path;
  const folder = resolve(join(dataDir, 'ferretdb'));
  mkdirSync(folder, { recursive: true });

  const child = spawn(binary, ['-data', folder, '-listen', '127.0.0.1:0'], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stderrTail = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000);
  });

  const uri = await new Promise<string>((resolveUri, reject) => {
    const lines = createInterface({ input: child.stdout });
    const fail = (why: string) => reject(new Error(`The embedded database did not start: ${why}\n${stderrTail.trim()}`));
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

  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) log.error({ ferretdbPid: child.pid, code, signal, stderr: stderrTail.trim() }, 'embedded FerretDB exited unexpectedly');
  });
  log.info({ ferretdbPid: child.pid, folder }, 'embedded FerretDB started');
  // Where the admin command line finds the database while the app runs: two FerretDB processes must never share the SQLite files.
  const uriFile = join(folder, URI_FILE);
  writeFileSync(uriFile, uri);

  return {
    uri,
    stop: async () => {
      stopping = true;
      rmSync(uriFile, { force: true });
      await stopChild(child);
      log.info({ ferretdbPid: child.pid, code: child.exitCode, signal: child.signalCode }, 'embedded FerretDB stopped');
    },
  };
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
