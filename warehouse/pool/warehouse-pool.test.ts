import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Column } from '../../storage/types/schema.js';
import type { ScanUnit } from '../fragment/fragment.js';
import type { StageTask, StageTaskReply } from '../fragment/stage-plan.js';
import type { WorkerFailure } from '../fragment/worker-reply.js';
import { WarehousePool } from './warehouse-pool.js';
import { normalizeWarehouseSize, WAREHOUSE_SIZES } from './warehouse-sizes.js';

/** A 'stage' task scanning `units` of a one-column table into a gather output. */
function scanTask(dir: string, tableColumns: Column[], units: ScanUnit[]): StageTask {
  const root = { kind: 'scan_exec' as const, id: 0, types: tableColumns.map((c) => c.type), table: 'T', tableColumns, scanColumns: tableColumns.map((_, i) => i), filter: null, limit: null };
  return {
    kind: 'stage',
    queryId: 'q',
    stage: { id: 0, tasks: 1, root, output: { kind: 'gather' }, inputs: [], estimatedRows: 0, runtimeFilters: [] },
    task: 0,
    consumerTasks: 1,
    units,
    inputs: {},
    memoryBytes: 1 << 24,
    spillDir: path.join(dir, 'spill'),
    spillBytes: 1 << 24,
  };
}

// Real worker threads (the compiled worker in dist/, built by `npm test`'s pretest).
describe('WarehousePool', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-pool-'));
  const pools: WarehousePool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sizes follow Snowflake\'s T-shirt sizes and spellings', () => {
    expect([WAREHOUSE_SIZES.XSMALL, WAREHOUSE_SIZES.SMALL, WAREHOUSE_SIZES.MEDIUM, WAREHOUSE_SIZES.LARGE]).toEqual([1, 2, 4, 8]);
    expect(normalizeWarehouseSize('x-small')).toBe('XSMALL');
    expect(normalizeWarehouseSize("Medium")).toBe('MEDIUM');
    expect(normalizeWarehouseSize('2X-LARGE')).toBe('XXLARGE');
    expect(normalizeWarehouseSize('HUGE')).toBeNull();
    expect([WAREHOUSE_SIZES.X4LARGE, WAREHOUSE_SIZES.X5LARGE, WAREHOUSE_SIZES.X6LARGE]).toEqual([128, 256, 512]);
    expect(['4X-LARGE', 'X5LARGE', '5XLARGE', '6X-Large'].map(normalizeWarehouseSize)).toEqual(['X4LARGE', 'X5LARGE', 'X5LARGE', 'X6LARGE']);
  });

  it('runs the workers it is given instead of the size\'s node count, ready once each thread answers', async () => {
    const pool = new WarehousePool('CAPPED_WH', 'X6LARGE', {
      storageUrl: pathToFileURL(path.join(dir, 'data')).href,
      home: dir,
      cacheDir: path.join(dir, 'cache-capped'),
      memoryCacheBytes: 1 << 24,
      diskCacheBytes: 1 << 24,
      workerHeapBytes: 1 << 28,
      workers: 2,
    });
    pools.push(pool);
    expect(pool.workers).toBe(2);
    expect(pool.workerHeapMb).toBe(128);
    await pool.ready();
  });

  it('runs one worker thread per slot, each answering a stage task', async () => {
    const pool = new WarehousePool('TEST_WH', 'MEDIUM', {
      storageUrl: pathToFileURL(path.join(dir, 'data')).href,
      home: dir,
      cacheDir: path.join(dir, 'cache'),
      memoryCacheBytes: 1 << 20,
      diskCacheBytes: 1 << 20,
      workerHeapBytes: 1 << 30,
    });
    pools.push(pool);
    expect(pool.workers).toBe(4);
    const task = scanTask(dir, [], []);
    const replies = await Promise.all([0, 1, 2, 3].map((slot) => pool.run<StageTaskReply | WorkerFailure>(slot, task)));
    for (const r of replies) {
      expect('error' in r).toBe(false);
      expect((r as StageTaskReply).stats.rowsScanned).toBe(0);
    }
  });

  it('answers a worker failure as plain data that becomes the right error', async () => {
    const pool = pools[0];
    const bad = scanTask(dir, [{ name: 'X', type: { kind: 'NUMBER', precision: 38, scale: 0 }, nullable: true }], [
      { partitionId: 1, objectKey: 'missing/object.parquet', rowCount: 1, byteSize: 100, etag: null, filterMode: 'all' },
    ]);
    const reply = await pool.run<StageTaskReply | WorkerFailure>(1, bad);
    expect((reply as WorkerFailure).error.codeName).toBe('FILE_NOT_FOUND');
  });
});
