import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Column } from '../../../storage/types/schema.js';
import { CancelFlag, CancelReason } from '../../cancel/cancel-flag.js';
import type { StageTaskReply } from '../../fragment/stage-plan.js';
import type { WorkerFailure } from '../../fragment/worker-reply.js';
import { WarehousePool } from '../../pool/warehouse-pool.js';
import type { TaskCancel } from '../../pool/worker-slot.js';
import { N, S, TestWarehouse, chunkOf, chunkRows, column, exec, source, stageTask, tempDir } from './stage-test-kit.js';

// Real worker threads running the compiled worker in dist/ (run `npx tsc -p tsconfig.build.json` first).
const tmp = tempDir('firn-stage-worker-');
const wh = new TestWarehouse(tmp.dir);
const pool = new WarehousePool('STAGE_WH', 'SMALL', {
  storageUrl: pathToFileURL(path.join(tmp.dir, 'data')).href,
  home: tmp.dir,
  cacheDir: path.join(tmp.dir, 'cache'),
  memoryCacheBytes: 1 << 24,
  diskCacheBytes: 1 << 24,
  workerHeapBytes: 1 << 30,
});
afterAll(async () => {
  await pool.close();
  tmp.remove();
});

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

const tableColumns: Column[] = [
  { name: 'K', type: N, nullable: true },
  { name: 'V', type: S, nullable: true },
];

describe('a stage task on a warehouse worker', () => {
  it('scans, hash-partitions its output and answers the chunks (transferred) with its profile', async () => {
    const units = await wh.table('w1', tableColumns, [
      [[1, 'a'], [2, 'b'], [3, 'c']],
      [[1, 'd'], [null, 'e']],
    ]);
    const scan = exec({ kind: 'scan_exec', table: 'W1', tableColumns, scanColumns: [0, 1], filter: null, limit: null, types: [N, S] });
    const task = stageTask(scan, path.join(tmp.dir, 'spill'), { units, consumerTasks: 2, output: { kind: 'hash', keys: [column(0, N)] } });
    const reply = await pool.run<StageTaskReply | WorkerFailure>(1, task);
    if ('error' in reply) throw new Error(reply.error.message);
    expect(reply.stats).toMatchObject({ rowsScanned: 5, cacheMisses: 4 });
    expect(reply.profile).toEqual([expect.objectContaining({ id: scan.id, operator: 'scan_exec', rowsOut: 5 })]);
    const parts = await Promise.all(reply.outputs.map((o) => chunkRows([N, S], o)));
    expect(parts.flat().map((r) => r[1]).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    const ones = parts.map((p) => p.filter((r) => r[0] === '1').length);
    expect(ones.sort()).toEqual([0, 2]);
  });

  it('answers broadcast chunks as views on one SharedArrayBuffer', async () => {
    const task = stageTask(source(1, [N]), path.join(tmp.dir, 'spill'), { inputs: { 1: [chunkOf([N], [[1], [2]]), chunkOf([N], [[3]])] }, consumerTasks: 3, output: { kind: 'broadcast' } });
    const reply = await pool.run<StageTaskReply>(0, task);
    expect(reply.outputs.length).toBe(1);
    for (const c of reply.outputs[0]) expect(c.kind === 'ipc' && c.bytes.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(await chunkRows([N], reply.outputs[0])).toEqual([['1'], ['2'], ['3']]);
  });

  it('a canceled task stops within 200 ms: its progress counter stops and it answers CANCELED', async () => {
    // A CROSS join of 4000 x 4000 rows (16M pairs, 8192 per batch) feeding a count: seconds of CPU.
    const rows = Array.from({ length: 4000 }, (_, i) => [i]);
    const cross = exec({ kind: 'hash_join_exec', left: source(1, [N]), right: source(2, [N]), spec: { type: 'CROSS', left: [N], right: [N], keys: [], buildSide: 'right' }, types: [N, N] });
    const count = exec({ kind: 'hash_aggregate_exec', input: cross, phase: 'single', groupBy: [], aggregates: [{ fn: 'count_star', arg: null, distinct: false, type: N }], types: [N] });
    const task = stageTask(count, path.join(tmp.dir, 'spill'), { inputs: { 1: [chunkOf([N], rows)], 2: [chunkOf([N], rows)] } });
    const st = statement();
    const answered = pool.run<StageTaskReply | WorkerFailure>(0, task, [], st).then((r) => ({ r, at: Date.now() }));
    const started = Date.now();
    while (st.flag.progress() < 500_000 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 2));
    const before = st.flag.progress();
    expect(before).toBeGreaterThanOrEqual(500_000);
    st.cancel();
    const canceledAt = Date.now();
    const { r, at } = await answered;
    expect((r as WorkerFailure).error.codeName).toBe('CANCELED');
    expect(at - canceledAt).toBeLessThan(200);
    const stopped = st.flag.progress();
    await new Promise((r) => setTimeout(r, 300));
    expect(st.flag.progress()).toBe(stopped);
    expect(stopped).toBeLessThan(16_000_000);
  });
});
