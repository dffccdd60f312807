import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { ResourceError } from '../../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../../storage/types/data-type.js';
import { STAGE_BATCH_ROWS } from '../operator.js';
import { ZONE_ROWS } from '../zone-skip.js';
import type { Column } from '../../../../storage/types/schema.js';
import { serveKeyReservations } from '../../../fragment/key-reservation.js';
import type { ExecNode } from '../../../fragment/stage-plan.js';
import type { BoundExpr } from '../../../fragment/bound-expr.js';
import type { WindowCall } from '../../../fragment/window-call.js';
import type { HashJoinSpec } from '../../join/join-spec.js';
import { call, lit } from '../../expr-test-kit.js';
import { partialStateTypes } from '../../aggregate/partial-state-types.js';
import { ColumnCache } from '../../../cache/column-cache.js';
import { runStageTask } from '../run-stage-task.js';
import { B, N, S, TestWarehouse, chunkOf, column, exec, replyRows, rowsOf, source, stageTask, tempDir, type TaskOptions } from '../stage-test-kit.js';
import type { TaskContext } from '../operator.js';
import { TaskMemory } from '../task-memory.js';
import { SpillSpace } from '../../spill/spill-space.js';
import { scanExec } from './scan-exec.js';
import type { Batch, Vector } from '../../../../storage/types/vector.js';

// Each operator runs inside a real stage task (runStageTask) over real exchange chunks or a
// real local object store and column cache; its rows come back through a gather exchange.
const tmp = tempDir('firn-stage-ops-');
afterAll(() => tmp.remove());
const wh = new TestWarehouse(tmp.dir);

async function run(root: ExecNode, o: TaskOptions = {}) {
  const { reply } = await runStageTask(stageTask(root, tmp.dir + '/spill', o), { cache: wh.cache, store: wh.store, cancel: null });
  return { reply, rows: await replyRows(root.types, reply) };
}

const NS: DataType[] = [N, S];
const and = (...args: BoundExpr[]): BoundExpr => ({ kind: 'and', args, type: B });
const inList = (expr: BoundExpr, list: BoundExpr[]): BoundExpr => ({ kind: 'in_list', expr, list, negated: false, type: B });
const tableColumns: Column[] = [
  { name: 'K', type: N, nullable: true },
  { name: 'V', type: S, nullable: true },
];

