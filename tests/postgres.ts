import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { freePort, type Service } from '../scripts/bench/services.js';

const PG_ROOT = '/usr/lib/postgresql';

/** Debian's PostgreSQL programs (the `postgresql` package), newest version first. */
function postgresBin(): string {
  const versions = existsSync(PG_ROOT) ? readdirSync(PG_ROOT).filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error('PostgreSQL is not installed: `apt-get install postgresql` (.ci/run does it in CI).');
  return join(PG_ROOT, newest, 'bin');
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user the package made. */
function asPostgres(program: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', program, ...args]] : [program, args];
}

/**
 * A throwaway PostgreSQL cluster for one test file: its own folder and a free loopback port, trusted
 * local logins, a database `reclaim`; nothing of the machine's own clusters is touched, so it is
 * the same on a fresh CI machine and on a laptop with PostgreSQL running.
 */
export async function startPostgres(): Promise<Service & { dir: string }> {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'reclaim-pg-'));
  if (process.getuid?.() === 0) {
    const owner = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(dir, Number(owner.stdout), Number(group.stdout));
  }
  const data = join(dir, 'data');
  const [initdb, initArgs] = asPostgres(join(bin, 'initdb'), ['-D', data, '--auth=trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C']);
  const made = spawnSync(initdb, initArgs, { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`initdb failed:\n${made.stderr}`);
  const port = await freePort();
  // No fsync: a test cluster need not survive the machine's crash, only the apps' restarts.
  const [postgres, args] = asPostgres(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']);
  const child = spawn(postgres, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 30 s\n${tail}`)), 30_000);
    createInterface({ input: child.stderr! }).on('line', (line) => {
      tail = (tail + line + '\n').slice(-2_000);
      if (/ready to accept connections/.test(line)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`PostgreSQL exited (${code})\n${tail}`)));
  });
  child.stdout!.resume();
  const created = spawnSync(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', 'CREATE DATABASE reclaim'], { encoding: 'utf8' });
  if (created.status !== 0) throw new Error(`creating the database failed:\n${created.stderr}`);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // SIGINT: PostgreSQL's fast shutdown.
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgres://postgres@127.0.0.1:${port}/reclaim`, child, dir, stop };
}
