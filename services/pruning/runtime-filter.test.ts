import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { mergeKeySummaries, runtimeFilterBits, runtimeFilterPredicate } from './runtime-filter.js';
import type { KeyBits } from '../../warehouse/fragment/stage-plan.js';
import { RUNTIME_FILTER_KEY_SET_LIMIT } from '../../warehouse/execute/stage/key-summary.js';
import { KeyBitsBuilder, RUNTIME_FILTER_BITS_SPAN } from '../../warehouse/execute/stage/key-bits.js';

const N = Types.number(38, 0);
const N2 = Types.number(10, 2);
const col: BoundExpr = { kind: 'column', index: 3, type: N };

describe('runtime filters from build-side key summaries', () => {
  it('merges min of mins, max of maxes (as numbers, not text) and the union of value sets', () => {
    const m = mergeKeySummaries(N, [
      { rows: 2, min: '9', max: '12', values: ['9', '12'], bits: null },
      { rows: 1, min: '100', max: '100', values: ['100'], bits: null },
      { rows: 0, min: null, max: null, values: [], bits: null },
    ]);
    expect(m).toEqual({ rows: 3, min: '9', max: '100', values: ['9', '12', '100'], bits: null });
    expect(mergeKeySummaries(N, [{ rows: 1, min: '1', max: '1', values: ['1'], bits: null }, { rows: 9, min: '0', max: '5', values: null, bits: null }]).values).toBeNull();
    // Each task's set is within the limit, their union is not: the range alone remains.
    const half = (from: number) => ({ rows: RUNTIME_FILTER_KEY_SET_LIMIT, min: String(from), max: String(from + RUNTIME_FILTER_KEY_SET_LIMIT - 1), values: Array.from({ length: RUNTIME_FILTER_KEY_SET_LIMIT }, (_, i) => String(from + i)), bits: null });
    expect(mergeKeySummaries(N, [half(0), half(0)]).values).toHaveLength(RUNTIME_FILTER_KEY_SET_LIMIT);
    expect(mergeKeySummaries(N, [half(0), half(1)])).toEqual({ rows: 2 * RUNTIME_FILTER_KEY_SET_LIMIT, min: '0', max: String(RUNTIME_FILTER_KEY_SET_LIMIT), values: null, bits: null });
  });

  it('answers an IN list for a known set, a range without one, FALSE when no key can match', () => {
    expect(runtimeFilterPredicate(N, { index: 3, type: N }, { rows: 2, min: '9', max: '12', values: ['9', '12'], bits: null })).toEqual({
      kind: 'in_list',
      expr: col,
      list: [
        { kind: 'literal', value: 9n, type: N },
        { kind: 'literal', value: 12n, type: N },
      ],
      negated: false,
      type: Types.boolean,
    });
    const range = runtimeFilterPredicate(N, { index: 3, type: N }, { rows: 5, min: '9', max: '12', values: null, bits: null });
    expect(range).toMatchObject({ kind: 'and', args: [{ fn: 'ge', args: [col, { value: 9n }] }, { fn: 'le', args: [col, { value: 12n }] }] });
    expect(runtimeFilterPredicate(N, { index: 3, type: N }, { rows: 4, min: null, max: null, values: [], bits: null })).toEqual({ kind: 'literal', value: false, type: Types.boolean });
  });

  it('adds no filter when the key and the column scale NUMBERs differently', () => {
    expect(runtimeFilterPredicate(N2, { index: 3, type: N }, { rows: 1, min: '100', max: '100', values: ['100'], bits: null })).toBeNull();
  });

  it('merges the tasks key bitmaps as their union, and drops the bitmap when a task has none', () => {
    const bits = (base: number, ...words: number[]): KeyBits => ({ base, words: Int32Array.from(words) });
    const a = { rows: 1, min: '33', max: '33', values: null, bits: bits(32, 0b10) };
    const b = { rows: 2, min: '0', max: '65', values: null, bits: bits(0, 0b1, 0, 0b10) };
    expect(mergeKeySummaries(N, [a, b]).bits).toEqual(bits(0, 0b1, 0b10, 0b10));
    expect(mergeKeySummaries(N, [{ rows: 0, min: null, max: null, values: [], bits: bits(0) }, a]).bits).toEqual(a.bits);
    expect(mergeKeySummaries(N, [a, { ...b, bits: null }]).bits).toBeNull();
  });

  it('drops a union of bitmaps whose keys span more values than one builder covers, whatever the tasks built', () => {
    // Two tasks' keys, each half of a range wider than a bitmap: one builder over all of them would give up.
    const low = new KeyBitsBuilder();
    low.add({ kind: 'f64', length: 2, values: Float64Array.from([1, 1000]), nulls: null });
    const high = new KeyBitsBuilder();
    high.add({ kind: 'f64', length: 1, values: Float64Array.from([RUNTIME_FILTER_BITS_SPAN + 5]), nulls: null });
    const one = new KeyBitsBuilder();
    one.add({ kind: 'f64', length: 3, values: Float64Array.from([1, 1000, RUNTIME_FILTER_BITS_SPAN + 5]), nulls: null });
    expect(one.result()).toBeNull();
    const summary = (bits: KeyBits | null, min: string, max: string) => ({ rows: 1, min, max, values: null, bits });
    expect(mergeKeySummaries(N, [summary(low.result(), '1', '1000'), summary(high.result(), String(RUNTIME_FILTER_BITS_SPAN + 5), String(RUNTIME_FILTER_BITS_SPAN + 5))]).bits).toBeNull();
    // Within the span the union stays.
    const near = new KeyBitsBuilder();
    near.add({ kind: 'f64', length: 1, values: Float64Array.from([RUNTIME_FILTER_BITS_SPAN - 64]), nulls: null });
    expect(mergeKeySummaries(N, [summary(low.result(), '1', '1000'), summary(near.result(), '0', '0')]).bits).not.toBeNull();
  });

  it('answers the bitmap for a set too large for an IN list when its keys are at most half their range', () => {
    // 16 keys over words 1..2 (64 values): a quarter; 48 of 64: too dense to drop many rows.
    const sparse = { rows: 16, min: '32', max: '95', values: null, bits: { base: 0, words: Int32Array.from([0, 0xff, 0xff00]) } };
    expect(runtimeFilterBits(N, { type: N }, sparse)).toBe(sparse.bits);
    const dense = { ...sparse, bits: { base: 0, words: Int32Array.from([0, -1, 0xffff]) } };
    expect(runtimeFilterBits(N, { type: N }, dense)).toBeNull();
    // Keys an IN list holds too: their bitmap, dense or not (it drops the rows in the IN list's place).
    const few = { rows: 3, min: '32', max: '34', values: ['32', '33', '34'], bits: { base: 32, words: Int32Array.from([0b111]) } };
    expect(runtimeFilterBits(N, { type: N }, few)).toBe(few.bits);
    // Another scale, or a type without bitmaps: none.
    expect(runtimeFilterBits(N2, { type: N }, few)).toBeNull();
    expect(runtimeFilterBits(N2, { type: N }, sparse)).toBeNull();
    expect(runtimeFilterBits(Types.varchar, { type: Types.varchar }, sparse)).toBeNull();
  });
});
