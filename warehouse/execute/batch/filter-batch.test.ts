import { describe, expect, it } from 'vitest';
import type { Batch, BoolVector, Vector } from '../../../storage/types/vector.js';
import { filterBatch, selectionFromMask } from './filter-batch.js';

const f64 = (values: number[], nulls?: number[]): Vector => ({ kind: 'f64', length: values.length, values: Float64Array.from(values), nulls: nulls ? Uint8Array.from(nulls) : null });
const bool = (values: number[], nulls?: number[]): BoolVector => ({ kind: 'bool', length: values.length, values: Uint8Array.from(values), nulls: nulls ? Uint8Array.from(nulls) : null });

function values(b: Batch, c: number): unknown[] {
  const v = b.columns[c];
  return Array.from({ length: b.length }, (_, i) => (v.nulls !== null && v.nulls[i] ? null : v.kind === 'str' ? v.dict[v.codes[i]] : v.kind === 'ts' ? [v.secs[i], v.nanos[i]] : v.values[i]));
}

describe('filterBatch', () => {
  const batch: Batch = {
    length: 5,
    columns: [
      f64([1, 2, 3, 4, 5], [0, 1, 0, 0, 0]),
      { kind: 'str', length: 5, codes: Int32Array.from([0, 1, 0, 1, 0]), dict: ['a', 'b'], nulls: null },
      { kind: 'dec', length: 5, values: [1n, 2n, 3n, 4n, 5n], nulls: null },
    ],
  };

  it('keeps TRUE rows and treats NULL as FALSE', () => {
    const out = filterBatch(batch, bool([1, 1, 0, 1, 1], [0, 0, 0, 1, 0]));
    expect(out.length).toBe(3);
    expect(values(out, 0)).toEqual([1, null, 5]);
    expect(values(out, 1)).toEqual(['a', 'b', 'a']);
    expect(values(out, 2)).toEqual([1n, 2n, 5n]);
    expect(selectionFromMask(bool([0, 1, 1], [0, 1, 0]))).toEqual(Int32Array.from([2]));
  });

  it('returns the batch itself when every row passes, and drops the NULL mask when no NULL survives', () => {
    expect(filterBatch(batch, bool([1, 1, 1, 1, 1]))).toBe(batch);
    expect(filterBatch(batch, bool([1, 0, 1, 0, 0])).columns[0].nulls).toBeNull();
    expect(filterBatch(batch, bool([0, 0, 0, 0, 0])).length).toBe(0);
  });

  it('rejects a mask of the wrong length', () => {
    expect(() => filterBatch(batch, bool([1]))).toThrow(/filter mask/);
  });
});
