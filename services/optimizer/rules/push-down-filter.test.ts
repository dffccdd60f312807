import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import type { LogicalPlan } from '../../plan/logical-plan.js';
import { pushDownFilter } from './push-down-filter.js';

const N = Types.number(38, 0);
const B = Types.boolean;
const rel = (name: string): LogicalPlan => ({ kind: 'values', columns: [{ name, type: N, nullable: true }], rows: [] });
const col = (index: number): BoundExpr => ({ kind: 'column', index, type: N });
const lit = (v: bigint): BoundExpr => ({ kind: 'literal', value: v, type: N });
const call = (fn: string, a: BoundExpr, b: BoundExpr): BoundExpr => ({ kind: 'call', fn, args: [a, b], type: B });
const and = (...args: BoundExpr[]): BoundExpr => ({ kind: 'and', args, type: B });
const or = (...args: BoundExpr[]): BoundExpr => ({ kind: 'or', args, type: B });

describe('push_down_filter', () => {
  it("stops at a secure view's top all but the conjuncts that cannot fail", () => {
    // SELECT * FROM secure_v WHERE a = 5 AND a / 0 > 1, secure_v = SELECT a FROM A WHERE a > 0
    const view: LogicalPlan = { kind: 'project', input: { kind: 'filter', input: rel('A'), predicate: call('gt', col(0), lit(0n)) }, exprs: [col(0)], names: ['A'], secure: true };
    const risky = call('gt', { kind: 'call', fn: 'divide', args: [col(0), lit(0n)], type: N }, lit(1n));
    const out = pushDownFilter.apply({ kind: 'filter', input: view, predicate: and(call('eq', col(0), lit(5n)), risky) });
    expect(out).toEqual({ kind: 'filter', input: { ...view, input: { kind: 'filter', input: rel('A'), predicate: and(call('eq', col(0), lit(5n)), call('gt', col(0), lit(0n))) } }, predicate: risky });
    // Without `secure`, both go below.
    const plain = pushDownFilter.apply({ kind: 'filter', input: { ...view, secure: false }, predicate: and(call('eq', col(0), lit(5n)), risky) });
    expect(plain.kind).toBe('project');
  });

  it('turns WHERE predicates over a comma join into its condition and side filters', () => {
    const join: LogicalPlan = { kind: 'join', joinType: 'CROSS', left: rel('A'), right: rel('B'), condition: null };
    const plan: LogicalPlan = { kind: 'filter', input: join, predicate: and(call('eq', col(0), col(1)), call('gt', col(1), lit(5n))) };
    const out = pushDownFilter.apply(plan);
    expect(out.kind).toBe('join');
    if (out.kind !== 'join') return;
    expect(out.joinType).toBe('INNER');
    expect(out.condition).toEqual(call('eq', col(0), col(1)));
    // The right-only conjunct moved into the right input, renumbered to its own columns.
    expect(out.right).toEqual({ kind: 'filter', input: rel('B'), predicate: call('gt', col(0), lit(5n)) });
  });

  it("moves conjuncts over a lateral FLATTEN's input columns below it; those on its own columns stay", () => {
    const flatten: LogicalPlan = { kind: 'flatten', input: rel('A'), expr: { kind: 'literal', value: '[1]', type: Types.variant }, path: '', outer: false, recursive: false, mode: 'BOTH' };
    const out = pushDownFilter.apply({ kind: 'filter', input: flatten, predicate: and(call('gt', col(0), lit(5n)), call('eq', col(4), lit(1n))) });
    expect(out).toEqual({ kind: 'filter', input: { ...flatten, input: { kind: 'filter', input: rel('A'), predicate: call('gt', col(0), lit(5n)) } }, predicate: call('eq', col(4), lit(1n)) });
  });

  it('factors a conjunct common to every OR branch out of the OR (TPC-H Q19)', () => {
    const key = call('eq', col(0), col(1));
    const join: LogicalPlan = { kind: 'join', joinType: 'CROSS', left: rel('A'), right: rel('B'), condition: null };
    const plan: LogicalPlan = {
      kind: 'filter',
      input: join,
      predicate: or(and(key, call('lt', col(0), lit(1n))), and(key, call('gt', col(1), lit(9n)))),
    };
    const out = pushDownFilter.apply(plan);
    expect(out.kind).toBe('join');
    if (out.kind !== 'join') return;
    expect(out.joinType).toBe('INNER');
    expect(out.condition).toEqual(and(key, or(call('lt', col(0), lit(1n)), call('gt', col(1), lit(9n)))));
  });

  it('keeps WHERE conjuncts on the null-extended side of an outer join above it', () => {
    const join: LogicalPlan = { kind: 'join', joinType: 'LEFT', left: rel('A'), right: rel('B'), condition: call('eq', col(0), col(1)) };
    const plan: LogicalPlan = { kind: 'filter', input: join, predicate: call('gt', col(1), lit(5n)) };
    const out = pushDownFilter.apply(plan);
    expect(out.kind).toBe('filter');
  });

  it('sends left-only conjuncts below a MARK join, keeps those reading the mark above, keeps the IN key first', () => {
    // Output of the MARK join: A's column 0, then the mark at 1.
    const condition = and(call('eq', col(0), col(1)), call('gt', col(1), lit(2n)));
    const join: LogicalPlan = { kind: 'join', joinType: 'NULL_AWARE_MARK', left: rel('A'), right: rel('B'), condition };
    const mark: BoundExpr = { kind: 'column', index: 1, type: B };
    const plan: LogicalPlan = { kind: 'filter', input: join, predicate: and(call('gt', col(0), lit(5n)), or(mark, call('lt', col(0), lit(9n)))) };
    const out = pushDownFilter.apply(plan);
    expect(out.kind).toBe('filter');
    if (out.kind !== 'filter' || out.input.kind !== 'join') throw new Error('expected a filter over the join');
    expect(out.predicate).toEqual(or(mark, call('lt', col(0), lit(9n))));
    expect(out.input.left).toEqual({ kind: 'filter', input: rel('A'), predicate: call('gt', col(0), lit(5n)) });
    // The IN key stays the first conjunct; the right-only ON conjunct filters the right input.
    expect(out.input.condition).toEqual(call('eq', col(0), col(1)));
    expect(out.input.right).toEqual({ kind: 'filter', input: rel('B'), predicate: call('gt', col(0), lit(2n)) });
  });
});