describe('scan_exec', () => {
  it('applies the filter over the scanned columns, except in filterMode all units', async () => {
    const units = await wh.table('scan2', tableColumns, [
      [[1, 'a'], [2, 'b']],
      [[3, 'c'], [4, 'd']],
      [[5, 'e'], [6, 'f']],
    ]);
    units[1] = { ...units[1], filterMode: 'all' };
    const scan = exec({ kind: 'scan_exec', table: 'SCAN2', tableColumns, scanColumns: [0, 1], filter: call('gt', column(0, N), lit(4, N)), limit: null, types: NS });
    const { reply, rows } = await run(scan, { units });
    expect(rows).toEqual([['3', 'c'], ['4', 'd'], ['5', 'e'], ['6', 'f']]);
    expect(reply.stats).toMatchObject({ rowsScanned: 6, cacheMisses: 6 });
    expect(reply.profile).toEqual([expect.objectContaining({ id: scan.id, stage: 7, task: 0, operator: 'scan_exec', rowsIn: 0, rowsOut: 4 })]);
    expect(reply.profile[0].bytesOut).toBeGreaterThan(0);
  });

  it('reads the units it takes over from a sibling task as borrowed: they never evict its own from its cache', async () => {
    const units = await wh.table('scan8', tableColumns, [[[1, 'a']], [[2, 'b']], [[3, 'c']]]);
    const scan = exec({ kind: 'scan_exec', table: 'SCAN8', tableColumns, scanColumns: [0, 1], filter: null, limit: null, types: NS });
    // A cache with room for one unit's columns.
    const fetchObject = (key: string, ifMatch?: string) => wh.store.get(key, ifMatch);
    const sizing = new ColumnCache({ memoryBytes: 1 << 28, diskDir: null, diskBytes: 0, fetchObject });
    await sizing.getColumns(units[0], tableColumns, [0, 1], units[0].rowCount);
    const cache = new ColumnCache({ memoryBytes: sizing.info().memoryBytes, diskDir: null, diskBytes: 0, fetchObject });
    // Task 0 owns the first unit; task 1 (never started) owns the other two, which task 0 takes over.
    const claims = { units, order: [[0], [1, 2]], slots: new Int32Array(new SharedArrayBuffer(12)) };
    const { reply } = await runStageTask({ ...stageTask(scan, tmp.dir + '/spill', { units: [units[0]], tasks: 2 }), claims }, { cache, store: wh.store, cancel: null });
    expect((await replyRows(NS, reply)).sort()).toEqual([['1', 'a'], ['2', 'b'], ['3', 'c']]);
    const sources = async (u: (typeof units)[number]) => (await cache.getColumns(u, tableColumns, [0, 1], u.rowCount, undefined, true)).stats.sources;
    expect(await sources(units[0])).toEqual(['memory', 'memory']);
    expect(await sources(units[2])).toEqual(['object', 'object']);
  });

  it('unpacks a cached string dictionary after its filter, and only the entries of the rows kept', async () => {
    const names = Array.from({ length: 3000 }, (_, i) => `customer#${String(i).padStart(9, '0')}`);
    const units = await wh.table('scan9', tableColumns, [names.map((v, i) => [i, v])]);
    const keep = [17, 2400, 999];
    const filter = inList(column(0, N), keep.map((k) => lit(k, N)));
    const scan = exec({ kind: 'scan_exec', table: 'SCAN9', tableColumns, scanColumns: [0, 1], filter, limit: null, types: NS });
    const task = stageTask(scan, tmp.dir + '/spill', { units });
    const ctx: TaskContext = { task, cache: wh.cache, store: wh.store, cancel: null, stats: { rowsScanned: 0, bytesScanned: 0, cacheHits: 0, cacheMisses: 0 }, memory: new TaskMemory(1 << 30, scan), spill: new SpillSpace(tmp.dir + '/spill', 1 << 30), written: [], removed: [], dml: { inserted: 0, updated: 0, deleted: 0, multiJoined: 0 }, unloaded: [] };
    const scanned = async () => {
      const out: Batch[] = [];
      for await (const b of scanExec(scan, ctx).run()) out.push(b);
      return out;
    };
    const expected = [17, 999, 2400].map((k) => [String(k), names[k]]);
    // The first read decodes the partition; the second is served from memory, where the names are packed.
    for (const pass of ['object', 'memory']) {
      const batches = await scanned();
      expect(batches.flatMap((b) => rowsOf(NS, b)), pass).toEqual(expected);
      const dict = (batches[0].columns[1] as Extract<Vector, { kind: 'str' }>).dict;
      expect(dict.length, pass).toBe(pass === 'memory' ? 3 : names.length);
    }
    // A filter that reads the strings unpacks them whole first.
    const byName = exec({ ...scan, filter: call('eq', column(1, S), lit(names[5], S)) });
    const rows: Batch[] = [];
    for await (const b of scanExec(byName, ctx).run()) rows.push(b);
    expect(rows.flatMap((b) => rowsOf(NS, b))).toEqual([['5', names[5]]]);
  });

  it('answers only its output columns, filtering by a column it does not answer', async () => {
    const units = await wh.table('scan4', tableColumns, [[[1, 'a'], [2, 'b'], [3, 'c']], [[4, 'd'], [5, 'e']]]);
    units[1] = { ...units[1], filterMode: 'all' };
    const scan = exec({ kind: 'scan_exec', table: 'SCAN4', tableColumns, scanColumns: [0, 1], filter: call('ne', column(0, N), lit(2, N)), limit: null, output: [1], types: [S] });
    const { rows } = await run(scan, { units });
    expect(rows).toEqual([['a'], ['c'], ['d'], ['e']]);
  });

  it('drops the rows its key bitmaps do not hold in every unit, ANDed with the filter where a unit is filtered', async () => {
    const units = await wh.table('scan5', tableColumns, [
      [[1, 'a'], [2, 'b'], [null, 'n']],
      [[3, 'c'], [4, 'd'], [5, 'e']],
    ]);
    units[1] = { ...units[1], filterMode: 'all' };
    // Keys 2, 3 and 5 (bits 2, 3, 5 from base 0); the filter K <> 2 applies to unit 0 only.
    const keyFilters = [{ column: 0, bits: { base: 0, words: Int32Array.from([0b101100]) } }];
    const scan = exec({ kind: 'scan_exec', table: 'SCAN5', tableColumns, scanColumns: [0, 1], filter: call('ne', column(0, N), lit(2, N)), limit: null, output: [1], keyFilters, types: [S] });
    expect((await run(scan, { units })).rows).toEqual([['c'], ['e']]);
    const unfiltered = exec({ kind: 'scan_exec', table: 'SCAN5', tableColumns, scanColumns: [0, 1], filter: null, limit: null, keyFilters, types: NS });
    expect((await run(unfiltered, { units })).rows).toEqual([['2', 'b'], ['3', 'c'], ['5', 'e']]);
  });

  it('with rowIds, appends each kept row\'s $partition and $row (numbered before the filter) after its output columns', async () => {
    const units = await wh.table('scan6', tableColumns, [
      [[1, 'a'], [2, 'b'], [3, 'c'], [4, 'd']],
      [[5, 'e'], [6, 'f'], [7, 'g']],
    ]);
    units[0] = { ...units[0], partitionId: 41 };
    units[1] = { ...units[1], partitionId: 42, filterMode: 'all' };
    const P = Types.number(18, 0);
    // Filter K % 2 = 0 (K <> 6 in unit 42 is ignored: filterMode all), answering V only.
    const filter = call('eq', call('mod', column(0, N), lit(2, N)), lit(0, N));
    const scan = exec({ kind: 'scan_exec', table: 'SCAN6', tableColumns, scanColumns: [0, 1], filter, limit: null, output: [1], rowIds: true, types: [S, P, P] });
    expect((await run(scan, { units })).rows).toEqual([
      ['b', '41', '1'],
      ['d', '41', '3'],
      ['e', '42', '0'],
      ['f', '42', '1'],
      ['g', '42', '2'],
    ]);
    // Without a filter or output: every column, then the addresses.
    const plain = exec({ kind: 'scan_exec', table: 'SCAN6', tableColumns, scanColumns: [1], filter: null, limit: null, rowIds: true, types: [S, P, P] });
    expect((await run(plain, { units: [units[1]] })).rows).toEqual([
      ['e', '42', '0'],
      ['f', '42', '1'],
      ['g', '42', '2'],
    ]);
    // Runtime key bitmaps (keys 3, 4, 6) drop rows in both units; addresses go with their rows.
    const keyFilters = [{ column: 0, bits: { base: 0, words: Int32Array.from([0b1011000]) } }];
    const keyed = exec({ kind: 'scan_exec', table: 'SCAN6', tableColumns, scanColumns: [0, 1], filter, limit: null, keyFilters, rowIds: true, types: [N, S, P, P] });
    expect((await run(keyed, { units })).rows).toEqual([
      ['4', 'd', '41', '3'],
      ['6', 'f', '42', '1'],
    ]);
  });

  it('with rowIds, numbers rows across the batches of one large partition', async () => {
    const big = Array.from({ length: STAGE_BATCH_ROWS + 10 }, (_, i) => [i, 'x']);
    const units = await wh.table('scan7', tableColumns, [big]);
    const P = Types.number(18, 0);
    const filter = call('ge', column(0, N), lit(STAGE_BATCH_ROWS - 2, N));
    const scan = exec({ kind: 'scan_exec', table: 'SCAN7', tableColumns, scanColumns: [0], filter, limit: null, rowIds: true, types: [N, P, P] });
    const { rows } = await run(scan, { units });
    expect(rows.length).toBe(12);
    expect(rows.every((r) => r[0] === r[2] && r[1] === '1')).toBe(true);
    expect(rows[11]).toEqual([String(STAGE_BATCH_ROWS + 9), '1', String(STAGE_BATCH_ROWS + 9)]);
  });

  it('passes over the zones of a partition where no row can pass, numbering the rows it reads as before', async () => {
    const rows = Array.from({ length: 3 * ZONE_ROWS + 100 }, (_, i) => [i, 'x']);
    const units = await wh.table('scan9', tableColumns, [rows]);
    units[0] = { ...units[0], partitionId: 43 };
    const P = Types.number(18, 0);
    // 1 / (K - 5000) > 0 AND K IN (5, 9000): the row K = 5000 would divide by zero, but its zone holds
    // neither key and is never evaluated; the zones of 5 and 9000 are (5 fails the division test).
    const filter = and(call('gt', call('divide', lit(1, N), call('subtract', column(0, N), lit(5000, N))), lit(0, N)), inList(column(0, N), [lit(5, N), lit(9000, N)]));
    const skipping = exec({ kind: 'scan_exec', table: 'SCAN9', tableColumns, scanColumns: [0, 1], filter, limit: null, rowIds: true, types: [N, S, P, P] });
    expect((await run(skipping, { units })).rows).toEqual([['9000', 'x', '43', '9000']]);
    // Without the IN list every zone is read, and the division fails.
    const everyRow = exec({ kind: 'scan_exec', table: 'SCAN9', tableColumns, scanColumns: [0, 1], filter: call('gt', call('divide', lit(1, N), call('subtract', column(0, N), lit(5000, N))), lit(0, N)), limit: null, types: NS });
    await expect(run(everyRow, { units })).rejects.toThrow(/Division by zero/);
  });

  it('with a limit, stops reading units once the limit is reached', async () => {
    const units = await wh.table('scan3', tableColumns, [[[1, 'a'], [2, 'b']], [[3, 'c']], [[4, 'd']]]);
    const scan = exec({ kind: 'scan_exec', table: 'SCAN3', tableColumns, scanColumns: [0], filter: null, limit: 1, types: [N] });
    const { reply, rows } = await run(scan, { units });
    expect(rows).toEqual([['1']]);
    expect(reply.stats.rowsScanned).toBe(2);
  });
});

