import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import { LeadKeyTuples } from './lead-key-tuples.js';

const NULL_KEY = -1;
const MISSING = -2;

describe('LeadKeyTuples', () => {
  it('numbers tuples by first appearance, chained per lead value, and looks them up exactly', () => {
    // (partkey, suppkey, shipdate): lead = partkey over 10..13.
    const part = Float64Array.of(10, 11, 10, 12, 10, 11, 13, 10);
    const supp = Float64Array.of(1, 1, 2, 1, 1, 1, 7, 2);
    const day = Float64Array.of(5, 5, 5, 5, 6, 5, 5, 5);
    const nulls = Uint8Array.of(0, 0, 0, 0, 0, 0, 1, 0);
    const ids = new Int32Array(8);
    const t = LeadKeyTuples.number([part, supp, day], nulls, 8, 0, 10, 4, ids, NULL_KEY)!;
    expect([...ids]).toEqual([0, 1, 2, 3, 4, 1, NULL_KEY, 2]);
    expect(t.size).toBe(5);
    const out = new Int32Array(7);
    t.lookup(
      [
        { kind: 'f64', length: 7, values: Float64Array.of(10, 10, 10, 9, 14, 11, 10.5), nulls: null },
        // A NUMBER beyond exact doubles matches nothing.
        { kind: 'dec', length: 7, values: [2n, 1n, 2n ** 60n, 1n, 1n, 1n, 1n], nulls: null },
        { kind: 'i32', length: 7, values: Int32Array.of(5, 6, 5, 5, 5, 5, 5), nulls: null },
      ],
      7,
      out,
      MISSING,
    );
    expect([...out]).toEqual([2, 4, MISSING, MISSING, MISSING, 1, MISSING]);
    const keys = t.emitKeys(Int32Array.of(4, 0), 2, [Types.number(38, 0), Types.number(38, 0), Types.date]);
    expect(keys).toEqual([
      { kind: 'f64', length: 2, values: Float64Array.of(10, 10), nulls: null },
      { kind: 'f64', length: 2, values: Float64Array.of(1, 1), nulls: null },
      { kind: 'i32', length: 2, values: Int32Array.of(6, 5), nulls: null },
    ]);
  });

  it('looks up two-column keys among the several tuples of one lead value', () => {
    // (partkey, suppkey): part 7 has four suppliers, part 9 one, part 8 none.
    const part = Float64Array.of(7, 9, 7, 7, 7, 9);
    const supp = Int32Array.of(40, 3, 10, 30, 20, 3);
    const ids = new Int32Array(6);
    const t = LeadKeyTuples.number([part, supp], null, 6, 0, 7, 3, ids, NULL_KEY)!;
    expect([...ids]).toEqual([0, 1, 2, 3, 4, 1]);
    const out = new Int32Array(8);
    t.lookup(
      [
        { kind: 'f64', length: 8, values: Float64Array.of(7, 7, 7, 7, 9, 8, 7, 6), nulls: null },
        // 50 is no supplier of part 7; NaN (a NUMBER beyond exact doubles) matches nothing.
        { kind: 'f64', length: 8, values: Float64Array.of(10, 20, 30, 40, 3, 3, 50, 40), nulls: null },
      ],
      8,
      out,
      MISSING,
    );
    expect([...out]).toEqual([2, 4, 3, 0, 1, MISSING, MISSING, MISSING]);
    t.lookup([{ kind: 'i32', length: 2, values: Int32Array.of(7, 7), nulls: null }, { kind: 'dec', length: 2, values: [2n ** 60n, 30n], nulls: null }], 2, out, MISSING);
    expect([...out.subarray(0, 2)]).toEqual([MISSING, 3]);
  });

  it('gives up (null) when one lead value has more than 32 distinct tuples', () => {
    const number = (tuples: number) => {
      const lead = new Float64Array(tuples);
      const other = Float64Array.from({ length: tuples }, (_, i) => i);
      return LeadKeyTuples.number([lead, other], new Uint8Array(tuples), tuples, 0, 0, 1, new Int32Array(tuples), NULL_KEY);
    };
    expect(number(33)?.size).toBe(33);
    expect(number(34)).toBeNull();
  });
});
