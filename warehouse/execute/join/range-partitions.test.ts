import { describe, expect, it } from 'vitest';
import { rangePartitions, singleRange } from './range-partitions.js';

describe('rangePartitions', () => {
  it('gives each key the number of bounds at or below it, NULLs task 0, whatever the vector form', () => {
    const bounds = [100, 200, 200, 300];
    const values = [-5, 99, 100, 150, 199, 200, 250, 299, 300, 1e15];
    const want = [0, 0, 1, 1, 1, 3, 3, 3, 4, 4];
    expect([...rangePartitions({ kind: 'f64', length: 10, values: Float64Array.from(values), nulls: null }, bounds, 5)]).toEqual(want);
    expect([...rangePartitions({ kind: 'i32', length: 10, values: Int32Array.from(values.map((v) => Math.min(v, 2 ** 31 - 1))), nulls: null }, bounds, 5)]).toEqual(want);
    const wide = [...values.map(BigInt), 2n ** 70n, -(2n ** 70n)];
    expect([...rangePartitions({ kind: 'dec', length: 12, values: wide, nulls: null }, bounds, 5)]).toEqual([...want, 4, 0]);
    const nulls = Uint8Array.from(values, (_, i) => (i === 8 ? 1 : 0));
    expect(rangePartitions({ kind: 'f64', length: 10, values: Float64Array.from(values), nulls }, bounds, 5)[8]).toBe(0);
  });

  it('gives a key past the last consumer task that task (fewer consumer tasks than the bounds cut)', () => {
    const key = { kind: 'f64' as const, length: 4, values: Float64Array.of(1, 150, 250, 350), nulls: null };
    expect([...rangePartitions(key, [100, 200, 300], 2)]).toEqual([0, 1, 1, 1]);
    expect([...rangePartitions(key, [100, 200, Infinity], 4)]).toEqual([0, 1, 2, 2]);
  });

  it('singleRange answers the one part of a batch whose keys all get it, as rangePartitions would, else -1', () => {
    const bounds = [100, 200, 300];
    const f64 = (values: number[], nullAt: number[] = []) => ({
      kind: 'f64' as const,
      length: values.length,
      values: Float64Array.from(values),
      nulls: nullAt.length === 0 ? null : Uint8Array.from(values, (_, i) => (nullAt.includes(i) ? 1 : 0)),
    });
    const cases: [ReturnType<typeof f64>, number][] = [
      [f64([150, 100, 199]), 1],
      [f64([99, 100]), -1],
      [f64([5, 7], [1]), 0],
      [f64([150, 160], [0]), -1],
      [f64([1, 2], [0, 1]), 0],
      [f64([300, 1e15]), 3],
      [f64([250, NaN]), -1],
    ];
    for (const [key, part] of cases) {
      expect(singleRange(key, bounds, 4)).toBe(part);
      if (part >= 0) expect(new Set(rangePartitions(key, bounds, 4))).toEqual(new Set([part]));
    }
    // Past the last consumer task: that task.
    expect(singleRange(f64([250, 350]), bounds, 3)).toBe(2);
    expect(singleRange({ kind: 'i32', length: 2, values: Int32Array.of(120, 130), nulls: null }, bounds, 4)).toBe(1);
    expect(singleRange({ kind: 'dec', length: 1, values: [150n], nulls: null }, bounds, 4)).toBe(-1);
  });
});
