import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { planColumns, type LogicalPlan } from '../../plan/logical-plan.js';
import { shareCommonSubexpressions } from './share-common-subexpressions.js';

const S = Types.varchar;
const V = Types.variant;
const N = Types.number(38, 0);
const rel: LogicalPlan = { kind: 'values', columns: [{ name: 'S', type: S, nullable: true }, { name: 'K', type: N, nullable: true }], rows: [] };
const s: BoundExpr = { kind: 'column', index: 0, type: S };
const k: BoundExpr = { kind: 'column', index: 1, type: N };
const lit = (value: string): BoundExpr => ({ kind: 'literal', value, type: S });
const parse: BoundExpr = { kind: 'call', fn: 'parse_json', args: [s], type: V };
const path = (p: string): BoundExpr => ({ kind: 'call', fn: 'get_path', args: [parse, lit(p)], type: V });
const asText = (e: BoundExpr): BoundExpr => ({ kind: 'cast', expr: e, type: S, try: false });
const shared = (index: number, type = V): BoundExpr => ({ kind: 'column', index, type });

describe('share_common_subexpressions', () => {
  it('computes a repeated PARSE_JSON once, in a Project below the aggregate', () => {
    // SELECT PARSE_JSON(s):a::string, COUNT(PARSE_JSON(s):b) FROM rel GROUP BY 1
    const plan: LogicalPlan = { kind: 'aggregate', input: rel, groupBy: [asText(path('a'))], groupNames: ['A'], aggregates: [{ fn: 'count', arg: path('b'), distinct: false, type: N }] };
    const out = shareCommonSubexpressions.apply(plan) as Extract<LogicalPlan, { kind: 'aggregate' }>;
    expect(out.input.kind).toBe('project');
    const below = out.input as Extract<LogicalPlan, { kind: 'project' }>;
    expect(below.exprs).toEqual([s, k, parse]);
    expect(below.input).toBe(rel);
    expect(out.groupBy).toEqual([asText({ kind: 'call', fn: 'get_path', args: [shared(2), lit('a')], type: V })]);
    expect(out.aggregates[0].arg).toEqual({ kind: 'call', fn: 'get_path', args: [shared(2), lit('b')], type: V });
    expect(planColumns(out)).toEqual(planColumns(plan));
  });

  it('takes the largest repeated subtree', () => {
    // SELECT ARRAY_SIZE(PARSE_JSON(s):a) + k, ARRAY_SIZE(PARSE_JSON(s):a)
    const size: BoundExpr = { kind: 'call', fn: 'array_size', args: [path('a')], type: N };
    const plan: LogicalPlan = { kind: 'project', input: rel, exprs: [{ kind: 'call', fn: 'add', args: [size, k], type: N }, size], names: ['X', 'Y'] };
    const out = shareCommonSubexpressions.apply(plan) as Extract<LogicalPlan, { kind: 'project' }>;
    expect((out.input as Extract<LogicalPlan, { kind: 'project' }>).exprs).toEqual([s, k, size]);
    expect(out.exprs).toEqual([{ kind: 'call', fn: 'add', args: [shared(2, N), k], type: N }, shared(2, N)]);
  });

  it('never hoists out of a conditional argument', () => {
    // SELECT PARSE_JSON(s):a, IFF(s IS NULL, NULL, PARSE_JSON(s):a): the IFF evaluates its branch only where s is not NULL
    const guarded: BoundExpr = { kind: 'call', fn: 'iff', args: [{ kind: 'is_null', expr: s, negated: false, type: Types.boolean }, { kind: 'literal', value: null, type: V }, path('a')], type: V };
    const plan: LogicalPlan = { kind: 'project', input: rel, exprs: [path('a'), guarded], names: ['A', 'B'] };
    expect(shareCommonSubexpressions.apply(plan)).toBe(plan);
    // The same IFF twice is evaluated whole, once.
    const twice: LogicalPlan = { kind: 'project', input: rel, exprs: [guarded, guarded], names: ['A', 'B'] };
    const out = shareCommonSubexpressions.apply(twice) as Extract<LogicalPlan, { kind: 'project' }>;
    expect((out.input as Extract<LogicalPlan, { kind: 'project' }>).exprs).toEqual([s, k, guarded]);
    expect(out.exprs).toEqual([shared(2), shared(2)]);
  });

  it('leaves volatile calls, cheap arithmetic and single uses alone', () => {
    const sum: BoundExpr = { kind: 'call', fn: 'add', args: [k, k], type: N };
    const random: BoundExpr = { kind: 'call', fn: 'to_variant', args: [{ kind: 'call', fn: 'random', args: [], type: N }], type: V };
    const other: BoundExpr = { kind: 'call', fn: 'get_path', args: [{ kind: 'call', fn: 'to_variant', args: [k], type: V }, lit('a')], type: V };
    for (const exprs of [[sum, sum], [random, random], [path('a'), other]]) {
      const plan: LogicalPlan = { kind: 'project', input: rel, exprs, names: exprs.map((_, i) => `C${i}`) };
      expect(shareCommonSubexpressions.apply(plan)).toBe(plan);
    }
  });
});