describe('values_exec', () => {
  const values = exec({ kind: 'values_exec', rows: [[lit(1, N), lit('x', S)], [lit(2, N), lit(null, S)]], types: NS });
  it('answers its rows in task 0', async () => {
    expect((await run(values)).rows).toEqual([['1', 'x'], ['2', null]]);
  });
  it('answers no rows in the other tasks', async () => {
    expect((await run(values, { task: 1, tasks: 2 })).rows).toEqual([]);
  });
});

describe('exchange_source_exec', () => {
  it('decodes the chunks routed to the task, in order', async () => {
    const inputs = { 3: [chunkOf(NS, [[1, 'a']]), chunkOf(NS, [[2, 'b'], [3, null]])] };
    expect((await run(source(3, NS), { inputs })).rows).toEqual([['1', 'a'], ['2', 'b'], ['3', null]]);
  });

  it('with merge, k-way merges the producers\' sorted runs (each cut into several chunks), keeping ties in producer order', async () => {
    const inputs = {
      3: [
        chunkOf(NS, [[1, 'p0'], [4, 'p0']], 0),
        chunkOf(NS, [[4, 'p0b'], [9, 'p0']], 0),
        chunkOf(NS, [[2, 'p1'], [4, 'p1']], 1),
        chunkOf(NS, [[5, 'p1'], [6, 'p1']], 1),
        chunkOf(NS, [[0, 'p2']], 2),
        chunkOf(NS, [[4, 'p2'], [10, 'p2']], 2),
      ],
    };
    const merged = source(3, NS, [{ expr: column(0, N), desc: false, nullsFirst: false }]);
    const { rows } = await run(merged, { inputs });
    expect(rows).toEqual([
      ['0', 'p2'],
      ['1', 'p0'],
      ['2', 'p1'],
      ['4', 'p0'],
      ['4', 'p0b'],
      ['4', 'p1'],
      ['4', 'p2'],
      ['5', 'p1'],
      ['6', 'p1'],
      ['9', 'p0'],
      ['10', 'p2'],
    ]);
  });
});

