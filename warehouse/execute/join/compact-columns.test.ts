import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { batchOf, call, col, lit, read, vec } from '../expr-test-kit.js';
import { compactColumns } from './compact-columns.js';

describe('compactColumns', () => {
  it('lists the columns an expression reads and renumbers them into a compact batch', () => {
    const n = Types.number(10, 0);
    const expr: BoundExpr = {
      kind: 'case',
      whens: [{ when: { kind: 'is_null', expr: col(7, n), negated: false, type: Types.boolean }, then: lit(false, Types.boolean) }],
      else: call('gt', col(2, n), call('add', col(7, n), lit(1, n))),
      type: Types.boolean,
    };
    const { expr: compact, used } = compactColumns(expr);
    expect(used).toEqual([2, 7]);
    const wide = batchOf(...Array.from({ length: 8 }, (_, i) => vec(n, i === 2 ? [5, 1, 9] : i === 7 ? [3, 4, null] : [0, 0, 0])));
    const narrow = batchOf(wide.columns[2], wide.columns[7]);
    expect(read(evaluateExpr(compact, narrow), Types.boolean)).toEqual(read(evaluateExpr(expr, wide), Types.boolean));
    expect(read(evaluateExpr(compact, narrow), Types.boolean)).toEqual([true, false, false]);
  });

  it('leaves an expression without columns as it is', () => {
    const expr = lit(true, Types.boolean);
    expect(compactColumns(expr)).toEqual({ expr, used: [] });
  });
});
