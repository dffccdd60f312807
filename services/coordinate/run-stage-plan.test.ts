import { existsSync, mkdirSync } from 'node:fs';
import { RUNTIME_FILTER_KEY_SET_LIMIT } from '../../warehouse/execute/stage/key-summary.js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { Column } from '../../storage/types/schema.js';
import { Types, type DataType } from '../../storage/types/data-type.js';
import { call, lit } from '../../warehouse/execute/expr-test-kit.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { Batch } from '../../storage/types/vector.js';
import type { ZoneMap } from '../../storage/partition/zone-map.js';
import { writePartition } from '../../storage/partition/partition-writer.js';
import type { ScanUnit } from '../../warehouse/fragment/fragment.js';
import type { ExecNode, Stage, StageOutput, StagePlan, StageScan, StageTask } from '../../warehouse/fragment/stage-plan.js';
import { RESULT_BATCHES_IN_FLIGHT } from '../../warehouse/fragment/result-stream.js';
import { serveKeyReservations } from '../../warehouse/fragment/key-reservation.js';
import { WarehousePool } from '../../warehouse/pool/warehouse-pool.js';
import { F, N, batchOfRows, chunkOf, column, exec, rowsOf, source, stageTask, tempDir, TestWarehouse } from '../../warehouse/execute/stage/stage-test-kit.js';
import type { StageTaskReply } from '../../warehouse/fragment/stage-plan.js';
import type { WorkerFailure } from '../../warehouse/fragment/worker-reply.js';
import { Deadline } from '../session/deadline.js';
import { newRunProgress, withRunProgress } from './run-progress.js';
import { runStagePlan, type CoordinateContext } from './run-stage-plan.js';
import { statementSpillDir } from './statement-spill-dir.js';
import { execNodes } from './map-exec-nodes.js';

