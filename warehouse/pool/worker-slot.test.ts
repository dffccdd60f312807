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
import type { ScanStats, ScanUnit, WorkerTask } from '../fragment/fragment.js';
import { unpackReply, type WorkerFailure } from '../fragment/worker-reply.js';
import { writePartitions } from '../load/write-partitions.js';
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
    const [written] = await writePartitions(openObjectStore(storageUrl), COLUMNS, { length: ROWS, columns: [{ kind: 'f64', length: ROWS, values, nulls: null }] }, {
      clusterBy: [],
      partitionRows: ROWS,
      keyPrefix: 't1/p',
      reserve: () => {},
    });
    unit = { partitionId: 1, objectKey: written.objectKey, rowCount: ROWS, filterMode: 'all' };
    pool = new WarehousePool('CANCEL_WH', 'XSMALL', { home: dir, storageUrl, cacheDir: path.join(dir, 'cache'), memoryCacheBytes: 64 << 20, diskCacheBytes: 64 << 20, workerHeapBytes: 256 << 20 });
  });

  afterAll(async () => {
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** GROUP BY x over the partition `times` times: one hash aggregate batch per unit. */
  function groupBy(times: number): WorkerTask {
    return {
      kind: 'scan',
      fragment: {
        tableColumns: COLUMNS,
        scanColumns: [0],
        filter: null,
        steps: [],
        output: {
          kind: 'aggregate',
          groupBy: [{ kind: 'column', index: 0, type: Types.float }],
          aggregates: [{ fn: 'count_star', arg: null, distinct: false, type: Types.number(18, 0) }],
          perPartition: false,
          memoryBudget: Number.MAX_SAFE_INTEGER,
        },
      },
      units: Array.from({ length: times }, () => unit),
    };
  }

  it('stops a running task at its next batch, drops its queued task, and keeps the thread and its cache', async () => {
    // Enough units that the run lasts long against scheduling noise: the cancel lands mid-run.
    const UNITS = 150;
    // Warm the thread first (module load, column cache, JIT), so the timed run below is not inflated.
    await pool.run<Uint8Array>(0, groupBy(2), [], statement());
    // Uncanceled, for comparison.
    let started = performance.now();
    const full = (await pool.run<Uint8Array>(0, groupBy(UNITS), [], statement())) as Uint8Array;
    const fullMs = performance.now() - started;
    expect(unpackReply<ScanStats>(full).meta.rowsScanned).toBe(UNITS * ROWS);

    const st = statement();
    started = performance.now();
    const running = pool.run<Uint8Array | WorkerFailure>(0, groupBy(UNITS), [], st);
    // Queued behind the running task on the same (only) slot. If it started, the worker would answer it.
    const queued = pool.run<Uint8Array | WorkerFailure>(0, groupBy(1), [], st);
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
    const next = (await pool.run<Uint8Array>(0, groupBy(1), [], statement())) as Uint8Array;
    expect(unpackReply<ScanStats>(next).meta).toMatchObject({ rowsScanned: ROWS, cacheMisses: 0 });
    expect(unpackReply<ScanStats>(next).meta.cacheHits).toBeGreaterThan(0);
  });
});
