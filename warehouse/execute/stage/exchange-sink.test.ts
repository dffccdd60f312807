import { describe, expect, it, afterAll } from 'vitest';
import { existsSync } from 'node:fs';
import { ResourceError } from '../../../storage/errors/firn-error.js';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Readable } from '../expr-test-kit.js';
import { ExchangeSink, type ExchangeSinkOptions } from './exchange-sink.js';
import { countKeyBits, usedSpan } from './key-bits.js';
import { KeySummaries, RUNTIME_FILTER_KEY_SET_LIMIT } from './key-summary.js';
import { batchOfRows, chunkRows, column, N, S, tempDir } from './stage-test-kit.js';
import { keyPartitions } from '../join/key-partitions.js';
import { vec } from '../expr-test-kit.js';
import { SpillSpace } from '../spill/spill-space.js';
import { decodeChunk } from './operators/exchange-source-exec.js';
import type { StrVector } from '../../../storage/types/vector.js';

const NS: DataType[] = [N, S];
const tmp = tempDir('firn-sink-');
afterAll(() => tmp.remove());

function sink(o: Partial<ExchangeSinkOptions>): ExchangeSink {
  return new ExchangeSink({
    output: { kind: 'gather' },
    types: NS,
    consumerTasks: 1,
    task: 0,
    memoryBytes: 1 << 30,
    spill: new SpillSpace(tmp.dir + '/spill', 1 << 30),
    spillPrefix: 's1-t0',
    ...o,
  });
}

const rows: Readable[][] = Array.from({ length: 200 }, (_, i) => [i % 7 === 3 ? null : i % 13, `v${i}`]);

