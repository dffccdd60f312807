import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import type { JoinType, LogicalPlan } from '../../plan/logical-plan.js';
import { pushDownSemiJoin } from './push-down-semi-join.js';
import { col, eq, rel } from './plan-test-kit.js';

const join = (joinType: JoinType, left: LogicalPlan, right: LogicalPlan, condition: BoundExpr | null): LogicalPlan => ({ kind: 'join', joinType, left, right, condition });

describe('push_down_semi_join', () => {
  // (BIG join MID on BIG = MID) filtered by MID IN (subquery over SUB): columns BIG=0, MID=1, SUB=2.
  const inner = join('INNER', rel('BIG', 100), rel('MID', 20), eq(0, 1));

  it('moves a SEMI join onto the relation its condition reads, when the subquery side is smaller', () => {
    const plan = join('SEMI', inner, rel('SUB', 3), eq(1, 2));
    const out = pushDownSemiJoin.apply(plan);
    expect(out).not.toBe(plan);
    // Now: BIG join (MID semi SUB); the condition is rewritten over MID's columns (MID=0, SUB=1).
    expect(out).toMatchObject({ kind: 'join', joinType: 'INNER', right: { kind: 'join', joinType: 'SEMI', condition: eq(0, 1) } });
    expect((out as { left: LogicalPlan }).left).toBe((inner as { left: LogicalPlan }).left);
  });

  it('goes through projections and filters, and handles ANTI and NOT IN joins the same way', () => {
    const projected: LogicalPlan = { kind: 'project', input: { kind: 'filter', input: inner, predicate: eq(0, 0) }, exprs: [col(1), col(0)], names: ['MID', 'BIG'] };
    for (const t of ['ANTI', 'NULL_AWARE_ANTI'] as const) {
      const out = pushDownSemiJoin.apply(join(t, projected, rel('SUB', 3), eq(0, 2)));
      expect(out).toMatchObject({ kind: 'project', input: { kind: 'filter', input: { right: { joinType: t, condition: eq(0, 1) } } } });
    }
  });

  it('stays when the subquery side is not smaller, the condition spans relations, or an outer join is in the way', () => {
    const bigSub = join('SEMI', inner, rel('SUB', 50), eq(1, 2));
    expect(pushDownSemiJoin.apply(bigSub)).toBe(bigSub);
    const spanning = join('SEMI', inner, rel('SUB', 3), { kind: 'and', args: [eq(1, 2), eq(0, 2)], type: Types.boolean });
    expect(pushDownSemiJoin.apply(spanning)).toBe(spanning);
    const outer = join('SEMI', join('LEFT', rel('BIG', 100), rel('MID', 20), eq(0, 1)), rel('SUB', 3), eq(1, 2));
    expect(pushDownSemiJoin.apply(outer)).toBe(outer);
    const bare = join('SEMI', rel('BIG', 100), rel('SUB', 3), eq(0, 1));
    expect(pushDownSemiJoin.apply(bare)).toBe(bare);
  });
});
