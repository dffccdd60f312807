import { describe, expect, it } from 'vitest';
import type { Vector } from '../../../storage/types/vector.js';
import { keyHashes, keyPartitions } from './key-partitions.js';

describe('keyPartitions', () => {
  it('sends equal values to one partition whatever their vector form, NULLs to partition 0', () => {
    const f = keyPartitions([{ kind: 'f64', length: 4, values: Float64Array.from([1, -0, 12345, 7]), nulls: Uint8Array.from([0, 0, 0, 1]) }], 4, 3);
    const d = keyPartitions([{ kind: 'dec', length: 3, values: [1n, 0n, 12345n], nulls: null }], 3, 3);
    expect([...f.subarray(0, 3)]).toEqual([...d]);
    expect(f[3]).toBe(0);
    const zero = keyPartitions([{ kind: 'f64', length: 1, values: Float64Array.from([0]), nulls: null }], 1, 3);
    expect(zero[0]).toBe(f[1]);
    const a = keyPartitions([{ kind: 'str', length: 3, codes: Int32Array.from([0, 1, 2]), dict: ['x', 'yy', 'zzz'], nulls: null }], 3, 5);
    const b = keyPartitions([{ kind: 'str', length: 3, codes: Int32Array.from([2, 0, 1]), dict: ['yy', 'zzz', 'x'], nulls: null }], 3, 5);
    expect([...a]).toEqual([...b]);
  });

  it('spreads many keys over every partition, combining several key columns', () => {
    const n = 10_000;
    const ids = keyPartitions(
      [
        { kind: 'f64', length: n, values: Float64Array.from({ length: n }, (_, i) => i), nulls: null },
        { kind: 'i32', length: n, values: Int32Array.from({ length: n }, (_, i) => i % 7), nulls: null },
      ],
      n,
      4,
    );
    const counts = [0, 0, 0, 0];
    for (const p of ids) counts[p]++;
    for (const c of counts) expect(c).toBeGreaterThan(n / 8);
  });
});

describe('keyPartitions with NaN', () => {
  it('puts every NaN bit pattern in one partition', () => {
    const computed = new Float64Array([0 / 0]);
    const parsed = new Float64Array([Number('NaN')]);
    new DataView(parsed.buffer).setUint32(4, 0x7ff80000, true);
    new DataView(computed.buffer).setUint32(4, 0xfff80000, true);
    for (const parts of [3, 5, 16]) {
      const a = keyPartitions([{ kind: 'f64', length: 1, values: computed, nulls: null }], 1, parts);
      const b = keyPartitions([{ kind: 'f64', length: 1, values: parsed, nulls: null }], 1, parts);
      expect(a[0]).toBe(b[0]);
    }
  });
});

describe('keyHashes', () => {
  const n = 1000;
  const keys: Vector[] = [
    { kind: 'f64' as const, length: n, values: Float64Array.from({ length: n }, (_, i) => i), nulls: Uint8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0)) },
    { kind: 'i32' as const, length: n, values: Int32Array.from({ length: n }, (_, i) => i % 50), nulls: null },
  ];

  it('is the hash keyPartitions cuts from: 0 for a row with a NULL key', () => {
    const h = keyHashes(keys, n);
    const parts = keyPartitions(keys, n, 7);
    for (let i = 0; i < n; i++) expect(parts[i]).toBe(Math.floor(((h[i] >>> 0) * 7) / 4294967296));
    expect(h[0]).toBe(0);
  });

  it('with nullsAsValues hashes NULL as one value, so rows with a NULL still spread by their other keys and equal tuples agree', () => {
    const h = keyHashes(keys, n, true);
    const nullRows = new Set<number>();
    for (let i = 0; i < n; i += 2) nullRows.add(h[i]);
    expect(nullRows.size).toBe(25); // even rows: i % 50 takes 25 values
    // The values under NULL slots differ: the hash must not read them.
    const under: Vector = { kind: 'f64', length: n, values: Float64Array.from({ length: n }, () => 123), nulls: keys[0].nulls };
    const again = keyHashes([under, keys[1]], n, true);
    for (let i = 0; i < n; i += 2) expect(again[i]).toBe(h[i]);
  });
});

describe('keyPartitions over a shared dictionary', () => {
  it('hashes a dictionary used by many batches (and grown by appending) like a fresh copy of it', () => {
    const dict = Array.from({ length: 500 }, (_, i) => `customer comment ${i}`);
    const str = (d: string[], codes: number[]): Vector => ({ kind: 'str', length: codes.length, codes: Int32Array.from(codes), dict: d, nulls: null });
    const first = [3, 499, 3, 0];
    const second = [7, 3, 250];
    const viaShared = [...keyHashes([str(dict, first)], 4), ...keyHashes([str(dict, second)], 3)];
    dict.push('appended later');
    const afterGrowth = keyHashes([str(dict, [500, 3])], 2);
    const fresh = (codes: number[]) => [...keyHashes([str(dict.slice(), codes)], codes.length)];
    expect(viaShared).toEqual([...fresh(first), ...fresh(second)]);
    expect([...afterGrowth]).toEqual(fresh([500, 3]));
  });
});
