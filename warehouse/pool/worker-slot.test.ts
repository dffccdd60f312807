/**
 * Cancellation in a real warehouse (real worker threads from dist/, real Parquet partition):
 * a canceled statement's running task stops at its next batch and answers CANCELED as plain
 * data, its queued task never reaches the worker, and the same thread (warm cache) runs the
 * next statement's task.
 *
 * Scheduling on one slot (one real worker thread): tasks of different statements run at once
 * and interleave (a short task finishes while a long one still runs), a statement's own tasks
 * run one after the other, statements take turns round-robin when the thread is full, and
 * canceling one statement leaves the others running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
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
import type { WorkerConfig } from '../worker/worker-config.js';
import { WarehousePool } from './warehouse-pool.js';
import { MAX_STATEMENTS_PER_WORKER, WorkerSlot, type TaskCancel } from './worker-slot.js';

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

/** The compiled worker entry (worker threads load dist/, as WarehousePool does). */
const WORKER_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'warehouse', 'worker', 'warehouse-worker-entry.cjs');

/** How a pool run ended, as an event for order assertions. */
function settle<T>(events: string[], name: string, run: Promise<T>): Promise<{ reply: T | null; error: unknown }> {
  return run.then(
    (reply) => {
      events.push(name);
      return { reply, error: null };
    },
    (error: unknown) => {
      events.push(name);
      return { reply: null, error };
    },
  );
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

  it('runs a short statement\'s task while a long one runs on the same thread: the short one ends first', async () => {
    await pool.run<StageTaskReply>(0, groupBy(2), [], statement());
    const events: string[] = [];
    const long = statement();
    const longRun = settle(events, 'long', pool.run<StageTaskReply | WorkerFailure>(0, groupBy(150), [], long));
    // The long task has started (its rows are counted) before the short one is sent.
    while (long.flag.progress() === 0) await new Promise((r) => setTimeout(r, 5));
    const shortRun = settle(events, 'short', pool.run<StageTaskReply | WorkerFailure>(0, groupBy(1), [], statement()));
    const short = await shortRun;
    const longProgressWhenShortEnded = long.flag.progress();
    expect(events).toEqual(['short']);
    expect((short.reply as StageTaskReply).stats.rowsScanned).toBe(ROWS);
    const done = await longRun;
    expect(events).toEqual(['short', 'long']);
    expect((done.reply as StageTaskReply).stats.rowsScanned).toBe(150 * ROWS);
    // The long task went on after the short one ended.
    expect(long.flag.progress()).toBeGreaterThan(longProgressWhenShortEnded);
  });

  it('runs one statement\'s tasks on a thread one after the other', async () => {
    const events: string[] = [];
    const st = statement();
    // Alone, the second (short) task would end first; it waits for its statement's first one.
    const first = settle(events, 'first', pool.run<StageTaskReply | WorkerFailure>(0, groupBy(60), [], st));
    const second = settle(events, 'second', pool.run<StageTaskReply | WorkerFailure>(0, groupBy(1), [], st));
    const other = settle(events, 'other', pool.run<StageTaskReply | WorkerFailure>(0, groupBy(1), [], statement()));
    const [a, b, c] = await Promise.all([first, second, other]);
    // Another statement's short task does not wait for it.
    expect(events).toEqual(['other', 'first', 'second']);
    expect([a, b, c].map((r) => (r.reply as StageTaskReply).stats.rowsScanned)).toEqual([60 * ROWS, ROWS, ROWS]);
  });

  it('cancels one statement while another runs on the same thread: the other ends with all its rows', async () => {
    const events: string[] = [];
    const canceled = statement();
    const kept = statement();
    const canceledRun = settle(events, 'canceled', pool.run<StageTaskReply | WorkerFailure>(0, groupBy(150), [], canceled));
    const canceledQueued = settle(events, 'canceled queued', pool.run<StageTaskReply | WorkerFailure>(0, groupBy(1), [], canceled));
    const keptRun = settle(events, 'kept', pool.run<StageTaskReply | WorkerFailure>(0, groupBy(80), [], kept));
    while (canceled.flag.progress() === 0 || kept.flag.progress() === 0) await new Promise((r) => setTimeout(r, 5));
    canceled.cancel();
    const q = await canceledQueued;
    expect((q.error as ResourceError).code).toBe('000604');
    const r = await canceledRun;
    expect((r.reply as WorkerFailure).error).toEqual({ name: 'ResourceError', codeName: 'CANCELED', message: 'SQL execution canceled' });
    const k = await keptRun;
    expect((k.reply as StageTaskReply).stats.rowsScanned).toBe(80 * ROWS);
    // The queued task was dropped at the cancel; the running one stopped at its next batch, before the other ended.
    expect(events).toEqual(['canceled queued', 'canceled', 'kept']);
  });

  it('takes statements round-robin when the thread is full, not tasks in arrival order', async () => {
    const config: WorkerConfig = { storageUrl, home: dir, cacheDir: path.join(dir, 'cache', 'rr'), memoryCacheBytes: 64 << 20, diskCacheBytes: 64 << 20, cacheShare: null };
    // One statement at a time on this slot, so the order tasks start in is the order they end in.
    const slot = new WorkerSlot(new Piscina({ filename: WORKER_FILE, minThreads: 1, maxThreads: 1, concurrentTasksPerWorker: 1, workerData: config }), 1);
    try {
      const events: string[] = [];
      const a = statement();
      const b = statement();
      const c = statement();
      const runs = [
        settle(events, 'a1', slot.run(groupBy(1), [], a)),
        settle(events, 'a2', slot.run(groupBy(1), [], a)),
        settle(events, 'a3', slot.run(groupBy(1), [], a)),
        settle(events, 'b1', slot.run(groupBy(1), [], b)),
        settle(events, 'b2', slot.run(groupBy(1), [], b)),
        settle(events, 'c1', slot.run(groupBy(1), [], c)),
      ];
      expect([slot.active, slot.queued]).toEqual([1, 5]);
      const outcomes = await Promise.all(runs);
      expect(outcomes.map((o) => (o.reply as StageTaskReply).stats.rowsScanned)).toEqual(Array(6).fill(ROWS));
      expect(events).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    } finally {
      await slot.destroy();
    }
  });

  it(`runs at most MAX_STATEMENTS_PER_WORKER (${MAX_STATEMENTS_PER_WORKER}) statements on a thread at once`, async () => {
    const statements = Array.from({ length: MAX_STATEMENTS_PER_WORKER + 1 }, () => statement());
    let atFirstEnd: number[] | null = null;
    // Tasks long enough (~0.2 s alone) that every running statement has had a turn before the
    // first ends, however late the thread gets to the others' messages on a loaded machine (20
    // units once ended with no other statement started in a fresh-clone CI run).
    const UNITS = 60;
    const runs = statements.map((st, i) =>
      pool.run<StageTaskReply | WorkerFailure>(0, groupBy(i === MAX_STATEMENTS_PER_WORKER ? 1 : UNITS), [], st).then((reply) => {
        atFirstEnd ??= statements.map((s) => s.flag.progress());
        return reply;
      }),
    );
    const replies = await Promise.all(runs);
    expect(replies.map((r) => (r as StageTaskReply).stats.rowsScanned)).toEqual([...Array(MAX_STATEMENTS_PER_WORKER).fill(UNITS * ROWS), ROWS]);
    // When the first task ended, all the first MAX_STATEMENTS_PER_WORKER had run batches and the last had not started.
    expect(atFirstEnd!.map((p) => p > 0)).toEqual([...Array(MAX_STATEMENTS_PER_WORKER).fill(true), false]);
  });

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