describe('filter_exec and project_exec', () => {
  it('filter keeps TRUE rows and project computes its expressions, batch by batch', async () => {
    const inputs = { 1: [chunkOf(NS, [[1, 'a'], [2, 'b'], [null, 'c']]), chunkOf(NS, [[3, 'd']])] };
    const f = exec({ kind: 'filter_exec', input: source(1, NS), predicate: call('ge', column(0, N), lit(2, N)), types: NS });
    const p = exec({ kind: 'project_exec', input: f, exprs: [column(1, S), call('add', column(0, N), lit(10, N))], types: [S, N] });
    p.types[1] = p.exprs[1].type;
    const { rows, reply } = await run(p, { inputs });
    expect(rows).toEqual([['b', '12'], ['d', '13']]);
    expect(reply.profile.map((x) => [x.operator, x.rowsIn, x.rowsOut])).toEqual([
      ['project_exec', 2, 2],
      ['filter_exec', 4, 2],
      ['exchange_source_exec', 0, 4],
    ]);
  });
});

describe('hash_join_exec', () => {
  const spec = (type: HashJoinSpec['type'], buildSide: 'left' | 'right'): HashJoinSpec => ({
    type,
    left: NS,
    right: NS,
    keys: [{ left: column(0, N), right: column(0, N) }],
    buildSide,
  });
  const inputs = {
    1: [chunkOf(NS, [[1, 'l1'], [2, 'l2'], [null, 'lnull']])],
    2: [chunkOf(NS, [[2, 'r2'], [3, 'r3'], [2, 'r2b']])],
  };

  it('INNER: builds the right input, probes with the left', async () => {
    const j = exec({ kind: 'hash_join_exec', left: source(1, NS), right: source(2, NS), spec: spec('INNER', 'right'), types: [N, S, N, S] });
    expect((await run(j, { inputs })).rows).toEqual([
      ['2', 'l2', '2', 'r2'],
      ['2', 'l2', '2', 'r2b'],
    ]);
  });

  it('LEFT built on the left: unmatched left rows come out at the end', async () => {
    const j = exec({ kind: 'hash_join_exec', left: source(1, NS), right: source(2, NS), spec: spec('LEFT', 'left'), types: [N, S, N, S] });
    const { rows } = await run(j, { inputs });
    expect(rows.slice(0, 2)).toEqual([
      ['2', 'l2', '2', 'r2'],
      ['2', 'l2', '2', 'r2b'],
    ]);
    // (Array sort compares the rows' text: a NULL first.)
    expect(rows.slice(2).sort()).toEqual([
      [null, 'lnull', null, null],
      ['1', 'l1', null, null],
    ]);
  });
});

