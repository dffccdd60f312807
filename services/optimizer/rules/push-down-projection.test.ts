import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { planColumns, type LogicalPlan } from '../../plan/logical-plan.js';
import { pushDownProjection } from './push-down-projection.js';

const N = Types.number(38, 0);
const rel = (...names: string[]): LogicalPlan => ({
  kind: 'values',
  columns: names.map((name) => ({ name, type: N, nullable: true })),
  rows: [names.map(() => ({ kind: 'literal', value: 1n, type: N }) as BoundExpr)],
});
const col = (index: number): BoundExpr => ({ kind: 'column', index, type: N });

describe('push_down_projection', () => {
  it('drops the columns only a join condition reads right above the join', () => {
    // SELECT A_V, B_V FROM A JOIN B ON A_K = B_K
    const join: LogicalPlan = {
      kind: 'join',
      joinType: 'INNER',
      left: rel('A_K', 'A_V'),
      right: rel('B_K', 'B_V'),
      condition: { kind: 'call', fn: 'eq', args: [col(0), col(2)], type: Types.boolean },
    };
    const plan: LogicalPlan = { kind: 'project', input: join, exprs: [col(1), col(3)], names: ['A_V', 'B_V'] };
    const out = pushDownProjection.apply(plan);
    expect(out.kind).toBe('project');
    const below = (out as { input: LogicalPlan }).input;
    expect(below.kind).toBe('project');
    expect(planColumns(below).map((c) => c.name)).toEqual(['A_V', 'B_V']);
    expect((below as { input: LogicalPlan }).input.kind).toBe('join');
    expect(planColumns(out).map((c) => c.name)).toEqual(['A_V', 'B_V']);
  });

  it('adds nothing when everything the join outputs is used above', () => {
    const join: LogicalPlan = { kind: 'join', joinType: 'INNER', left: rel('A_K'), right: rel('B_K'), condition: { kind: 'call', fn: 'eq', args: [col(0), col(1)], type: Types.boolean } };
    const plan: LogicalPlan = { kind: 'project', input: join, exprs: [col(0), col(1)], names: ['A_K', 'B_K'] };
    expect(pushDownProjection.apply(plan)).toBe(plan);
  });
});
