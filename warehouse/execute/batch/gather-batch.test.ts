import { describe, expect, it } from 'vitest';
import type { StrVector } from '../../../storage/types/vector.js';
import { gatherBatch } from './gather-batch.js';

describe('gatherBatch', () => {
  it('gathers codes and keeps the dictionary object (no string copies)', () => {
    const v: StrVector = { kind: 'str', length: 3, codes: Int32Array.from([2, 1, 0]), dict: ['x', 'y', 'z'], nulls: Uint8Array.from([0, 1, 0]) };
    const out = gatherBatch({ length: 3, columns: [v] }, Int32Array.from([2, 2, 1, 0]));
    const g = out.columns[0] as StrVector;
    expect(out.length).toBe(4);
    expect(g.dict).toBe(v.dict);
    expect(Array.from(g.codes)).toEqual([0, 0, 1, 2]);
    expect(Array.from(g.nulls!)).toEqual([0, 0, 1, 0]);
  });

  it('gathers every physical kind, repeats allowed', () => {
    const out = gatherBatch(
      {
        length: 2,
        columns: [
          { kind: 'f64', length: 2, values: Float64Array.from([1.5, 2.5]), nulls: null },
          { kind: 'i32', length: 2, values: Int32Array.from([7, 8]), nulls: null },
          { kind: 'bool', length: 2, values: Uint8Array.from([1, 0]), nulls: null },
          { kind: 'dec', length: 2, values: [2n ** 70n, 3n], nulls: null },
        ],
      },
      Int32Array.from([1, 0, 1]),
    );
    expect(out.columns.map((c) => (c.kind === 'dec' ? c.values : c.kind === 'str' ? Array.from(c.codes) : c.kind === 'ts' ? Array.from(c.secs) : Array.from(c.values)))).toEqual([
      [2.5, 1.5, 2.5],
      [8, 7, 8],
      [0, 1, 0],
      [3n, 2n ** 70n, 3n],
    ]);
    expect(out.columns.every((c) => c.nulls === null)).toBe(true);
  });
});
