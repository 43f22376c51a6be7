import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from './project-root.js';

const SOURCE_DIR = join(PROJECT_ROOT, 'scripts', 'ferretdb');
export const FERRET_BINARY = join(SOURCE_DIR, 'bin', 'ferretdb');
const sources = () => readdirSync(SOURCE_DIR).filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum').map((f) => join(SOURCE_DIR, f));
const MIN_GO: readonly [number, number] = [1, 24];

const HELP =
  'The embedded database (FerretDB on SQLite) is built from scripts/ferretdb with Go >= 1.24.\n' +
  'Install Go 1.24 or newer and run `npm run build:db`, or set MONGODB_URI to use a MongoDB server instead.';

export interface FerretBinary {
  path: string;
  /** False when an up-to-date binary was already there. */
  built: boolean;
}

function goVersion(): [number, number] | null {
  const result = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return null;
  const match = /go(\d+)\.(\d+)/.exec(result.stdout);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function isFresh(): boolean {
  if (!existsSync(FERRET_BINARY)) return false;
  const builtAt = statSync(FERRET_BINARY).mtimeMs;
  return sources().every((source) => statSync(source).mtimeMs <= builtAt);
}

/** Returns the embedded FerretDB program, building it with Go when missing or older than its sources. */
export function ensureFerretBinary(progress: (message: string) => void = () => {}): FerretBinary {
  if (isFresh()) return { path: FERRET_BINARY, built: false };
  const version = goVersion();
  if (!version) throw new Error(`Go was not found.\n${HELP}`);
  const [major, minor] = version;
  if (major < MIN_GO[0] || (major === MIN_GO[0] && minor < MIN_GO[1])) {
    throw new Error(`Go ${version.join('.')} is too old.\n${HELP}`);
  }
  progress('Building the embedded FerretDB (first time only, about a minute)...');
  try {
    execFileSync('go', ['build', '-trimpath', '-o', FERRET_BINARY, '.'], {
      cwd: SOURCE_DIR,
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, CGO_ENABLED: '0' },
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr;
    const detail = stderr ? String(stderr).trim().split('\n').slice(-5).join('\n') : (error as Error).message;
    throw new Error(`Building FerretDB failed:\n${detail}\n${HELP}`);
  }
  return { path: FERRET_BINARY, built: true };
}