describe('ExchangeSink', () => {
  it('hash: every row goes to the consumer task of its key (equal keys, NULL included, together), none lost', async () => {
    const s = sink({ output: { kind: 'hash', keys: [column(0, N)] }, consumerTasks: 3 });
    await s.add(batchOfRows(NS, rows.slice(0, 120)));
    await s.add(batchOfRows(NS, rows.slice(120)));
    const { outputs, transfer } = await s.finish();
    expect(outputs.length).toBe(3);
    const parts = await Promise.all(outputs.map((o) => chunkRows(NS, o)));
    expect(parts.flat().map((r) => r[1]).sort()).toEqual(rows.map((r) => r[1]).sort());
    const home = new Map<Readable, number>();
    parts.forEach((p, c) => {
      for (const [k] of p) {
        expect(home.get(k) ?? c).toBe(c);
        home.set(k, c);
      }
    });
    expect(home.has(null)).toBe(true);
    // The partition is key-partitions.ts's, the function a join's both sides use.
    const keys = vec(N, [5]);
    expect(home.get('5')).toBe(keyPartitions([keys], 1, 3)[0]);
    expect(transfer.length).toBe(outputs.flat().length);
    expect(outputs.flat().every((c) => c.producer === 0)).toBe(true);
  });

  it('hash with nullsRoundRobin: NULL-key rows go to the consumer tasks in turn (across batches), other keys as without it', async () => {
    const s = sink({ output: { kind: 'hash', keys: [column(0, N)], nullsRoundRobin: true }, consumerTasks: 3, task: 1 });
    await s.add(batchOfRows(NS, rows.slice(0, 120)));
    await s.add(batchOfRows(NS, rows.slice(120)));
    const parts = await Promise.all((await s.finish()).outputs.map((o) => chunkRows(NS, o)));
    const nulls = rows.filter((r) => r[0] === null).map((r) => r[1]);
    expect(nulls.length).toBe(29);
    // The task's turn starts at its own number (task 1), one NULL row per consumer task in turn.
    expect(parts.map((p) => p.filter((r) => r[0] === null).map((r) => r[1]))).toEqual([0, 1, 2].map((c) => nulls.filter((_, i) => (i + 1) % 3 === c)));
    for (const [c, p] of parts.entries()) {
      for (const [k] of p) if (k !== null) expect(keyPartitions([vec(N, [Number(k)])], 1, 3)[0]).toBe(c);
    }
    expect(parts.flat().map((r) => r[1]).sort()).toEqual(rows.map((r) => r[1]).sort());
  });

  it('range: every row goes to the consumer task whose key range holds it, NULLs to task 0, none lost', async () => {
    const s = sink({ output: { kind: 'range', key: column(0, N), bounds: [4, 9] }, consumerTasks: 3 });
    // Batches of one range each (whole, in order) around batches that span the ranges.
    const one = (lo: number, hi: number) => rows.filter((r) => r[0] !== null && Number(r[0]) >= lo && Number(r[0]) < hi);
    const sent = [...rows, ...one(4, 9), ...one(9, 13), ...one(0, 4), ...rows.filter((r) => r[0] === null)];
    await s.add(batchOfRows(NS, one(4, 9)));
    await s.add(batchOfRows(NS, rows.slice(0, 120)));
    await s.add(batchOfRows(NS, one(9, 13)));
    await s.add(batchOfRows(NS, rows.slice(120)));
    await s.add(batchOfRows(NS, [...one(0, 4), ...rows.filter((r) => r[0] === null)]));
    const { outputs } = await s.finish();
    expect(outputs.length).toBe(3);
    const parts = await Promise.all(outputs.map((o) => chunkRows(NS, o)));
    expect(parts.flat().map((r) => r[1]).sort()).toEqual(sent.map((r) => r[1]).sort());
    expect(parts[1].slice(0, one(4, 9).length)).toEqual(one(4, 9).map(([k, v]) => [String(k), v]));
    const want = (k: Readable) => (k === null ? 0 : Number(k) < 4 ? 0 : Number(k) < 9 ? 1 : 2);
    parts.forEach((p, c) => {
      expect(p.length).toBeGreaterThan(0);
      for (const [k] of p) expect(want(k), `key ${String(k)} in task ${c}`).toBe(c);
    });
  });

  it('a chunk carries only the dictionary entries its rows use', async () => {
    const s = sink({ output: { kind: 'hash', keys: [column(0, N)] }, consumerTasks: 2 });
    const dict = Array.from({ length: 5000 }, (_, i) => `word${i}`);
    const codes = Int32Array.from({ length: 100 }, (_, i) => i * 50);
    const keys = vec(N, Array.from({ length: 100 }, (_, i) => i));
    await s.add({ length: 100, columns: [keys, { kind: 'str', length: 100, codes, dict, nulls: null }] });
    const { outputs } = await s.finish();
    const decoded = await Promise.all(outputs.flat().map((c) => decodeChunk(c)));
    expect(decoded.map((b) => (b.columns[1] as StrVector).dict.length)).toEqual(decoded.map((b) => b.length));
    expect((await Promise.all(outputs.map((o) => chunkRows(NS, o)))).flat().map((r) => r[1]).sort()).toEqual([...codes].map((c) => dict[c]).sort());
  });

  it('round_robin: whole batches spread over the consumer tasks, starting at the task\'s number', async () => {
    const s = sink({ output: { kind: 'round_robin' }, consumerTasks: 2, task: 1 });
    for (let i = 0; i < 3; i++) await s.add(batchOfRows(NS, rows.slice(i * 10, i * 10 + 10)));
    const { outputs } = await s.finish();
    expect((await chunkRows(NS, outputs[1])).map((r) => r[1])).toEqual([...rows.slice(0, 10), ...rows.slice(20, 30)].map((r) => r[1]));
    expect((await chunkRows(NS, outputs[0])).map((r) => r[1])).toEqual(rows.slice(10, 20).map((r) => r[1]));
  });

  it('broadcast: one list of chunks whose bytes all live in one SharedArrayBuffer', async () => {
    const s = sink({ output: { kind: 'broadcast' }, consumerTasks: 4 });
    // Past CHUNK_ROWS so there are two chunks.
    const big = Array.from({ length: 70_000 }, (_, i) => [i, 'x'] as Readable[]);
    await s.add(batchOfRows(NS, big));
    await s.add(batchOfRows(NS, rows));
    const { outputs, transfer } = await s.finish();
    expect(outputs.length).toBe(1);
    expect(transfer).toEqual([]);
    const chunks = outputs[0];
    expect(chunks.length).toBe(2);
    const buffers = new Set(chunks.map((c) => (c.kind === 'ipc' ? c.bytes.buffer : null)));
    expect(buffers.size).toBe(1);
    expect([...buffers][0]).toBeInstanceOf(SharedArrayBuffer);
    const back = await chunkRows(NS, chunks);
    expect(back.length).toBe(70_200);
    expect(back.slice(70_000)).toEqual(rows.map(([k, v]) => [k === null ? null : String(k), v]));
  });

  it('past its memory share, writes chunks to spill files that read back equal', async () => {
    const s = sink({ output: { kind: 'hash', keys: [column(0, N)] }, consumerTasks: 2, memoryBytes: 1 });
    await s.add(batchOfRows(NS, rows));
    const { outputs, transfer } = await s.finish();
    const chunks = outputs.flat();
    expect(chunks.every((c) => c.kind === 'file' && existsSync(c.path))).toBe(true);
    expect(transfer).toEqual([]);
    expect(s.bytesSpilled).toBe(chunks.reduce((n, c) => n + (c.kind === 'file' ? c.bytes : 0), 0));
    const back = (await Promise.all(outputs.map((o) => chunkRows(NS, o)))).flat();
    expect(back.map((r) => r[1]).sort()).toEqual(rows.map((r) => r[1]).sort());
  });

  it('fails with 53200 past the task\'s spill budget', async () => {
    const space = new SpillSpace(tmp.dir + '/spill', 100);
    space.charge(50);
    const s = sink({ memoryBytes: 1, spill: space });
    await s.add(batchOfRows(NS, rows));
    const err = await s.finish().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResourceError);
    expect((err as ResourceError).sqlState).toBe('53200');
  });
});

