import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeBatchIpc, encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { gatherBatch } from '../execute/batch/gather-batch.js';
import { collect, makeBatches, multiset, rowsOf, type Row } from '../execute/spill/spill-test-kit.js';
import { readRunRange, writeSortedRun } from './sorted-run.js';

// Cluster key (CITY, DAY): few distinct values, NULLs, so ties span block borders.
const COLUMNS: Column[] = [
  { name: 'ID', type: Types.number(38, 0), nullable: true },
  { name: 'CITY', type: Types.varchar, nullable: true },
  { name: 'DAY', type: Types.date, nullable: true },
];
const TYPES = COLUMNS.map((c) => c.type);
const CLUSTER = [1, 2];
const KEY_COLUMNS = CLUSTER.map((i) => COLUMNS[i]);
const CITIES = ['Oslo', 'Bergen', 'Alta', 'Bodo'];

function key(r: Row): [string | null, number | null] {
  return [r[1] as string | null, r[2] as number | null];
}
/** ASC NULLS LAST on (CITY, DAY). */
function compare(a: Row, b: Row): number {
  const x = key(a);
  const y = key(b);
  for (let k = 0; k < 2; k++) {
    if (x[k] === y[k]) continue;
    if (x[k] === null) return 1;
    if (y[k] === null) return -1;
    return (x[k] as string | number) < (y[k] as string | number) ? -1 : 1;
  }
  return 0;
}

describe('sorted runs', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'firn-runs-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('splits runs at any bounds into disjoint ranges that hold every row once, reading each range sorted', async () => {
    const gen = [(row: number) => BigInt(row), (_: number, rand: () => number) => (rand() < 0.1 ? null : CITIES[Math.floor(rand() * 4)]), (_: number, rand: () => number) => (rand() < 0.1 ? null : Math.floor(rand() * 3))];
    const inputs = [0, 1, 2].map((s) => makeBatches(TYPES, gen, 1, 300 + 50 * s, s + 1)[0]);
    const runs = [];
    const samples: Batch[] = [];
    for (const [i, b] of inputs.entries()) {
      const { run, sample } = await writeSortedRun(home, path.join(home, 'spill', `run-${i}.arrow`), COLUMNS, CLUSTER, b, 16);
      expect(run.blocks.length).toBe(Math.ceil(b.length / 16));
      runs.push(run);
      samples.push(decodeBatchIpc(sample).batch);
    }
    const all = rowsOf(inputs, TYPES);
    // Bounds: sampled keys, incl. repeated ones (an empty range) and a NULL key.
    const sample = samples[0];
    const order = rowsOf([sample], KEY_COLUMNS.map((c) => c.type));
    const picks = [10, 60, 60, 120, order.length - 1];
    expect(order[picks[4]].includes(null)).toBe(true);
    const bounds = gatherBatch(sample, Int32Array.from(picks));
    const boundsBatch = decodeBatchIpc(encodeBatchIpc(KEY_COLUMNS, bounds)).batch;
    const boundRows: Row[] = rowsOf([boundsBatch], KEY_COLUMNS.map((c) => c.type)).map((k) => [null, ...k]);
    const seen: Row[] = [];
    for (let j = 0; j <= picks.length; j++) {
      const lo = j - 1;
      const hi = j < picks.length ? j : -1;
      for (const run of runs) {
        const rows = rowsOf(await collect(readRunRange(home, run, CLUSTER, KEY_COLUMNS, boundsBatch, lo, hi)), TYPES);
        for (const r of rows) {
          if (lo >= 0) expect(compare(r, boundRows[lo])).toBeGreaterThanOrEqual(0);
          if (hi >= 0) expect(compare(r, boundRows[hi])).toBeLessThan(0);
        }
        expect(rows.findIndex((r, i) => i > 0 && compare(rows[i - 1], r) > 0)).toBe(-1);
        seen.push(...rows);
      }
    }
    expect(multiset(seen)).toEqual(multiset(all));
  });

  it('answers nothing for an empty run, and refuses a run path outside FIRN_HOME', async () => {
    const empty = makeBatches(TYPES, [() => 1n, () => 'x', () => 1], 1, 0)[0];
    const { run } = await writeSortedRun(home, path.join(home, 'spill', 'r.arrow'), COLUMNS, CLUSTER, empty);
    expect(run.rows).toBe(0);
    expect(await collect(readRunRange(home, run, CLUSTER, KEY_COLUMNS, empty, -1, -1))).toEqual([]);
    await expect(writeSortedRun(home, path.join(home, '..', 'elsewhere.arrow'), COLUMNS, CLUSTER, empty)).rejects.toMatchObject({ name: 'InternalError' });
  });
});
