import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, ResourceError, type FirnError } from '../../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../../storage/types/data-type.js';
import type { Column } from '../../../../storage/types/schema.js';
import { serveKeyReservations } from '../../../fragment/key-reservation.js';
import { MergeAction, type RewriteMode, type StageTaskReply } from '../../../fragment/stage-plan.js';
import { throwIfFailure, type WorkerFailure } from '../../../fragment/worker-reply.js';
import type { ScanUnit } from '../../../fragment/fragment.js';
import { WarehousePool } from '../../../pool/warehouse-pool.js';
import type { Readable } from '../../expr-test-kit.js';
import { N, S, TestWarehouse, chunkOf, column, exec, rowsOf, source, stageTask, tempDir } from '../stage-test-kit.js';

// rewrite_exec tasks on real worker threads running the compiled worker in dist/ (run
// `npx tsc -p tsconfig.build.json` first), over partitions in a real local object store.
const tmp = tempDir('firn-rewrite-');
const wh = new TestWarehouse(tmp.dir);
const pool = new WarehousePool('REWRITE_WH', 'SMALL', {
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

const P = Types.number(18, 0);
const A = Types.number(1, 0);
const cols: Column[] = [
  { name: 'K', type: N, nullable: true },
  { name: 'V', type: S, nullable: true },
];
let nextTable = 0;

type Rewrite = { mode: RewriteMode; units: ScanUnit[]; changes: Readable[][]; clusterBy?: number[]; clusterKeyChanged?: boolean; partitionRows?: number; memoryBytes?: number };
/** Every reservation, with whether its object already existed when it was asked for. */
type Reservation = { key: string; existed: boolean };

/** Change rows of a mode: $partition, $row, [$action,] then the new K and V. */
function changeTypes(mode: RewriteMode): DataType[] {
  return mode === 'delete' ? [P, P] : mode === 'update' ? [P, P, N, S] : [P, P, A, N, S];
}

/** Runs one rewrite task (sort_exec over the change rows, as the planner places it) on a worker. */
async function rewrite(r: Rewrite, slot = 0): Promise<{ reply: StageTaskReply; reserved: Reservation[] }> {
  const types = changeTypes(r.mode);
  const sort = exec({
    kind: 'sort_exec',
    input: source(1, types),
    keys: [
      { expr: column(0, P), desc: false, nullsFirst: false },
      { expr: column(1, P), desc: false, nullsFirst: false },
    ],
    types,
  });
  const node = exec({
    kind: 'rewrite_exec',
    input: sort,
    mode: r.mode,
    candidates: r.units.map((u) => ({ partitionId: u.partitionId, objectKey: u.objectKey, rowCount: u.rowCount, byteSize: u.byteSize, etag: u.etag })),
    columns: cols,
    clusterBy: r.clusterBy ?? [],
    clusterKeyChanged: r.clusterKeyChanged ?? false,
    partitionRows: r.partitionRows ?? 1000,
    keyPrefix: `t9/q${nextTable}`,
    types: [],
  });
  const task = stageTask(node, path.join(tmp.dir, 'spill'), { inputs: { 1: [chunkOf(types, r.changes)] }, output: { kind: 'written' }, task: 1, tasks: 2, memoryBytes: r.memoryBytes });
  const { port1, port2 } = new MessageChannel();
  const reserved: Reservation[] = [];
  serveKeyReservations(port1, (keys) => {
    for (const key of keys) reserved.push({ key, existed: existsSync(path.join(tmp.dir, 'data', key)) });
  });
  task.reservations = port2;
  try {
    const reply = throwIfFailure(await pool.run<StageTaskReply | WorkerFailure>(slot, task, [port2]));
    return { reply, reserved };
  } finally {
    port1.close();
  }
}

async function table(partitions: Readable[][][]): Promise<ScanUnit[]> {
  return wh.table(`rw${nextTable++}`, cols, partitions);
}

/** The rows of each written partition, in the order the reply lists them. */
async function writtenRows(reply: StageTaskReply): Promise<Readable[][][]> {
  const out: Readable[][][] = [];
  for (const w of reply.written) {
    const { batch } = await wh.cache.getColumns(w, cols, [0, 1], w.rowCount);
    out.push(rowsOf([N, S], batch));
  }
  return out;
}

async function failure(p: Promise<unknown>): Promise<FirnError> {
  try {
    await p;
  } catch (err) {
    return err as FirnError;
  }
  throw new Error('expected the rewrite to fail');
}

// The partition the order tests change: deliberately in no particular order.
const mixed: Readable[][] = [
  [5, 'e'],
  [1, 'a'],
  [4, 'd'],
  [2, 'b'],
  [3, 'c'],
];

describe('rewrite_exec on a warehouse worker', () => {
  it('delete drops the addressed rows (duplicates once) and keeps the order of the others; untouched partitions are not rewritten', async () => {
    const units = await table([mixed, [[10, 'x'], [11, 'y']]]);
    // Change rows arrive unsorted and row 3 twice (a DELETE … USING matching two rows).
    const { reply, reserved } = await rewrite({ mode: 'delete', units, changes: [[1, 3], [1, 1], [1, 3]] });
    expect(await writtenRows(reply)).toEqual([[['5', 'e'], ['4', 'd'], ['3', 'c']]]);
    expect(reply.written.map((w) => w.objectKey)).toEqual([`t9/q${nextTable}-t1-p1-00000.parquet`]);
    expect(reply.removed).toEqual([1]);
    expect(reply.dml).toEqual({ inserted: 0, updated: 0, deleted: 2, multiJoined: 0 });
    expect(reserved).toEqual([{ key: reply.written[0].objectKey, existed: false }]);
    expect(reply.stats.rowsScanned).toBe(5);
  });

  it('update replaces the addressed rows in place, keeps the first of a multi-joined row and counts it', async () => {
    const units = await table([[[0, 'z']], mixed]);
    const changes: Readable[][] = [
      [2, 4, 30, 'C'],
      [2, 0, 50, 'E'],
      [2, 4, 31, 'C2'],
      [2, 4, 32, 'C3'],
    ];
    const { reply } = await rewrite({ mode: 'update', units, changes });
    expect(await writtenRows(reply)).toEqual([[['50', 'E'], ['1', 'a'], ['4', 'd'], ['2', 'b'], ['30', 'C']]]);
    expect(reply.removed).toEqual([2]);
    expect(reply.dml).toEqual({ inserted: 0, updated: 2, deleted: 0, multiJoined: 1 });
  });

  it('an update of the cluster key re-sorts the partition by it (stably); any other update keeps its order', async () => {
    const sorted: Readable[][] = [
      [1, 'a'],
      [2, 'b'],
      [2, 'c'],
      [3, 'd'],
    ];
    const changes: Readable[][] = [
      [1, 0, 5, 'a'],
      [1, 3, 2, 'z'],
    ];
    const resorted = await rewrite({ mode: 'update', units: await table([sorted]), changes, clusterBy: [0], clusterKeyChanged: true });
    expect(await writtenRows(resorted.reply)).toEqual([[['2', 'b'], ['2', 'c'], ['2', 'z'], ['5', 'a']]]);
    const kept = await rewrite({ mode: 'update', units: await table([sorted]), changes, clusterBy: [0], clusterKeyChanged: false });
    expect(await writtenRows(kept.reply)).toEqual([[['5', 'a'], ['2', 'b'], ['2', 'c'], ['2', 'z']]]);
  });

  it('a partition whose rows are all deleted writes nothing and is still reported removed', async () => {
    const units = await table([[[1, 'a'], [2, 'b']], [[3, 'c'], [4, 'd']]]);
    const { reply, reserved } = await rewrite({ mode: 'delete', units, changes: [[1, 0], [2, 1], [1, 1]] });
    expect(reply.removed).toEqual([1, 2]);
    expect(await writtenRows(reply)).toEqual([[['3', 'c']]]);
    expect(reserved.map((r) => r.key)).toEqual([reply.written[0].objectKey]);
    expect(reply.dml.deleted).toBe(3);
  });

  it('MERGE: a target row matched by two UPDATEs, or by an UPDATE and a DELETE, fails with 100090 (42P18) across the thread boundary', async () => {
    const units = await table([mixed]);
    const U = MergeAction.UPDATE;
    const D = MergeAction.DELETE;
    for (const second of [U, D]) {
      const changes: Readable[][] = [
        [1, 0, U, 50, 'E'],
        [1, 2, second, 40, 'D'],
        [1, 2, U, 41, 'D2'],
      ];
      const err = await failure(rewrite({ mode: 'merge', units, changes }));
      expect(err).toBeInstanceOf(DataError);
      expect([err.codeName, err.code, err.sqlState]).toEqual(['NONDETERMINISTIC_MERGE', '100090', '42P18']);
      expect(err.message).toBe('Duplicate row detected during DML action\nRow Values: [4, "d"]');
    }
  });

  it('MERGE: several DELETEs of one target row delete it once; updates, deletes and inserts in one task', async () => {
    const units = await table([mixed, [[10, 'x'], [11, 'y'], [12, 'w']]]);
    const { UPDATE: U, DELETE: D, INSERT: I } = MergeAction;
    const changes: Readable[][] = [
      [null, null, I, 9, 'i9'],
      [1, 1, D, null, null],
      [2, 2, U, 13, 'W'],
      [1, 1, D, null, null],
      [null, null, I, 7, 'i7'],
      [1, 4, D, null, null],
      [null, null, I, 8, 'i8'],
    ];
    const { reply, reserved } = await rewrite({ mode: 'merge', units, changes, clusterBy: [0], partitionRows: 2 });
    // Partition 1 minus rows 1 and 4; partition 2 with row 2 updated; the inserts sorted by K, 2 per partition.
    expect(await writtenRows(reply)).toEqual([
      [['5', 'e'], ['4', 'd'], ['2', 'b']],
      [['10', 'x'], ['11', 'y'], ['13', 'W']],
      [['7', 'i7'], ['8', 'i8']],
      [['9', 'i9']],
    ]);
    expect(reply.removed).toEqual([1, 2]);
    expect(reply.dml).toEqual({ inserted: 3, updated: 1, deleted: 2, multiJoined: 0 });
    // Every written key was reserved first, while its object did not exist yet; nothing else was reserved.
    expect(reserved.map((r) => r.key)).toEqual(reply.written.map((w) => w.objectKey));
    expect(reserved.every((r) => !r.existed)).toBe(true);
    for (const w of reply.written) expect(existsSync(path.join(tmp.dir, 'data', w.objectKey))).toBe(true);
  });

  it('a partition whose change rows span several input batches is rewritten as one partition; inserts after it are cut at partitionRows', async () => {
    const n = 20_000;
    const units = await table([Array.from({ length: n }, (_, i) => [i, `v${i % 10}`])]);
    const { UPDATE: U, DELETE: D, INSERT: I } = MergeAction;
    // Every row changes (even rows updated to -i, odd rows deleted), then 2,500 inserts: sort_exec hands them on 8,192 rows at a time.
    const changes: Readable[][] = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? [1, i, U, -i, 'u'] : [1, i, D, null, null]));
    for (let j = 0; j < 2_500; j++) changes.push([null, null, I, n + j, 'i']);
    const { reply, reserved } = await rewrite({ mode: 'merge', units, changes, partitionRows: 1000 });
    expect(reply.dml).toEqual({ inserted: 2_500, updated: n / 2, deleted: n / 2, multiJoined: 0 });
    expect(reply.removed).toEqual([1]);
    expect(reply.written.map((w) => w.rowCount)).toEqual([n / 2, 1000, 1000, 500]);
    const [rewritten, ...inserted] = await writtenRows(reply);
    expect(rewritten).toEqual(Array.from({ length: n / 2 }, (_, k) => [String(-2 * k), 'u']));
    expect(inserted.flat().map((r) => Number(r[0]))).toEqual(Array.from({ length: 2_500 }, (_, j) => n + j));
    expect(reserved.length).toBe(4);
  });

  it('fails with 53200 when one partition\'s change rows pass its memory share, having written nothing', async () => {
    const units = await table([Array.from({ length: 5_000 }, (_, i) => [i, 'v'])]);
    const changes = Array.from({ length: 5_000 }, (_, i) => [1, i]);
    const err = await failure(rewrite({ mode: 'delete', units, changes, memoryBytes: 64 << 10 }));
    expect(err).toBeInstanceOf(ResourceError);
    expect([err.code, err.sqlState]).toEqual(['390301', '53200']);
    expect(await wh.store.list(`t9/q${nextTable}`)).toEqual([]);
  });
});