describe('mark_join_exec and mark_combine_exec', () => {
  const left = [[1, 'a'], [2, 'b'], [3, 'c']];
  const markSpec: HashJoinSpec = { type: 'MARK', left: NS, right: [N], keys: [{ left: column(0, N), right: column(0, N) }], buildSide: 'left' };

  async function marks(rightRows: (number | null)[][]) {
    const j = exec({ kind: 'mark_join_exec', left: source(1, NS), right: source(2, [N]), spec: markSpec, types: [B] });
    return (await run(j, { inputs: { 1: [chunkOf(NS, left)], 2: [chunkOf([N], rightRows)] } })).rows;
  }

  it('a task marks each left row by its own right rows', async () => {
    expect(await marks([[2], [9]])).toEqual([[false], [true], [false]]);
    expect(await marks([])).toEqual([[false], [false], [false]]);
  });

  it('combine ORs the tasks\' marks (TRUE, then NULL) and keeps rows by join type', async () => {
    const m = (rows: (boolean | null)[][]) => chunkOf([B], rows);
    const inputs = { 1: [chunkOf(NS, left)], 2: [m([[true], [false], [null]]), m([[false], [false], [true]]), m([[false], [null], [false]])] };
    const combine = (joinType: Extract<ExecNode, { kind: 'mark_combine_exec' }>['joinType'], types: DataType[]) =>
      exec({ kind: 'mark_combine_exec', left: source(1, NS), marks: source(2, [B]), joinType, types });
    expect((await run(combine('SEMI', NS), { inputs })).rows).toEqual([['1', 'a'], ['3', 'c']]);
    expect((await run(combine('ANTI', NS), { inputs })).rows).toEqual([]);
    expect((await run(combine('NULL_AWARE_MARK', [N, S, B]), { inputs })).rows).toEqual([
      ['1', 'a', true],
      ['2', 'b', null],
      ['3', 'c', true],
    ]);
  });
});

