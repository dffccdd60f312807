import { describe, expect, it } from 'vitest';
import type { DataType } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { createKeyInterner } from './key-interner.js';

const NUMBER: DataType = { kind: 'NUMBER', precision: 38, scale: 0 };
const FLOAT: DataType = { kind: 'FLOAT' };

function f64(values: number[], nullAt: number[] = []): Vector {
  const nulls = new Uint8Array(values.length);
  for (const i of nullAt) nulls[i] = 1;
  return { kind: 'f64', length: values.length, values: Float64Array.from(values), nulls: nullAt.length > 0 ? nulls : null };
}

/** Ids a reference numbering gives (first appearance; NULL and NaN are values of their own; -0 is 0). */
function referenceIds(batches: (number | null)[][]): number[][] {
  const ids = new Map<string, number>();
  return batches.map((b) =>
    b.map((x) => {
      const k = x === null ? 'null' : Number.isNaN(x) ? 'nan' : String(x + 0);
      if (!ids.has(k)) ids.set(k, ids.size);
      return ids.get(k)!;
    }),
  );
}

/** Interns the batches one by one; answers the ids, and the values emitted back for them. */
function internAll(type: DataType, batches: (number | null)[][]) {
  const interner = createKeyInterner(type);
  const got = batches.map((b) => {
    const out = new Int32Array(b.length);
    const nullAt = b.flatMap((x, i) => (x === null ? [i] : []));
    interner.intern(f64(b.map((x) => x ?? 0), nullAt), out);
    return [...out];
  });
  return { interner, got };
}

function check(type: DataType, batches: (number | null)[][]): void {
  const { interner, got } = internAll(type, batches);
  // One string compare: toEqual over hundreds of thousands of elements is slow.
  expect(JSON.stringify(got)).toBe(JSON.stringify(referenceIds(batches)));
  // emit gives each id its value back; lookup finds every value and adds nothing.
  const all = batches.flat();
  const ids = Int32Array.from(got.flat());
  const emitted = interner.emit(ids, ids.length);
  const values = [...(emitted as { values: Float64Array }).values];
  const wrong = all.filter((x, i) => (x === null ? emitted.nulls![i] !== 1 : !Object.is(values[i], x + 0) && !(Number.isNaN(x) && Number.isNaN(values[i]))));
  expect(wrong).toEqual([]);
  const size = interner.size;
  const out = new Int32Array(all.length);
  interner.lookup(f64(all.map((x) => x ?? 0), all.flatMap((x, i) => (x === null ? [i] : []))), out);
  expect(out.join()).toBe(ids.join());
  const missing = new Int32Array(3);
  interner.lookup(f64([0.25, 123456789012, -7777777]), missing);
  expect([...missing]).toEqual([-1, -1, -1]);
  expect(interner.size).toBe(size);
}