// Real worker threads running the compiled worker in dist/ (run `npx tsc -p tsconfig.build.json` first).
const tmp = tempDir('firn-coordinate-');
const wh = new TestWarehouse(tmp.dir);
const pool = new WarehousePool('COORD_WH', 'SMALL', {
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

type Readable = string | number | boolean | null;
let nextTable = 0;
let nextQuery = 0;

/** A table written as one partition per entry (partition ids 1..n) and its scan as the planner leaves it. */
async function table(columns: Column[], partitions: Readable[][][]): Promise<StageScan> {
  const name = `t${nextTable++}`;
  const units: ScanUnit[] = [];
  const zoneMaps: ZoneMap[] = [];
  const types = columns.map((c) => c.type);
  for (let p = 0; p < partitions.length; p++) {
    const objectKey = `${name}/p${p}.parquet`;
    const { bytes, zoneMap } = writePartition(columns, batchOfRows(types, partitions[p]));
    const { etag } = await wh.store.put(objectKey, bytes);
    units.push({ partitionId: p + 1, objectKey, rowCount: partitions[p].length, byteSize: bytes.byteLength, etag, filterMode: 'all' });
    zoneMaps.push(zoneMap);
  }
  return { units, zoneMaps, partitionsTotal: partitions.length, predicate: null };
}

function scanOf(columns: Column[]): ExecNode {
  return exec({ kind: 'scan_exec', table: 'T', tableColumns: columns, scanColumns: columns.map((_, i) => i), filter: null, limit: null, types: columns.map((c) => c.type) });
}

function stage(id: number, root: ExecNode, output: StageOutput, o: Partial<Stage> = {}): Stage {
  return { id, tasks: 1, root, output, inputs: [], estimatedRows: 0, runtimeFilters: [], ...o };
}

function context(o: Partial<CoordinateContext> = {}): CoordinateContext {
  const queryId = `00000000-0000-4000-8000-${String(nextQuery++).padStart(12, '0')}`;
  return {
    pool,
    queryId,
    memoryBytes: 1 << 28,
    spillBytes: 1 << 28,
    spillDir: statementSpillDir(pool, queryId),
    pruning: true,
    deadline: Deadline.of(0),
    ...o,
  };
}

async function readAll(types: DataType[], batches: AsyncIterable<Batch>): Promise<Readable[][]> {
  const rows: Readable[][] = [];
  for await (const b of batches) rows.push(...(rowsOf(types, b) as Readable[][]));
  return rows;
}

const sortRows = (rows: Readable[][]) => [...rows].sort((a, b) => String(a).localeCompare(String(b)));
const KV: Column[] = [
  { name: 'K', type: N, nullable: true },
  { name: 'V', type: F, nullable: true },
];
/** What the uncanceled cross join of the failure test takes at least, measured on this machine. */
const CROSS_JOIN_MS = 3000;
const countStar = { fn: 'count_star' as const, arg: null, distinct: false, type: N };

describe('runStagePlan on a real warehouse (2 workers)', () => {
  it('counts its partitions and bytes scanned into the live progress of the statement it runs for (run-progress.ts)', async () => {
    const scan = await table(KV, [1, 2, 3].map((p) => [1, 2].map((k) => [k, p])));
    const s0 = stage(0, scanOf(KV), { kind: 'result' }, { tasks: 1, scan });
    const progress = newRunProgress();
    const run = withRunProgress(progress, () => runStagePlan({ stages: [s0], root: 0 }, context()));
    await readAll([N, F], run.batches);
    const { stats } = await run.done;
    expect(stats.bytesScanned).toBeGreaterThan(0);
    expect(progress).toEqual({ partitionsTotal: 3, partitionsScanned: 3, bytesScanned: stats.bytesScanned, filesTotal: 0, filesDone: 0, rowsLoaded: 0 });
    // Outside withRunProgress nothing is counted anywhere.
    const other = runStagePlan({ stages: [s0], root: 0 }, context());
    await readAll([N, F], other.batches);
    await other.done;
    expect(progress.partitionsTotal).toBe(3);
  });

  it('routes hash outputs by key: every key counted once, in one consumer task, both consumer tasks run', async () => {
    const scan = await table(KV, [1, 2, 3, 4].map((p) => [1, 2, 3, 4, 5].map((k) => [k, p])));
    const s0 = stage(0, scanOf(KV), { kind: 'hash', keys: [column(0, N)] }, { tasks: 2, scan });
    const agg = exec({ kind: 'hash_aggregate_exec', input: source(0, [N, F]), phase: 'single', groupBy: [column(0, N)], aggregates: [countStar], types: [N, N] });
    const s1 = stage(1, agg, { kind: 'gather' }, { tasks: 2, inputs: [0] });
    const s2 = stage(2, source(1, [N, N]), { kind: 'result' }, { inputs: [1] });
    const ctx = context();
    const run = runStagePlan({ stages: [s0, s1, s2], root: 2 }, ctx);
    expect(sortRows(await readAll([N, N], run.batches))).toEqual([
      ['1', '4'],
      ['2', '4'],
      ['3', '4'],
      ['4', '4'],
      ['5', '4'],
    ]);
    const { stats } = await run.done;
    expect(stats).toMatchObject({ rowsScanned: 20, partitionsTotal: 4, partitionsScanned: 4 });
    const aggTasks = stats.profile.filter((p) => p.id === agg.id);
    expect(aggTasks.map((p) => p.task).sort()).toEqual([0, 1]);
    expect(aggTasks.reduce((n, p) => n + p.rowsIn, 0)).toBe(20);
    // Each partition (5 rows) read whole by one task: a task that finished its own units
    // first may have taken over its sibling's (unit-claims.ts).
    const scanned = stats.profile.filter((p) => p.stage === 0 && p.operator === 'scan_exec').map((p) => p.rowsOut);
    expect(scanned.reduce((n, r) => n + r, 0)).toBe(20);
    for (const r of scanned) expect(r % 5).toBe(0);
    expect(existsSync(ctx.spillDir)).toBe(false);
  });

  /** Scans `scan` (6 partitions of KV, 2 rows each) in two tasks and gathers every row: the scan stage's tasks as the pool got them. */
  async function scanTasksOf(scan: StageScan): Promise<StageTask[]> {
    const s0 = stage(0, scanOf(KV), { kind: 'gather' }, { tasks: 2, scan });
    const s1 = stage(1, source(0, [N, F]), { kind: 'result' }, { inputs: [0] });
    const sent: StageTask[] = [];
    const watched = Object.create(pool) as WarehousePool;
    watched.run = (slot, task, transfer, cancel) => {
      sent.push(task as StageTask);
      return pool.run(slot, task, transfer, cancel);
    };
    const run = runStagePlan({ stages: [s0, s1], root: 1 }, context({ pool: watched }));
    expect((await readAll([N, F], run.batches)).length).toBe(12);
    expect((await run.done).stats.rowsScanned).toBe(12);
    return sent.filter((t) => t.stage.id === 0);
  }
  const sixPartitions = () => table(KV, [1, 2, 3, 4, 5, 6].map((p) => [1, 2].map((k) => [k, p])));

  it('lets the tasks of a rendezvous-assigned scan share its units: every task gets the same claim slots, and every unit is claimed once', async () => {
    const scanTasks = await scanTasksOf(await sixPartitions());
    expect(scanTasks.length).toBe(2);
    const [a, b] = scanTasks.map((t) => t.claims!);
    expect(a.slots.buffer).toBe(b.slots.buffer);
    expect(a.order.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(scanTasks.map((t) => t.units.map((u) => u.partitionId))).toEqual(a.order.map((list) => list.map((i) => a.units[i].partitionId)));
    // The workers claimed every slot of the statement's shared buffer.
    expect([...a.slots]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('lets the tasks of a range-assigned scan share whole runs, and never a stretch the planner fixed', async () => {
    const base = await sixPartitions();
    const sentFor = (assign: NonNullable<StageScan['assign']>) => scanTasksOf({ ...base, assign });
    const shared = await sentFor({ column: 'K', runs: [0, 0, 1, 2, 2, 2] });
    expect(shared.map((t) => t.units.map((u) => u.partitionId))).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const [a, b] = shared.map((t) => t.claims!);
    expect(a.slots.buffer).toBe(b.slots.buffer);
    expect([...a.slotOf!]).toEqual([0, 0, 1, 2, 2, 2]);
    expect([...a.slots]).toEqual([1, 1, 1]);
    const fixed = await sentFor({ column: 'K', runs: [0, 0, 1, 2, 2, 2], tasks: [0, 0, 0, 1, 1, 1] });
    expect(fixed.map((t) => t.claims)).toEqual([undefined, undefined]);
  });

  it('broadcasts a build side to every probe task (the same shared chunks), and joins all probe rows', async () => {
    const probe = await table(KV, [
      [[1, 10], [2, 20]],
      [[1, 30], [3, 40]],
    ]);
    const build = exec({ kind: 'values_exec', rows: [1, 2].map((k) => [{ kind: 'literal' as const, value: BigInt(k), type: N }]), types: [N] });
    const s0 = stage(0, build, { kind: 'broadcast' });
    const join = exec({
      kind: 'hash_join_exec',
      left: scanOf(KV),
      right: source(0, [N]),
      spec: { type: 'INNER', left: [N, F], right: [N], keys: [{ left: column(0, N), right: column(0, N) }], buildSide: 'right' },
      types: [N, F, N],
    });
    const s1 = stage(1, join, { kind: 'gather' }, { tasks: 2, inputs: [0], scan: probe });
    const s2 = stage(2, source(1, [N, F, N]), { kind: 'result' }, { inputs: [1] });
    const run = runStagePlan({ stages: [s0, s1, s2], root: 2 }, context());
    expect(sortRows(await readAll([N, F, N], run.batches))).toEqual([
      ['1', 10, '1'],
      ['1', 30, '1'],
      ['2', 20, '2'],
    ]);
    const { stats } = await run.done;
    // Both probe tasks built the whole broadcast side (2 rows each).
    const builds = stats.profile.filter((p) => p.stage === 1 && p.operator === 'exchange_source_exec');
    expect(builds.map((p) => [p.task, p.rowsOut]).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('delivers a stage read by two consumer stages to both (a broadcast build side read again after the join)', async () => {
    const probe = await table(KV, [[[1, 10]], [[2, 20]], [[5, 50]]]);
    const build = exec({ kind: 'values_exec', rows: [1, 2, 3].map((k) => [{ kind: 'literal' as const, value: BigInt(k), type: N }]), types: [N] });
    const s0 = stage(0, build, { kind: 'broadcast' });
    const semi = exec({
      kind: 'hash_join_exec',
      left: scanOf(KV),
      right: source(0, [N]),
      spec: { type: 'SEMI', left: [N, F], right: [N], keys: [{ left: column(0, N), right: column(0, N) }], buildSide: 'right' },
      types: [N, F],
    });
    const keys = exec({ kind: 'project_exec', input: semi, exprs: [column(0, N)], types: [N] });
    const s1 = stage(1, keys, { kind: 'gather' }, { tasks: 2, inputs: [0], scan: probe });
    const union = exec({ kind: 'set_op_exec', op: 'UNION', all: true, left: source(0, [N]), right: source(1, [N]), types: [N] });
    const s2 = stage(2, union, { kind: 'result' }, { inputs: [0, 1] });
    const run = runStagePlan({ stages: [s0, s1, s2], root: 2 }, context());
    expect(sortRows(await readAll([N], run.batches))).toEqual([['1'], ['1'], ['2'], ['2'], ['3']]);
    await run.done;
  });

  it('runs a scan stage with fewer units than tasks as fewer tasks', async () => {
    const scan = await table(KV, [[[7, 1], [8, 2]]]);
    const s0 = stage(0, scanOf(KV), { kind: 'gather' }, { tasks: 2, scan });
    const s1 = stage(1, source(0, [N, F]), { kind: 'result' }, { inputs: [0] });
    const run = runStagePlan({ stages: [s0, s1], root: 1 }, context());
    expect(sortRows(await readAll([N, F], run.batches))).toEqual([
      ['7', 1],
      ['8', 2],
    ]);
    const { stats } = await run.done;
    expect(stats.profile.filter((p) => p.stage === 0).map((p) => p.task)).toEqual([0]);
  });

  /**
   * Stage 0: `build` keys, broadcast, with a runtime filter on stage 1's scan column 0;
   * stage 1: KV's `probe` partitions (2 tasks) INNER-joined with them on that column; stage 2: the result.
   */
  const filteredJoinPlan = (build: ExecNode, probe: StageScan): StagePlan => {
    const s0 = stage(0, build, { kind: 'broadcast' }, { runtimeFilters: [{ key: column(0, N), probeStage: 1, probeColumn: 0 }] });
    const join = exec({
      kind: 'hash_join_exec',
      left: scanOf(KV),
      right: source(0, [N]),
      spec: { type: 'INNER', left: [N, F], right: [N], keys: [{ left: column(0, N), right: column(0, N) }], buildSide: 'right' },
      types: [N, F, N],
    });
    const s1 = stage(1, join, { kind: 'gather' }, { tasks: 2, inputs: [0], scan: probe });
    const s2 = stage(2, source(1, [N, F, N]), { kind: 'result' }, { inputs: [1] });
    return { stages: [s0, s1, s2], root: 2 };
  };

  it('prunes the probe scan by the merged key summaries of the build stage before it runs', async () => {
    const probe = await table(KV, [0, 1, 2, 3].map((p) => Array.from({ length: 10 }, (_, i) => [p * 10 + i + 1, i])));
    const build = exec({ kind: 'values_exec', rows: [15, 16].map((k) => [{ kind: 'literal' as const, value: BigInt(k), type: N }]), types: [N] });
    const run = runStagePlan(filteredJoinPlan(build, probe), context());
    expect(sortRows(await readAll([N, F, N], run.batches))).toEqual([
      ['15', 4, '15'],
      ['16', 5, '16'],
    ]);
    const { stats } = await run.done;
    expect(stats).toMatchObject({ partitionsTotal: 4, partitionsScanned: 1, rowsScanned: 10 });
  });

  it('drops the probe rows of a value set by its key bitmap, keeping the IN list only to prune partitions', async () => {
    const probe = await table(KV, [0, 1, 2, 3].map((p) => Array.from({ length: 10 }, (_, i) => [p * 10 + i + 1, i])));
    const build = exec({ kind: 'values_exec', rows: [15, 17].map((k) => [{ kind: 'literal' as const, value: BigInt(k), type: N }]), types: [N] });
    const sent: StageTask[] = [];
    const spy = new Proxy(pool, {
      get(target, prop) {
        if (prop === 'run') return (slot: number, task: StageTask, ...rest: unknown[]) => (sent.push(task), (target.run as (...a: unknown[]) => unknown)(slot, task, ...rest));
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const run = runStagePlan(filteredJoinPlan(build, probe), context({ pool: spy }));
    expect(sortRows(await readAll([N, F, N], run.batches))).toEqual([
      ['15', 4, '15'],
      ['17', 6, '17'],
    ]);
    const { stats } = await run.done;
    expect(stats).toMatchObject({ partitionsTotal: 4, partitionsScanned: 1, rowsScanned: 10 });
    expect(stats.profile.filter((p) => p.stage === 1 && p.operator === 'scan_exec').reduce((n, p) => n + p.rowsOut, 0)).toBe(2);
    const scans = sent.filter((t) => t.stage.id === 1).map((t) => execNodes(t.stage.root).find((n) => n.kind === 'scan_exec')!);
    expect(scans.length).toBeGreaterThan(0);
    for (const scan of scans) {
      expect(scan.kind === 'scan_exec' && scan.filter).toBe(null);
      expect(scan.kind === 'scan_exec' && scan.keyFilters?.map((k) => k.column)).toEqual([0]);
    }
  });

  it('prunes by a key-range runtime filter but leaves its rows to the join (no row filter for a range)', async () => {
    // Partition p holds keys p*10+1 .. p*10+10; the build has more keys than a value set
    // holds, from 15 up, so the filter is a range from 15: partition 0 is pruned, partitions
    // 1-3 are scanned whole, keys 11-14 of partition 1 included.
    const probe = await table(KV, [0, 1, 2, 3].map((p) => Array.from({ length: 10 }, (_, i) => [p * 10 + i + 1, i])));
    const keys = Array.from({ length: RUNTIME_FILTER_KEY_SET_LIMIT + 100 }, (_, i) => 15 + i);
    const build = exec({ kind: 'values_exec', rows: keys.map((k) => [{ kind: 'literal' as const, value: BigInt(k), type: N }]), types: [N] });
    const run = runStagePlan(filteredJoinPlan(build, probe), context());
    const rows = await readAll([N, F, N], run.batches);
    expect(sortRows(rows).map((r) => Number(r[0]))).toEqual(Array.from({ length: 26 }, (_, i) => 15 + i));
    const { stats } = await run.done;
    expect(stats).toMatchObject({ partitionsTotal: 4, partitionsScanned: 3, rowsScanned: 30 });
    const scanned = stats.profile.filter((p) => p.stage === 1 && p.operator === 'scan_exec').reduce((n, p) => n + p.rowsOut, 0);
    expect(scanned).toBe(30);
  });

  it('filters the probe scan row by row by a key bitmap when the build keys are too many for a value set but sparse', async () => {
    // Every third key from 15: more than a value set holds, a third of their range, so the
    // scan gets the keys' bitmap; partition 0 is pruned by the range, and of the 30 rows of
    // partitions 1-3 only the nine keys 15, 18, .., 39 leave the scan.
    const probe = await table(KV, [0, 1, 2, 3].map((p) => Array.from({ length: 10 }, (_, i) => [p * 10 + i + 1, i])));
    const keys = Array.from({ length: RUNTIME_FILTER_KEY_SET_LIMIT + 100 }, (_, i) => 15 + 3 * i);
    const build = exec({ kind: 'values_exec', rows: keys.map((k) => [{ kind: 'literal' as const, value: BigInt(k), type: N }]), types: [N] });
    const run = runStagePlan(filteredJoinPlan(build, probe), context());
    const rows = await readAll([N, F, N], run.batches);
    const expected = [15, 18, 21, 24, 27, 30, 33, 36, 39];
    expect(sortRows(rows).map((r) => Number(r[0]))).toEqual(expected);
    const { stats } = await run.done;
    expect(stats).toMatchObject({ partitionsTotal: 4, partitionsScanned: 3, rowsScanned: 30 });
    const scanned = stats.profile.filter((p) => p.stage === 1 && p.operator === 'scan_exec').reduce((n, p) => n + p.rowsOut, 0);
    expect(scanned).toBe(expected.length);
  });

  it('writes out exchange chunks that tasks side by side made beyond the memory budget, and still answers every row', async () => {
    // Each task keeps ~0.9 MiB of output in memory (under its own 1 MiB floor); together the
    // two pass the statement's 1.5 MiB, so the coordinator writes the larger chunk to a file.
    const rows = 27_000;
    const scan = await table(KV, [0, 1, 2, 3].map((p) => Array.from({ length: rows }, (_, i) => [p * rows + i, i / 2])));
    const s0 = stage(0, scanOf(KV), { kind: 'gather' }, { tasks: 2, scan });
    const agg = exec({ kind: 'hash_aggregate_exec', input: source(0, [N, F]), phase: 'single', groupBy: [], aggregates: [countStar], types: [N] });
    const s1 = stage(1, agg, { kind: 'result' }, { inputs: [0] });
    const run = runStagePlan({ stages: [s0, s1], root: 1 }, context({ memoryBytes: 1.5 * 2 ** 20 }));
    expect(await readAll([N], run.batches)).toEqual([[String(4 * rows)]]);
    await run.done;
  });

  it('streams the result with credits: the first batch arrives while the result task still runs', async () => {
    // Ten partitions: at least ten batches, more than RESULT_BATCHES_IN_FLIGHT.
    const rows = Array.from({ length: 30_000 }, (_, i) => [i, i / 2]);
    const scan = await table(KV, Array.from({ length: 10 }, (_, p) => rows.slice(p * 3000, (p + 1) * 3000)));
    const s0 = stage(0, scanOf(KV), { kind: 'result' }, { scan });
    const run = runStagePlan({ stages: [s0], root: 0 }, context());
    let settled = false;
    void run.done.then(() => (settled = true));
    const it = run.batches[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(RESULT_BATCHES_IN_FLIGHT).toBeLessThan(10);
    // The task waits for credits: it cannot be done before the reader takes more batches.
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    let total = first.value!.length;
    for (let n = await it.next(); !n.done; n = await it.next()) total += n.value.length;
    expect(total).toBe(30_000);
    await run.done;
    expect(settled).toBe(true);
  });

  it('collects the partitions a written stage wrote, every key reserved through its port first', async () => {
    const scan = await table(KV, [
      [[1, 1], [2, 2]],
      [[3, 3]],
    ]);
    const write = exec({ kind: 'write_exec', input: scanOf(KV), columns: KV, clusterBy: [], partitionRows: 1000, keyPrefix: 'out/w', types: [] });
    const s0 = stage(0, write, { kind: 'written' }, { tasks: 2, scan });
    const reserved: string[] = [];
    const ports: MessageChannel[] = [];
    const reservations = () => {
      const channel = new MessageChannel();
      serveKeyReservations(channel.port1, (keys) => reserved.push(...keys));
      ports.push(channel);
      return channel.port2;
    };
    const { written } = await runStagePlan({ stages: [s0], root: 0 }, context({ reservations })).done;
    for (const c of ports) c.port1.close();
    expect(written.reduce((n, w) => n + w.rowCount, 0)).toBe(3);
    // One partition per task that read units (a task may have read both: unit-claims.ts).
    expect(written.length).toBeGreaterThanOrEqual(1);
    expect(written.length).toBeLessThanOrEqual(2);
    for (const w of written) expect(reserved).toContain(w.objectKey);
  });

  it('runs a DML plan: rowIds scan, hash by $partition, rewrite stage of 2 tasks; sums the tasks\' removed ids and counts', async () => {
    const scan = await table(KV, [
      [[1, 1], [2, 2]],
      [[3, 3], [4, 4], [5, 5]],
      [[6, 6]],
      [[7, 7]],
    ]);
    scan.units = scan.units.map((u) => ({ ...u, filterMode: 'filter' }));
    // UPDATE t SET v = 0.5 WHERE k BETWEEN 2 AND 6: partition 4 holds no such row and is left alone.
    const P = Types.number(18, 0);
    const filter: BoundExpr = { kind: 'and', args: [call('ge', column(0, N), lit(2, N)), call('le', column(0, N), lit(6, N))], type: Types.boolean };
    const addressed = exec({ kind: 'scan_exec', table: 'T', tableColumns: KV, scanColumns: [0, 1], filter, limit: null, rowIds: true, types: [N, F, P, P] });
    const changeTypes = [P, P, N, F];
    const changes = exec({ kind: 'project_exec', input: addressed, exprs: [column(2, P), column(3, P), column(0, N), lit(0.5, F)], types: changeTypes });
    const s0 = stage(0, changes, { kind: 'hash', keys: [column(0, P)], nullsRoundRobin: true }, { tasks: 2, scan });
    const sorted = exec({
      kind: 'sort_exec',
      input: source(0, changeTypes),
      keys: [
        { expr: column(0, P), desc: false, nullsFirst: false },
        { expr: column(1, P), desc: false, nullsFirst: false },
      ],
      types: changeTypes,
    });
    const candidates = scan.units.map((u) => ({ partitionId: u.partitionId, objectKey: u.objectKey, rowCount: u.rowCount, byteSize: u.byteSize, etag: u.etag }));
    const rewrite = exec({ kind: 'rewrite_exec', input: sorted, mode: 'update', candidates, columns: KV, clusterBy: [], clusterKeyChanged: false, partitionRows: 1000, keyPrefix: 'dml/q', types: [] });
    const s1 = stage(1, rewrite, { kind: 'written' }, { tasks: 2, inputs: [0] });
    const reserved: string[] = [];
    const ports: MessageChannel[] = [];
    const reservations = () => {
      const channel = new MessageChannel();
      serveKeyReservations(channel.port1, (keys) => reserved.push(...keys));
      ports.push(channel);
      return channel.port2;
    };
    const outcome = await runStagePlan({ stages: [s0, s1], root: 1 }, context({ reservations })).done;
    for (const c of ports) c.port1.close();
    // Both rewrite tasks had partitions to rewrite: the sums are over both.
    expect(outcome.stats.profile.filter((p) => p.operator === 'rewrite_exec' && p.rowsIn > 0).map((p) => p.task).sort()).toEqual([0, 1]);
    expect([...outcome.removed].sort()).toEqual([1, 2, 3]);
    expect(outcome.dml).toEqual({ inserted: 0, updated: 5, deleted: 0, multiJoined: 0 });
    expect(outcome.written.map((w) => w.rowCount).sort()).toEqual([1, 2, 3]);
    expect([...reserved].sort()).toEqual(outcome.written.map((w) => w.objectKey).sort());
    const rows: Readable[][] = [];
    for (const w of outcome.written) rows.push(...(rowsOf([N, F], (await wh.cache.getColumns(w, KV, [0, 1], w.rowCount)).batch) as Readable[][]));
    expect(sortRows(rows)).toEqual(sortRows([['1', 1], ['2', 0.5], ['3', 0.5], ['4', 0.5], ['5', 0.5], ['6', 0.5]]));
  });

  it('answers a plan of literals at once, even while the warehouse is busy', async () => {
    const rows = Array.from({ length: 3000 }, () => [1]);
    const cross = exec({ kind: 'hash_join_exec', left: source(1, [N]), right: source(2, [N]), spec: { type: 'CROSS', left: [N], right: [N], keys: [], buildSide: 'right' }, types: [N, N] });
    const count = exec({ kind: 'hash_aggregate_exec', input: cross, phase: 'single', groupBy: [], aggregates: [countStar], types: [N] });
    const busy = pool.run(0, stageTask(count, tmp.dir, { inputs: { 1: [chunkOf([N], rows)], 2: [chunkOf([N], rows)] } }));
    let busyDone = false;
    void busy.then(() => (busyDone = true));
    const one = stage(0, exec({ kind: 'values_exec', rows: [[{ kind: 'literal', value: 1n, type: N }]], types: [N] }), { kind: 'result' });
    const run = runStagePlan({ stages: [one], root: 0 }, context());
    expect(await readAll([N], run.batches)).toEqual([['1']]);
    expect((await run.done).stats.profile).toEqual([]);
    expect(busyDone).toBe(false);
    await busy;
  });

  it('a failing task stops the run: the others stop (their slot is free again at once), the spill dir is removed, the first error is the answer', async () => {
    const n = 6000;
    const many = Array.from({ length: n }, () => [1, 1]);
    // Partition 1 (task 1): n rows that cross n broadcast rows (36M pairs, seconds); partition 2 (task 0): a division by zero.
    const scan = await table(KV, [many, [[2, 0]]]);
    const side = await table(KV, [many]);
    const s0 = stage(0, scanOf(KV), { kind: 'broadcast' }, { scan: side });
    const divided = exec({ kind: 'project_exec', input: scanOf(KV), exprs: [{ kind: 'call', fn: 'divide', args: [{ kind: 'literal', value: 1, type: F }, column(1, F)], type: F }], types: [F] });
    const cross = exec({ kind: 'hash_join_exec', left: divided, right: source(0, [N, F]), spec: { type: 'CROSS', left: [F], right: [N, F], keys: [], buildSide: 'right' }, types: [F, N, F] });
    const count = exec({ kind: 'hash_aggregate_exec', input: cross, phase: 'single', groupBy: [], aggregates: [countStar], types: [N] });
    const s1 = stage(1, count, { kind: 'gather' }, { tasks: 2, inputs: [0], scan });
    const s2 = stage(2, source(1, [N]), { kind: 'result' }, { inputs: [1] });
    const ctx = context();
    mkdirSync(ctx.spillDir, { recursive: true });
    const run = runStagePlan({ stages: [s0, s1, s2], root: 2 }, ctx);
    await expect(readAll([N], run.batches)).rejects.toMatchObject({ codeName: 'DIVISION_BY_ZERO' });
    await expect(run.done).rejects.toMatchObject({ codeName: 'DIVISION_BY_ZERO' });
    expect(existsSync(ctx.spillDir)).toBe(false);
    // Slot 1's long task has stopped: a one-row task there answers at once, not after the cross join.
    const started = Date.now();
    const reply = await pool.run<StageTaskReply | WorkerFailure>(1, stageTask(exec({ kind: 'values_exec', rows: [[{ kind: 'literal', value: 1n, type: N }]], types: [N] }), tmp.dir));
    expect('error' in reply).toBe(false);
    expect(Date.now() - started).toBeLessThan(CROSS_JOIN_MS / 2);
  });
});
