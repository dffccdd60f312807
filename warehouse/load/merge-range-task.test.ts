import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeBatchIpc } from '../../storage/arrow/batch-ipc.js';
import { LocalObjectStore } from '../../storage/object-store/local-object-store.js';
import { readPartitionColumns } from '../../storage/partition/partition-reader.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { serveKeyReservations } from '../fragment/key-reservation.js';
import type { MergeWriteTask, SortedRun } from '../fragment/fragment.js';
import { runMergeWriteTask } from './merge-range-task.js';
import { writeSortedRun } from './sorted-run.js';

const COLUMNS: Column[] = [
  { name: 'K', type: Types.float, nullable: true },
  { name: 'SRC', type: Types.float, nullable: true },
];
const f64 = (xs: number[]) => ({ kind: 'f64' as const, length: xs.length, values: Float64Array.from(xs), nulls: null });
const batchOf = (keys: number[], src: number): Batch => ({ length: keys.length, columns: [f64(keys), f64(keys.map(() => src))] });

describe('runMergeWriteTask', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(tmpdir(), 'firn-merge-range-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('merges its key range of every run (ties in run order) into sorted partitions, each key reserved before its put', async () => {
    const store = new LocalObjectStore(path.join(home, 'data'));
    const runs: SortedRun[] = [];
    const inputs = [
      [9, 1, 5, 5, 3, 7],
      [2, 5, 8, 4, 6, 0],
    ];
    for (const [i, keys] of inputs.entries()) runs.push((await writeSortedRun(home, path.join(home, 'spill', `r${i}.arrow`), COLUMNS, [0], batchOf(keys, i), 2)).run);
    const bounds = encodeBatchIpc([COLUMNS[0]], { length: 2, columns: [f64([3, 6])] });
    const reserved: string[] = [];
    const channel = new MessageChannel();
    serveKeyReservations(channel.port1, (keys) => {
      reserved.push(...keys);
    });
    const task: MergeWriteTask = { kind: 'merge_write', columns: COLUMNS, clusterBy: [0], runs, bounds, lo: 0, hi: 1, partitionRows: 3, keyPrefix: 't1/q/c001', reservations: channel.port2 };
    const written = await runMergeWriteTask(task, home, store, null);
    channel.port1.close();
    expect(written.map((w) => [w.objectKey, w.rowCount])).toEqual([
      ['t1/q/c001-00000.parquet', 3],
      ['t1/q/c001-00001.parquet', 2],
    ]);
    expect(reserved).toEqual(written.map((w) => w.objectKey));
    const rows: number[][] = [];
    for (const w of written) {
      const b = readPartitionColumns(await store.get(w.objectKey), COLUMNS, [0, 1]);
      for (let i = 0; i < b.length; i++) rows.push(b.columns.map((v) => (v.kind === 'f64' ? v.values[i] : NaN)));
    }
    // [3, 6): 3, 4, 5, 5, 5 -- the run 0 fives before run 1's.
    expect(rows).toEqual([
      [3, 0],
      [4, 1],
      [5, 0],
      [5, 0],
      [5, 1],
    ]);
  });
});
