import { describe, expect, it } from 'vitest';
import type { Batch, StrVector } from '../../../storage/types/vector.js';
import { utf8DictOf, utf8DictVector } from '../../../storage/arrow/utf8-dict.js';
import { encodeUtf8Strings } from '../../../storage/arrow/utf8-strings.js';
import { sliceBatch } from './slice-batch.js';

function values(b: Batch, c: number): unknown[] {
  const v = b.columns[c];
  return Array.from({ length: b.length }, (_, i) => (v.nulls !== null && v.nulls[i] ? null : v.kind === 'str' ? v.dict[v.codes[i]] : v.kind === 'ts' ? [v.secs[i], v.nanos[i]] : v.values[i]));
}

describe('sliceBatch', () => {
  const b: Batch = {
    length: 4,
    columns: [
      { kind: 'f64', length: 4, values: Float64Array.from([1, 2, 3, 4]), nulls: Uint8Array.from([0, 0, 1, 0]) },
      { kind: 'str', length: 4, codes: Int32Array.from([0, 1, 1, 0]), dict: ['a', 'b'], nulls: null },
      { kind: 'dec', length: 4, values: [1n, 2n, 3n, 4n], nulls: null },
    ],
  };

  it('slices rows [start, end) with clamping', () => {
    expect(values(sliceBatch(b, 1, 3), 0)).toEqual([2, null]);
    expect(values(sliceBatch(b, 2), 1)).toEqual(['b', 'a']);
    expect(values(sliceBatch(b, 3, 10), 2)).toEqual([4n]);
    expect(sliceBatch(b, -5, 99)).toBe(b);
    expect(sliceBatch(b, 3, 1).length).toBe(0);
  });

  it('keeps a string dict held as UTF-8 as such, with the same rows', () => {
    const strings = ['é😀', '', 'long '.repeat(100), 'z'];
    const held: Batch = { length: 4, columns: [utf8DictVector(4, Int32Array.from([3, 2, 1, 0]), Uint8Array.from([0, 1, 0, 0]), encodeUtf8Strings(strings))] };
    const slice = sliceBatch(held, 1, 4);
    const v = slice.columns[0];
    expect(v.kind === 'str' && utf8DictOf(v)).toBe(utf8DictOf(held.columns[0] as StrVector));
    expect(values(slice, 0)).toEqual([null, '', 'é😀']);
  });
});