describe('NumberInterner', () => {
  it('numbers a dense integer range (ascending, descending, clustered runs) like a first-appearance map', () => {
    const asc = Array.from({ length: 5000 }, (_, i) => 1 + Math.floor(i / 4) * 3);
    const desc = Array.from({ length: 5000 }, (_, i) => 90_000 - i * 7);
    check(NUMBER, [asc.slice(0, 2500), desc, asc.slice(2500), [null, 5, null, -0, 0]]);
  });

  it('keeps ids when a sparse key, a fraction, NaN or a huge integer moves the numbering to the hash set', () => {
    const dense = Array.from({ length: 3000 }, (_, i) => 1000 + ((i * 37) % 3000));
    check(FLOAT, [dense, [1e12, 1000, 2.5, NaN, -0, 2 ** 60, 1001, NaN], dense.map((x) => x + 1)]);
    check(FLOAT, [[0.5, 1, 2, 3], dense]);
    check(NUMBER, [[2 ** 52, 2 ** 52 + 2, 1, 2 ** 52 + 2]]);
  });

  it('grows the direct range while it is dense enough: 200,000 keys over 800,000 values', () => {
    const keys = Array.from({ length: 200_000 }, (_, i) => 4 * i + 1);
    const batches: number[][] = [];
    for (let at = 0; at < keys.length; at += 20_000) batches.push(keys.slice(at, at + 20_000));
    batches.push(keys.slice(0, 1000).reverse());
    check(NUMBER, batches);
  });

  it('DATE keys (i32 vectors) and decimals ("dec" vectors) get the same ids as their numbers', () => {
    const date: DataType = { kind: 'DATE' };
    const interner = createKeyInterner(date);
    const out = new Int32Array(4);
    interner.intern({ kind: 'i32', length: 4, values: Int32Array.from([19000, 19001, 19000, -5]), nulls: null }, out);
    expect([...out]).toEqual([0, 1, 0, 2]);
    const num = createKeyInterner(NUMBER);
    const a = new Int32Array(3);
    num.intern(f64([7, 8, 7]), a);
    const b = new Int32Array(3);
    num.intern({ kind: 'dec', length: 3, values: [8n, 9n, 2n ** 70n], nulls: null }, b);
    expect([...a, ...b]).toEqual([0, 1, 0, 1, 2, 3]);
    const c = new Int32Array(2);
    num.lookup({ kind: 'dec', length: 2, values: [9n, 10n], nulls: null }, c);
    expect([...c]).toEqual([2, -1]);
  });

  it('numbers keys that arrive in ascending order without an index, and indexes them when the order breaks', () => {
    // Clustered runs, the last key of a batch repeated at the start of the next, NULLs between.
    const orders = Array.from({ length: 3000 }, (_, i) => 1 + Math.floor(i / 3) * 5);
    const sparse = Array.from({ length: 2000 }, (_, i) => i * 1e9 + 7);
    check(NUMBER, [[null, ...orders.slice(0, 1000)], orders.slice(999, 2000), [null, 6000, ...orders.slice(2000)], orders.slice(10, 20), [3, 1e15]]);
    // Sparse ascending keys go to the hash set when the order breaks.
    check(NUMBER, [sparse.slice(0, 1000), sparse.slice(1000), sparse.slice(0, 50).reverse()]);
    // The order broken by NaN, -0 after 0, a smaller key, a lookup first, or a decimal.
    check(FLOAT, [[-5, -0, 0, 0, 1], [1, 2, NaN, 3, NaN, 2]]);
    check(FLOAT, [[-0, 0, 0.5], [0, -1]]);
    const looked = createKeyInterner(NUMBER);
    const ids = new Int32Array(3);
    looked.intern(f64([10, 20, 20]), ids);
    const found = new Int32Array(3);
    looked.lookup(f64([20, 15, 10]), found);
    expect([...ids, ...found]).toEqual([0, 1, 1, 1, -1, 0]);
    looked.intern(f64([30, 10]), ids);
    expect([...ids.subarray(0, 2)]).toEqual([2, 0]);
    // Runs below every key so far, then a key inside them; -Infinity first.
    const runs = createKeyInterner(FLOAT);
    const r = new Int32Array(7);
    runs.intern(f64([50, 51, 51, 60]), r);
    runs.intern(f64([40, 41, 49]), r.subarray(4));
    expect([...r]).toEqual([0, 1, 1, 2, 3, 4, 5]);
    runs.intern(f64([30, 30, 45, 41, 60, 51]), r);
    expect([...r.subarray(0, 6)]).toEqual([6, 6, 7, 4, 2, 1]);
    check(FLOAT, [[-Infinity, -Infinity, 1], [-5, Infinity, -Infinity]]);
    // Runs in gaps between earlier runs, above and below, then one that grows into the run above it.
    check(NUMBER, [[10, 11, 20], [50, 50, 60], [30, 40], [21, 29], [5, 9], [61, 70], [41, 45, 50, 51], [7, 30, 60]]);
    // Descending keys: a run each, up to the limit, then the direct table.
    const descending = Array.from({ length: 3000 }, (_, i) => 3000 - i);
    check(NUMBER, [descending.slice(0, 2000), descending.slice(1500)]);
    // A task's own stretch of clustered keys, then a sibling's below it, then a repeat.
    check(NUMBER, [orders.slice(2000), orders.slice(1000, 2000), orders.slice(0, 1000), orders.slice(1500, 1600)]);
    const dec = createKeyInterner(NUMBER);
    const a = new Int32Array(2);
    dec.intern(f64([1, 2]), a);
    const b = new Int32Array(3);
    dec.intern({ kind: 'dec', length: 3, values: [2n, 1n, 3n], nulls: null }, b);
    expect([...a, ...b]).toEqual([0, 1, 1, 0, 2]);
  });
});
