/**
 * Warehouse threads ended while they start: a SUSPEND right after an auto-resume, a resize or
 * a cluster stopped under a burst end threads still loading their code. On Node 20 and 22
 * that aborted the whole server when the thread loaded an ES module through require()
 * (warehouse-worker-entry.cts). A child process (an abort would take the test runner down)
 * starts and closes real warehouse pools over and over, each closed at a random moment of
 * its threads' start, four pools at a time; it must finish cleanly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const POOL_MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'warehouse', 'pool', 'warehouse-pool.js');

/**
 * The child: measures how long a pool's thread takes to start and answer (four at once), then
 * in four lanes creates pools and closes each between half and all of that time after its
 * start, when the thread is loading its code (before the fix, most runs aborted within 80
 * such closes).
 */
const CHILD = `
const { WarehousePool } = await import(process.env.POOL_MODULE);
const home = process.env.POOL_HOME;
const LANES = 4;
const ROUNDS = 20;
const make = () => new WarehousePool('CHURN_WH', 'XSMALL', { storageUrl: 'file://' + home + '/data', home, cacheDir: 'cache', memoryCacheBytes: 1 << 26, diskCacheBytes: 1 << 26, workerHeapBytes: 1 << 28 });
const starts = [];
for (let i = 0; i < 3; i++) {
  const pools = Array.from({ length: LANES }, make);
  const t = performance.now();
  await Promise.all(pools.map((p) => p.ready()));
  starts.push(performance.now() - t);
  await Promise.all(pools.map((p) => p.close()));
}
const startMs = starts.sort((a, b) => a - b)[1];
let closed = 0;
await Promise.all(Array.from({ length: LANES }, async () => {
  for (let i = 0; i < ROUNDS; i++) {
    const pool = make();
    pool.ready().catch(() => {});
    await new Promise((r) => setTimeout(r, (0.5 + Math.random() * 0.5) * startMs));
    await pool.close();
    closed++;
  }
}));
console.log('closed ' + closed);
`;

describe('warehouse threads ended while they start', () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'firn-worker-churn-'));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('never take the process down', () => {
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: { ...process.env, POOL_MODULE: pathToFileURL(POOL_MODULE).href, POOL_HOME: home },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ signal: child.signal, status: child.status, fatal: /FATAL ERROR[^\n]*/.exec(child.stderr)?.[0] ?? null }).toEqual({ signal: null, status: 0, fatal: null });
    expect(child.stdout.trim()).toBe('closed 80');
  }, 150_000);
});
