// Locates or builds the embedded FerretDB program. Plain JS so that the build script can run it
// before any TypeScript tooling is installed; the server imports it too.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleDir = dirname(fileURLToPath(import.meta.url));
export const FERRET_BINARY = join(moduleDir, 'bin', 'ferretdb');
const SOURCES = ['main.go', 'go.mod', 'go.sum'].map((f) => join(moduleDir, f));
const MIN_GO = [1, 24];

const HELP =
  'The embedded database (FerretDB on SQLite) is built from scripts/ferretdb with Go >= 1.24.\n' +
  'Install Go 1.24 or newer and run `npm run build:db`, or set MONGODB_URI to use a MongoDB server instead.';

function goVersion() {
  const result = spawnSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return null;
  const match = /go(\d+)\.(\d+)/.exec(result.stdout);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function isFresh() {
  if (!existsSync(FERRET_BINARY)) return false;
  const builtAt = statSync(FERRET_BINARY).mtimeMs;
  return SOURCES.every((source) => statSync(source).mtimeMs <= builtAt);
}

/** Returns the binary's path, building it when missing or older than its sources. */
export function ensureFerretBinary({ log = () => {} } = {}) {
  if (isFresh()) return { path: FERRET_BINARY, built: false };
  const version = goVersion();
  if (!version) throw new Error(`Go was not found.\n${HELP}`);
  if (version[0] < MIN_GO[0] || (version[0] === MIN_GO[0] && version[1] < MIN_GO[1])) {
    throw new Error(`Go ${version.join('.')} is too old.\n${HELP}`);
  }
  log('Building the embedded FerretDB (first time only, about a minute)...');
  try {
    execFileSync('go', ['build', '-trimpath', '-o', FERRET_BINARY, '.'], {
      cwd: moduleDir,
      stdio: ['ignore', 'inherit', 'pipe'],
      env: { ...process.env, CGO_ENABLED: '0' },
    });
  } catch (error) {
    const detail = error.stderr ? String(error.stderr).trim().split('\n').slice(-5).join('\n') : error.message;
    throw new Error(`Building FerretDB failed:\n${detail}\n${HELP}`);
  }
  return { path: FERRET_BINARY, built: true };
}
