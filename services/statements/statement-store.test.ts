import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ResourceError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { batchBytes } from '../../storage/types/vector-bytes.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { QueryStats } from '../session/statement-result.js';
import { StatementStates, StatementStore, type StatementStoreOptions } from './statement-store.js';

const COLS: Column[] = [
  { name: 'N', type: Types.number(38, 0), nullable: true },
  { name: 'S', type: Types.varchar, nullable: true },
];

function batch(rows: number, first = 0): Batch {
  return rowsToBatch(COLS, Array.from({ length: rows }, (_, i) => [BigInt(first + i), i % 3 === 0 ? null : `s${first + i}`]));
}

const STATS = { elapsedMs: 5, bytesScanned: 10, partitionsScanned: 1, partitionsTotal: 2 } as QueryStats;
const CONTEXT = { database: 'FIRN', schema: 'PUBLIC', warehouse: 'COMPUTE_WH' };

/** Every row of a read as [n, s] pairs. */
async function rows(batches: AsyncIterable<Batch>): Promise<[string, string | null][]> {
  const out: [string, string | null][] = [];
  for await (const b of batches) {
    const n = b.columns[0]!;
    const s = b.columns[1]!;
    if (n.kind !== 'f64' || s.kind !== 'str') throw new Error('unexpected vector kinds');
    for (let r = 0; r < b.length; r++) out.push([String(n.values[r]), s.nulls?.[r] ? null : s.dict[s.codes[r]!]!]);
  }
  return out;
}