describe('KeySummaries', () => {
  it('answers rows, min/max as zone-map JSON scalars and the distinct non-NULL values', () => {
    const k = new KeySummaries([column(0, N), column(1, S)]);
    k.add(batchOfRows(NS, [[5, 'b'], [null, 'a'], [2, 'b']]));
    k.add(batchOfRows(NS, [[9, 'c']]));
    expect(k.summaries()).toEqual([
      { rows: 4, min: '2', max: '9', values: ['2', '5', '9'], bits: { base: 0, words: Int32Array.from([(1 << 2) | (1 << 5) | (1 << 9)]) } },
      { rows: 4, min: 'a', max: 'c', values: ['a', 'b', 'c'], bits: null },
    ]);
  });

  it('reports a set of a few thousand keys (TPC-H Q20 filters lineitem by 2,127 part keys at SF1)', () => {
    const k = new KeySummaries([column(0, N)]);
    k.add(batchOfRows(NS, Array.from({ length: 2500 }, (_, i) => [i * 7, null])));
    expect(k.summaries()[0].values).toHaveLength(2500);
  });

  it('drops the value set past RUNTIME_FILTER_KEY_SET_LIMIT, keeps the range; all-NULL keys have no range', () => {
    const k = new KeySummaries([column(0, N), column(1, S)]);
    const n = RUNTIME_FILTER_KEY_SET_LIMIT + 1;
    k.add(batchOfRows(NS, Array.from({ length: n }, (_, i) => [i, null])));
    const [keys, nulls] = k.summaries();
    expect(keys).toMatchObject({ rows: n, min: '0', max: String(n - 1), values: null });
    // The keys still fit a bitmap: every one of 0..n-1.
    expect(keys.bits!.base).toBe(0);
    expect(countKeyBits(keys.bits!)).toBe(n);
    expect(usedSpan(keys.bits!)).toBe(Math.ceil(n / 32) * 32);
    expect(nulls).toEqual({ rows: n, min: null, max: null, values: [], bits: null });
  });
});
