import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { Vector } from '../../../storage/types/vector.js';
import { GroupKeyTable } from './group-key-table.js';

const str = (dict: string[], codes: number[], nulls: number[] | null = null): Vector => ({
  kind: 'str',
  length: codes.length,
  codes: Int32Array.from(codes),
  dict,
  nulls: nulls && Uint8Array.from(nulls),
});

/** Group ids of a batch of (a, b) string keys. */
function assign(table: GroupKeyTable, a: Vector, b: Vector): number[] {
  const out = new Int32Array(a.length);
  table.assign([a, b], a.length, out);
  return Array.from(out);
}

describe('GroupKeyTable over small string dictionaries', () => {
  it('numbers tuples densely by first appearance, across batches with other dictionaries and batches with NULLs', () => {
    const t = new GroupKeyTable([Types.varchar, Types.varchar]);
    // Dictionary codes: the first batch's group order is its rows' order, not the dictionaries'.
    expect(assign(t, str(['A', 'N', 'R'], [2, 0, 2, 1, 0]), str(['F', 'O'], [0, 1, 0, 1, 1]))).toEqual([0, 1, 0, 2, 1]);
    // Same values under other codes: the same groups, and one new tuple.
    expect(assign(t, str(['R', 'N', 'A'], [0, 2, 1, 1]), str(['O', 'F'], [1, 0, 0, 1]))).toEqual([0, 1, 2, 3]);
    // A NULL key takes the interning path; its ids agree with the code path's.
    expect(assign(t, str(['N', 'R'], [0, 1, 0], [0, 0, 1]), str(['O', 'F'], [0, 1, 0]))).toEqual([2, 0, 4]);
    expect(t.size).toBe(5);
    const keys = t.emitKeys(Int32Array.from([0, 1, 2, 3, 4]), 5);
    const text = (v: Vector, i: number) => (v.kind === 'str' ? (v.nulls?.[i] ? null : v.dict[v.codes[i]]) : undefined);
    expect([0, 1, 2, 3, 4].map((g) => [text(keys[0], g), text(keys[1], g)])).toEqual([
      ['R', 'F'],
      ['A', 'O'],
      ['N', 'O'],
      ['N', 'F'],
      [null, 'O'],
    ]);
  });

  it('takes three dictionary columns too, and dictionaries past the table size through interning', () => {
    const t = new GroupKeyTable([Types.varchar, Types.varchar, Types.varchar]);
    const out = new Int32Array(4);
    t.assign([str(['x', 'y'], [0, 1, 0, 1]), str(['p'], [0, 0, 0, 0]), str(['1', '2'], [1, 1, 1, 0])], 4, out);
    expect(Array.from(out)).toEqual([0, 1, 0, 2]);
    const wide = Array.from({ length: 5000 }, (_, i) => `w${i}`);
    t.assign([str(wide, [7, 7, 4999, 0]), str(['p'], [0, 0, 0, 0]), str(['2', '1'], [0, 0, 1, 1])], 4, out);
    expect(Array.from(out)).toEqual([3, 3, 4, 5]);
    t.assign([str(['y'], [0]), str(['p'], [0]), str(['2'], [0])], 1, out);
    expect(out[0]).toBe(1);
  });

  it('rebuilds its code table when a dictionary it saw has grown since', () => {
    const t = new GroupKeyTable([Types.varchar, Types.varchar]);
    const dict = ['a', 'b'];
    expect(assign(t, str(dict, [0, 1]), str(['x'], [0, 0]))).toEqual([0, 1]);
    dict.push('c');
    expect(assign(t, str(dict, [2, 0, 2]), str(['x'], [0, 0, 0]))).toEqual([2, 0, 2]);
  });
});