describe('hash_aggregate_exec', () => {
  const inputs = { 1: [chunkOf(NS, [[1, 'a'], [2, 'b'], [3, 'a']]), chunkOf(NS, [[4, null], [5, 'b']])] };
  const sum = { fn: 'sum', arg: column(0, N), distinct: false, type: N } as const;
  const count = { fn: 'count_star', arg: null, distinct: false, type: N } as const;

  it('SINGLE: raw rows to results', async () => {
    const agg = exec({ kind: 'hash_aggregate_exec', input: source(1, NS), phase: 'single', groupBy: [column(1, S)], aggregates: [sum, count], types: [S, N, N] });
    expect((await run(agg, { inputs })).rows.sort()).toEqual([
      [null, '4', '1'],
      ['a', '4', '2'],
      ['b', '7', '2'],
    ]);
  });

  it('PARTIAL then FINAL over the partial states gives the same results', async () => {
    const partialTypes = partialStateTypes([column(1, S)], [sum, count]);
    const partial = exec({ kind: 'hash_aggregate_exec', input: source(1, NS), phase: 'partial', groupBy: [column(1, S)], aggregates: [sum, count], types: partialTypes });
    const runPartial = () => runStageTask(stageTask(partial, tmp.dir, { inputs }), { cache: wh.cache, store: wh.store, cancel: null });
    const p = await runPartial();
    expect(p.reply.outputs[0].length).toBe(1);
    const final = exec({ kind: 'hash_aggregate_exec', input: source(4, partialTypes), phase: 'final', groupBy: [column(0, S)], aggregates: [sum, count], types: [S, N, N] });
    // Two producer tasks' partials of the same rows: the sums double.
    const twice = { 4: [...p.reply.outputs[0], ...(await runPartial()).reply.outputs[0]] };
    expect((await run(final, { inputs: twice })).rows.sort()).toEqual([
      [null, '8', '2'],
      ['a', '8', '4'],
      ['b', '14', '4'],
    ]);
  });
});

describe('sort_exec, top_n_exec and limit_exec', () => {
  const inputs = { 1: [chunkOf(NS, [[5, 'e'], [1, 'a'], [null, 'n']]), chunkOf(NS, [[3, 'c'], [1, 'a2'], [4, 'd']])] };
  const byK = [{ expr: column(0, N), desc: false, nullsFirst: false }];

  it('sort_exec sorts the task\'s whole input (stable)', async () => {
    const s = exec({ kind: 'sort_exec', input: source(1, NS), keys: byK, types: NS });
    expect((await run(s, { inputs })).rows).toEqual([['1', 'a'], ['1', 'a2'], ['3', 'c'], ['4', 'd'], ['5', 'e'], [null, 'n']]);
  });

  it('top_n_exec keeps the first rows by the keys across batches', async () => {
    const t = exec({ kind: 'top_n_exec', input: source(1, NS), keys: [{ expr: column(0, N), desc: true, nullsFirst: true }], limit: 3, types: NS });
    expect((await run(t, { inputs })).rows).toEqual([[null, 'n'], ['5', 'e'], ['4', 'd']]);
  });

  it('limit_exec skips the offset, passes the limit, and stops pulling its input', async () => {
    const l = exec({ kind: 'limit_exec', input: source(1, NS), offset: 2, limit: 1, types: NS });
    const { rows, reply } = await run(l, { inputs });
    expect(rows).toEqual([[null, 'n']]);
    // The second chunk was never decoded: the source passed only its first batch.
    expect(reply.profile[1]).toMatchObject({ operator: 'exchange_source_exec', rowsOut: 3 });
  });

  it('a limit over a scan stops the scan reading units', async () => {
    const units = await wh.table('lim', tableColumns, [[[1, 'a']], [[2, 'b']], [[3, 'c']], [[4, 'd']]]);
    const scan = exec({ kind: 'scan_exec', table: 'LIM', tableColumns, scanColumns: [0], filter: null, limit: null, types: [N] });
    const { rows, reply } = await run(exec({ kind: 'limit_exec', input: scan, offset: 0, limit: 1, types: [N] }), { units });
    expect(rows).toEqual([['1']]);
    expect(reply.stats.rowsScanned).toBe(1);
  });
});

