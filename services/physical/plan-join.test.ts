import { describe, expect, it } from 'vitest';
import { Types, type DataType } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { splitJoinCondition } from './plan-join.js';

const col = (index: number, type: DataType): BoundExpr => ({ kind: 'column', index, type });
const cmp = (fn: string, a: BoundExpr, b: BoundExpr): BoundExpr => ({ kind: 'call', fn, args: [a, b], type: Types.boolean });
const isNull = (e: BoundExpr): BoundExpr => ({ kind: 'is_null', expr: e, negated: false, type: Types.boolean });
const filled = (e: BoundExpr, value: bigint | number | string | boolean, type: DataType): BoundExpr => ({
  kind: 'call',
  fn: 'coalesce',
  args: [e, { kind: 'literal', value, type }],
  type,
});

describe('splitJoinCondition', () => {
  it('keys an equality between the two sides, in either order', () => {
    const n = Types.number(10, 0);
    expect(splitJoinCondition(cmp('eq', col(2, n), col(0, n)), 2, 1)).toEqual({ keys: [{ left: col(0, n), right: col(0, n) }], residual: null });
  });

  it('keys IS NOT DISTINCT FROM as (IS NULL, COALESCE with a fill of the key type), so NULL meets only NULL', () => {
    const v = Types.varchar;
    expect(splitJoinCondition(cmp('is_not_distinct_from', col(0, v), col(1, v)), 1, 1).keys).toEqual([
      { left: isNull(col(0, v)), right: isNull(col(0, v)) },
      { left: filled(col(0, v), '', v), right: filled(col(0, v), '', v) },
    ]);
    // NUMBERs of other scales are rescaled to one type first.
    const a = Types.number(6, 2);
    const b = Types.number(4, 0);
    const wide = Types.number(38, 2);
    const cast: BoundExpr = { kind: 'cast', expr: col(0, b), type: wide, try: false };
    expect(splitJoinCondition(cmp('is_not_distinct_from', col(0, a), col(1, b)), 1, 1).keys).toEqual([
      { left: isNull(col(0, a)), right: isNull(cast) },
      { left: filled(col(0, a), 0n, wide), right: filled(cast, 0n, wide) },
    ]);
    for (const [type, fill] of [[Types.date, 0], [Types.boolean, false], [Types.float, 0], [Types.timestampNtz, 0n]] as const) {
      expect(splitJoinCondition(cmp('is_not_distinct_from', col(0, type), col(1, type)), 1, 1).keys[1].left).toEqual(filled(col(0, type), fill, type));
    }
  });

  it('leaves IS DISTINCT FROM, one-sided and mixed-type conditions residual', () => {
    const n = Types.number(10, 0);
    const distinct = cmp('is_distinct_from', col(0, n), col(1, n));
    expect(splitJoinCondition(distinct, 1, 1)).toEqual({ keys: [], residual: distinct });
    const oneSided = cmp('is_not_distinct_from', col(0, n), col(0, n));
    expect(splitJoinCondition(oneSided, 1, 1)).toEqual({ keys: [], residual: oneSided });
    const mixed = cmp('is_not_distinct_from', col(0, Types.date), col(1, Types.timestampNtz));
    expect(splitJoinCondition(mixed, 1, 1)).toEqual({ keys: [], residual: mixed });
  });
});
