/**
 * Cancellation in a real warehouse (real worker threads from dist/, real Parquet partition):
 * a canceled statement's running task stops at its next batch and answers CANCELED as plain
 * data, its queued task never reaches the worker, and the same thread (warm cache) runs the
 * next statement's task.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceError } from '../../storage/errors/firn-error.js';
import { openObjectStore } from '../../storage/object-store/open-object-store.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import { CancelFlag, CancelReason } from '../cancel/cancel-flag.js';
import type { ScanUnit } from '../fragment/fragment.js';
import type { StageTask, StageTaskReply } from '../fragment/stage-plan.js';
import type { WorkerFailure } from '../fragment/worker-reply.js';
import { writeMicroPartitions } from '../load/write-micro-partitions.js';
import { WarehousePool } from './warehouse-pool.js';
import type { TaskCancel } from './worker-slot.js';

const ROWS = 50_000;
const COLUMNS: Column[] = [{ name: 'X', type: Types.float, nullable: false }];

/** A statement's cancellation as services make it (services/session/deadline.ts): a flag and a signal. */
function statement(): TaskCancel & { cancel(): void } {
  const flag = CancelFlag.create();
  const controller = new AbortController();
  return {
    flag,
    signal: controller.signal,
    cancel() {
      flag.cancel(CancelReason.CLIENT);
      controller.abort();
    },
  };
}

describe('WorkerSlot cancellation', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-cancel-'));
  const storageUrl = pathToFileURL(path.join(dir, 'data')).href;
  let pool: WarehousePool;
  let unit: ScanUnit;

  beforeAll(async () => {
    const values = Float64Array.from({ length: ROWS }, (_, i) => i);
    const rows = [{ length: ROWS, columns: [{ kind: 'f64' as const, length: ROWS, values, nulls: null }] }];
    const [written] = await writeMicroPartitions((async function* () {
      yield* rows;
    })(), { store: openObjectStore(storageUrl), columns: COLUMNS, clusterBy: [], partitionRows: ROWS, keyPrefix: 't1/p', reserve: () => {}, cancel: null, memoryBytes: 64 << 20 });
    unit = { partitionId: 1, objectKey: written.objectKey, rowCount: ROWS, byteSize: written.byteSize, etag: written.etag, filterMode: 'all' };
    pool = new WarehousePool('CANCEL_WH', 'XSMALL', { home: dir, storageUrl, cacheDir: path.join(dir, 'cache'), memoryCacheBytes: 64 << 20, diskCacheBytes: 64 << 20, workerHeapBytes: 256 << 20 });
  });

  afterAll(async () => {
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** GROUP BY x over the partition `times` times: a stage task of one scan and one hash aggregate, batch by batch. */
  function groupBy(times: number): StageTask {
    const scan = { kind: 'scan_exec' as const, id: 0, types: [Types.float], table: 'T', tableColumns: COLUMNS, scanColumns: [0], filter: null, limit: null };
    const root = {
      kind: 'hash_aggregate_exec' as const,
      id: 1,
      types: [Types.float, Types.number(18, 0)],
      input: scan,
      phase: 'single' as const,
      groupBy: [{ kind: 'column' as const, index: 0, type: Types.float }],
      aggregates: [{ fn: 'count_star' as const, arg: null, distinct: false, type: Types.number(18, 0) }],
    };
    return {
      kind: 'stage',
      queryId: 'q',
      stage: { id: 0, tasks: 1, root, output: { kind: 'gather' }, inputs: [], estimatedRows: 0, runtimeFilters: [] },
      task: 0,
      consumerTasks: 1,
      units: Array.from({ length: times }, () => unit),
      inputs: {},
      memoryBytes: Number.MAX_SAFE_INTEGER,
      spillDir: path.join(dir, 'spill'),
      spillBytes: 1 << 30,
    };
  }

  it('stops a running task at its next batch, drops its queued task, and keeps the thread and its cache', async () => {
    // Enough units that the run lasts long against scheduling noise: the cancel lands mid-run.
    const UNITS = 150;
    // Warm the thread first (module load, column cache, JIT), so the timed run below is not inflated.
    await pool.run<StageTaskReply>(0, groupBy(2), [], statement());
    // Uncanceled, for comparison.
    let started = performance.now();
    const full = await pool.run<StageTaskReply>(0, groupBy(UNITS), [], statement());
    const fullMs = performance.now() - started;
    expect(full.stats.rowsScanned).toBe(UNITS * ROWS);

    const st = statement();
    started = performance.now();
    const running = pool.run<StageTaskReply | WorkerFailure>(0, groupBy(UNITS), [], st);
    // Queued behind the running task on the same (only) slot. If it started, the worker would answer it.
    const queued = pool.run<StageTaskReply | WorkerFailure>(0, groupBy(1), [], st);
    const queuedOutcome = queued.then(
      (reply) => ({ reply, error: null }),
      (error: unknown) => ({ reply: null, error }),
    );
    await new Promise((r) => setTimeout(r, fullMs / 10));
    st.cancel();
    const q = await queuedOutcome;
    expect(q.reply).toBeNull();
    expect(q.error).toBeInstanceOf(ResourceError);
    expect((q.error as ResourceError).code).toBe('000604');

    // The worker answers the running task's cancellation as plain data, long before it could have finished.
    const reply = await running;
    const stoppedMs = performance.now() - started;
    expect((reply as WorkerFailure).error).toEqual({ name: 'ResourceError', codeName: 'CANCELED', message: 'SQL execution canceled' });
    expect(stoppedMs).toBeLessThan(fullMs / 2);

    // A canceled statement's new tasks never start.
    await expect(pool.run(0, groupBy(1), [], st)).rejects.toThrow('SQL execution canceled');

    // The same thread runs the next statement's task, from its warm cache.
    const next = await pool.run<StageTaskReply>(0, groupBy(1), [], statement());
    expect(next.stats).toMatchObject({ rowsScanned: ROWS, cacheMisses: 0 });
    expect(next.stats.cacheHits).toBeGreaterThan(0);
  });
});
