import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
// @ts-expect-error plain JS shared with the install script; its one export is typed below
import { ensureFerretBinary } from '../scripts/ferretdb/binary.mjs';

export interface EmbeddedDatabase {
  uri: string;
  stop(): Promise<void>;
}

const ensureBinary = ensureFerretBinary as (opts?: { log?: (m: string) => void }) => { path: string };

/**
 * Starts FerretDB on SQLite with its files under `<dataDir>/ferretdb`, on a free loopback port.
 * The child also exits when our stdin pipe closes, so a crashed app never leaves it behind.
 */
export async function startEmbeddedDatabase(dataDir: string, log: (m: string) => void = () => {}): Promise<EmbeddedDatabase> {
  const binary = ensureBinary({ log }).path;
  const folder = resolve(join(dataDir, 'ferretdb'));
  mkdirSync(folder, { recursive: true });

  const child = spawn(binary, ['-data', folder, '-listen', '127.0.0.1:0'], { stdio: ['pipe', 'pipe', 'pipe'] });
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

  return { uri, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
