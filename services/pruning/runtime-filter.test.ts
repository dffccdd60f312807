import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { mergeKeySummaries, runtimeFilterPredicate } from './runtime-filter.js';
import { RUNTIME_FILTER_KEY_SET_LIMIT } from '../../warehouse/execute/stage/key-summary.js';

const N = Types.number(38, 0);
const N2 = Types.number(10, 2);
const col: BoundExpr = { kind: 'column', index: 3, type: N };

describe('runtime filters from build-side key summaries', () => {
  it('merges min of mins, max of maxes (as numbers, not text) and the union of value sets', () => {
    const m = mergeKeySummaries(N, [
      { rows: 2, min: '9', max: '12', values: ['9', '12'] },
      { rows: 1, min: '100', max: '100', values: ['100'] },
      { rows: 0, min: null, max: null, values: [] },
    ]);
    expect(m).toEqual({ rows: 3, min: '9', max: '100', values: ['9', '12', '100'] });
    expect(mergeKeySummaries(N, [{ rows: 1, min: '1', max: '1', values: ['1'] }, { rows: 9, min: '0', max: '5', values: null }]).values).toBeNull();
    // Each task's set is within the limit, their union is not: the range alone remains.
    const half = (from: number) => ({ rows: RUNTIME_FILTER_KEY_SET_LIMIT, min: String(from), max: String(from + RUNTIME_FILTER_KEY_SET_LIMIT - 1), values: Array.from({ length: RUNTIME_FILTER_KEY_SET_LIMIT }, (_, i) => String(from + i)) });
    expect(mergeKeySummaries(N, [half(0), half(0)]).values).toHaveLength(RUNTIME_FILTER_KEY_SET_LIMIT);
    expect(mergeKeySummaries(N, [half(0), half(1)])).toEqual({ rows: 2 * RUNTIME_FILTER_KEY_SET_LIMIT, min: '0', max: String(RUNTIME_FILTER_KEY_SET_LIMIT), values: null });
  });

  it('answers an IN list for a known set, a range without one, FALSE when no key can match', () => {
    expect(runtimeFilterPredicate(N, { index: 3, type: N }, { rows: 2, min: '9', max: '12', values: ['9', '12'] })).toEqual({
      kind: 'in_list',
      expr: col,
      list: [
        { kind: 'literal', value: 9n, type: N },
        { kind: 'literal', value: 12n, type: N },
      ],
      negated: false,
      type: Types.boolean,
    });
    const range = runtimeFilterPredicate(N, { index: 3, type: N }, { rows: 5, min: '9', max: '12', values: null });
    expect(range).toMatchObject({ kind: 'and', args: [{ fn: 'ge', args: [col, { value: 9n }] }, { fn: 'le', args: [col, { value: 12n }] }] });
    expect(runtimeFilterPredicate(N, { index: 3, type: N }, { rows: 4, min: null, max: null, values: [] })).toEqual({ kind: 'literal', value: false, type: Types.boolean });
  });

  it('adds no filter when the key and the column scale NUMBERs differently', () => {
    expect(runtimeFilterPredicate(N2, { index: 3, type: N }, { rows: 1, min: '100', max: '100', values: ['100'] })).toBeNull();
  });
});
