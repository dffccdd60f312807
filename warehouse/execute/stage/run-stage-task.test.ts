import { performance } from 'node:perf_hooks';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBatchIpc, encodeBatchIpc } from '../../../storage/arrow/batch-ipc.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { ExchangeChunk } from '../../fragment/stage-plan.js';
import { CancelFlag, CancelReason } from '../../cancel/cancel-flag.js';
import { RESULT_BATCHES_IN_FLIGHT, type ResultWorkerMessage } from '../../fragment/result-stream.js';
import { partialStateTypes } from '../aggregate/partial-state-types.js';
import { call, lit } from '../expr-test-kit.js';
import { runStageTask } from './run-stage-task.js';
import { N, S, TestWarehouse, batchOfRows, column, columnsOf, exec, replyRows, rowsOf, source, stageTask, tempDir } from './stage-test-kit.js';

const tmp = tempDir('firn-stage-task-');
afterAll(() => tmp.remove());
const wh = new TestWarehouse(tmp.dir);
const env = { cache: wh.cache, store: wh.store, cancel: null };
const tableColumns: Column[] = [
  { name: 'K', type: S, nullable: true },
  { name: 'V', type: N, nullable: true },
];

describe('runStageTask', () => {
  it('runs a two-stage aggregate: partial per scan task, hash exchange by group key, final per consumer task', async () => {
    const units = await wh.table('agg', tableColumns, [
      [['a', 1], ['b', 2], [null, 3]],
      [['a', 10], ['c', 20]],
      [['b', 100], [null, 300], ['c', 1000]],
    ]);
    const sum = { fn: 'sum', arg: column(1, N), distinct: false, type: N } as const;
    const states = partialStateTypes([column(0, S)], [sum]);
    const scan = exec({ kind: 'scan_exec', table: 'AGG', tableColumns, scanColumns: [0, 1], filter: null, limit: null, types: [S, N] });
    const partial = exec({ kind: 'hash_aggregate_exec', input: scan, phase: 'partial', groupBy: [column(0, S)], aggregates: [sum], types: states });
    // Two producer tasks, each with its share of the units, two consumer tasks.
    const produced = await Promise.all(
      [units.slice(0, 2), units.slice(2)].map((u, task) =>
        runStageTask(stageTask(partial, tmp.dir, { units: u, task, tasks: 2, consumerTasks: 2, output: { kind: 'hash', keys: [column(0, S)] } }), env),
      ),
    );
    expect(produced.map((p) => p.reply.stats.rowsScanned)).toEqual([5, 3]);
    const final = exec({ kind: 'hash_aggregate_exec', input: source(1, states), phase: 'final', groupBy: [column(0, S)], aggregates: [sum], types: [S, N] });
    const results = [];
    for (let c = 0; c < 2; c++) {
      const inputs: Record<number, ExchangeChunk[]> = { 1: produced.flatMap((p) => p.reply.outputs[c]) };
      const { reply } = await runStageTask(stageTask(final, tmp.dir, { inputs, task: c, tasks: 2 }), env);
      results.push(...(await replyRows([S, N], reply)));
    }
    expect(results.sort()).toEqual([
      [null, '303'],
      ['a', '11'],
      ['b', '102'],
      ['c', '1020'],
    ]);
  });

  it('a scan with `every` reads all its units in each task, whatever the task\'s units; task 0 alone counts them', async () => {
    const dims = await wh.table('every_dim', tableColumns, [[['x', 1], ['y', 2]], [['z', 3]]]);
    const facts = await wh.table('every_fact', tableColumns, [[['f', 1], ['g', 3]], [['h', 3], ['i', 4]]]);
    const every = { units: dims, zoneMaps: [], partitionsTotal: 2, predicate: null };
    const dim = exec({ kind: 'scan_exec', table: 'EVERY_DIM', tableColumns, scanColumns: [0, 1], filter: null, limit: null, types: [S, N], every });
    const fact = exec({ kind: 'scan_exec', table: 'EVERY_FACT', tableColumns, scanColumns: [0, 1], filter: null, limit: null, types: [S, N] });
    const spec = { type: 'INNER', left: [S, N], right: [S, N], keys: [{ left: column(1, N), right: column(1, N) }], inKey: null, residual: null, buildSide: 'right' } as const;
    const join = exec({ kind: 'hash_join_exec', left: fact, right: dim, spec, types: [S, N, S, N] });
    const replies = await Promise.all(facts.map((u, task) => runStageTask(stageTask(join, tmp.dir, { units: [u], task, tasks: 2 }), env)));
    const rows = await Promise.all(replies.map((r) => replyRows([S, N, S, N], r.reply)));
    expect(rows).toEqual([
      [['f', '1', 'x', '1'], ['g', '3', 'z', '3']],
      [['h', '3', 'z', '3']],
    ]);
    // Each task counts its own fact rows; only task 0 the dimension's three.
    expect(replies.map((r) => r.reply.stats.rowsScanned)).toEqual([5, 2]);
  });

  it('answers the profile of every operator, the key summaries of the runtime filters, and transfers each chunk\'s own buffer', async () => {
    const units = await wh.table('prof', tableColumns, [[['x', 1], ['y', 2]], [['z', 3]]]);
    const scan = exec({ kind: 'scan_exec', table: 'PROF', tableColumns, scanColumns: [0, 1], filter: null, limit: null, types: [S, N] });
    const filter = exec({ kind: 'filter_exec', input: scan, predicate: call('gt', column(1, N), lit(1, N)), types: [S, N] });
    const task = stageTask(filter, tmp.dir, { units, runtimeFilters: [{ key: column(1, N), probeStage: 9, probeColumn: 0 }] });
    const t0 = performance.now();
    const { reply, transfer } = await runStageTask(task, env);
    const wall = performance.now() - t0;
    // Exclusive times: the operators' times add up to at most the task's time.
    expect(reply.profile.reduce((n, p) => n + p.ms, 0)).toBeLessThanOrEqual(wall);
    expect(reply.profile.map(({ id, stage, task, operator, rowsIn, rowsOut, bytesSpilled }) => ({ id, stage, task, operator, rowsIn, rowsOut, bytesSpilled }))).toEqual([
      { id: filter.id, stage: 7, task: 0, operator: 'filter_exec', rowsIn: 3, rowsOut: 2, bytesSpilled: 0 },
      { id: scan.id, stage: 7, task: 0, operator: 'scan_exec', rowsIn: 0, rowsOut: 3, bytesSpilled: 0 },
    ]);
    for (const p of reply.profile) {
      expect(p.ms).toBeGreaterThanOrEqual(0);
      expect(p.bytesOut).toBeGreaterThan(0);
    }
    expect(reply.keySummaries).toEqual([{ rows: 2, min: '2', max: '3', values: ['2', '3'], bits: { base: 0, words: expect.any(Int32Array) } }]);
    // Keys 2 and 3 (the scan's N column): bits 2 and 3 from base 0, nothing else.
    expect([...reply.keySummaries[0].bits!.words].map((w, i) => (i === 0 ? w : w === 0 ? 0 : -1)).filter((w, i) => i === 0 || w !== 0)).toEqual([0b1100]);
    expect(reply.bytesSpilled).toBe(0);
    expect(transfer).toEqual(reply.outputs[0].map((c) => (c.kind === 'ipc' ? c.bytes.buffer : null)));
  });

  it('past its memory budget, the sort spills runs and the exchange writes spill files; both count in bytesSpilled', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => [(i * 7919) % 30_000]);
    const chunks = Array.from({ length: 6 }, (_, c) => ({ kind: 'ipc' as const, bytes: encodeRows([N], rows.slice(c * 5000, c * 5000 + 5000)), rows: 5000 }));
    const sort = exec({ kind: 'sort_exec', input: source(1, [N]), keys: [{ expr: column(0, N), desc: false, nullsFirst: false }], types: [N] });
    const { reply } = await runStageTask(stageTask(sort, tmp.dir + '/spill-sort', { inputs: { 1: chunks }, memoryBytes: 64 * 1024 }), env);
    const sortProfile = reply.profile.find((p) => p.operator === 'sort_exec')!;
    expect(sortProfile.bytesSpilled).toBeGreaterThan(0);
    expect(reply.outputs[0].some((c) => c.kind === 'file')).toBe(true);
    const fileBytes = reply.outputs[0].reduce((n, c) => n + (c.kind === 'file' ? c.bytes : 0), 0);
    expect(reply.bytesSpilled).toBe(sortProfile.bytesSpilled + fileBytes);
    const back = await replyRows([N], reply);
    expect(back).toEqual(Array.from({ length: 30_000 }, (_, i) => [String(i)]));
  });

  it('past its memory budget, a partial aggregate streams flushed states and a single aggregate spills, with exact results', async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => [i % 20_000, 1]);
    const chunks = Array.from({ length: 8 }, (_, c) => ({ kind: 'ipc' as const, bytes: encodeRows([N, N], rows.slice(c * 5000, c * 5000 + 5000)), rows: 5000 }));
    const sum = { fn: 'sum', arg: column(1, N), distinct: false, type: N } as const;
    const partial = exec({ kind: 'hash_aggregate_exec', input: source(1, [N, N]), phase: 'partial', groupBy: [column(0, N)], aggregates: [sum], types: partialStateTypes([column(0, N)], [sum]) });
    const p = await runStageTask(stageTask(partial, tmp.dir + '/spill-agg', { inputs: { 1: chunks }, memoryBytes: 256 * 1024 }), env);
    // Flushed tables repeat groups: more partial rows than groups.
    expect(p.reply.profile[0].rowsOut).toBeGreaterThan(20_000);
    const single = exec({ kind: 'hash_aggregate_exec', input: source(1, [N, N]), phase: 'single', groupBy: [column(0, N)], aggregates: [sum], types: [N, N] });
    const { reply } = await runStageTask(stageTask(single, tmp.dir + '/spill-agg', { inputs: { 1: chunks }, memoryBytes: 256 * 1024 }), env);
    expect(reply.profile[0].bytesSpilled).toBeGreaterThan(0);
    const out = await replyRows([N, N], reply);
    expect(out.length).toBe(20_000);
    expect(out.every((r) => r[1] === '2')).toBe(true);
    expect(new Set(out.map((r) => r[0])).size).toBe(20_000);
  });

  it('past its memory budget, a hash join spills its build side and still answers every pair', async () => {
    const build = Array.from({ length: 20_000 }, (_, i) => [i, i * 2]);
    const probe = Array.from({ length: 20_000 }, (_, i) => [(i * 3) % 25_000, i]);
    const chunked = (rows: number[][]) => Array.from({ length: 4 }, (_, c) => ({ kind: 'ipc' as const, bytes: encodeRows([N, N], rows.slice(c * 5000, c * 5000 + 5000)), rows: 5000 }));
    const spec = { type: 'INNER' as const, left: [N, N], right: [N, N], keys: [{ left: column(0, N), right: column(0, N) }], buildSide: 'right' as const };
    const join = exec({ kind: 'hash_join_exec', left: source(1, [N, N]), right: source(2, [N, N]), spec, types: [N, N, N, N] });
    const { reply } = await runStageTask(stageTask(join, tmp.dir + '/spill-join', { inputs: { 1: chunked(probe), 2: chunked(build) }, memoryBytes: 256 * 1024 }), env);
    expect(reply.profile[0].bytesSpilled).toBeGreaterThan(0);
    const out = await replyRows([N, N, N, N], reply);
    const expected = probe.filter(([k]) => k < 20_000).map(([k, v]) => [String(k), String(v), String(k), String(k * 2)]);
    const key = (r: unknown[]) => r.join(',');
    expect(out.map(key).sort()).toEqual(expected.map(key).sort());
  });

  it('a result stage streams its batches through the result port, at most RESULT_BATCHES_IN_FLIGHT unacknowledged, then done', async () => {
    const { port1, port2 } = new MessageChannel();
    const chunks = Array.from({ length: 10 }, (_, i) => ({ kind: 'ipc' as const, bytes: ipcOfRows(i), rows: 1 }));
    const task = stageTask(source(1, [N]), tmp.dir, { inputs: { 1: chunks }, output: { kind: 'result' } });
    task.resultPort = port2;
    const got: ResultWorkerMessage[] = [];
    let maxInFlight = 0;
    let inFlight = 0;
    const done = new Promise<void>((resolve) => {
      port1.on('message', (m: ResultWorkerMessage) => {
        got.push(m);
        if (m.kind === 'done') return resolve();
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        // A slow client: acknowledge each batch a little later.
        setTimeout(() => {
          inFlight--;
          port1.postMessage({ kind: 'credit' });
        }, 5);
      });
    });
    const { reply } = await runStageTask(task, env);
    await done;
    port1.close();
    expect(reply.outputs).toEqual([]);
    expect(maxInFlight).toBe(RESULT_BATCHES_IN_FLIGHT);
    const batches = got.filter((m) => m.kind === 'batch');
    expect(batches.map((m) => m.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batches.flatMap((m) => rowsOf([N], decodeBatchIpc(m.ipc).batch))).toEqual(Array.from({ length: 10 }, (_, i) => [String(i)]));
    expect(got[got.length - 1]).toEqual({ kind: 'done', batches: 10, rows: 10 });
  });

  it('a result task waiting for credits stops once the statement is canceled', async () => {
    const { port1, port2 } = new MessageChannel();
    const chunks = Array.from({ length: 10 }, (_, i) => ({ kind: 'ipc' as const, bytes: ipcOfRows(i), rows: 1 }));
    const task = stageTask(source(1, [N]), tmp.dir, { inputs: { 1: chunks }, output: { kind: 'result' } });
    task.resultPort = port2;
    const posted: ResultWorkerMessage[] = [];
    port1.on('message', (m: ResultWorkerMessage) => posted.push(m));
    const flag = CancelFlag.create();
    const running = runStageTask(task, { ...env, cancel: flag }).catch((e: unknown) => e);
    // Nobody sends credits: the task parks after RESULT_BATCHES_IN_FLIGHT batches.
    while (posted.length < RESULT_BATCHES_IN_FLIGHT) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(posted.length).toBe(RESULT_BATCHES_IN_FLIGHT);
    const canceledAt = Date.now();
    flag.cancel(CancelReason.CLIENT);
    const err = await running;
    expect(Date.now() - canceledAt).toBeLessThan(200);
    expect((err as { codeName?: string }).codeName).toBe('CANCELED');
    port1.close();
    expect(posted.some((m) => m.kind === 'done')).toBe(false);
  });
});

function ipcOfRows(from: number, n = 1): Uint8Array {
  const types: DataType[] = [N];
  const values = Array.from({ length: n }, (_, i) => [from + i]);
  return encodeRows(types, values);
}

function encodeRows(types: DataType[], rows: number[][]): Uint8Array {
  return encodeBatchIpc(columnsOf(types), batchOfRows(types, rows));
}