describe('window_exec', () => {
  const inputs = { 1: [chunkOf(NS, [[3, 'a'], [1, 'b']]), chunkOf(NS, [[2, 'a'], [5, 'b'], [4, 'a']])] };
  const rowNumber: WindowCall = { fn: 'row_number', args: [], partitionBy: [column(1, S)], orderBy: [{ expr: column(0, N), desc: false, nullsFirst: false }], frame: null, type: N };

  it('appends the window calls over every row of the task (partitions spanning batches)', async () => {
    const w = exec({ kind: 'window_exec', input: source(1, NS), calls: [rowNumber], types: [N, S, N] });
    expect((await run(w, { inputs })).rows).toEqual([
      ['3', 'a', '2'],
      ['1', 'b', '1'],
      ['2', 'a', '1'],
      ['5', 'b', '2'],
      ['4', 'a', '3'],
    ]);
  });

  it('fails with 53200 past its memory share', async () => {
    const w = exec({ kind: 'window_exec', input: source(1, NS), calls: [rowNumber], types: [N, S, N] });
    const err = await run(w, { inputs, memoryBytes: 64 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as ResourceError).sqlState).toBe('53200');
  });
});

describe('set_op_exec', () => {
  const inputs = { 1: [chunkOf(NS, [[1, 'a'], [2, 'b'], [1, 'a']])], 2: [chunkOf(NS, [[2, 'b'], [3, null]])] };
  const setOp = (op: 'UNION' | 'INTERSECT' | 'EXCEPT', all: boolean) => exec({ kind: 'set_op_exec', op, all, left: source(1, NS), right: source(2, NS), types: NS });

  it('UNION ALL streams both inputs', async () => {
    expect((await run(setOp('UNION', true), { inputs })).rows).toEqual([['1', 'a'], ['2', 'b'], ['1', 'a'], ['2', 'b'], ['3', null]]);
  });
  it('UNION, INTERSECT and EXCEPT answer distinct rows', async () => {
    expect((await run(setOp('UNION', false), { inputs })).rows).toEqual([['1', 'a'], ['2', 'b'], ['3', null]]);
    expect((await run(setOp('INTERSECT', false), { inputs })).rows).toEqual([['2', 'b']]);
    expect((await run(setOp('EXCEPT', false), { inputs })).rows).toEqual([['1', 'a']]);
  });
});

describe('write_exec', () => {
  it('writes its input as micro-partitions under keys reserved through the task\'s port, sorted by the cluster key', async () => {
    const { port1, port2 } = new MessageChannel();
    const reserved: string[][] = [];
    serveKeyReservations(port1, (keys) => reserved.push(keys));
    const inputs = { 1: [chunkOf(NS, [[3, 'c'], [1, 'a']]), chunkOf(NS, [[2, 'b']])] };
    const w = exec({ kind: 'write_exec', input: source(1, NS), columns: tableColumns, clusterBy: [0], partitionRows: 2, keyPrefix: 'tbl/q1', types: [] });
    const task = stageTask(w, tmp.dir, { inputs, output: { kind: 'written' }, task: 1, tasks: 2 });
    task.reservations = port2;
    const { reply } = await runStageTask(task, { cache: wh.cache, store: wh.store, cancel: null });
    port1.close();
    // One reservation per partition, each before its put (write-micro-partitions.ts).
    expect(reserved).toEqual([['tbl/q1-t1-00000.parquet'], ['tbl/q1-t1-00001.parquet']]);
    expect(reply.written.map((p) => [p.objectKey, p.rowCount])).toEqual([
      ['tbl/q1-t1-00000.parquet', 2],
      ['tbl/q1-t1-00001.parquet', 1],
    ]);
    expect(reply.outputs).toEqual([[]]);
    const units = reply.written.map((p, i) => ({ partitionId: i, objectKey: p.objectKey, rowCount: p.rowCount, byteSize: p.byteSize, etag: p.etag, filterMode: 'all' as const }));
    const scan = exec({ kind: 'scan_exec', table: 'TBL', tableColumns, scanColumns: [0, 1], filter: null, limit: null, types: NS });
    expect((await run(scan, { units })).rows).toEqual([['1', 'a'], ['2', 'b'], ['3', 'c']]);
  });
});
