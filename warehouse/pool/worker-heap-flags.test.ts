import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { configureWorkerHeaps } from './worker-heap-flags.js';

/**
 * A worker thread that keeps ~25 MiB of objects alive while it allocates ~150 MiB of them
 * (what survives a scavenge reaches the old generation), then reports its young generation's
 * size and the major GCs it ran.
 */
const CHURN = `
const v8 = require('node:v8');
const { PerformanceObserver, constants } = require('node:perf_hooks');
let major = 0;
const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.detail.kind !== constants.NODE_PERFORMANCE_GC_MINOR) major++; });
obs.observe({ entryTypes: ['gc'] });
const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const live = [];
for (let r = 0; r < 24; r++) {
  const o = [];
  for (let j = 0; j < 100000; j++) o.push({ j, s: 'x' + j });
  live.push(o);
  if (live.length > 4) live.shift();
}
setTimeout(() => require('node:worker_threads').parentPort.postMessage({ newSpace, major, kept: live.length }), 50);
`;

function churn(): Promise<{ newSpace: number; major: number }> {
  const w = new Worker(CHURN, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 96, maxOldGenerationSizeMb: 2048 } });
  return new Promise((resolve, reject) => {
    w.once('message', (m) => void w.terminate().then(() => resolve(m)));
    w.once('error', reject);
  });
}

describe('configureWorkerHeaps', () => {
  it('gives worker threads created afterwards a 16 MiB young generation and fewer mark-compacts while the old generation stays small', async () => {
    const before = await churn();
    expect(before.newSpace).toBeLessThan(16 * 2 ** 20);
    configureWorkerHeaps();
    configureWorkerHeaps();
    const after = await churn();
    expect(after.newSpace).toBe(16 * 2 ** 20);
    // Node 20 and 24 run none at all; Node 22's V8 still starts one mark-compact (two GC events, of the four it runs without the flags).
    expect(after.major).toBeLessThan(before.major);
    if (!process.version.startsWith('v22.')) expect(after.major).toBe(0);
  });
});