describe('StatementStore', () => {
  let home: string;
  const stores: StatementStore[] = [];
  const open = (more: Partial<StatementStoreOptions> = {}) => {
    const s = new StatementStore({ home, memoryBytes: 1 << 20, diskBytes: 1 << 24, partitionBytes: 1 << 20, ...more });
    stores.push(s);
    return s;
  };

  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'firn-statement-store-'));
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('keeps a statement from running to succeeded, with its rows, for its owner only', async () => {
    const store = open();
    const st = store.begin({ queryId: 'q1', user: 'ALICE', requestId: 'r1' });
    expect(st.state).toBe(StatementStates.RUNNING);
    store.openResult(st, COLS);
    await store.append(st, batch(3));
    await store.append(st, batch(2, 3));
    expect(st.progress().rowsProduced).toBe(5);
    expect(store.resultOf('q1', 'ALICE')).toBeUndefined();
    await store.settle(st, { stats: STATS, context: CONTEXT });
    await st.settled;
    expect(st.state).toBe(StatementStates.SUCCEEDED);
    expect(st.progress()).toEqual({ elapsedMs: 5, rowsProduced: 5, bytesScanned: 10, partitionsScanned: 1, partitionsTotal: 2, filesTotal: 0, filesDone: 0, rowsLoaded: 0 });
    const result = store.resultOf('q1', 'ALICE')!;
    expect(result.columns).toEqual(COLS);
    expect(await rows(result.batches())).toEqual([['0', null], ['1', 's1'], ['2', 's2'], ['3', null], ['4', 's4']]);
    // Read afresh each time.
    expect((await rows(result.batches())).length).toBe(5);
    expect(store.resultOf('q1', 'BOB')).toBeUndefined();
    expect(store.get('q1', 'BOB')).toBeUndefined();
    expect(store.byRequestId('ALICE', 'r1')).toBe(st);
    expect(store.byRequestId('BOB', 'r1')).toBeUndefined();
  });

  it('writes batches past the memory budget to Arrow IPC files under FIRN_HOME/results, and reads them back in order', async () => {
    const store = open({ memoryBytes: 64 });
    const st = store.begin({ queryId: 'q2', user: 'U' });
    store.openResult(st, COLS);
    await store.append(st, batch(2));
    await store.append(st, batch(200, 2));
    await store.append(st, batch(300, 202));
    await store.settle(st, { stats: STATS, context: CONTEXT });
    const dir = path.join(home, 'results', 'q2');
    expect(readdirSync(dir).sort()).toEqual(['1.arrow', '2.arrow']);
    expect(store.resultBytes.disk).toBeGreaterThan(0);
    const all = await rows(store.resultOf('q2', 'U')!.batches());
    expect(all.length).toBe(502);
    expect(all.map((r) => Number(r[0]))).toEqual(Array.from({ length: 502 }, (_, i) => i));
    expect(await rows(st.result!.read(199, 204))).toEqual([['199', 's199'], ['200', null], ['201', 's201'], ['202', null], ['203', 's203']]);
    await store.close();
    expect(existsSync(dir)).toBe(false);
  });

  it('moves the oldest finished results to disk to make room in memory for a new one, which stay readable', async () => {
    const bytes = batchBytes(batch(100));
    const later = batchBytes(batch(100, 100));
    const store = open({ memoryBytes: Math.floor(Math.max(bytes, later) * 1.5) });
    const a = store.begin({ queryId: 'a', user: 'U' });
    store.openResult(a, COLS);
    await store.append(a, batch(100));
    await store.settle(a, { stats: STATS, context: CONTEXT });
    expect(store.resultBytes).toEqual({ memory: bytes, disk: 0 });
    const b = store.begin({ queryId: 'b', user: 'U' });
    store.openResult(b, COLS);
    await store.append(b, batch(100, 100));
    expect(store.resultBytes.memory).toBe(later);
    expect(store.resultBytes.disk).toBeGreaterThan(0);
    expect(readdirSync(path.join(home, 'results', 'a'))).toEqual(['0.arrow']);
    expect(existsSync(path.join(home, 'results', 'b'))).toBe(false);
    await store.settle(b, { stats: STATS, context: CONTEXT });
    expect((await rows(store.resultOf('a', 'U')!.batches())).map((r) => r[0])).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    expect((await rows(store.resultOf('b', 'U')!.batches())).map((r) => r[0])).toEqual(Array.from({ length: 100 }, (_, i) => String(100 + i)));
  });

  it('cuts the result into partitions of about partitionBytes of JSON text', async () => {
    // A row of NUMBER(38,0) and 'x' is estimated at 2 + 25 + 4 = 31 characters: 10 rows fit 320.
    const store = open({ partitionBytes: 320 });
    const st = store.begin({ queryId: 'q3', user: 'U' });
    store.openResult(st, COLS);
    await store.append(st, rowsToBatch(COLS, Array.from({ length: 95 }, (_, i) => [BigInt(i), 'x'])));
    await store.append(st, rowsToBatch(COLS, Array.from({ length: 10 }, (_, i) => [BigInt(i), 'x'])));
    await store.settle(st, { stats: STATS, context: CONTEXT });
    const parts = st.result!.partitions;
    expect(parts.map((p) => p.rows)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    for (let i = 1; i < parts.length; i++) expect(parts[i]!.start).toBe(parts[i - 1]!.start + parts[i - 1]!.rows);
  });

  it('counts a string shared by many rows once per row, and keeps large rows apart', async () => {
    const store = open({ partitionBytes: 10_000 });
    const st = store.begin({ queryId: 'q6', user: 'U' });
    store.openResult(st, COLS);
    const big = 'y'.repeat(6000);
    // One dictionary entry, 4 rows: about 24,000 characters of text, though it is held once.
    await store.append(st, { length: 4, columns: [
      { kind: 'f64', length: 4, values: Float64Array.from([1, 2, 3, 4]), nulls: null },
      { kind: 'str', length: 4, codes: new Int32Array(4), dict: [big], nulls: null },
    ] });
    await store.settle(st, { stats: STATS, context: CONTEXT });
    expect(st.result!.partitions).toEqual([{ start: 0, rows: 1 }, { start: 1, rows: 1 }, { start: 2, rows: 1 }, { start: 3, rows: 1 }]);
  });

  it('an empty result has one empty partition', async () => {
    const store = open();
    const st = store.begin({ queryId: 'q4', user: 'U' });
    store.openResult(st, COLS);
    await store.settle(st, { stats: STATS, context: CONTEXT });
    expect(st.result!.partitions).toEqual([{ start: 0, rows: 0 }]);
  });

  it('cancel fires the signal; a CANCELED failure settles as canceled and drops the rows', async () => {
    const store = open();
    const st = store.begin({ queryId: 'q5', user: 'U' });
    store.openResult(st, COLS);
    await store.append(st, batch(3));
    expect(store.cancel('q5', 'OTHER')).toBeUndefined();
    expect(st.signal.aborted).toBe(false);
    expect(store.cancel('q5', 'U')).toBe(st);
    expect(st.signal.aborted).toBe(true);
    await store.settle(st, { error: new ResourceError('CANCELED', 'SQL execution canceled') });
    expect(st.state).toBe(StatementStates.CANCELED);
    expect(st.error?.code).toBe('000604');
    expect(store.resultOf('q5', 'U')).toBeUndefined();
    expect(store.resultBytes.memory).toBe(0);
  });

  it('evicts the oldest finished results past the disk budget, keeping the statements', async () => {
    const store = open({ memoryBytes: 0, diskBytes: 6000 });
    const a = store.begin({ queryId: 'a', user: 'U', requestId: 'ra' });
    store.openResult(a, COLS);
    await store.append(a, batch(100));
    await store.settle(a, { stats: STATS, context: CONTEXT });
    const b = store.begin({ queryId: 'b', user: 'U' });
    store.openResult(b, COLS);
    await store.append(b, batch(100));
    await store.append(b, batch(100));
    await store.settle(b, { stats: STATS, context: CONTEXT });
    expect(store.resultOf('a', 'U')).toBeUndefined();
    expect(store.byRequestId('U', 'ra')).toBe(a);
    expect(a.state).toBe(StatementStates.SUCCEEDED);
    expect((await rows(store.resultOf('b', 'U')!.batches())).length).toBe(200);
    expect(existsSync(path.join(home, 'results', 'a'))).toBe(false);
    // A result that alone passes the budget fails.
    const c = store.begin({ queryId: 'c', user: 'U' });
    store.openResult(c, COLS);
    await expect(async () => {
      for (let i = 0; i < 10; i++) await store.append(c, batch(100));
    }).rejects.toMatchObject({ codeName: 'RESOURCE_EXHAUSTED' });
    await store.settle(c, { error: new ResourceError('RESOURCE_EXHAUSTED', 'too large') });
    expect(existsSync(path.join(home, 'results', 'c'))).toBe(false);
  });

  it('forgets the oldest finished statements past maxEntries, never a running one', async () => {
    const store = open({ maxEntries: 2 });
    const running = store.begin({ queryId: 'r', user: 'U' });
    for (const id of ['x', 'y', 'z']) {
      const st = store.begin({ queryId: id, user: 'U', requestId: `req-${id}` });
      store.openResult(st, COLS);
      await store.settle(st, { stats: STATS, context: CONTEXT });
    }
    expect(store.get('r', 'U')).toBe(running);
    expect(store.get('x', 'U')).toBeUndefined();
    expect(store.byRequestId('U', 'req-x')).toBeUndefined();
    expect(store.get('z', 'U')?.queryId).toBe('z');
  });

  it('forgets finished statements older than the retention', async () => {
    let now = 1_000_000;
    const store = open({ retentionMs: 1000, now: () => now });
    const st = store.begin({ queryId: 'old', user: 'U', requestId: 'r' });
    store.openResult(st, COLS);
    await store.settle(st, { stats: STATS, context: CONTEXT });
    now += 30_000;
    store.begin({ queryId: 'new', user: 'U' });
    expect(store.get('old', 'U')).toBeDefined();
    now += 60_000;
    store.begin({ queryId: 'newer', user: 'U' });
    expect(store.get('old', 'U')).toBeUndefined();
    expect(store.byRequestId('U', 'r')).toBeUndefined();
  });
});
