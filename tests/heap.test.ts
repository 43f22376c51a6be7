import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT } from '../server/platform/heap.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds a live heap of about 25 MB, then churns through garbage that lives long enough to reach the
 * old generation, so V8 runs several major collections and sets a new limit after each.
 */
const WORKLOAD = `
  const settle = process.argv.includes('settle');
  if (settle) (await import('./server/platform/heap.ts')).spaceOutMajorCollections();
  globalThis.live = Array.from({ length: 400_000 }, (_, i) => ({ i, name: 'idea ' + i }));
  const ring = [];
  for (let round = 0; round < 300; round++) {
    ring.push(Array.from({ length: 20_000 }, (_, i) => ({ i, votes: [i] })));
    if (ring.length > 8) ring.shift();
    await new Promise((resolve) => setImmediate(resolve));
  }
  console.log('kept', globalThis.live.length);
`;

/** The growing factor V8 applied after each major collection, from its verbose GC trace. */
async function growingFactors(nodeArgs: string[], workloadArgs: string[]): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--trace-gc-verbose', ...nodeArgs, '--input-type=module', '-e', WORKLOAD, ...workloadArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errors = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  child.stderr!.on('data', (chunk) => (errors += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code, errors).toBe(0);
  expect(out).toContain('kept 400000');
  return [...out.matchAll(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/g)].map((m) => Number(m[1]));
}

describe('major collections', () => {
  // A small heap ceiling makes V8 pick a small factor of its own, so the override shows.
  const smallHeap = ['--max-old-space-size=512'];

  it('lets the old generation grow four times its live size before the next one', async () => {
    const own = await growingFactors(smallHeap, []);
    expect(own.length).toBeGreaterThan(1);
    expect(Math.max(...own)).toBeLessThan(4);

    const spaced = await growingFactors(smallHeap, ['settle']);
    expect(spaced.length).toBeGreaterThan(1);
    expect(new Set(spaced)).toEqual(new Set([1 + HEAP_GROWING_PERCENT / 100]));
  });

  it('leaves the choice to whoever starts node with --heap-growing-percent', async () => {
    const given = await growingFactors([...smallHeap, '--heap-growing-percent=50'], ['settle']);
    expect(given.length).toBeGreaterThan(1);
    expect(new Set(given)).toEqual(new Set([1.5]));
  });
});
