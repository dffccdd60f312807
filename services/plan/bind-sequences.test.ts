import { describe, expect, it } from 'vitest';
import { Types } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { sequenceVector } from '../../warehouse/execute/stage/operators/nextval-exec.js';
import type { SequenceBlock, SequenceRequest } from '../catalog/sequence-store.js';
import { pushDownFilter } from '../optimizer/rules/push-down-filter.js';
import { pushDownProjection } from '../optimizer/rules/push-down-projection.js';
import { takesSequenceValues, withSequenceColumns } from './bind-sequences.js';
import { NEXTVAL_TYPE, planColumns, type LogicalPlan } from './logical-plan.js';
import { reserveSequenceValues } from './reserve-sequence-values.js';

const N = Types.number(38, 0);
const col = (index: number): BoundExpr => ({ kind: 'column', index, type: N });
const lit = (v: bigint): BoundExpr => ({ kind: 'literal', value: v, type: N });
const next = (sequence: number): BoundExpr => ({ kind: 'nextval', sequence, name: `D.S.Q${sequence}`, type: NEXTVAL_TYPE });
const add = (a: BoundExpr, b: BoundExpr): BoundExpr => ({ kind: 'call', fn: 'add', args: [a, b], type: N });
const values = (rows: BoundExpr[][]): LogicalPlan => ({ kind: 'values', columns: rows[0].map((_, i) => ({ name: `C${i}`, type: N, nullable: true })), rows });
const scan = (): LogicalPlan => ({ kind: 'generator', rowCount: 10, timeLimitMs: null, columns: [{ name: 'A', type: N, nullable: false }] });

/** A fake catalog: sequence k starts at k * 1000 and counts by 1 (sequence 2 by -2); records every call. */
function catalog() {
  const next = new Map<number, bigint>();
  const calls: SequenceRequest[][] = [];
  const reserve = (requests: SequenceRequest[]): SequenceBlock[] => {
    calls.push(requests);
    return requests.map((r) => {
      const increment = r.sequence === 2 ? -2n : 1n;
      const first = next.get(r.sequence) ?? BigInt(r.sequence * 1000);
      next.set(r.sequence, first + BigInt(r.count) * increment);
      return { first, increment };
    });
  };
  return { reserve, calls };
}

describe('withSequenceColumns', () => {
  it('moves each NEXTVAL of the expressions into a column of its own of a sequence node, in order', () => {
    const input = scan();
    const { plan, exprs } = withSequenceColumns(input, [col(0), next(1), add(next(1), next(2))]);
    expect(plan).toEqual({ kind: 'sequence', input, sequences: [{ id: 1, name: 'D.S.Q1' }, { id: 1, name: 'D.S.Q1' }, { id: 2, name: 'D.S.Q2' }] });
    expect(exprs).toEqual([col(0), col(1), add(col(2), col(3))]);
    expect(planColumns(plan).map((c) => [c.name, c.nullable])).toEqual([['A', false], ['$nextval0', false], ['$nextval1', false], ['$nextval2', false]]);
    expect(takesSequenceValues({ kind: 'project', input: plan, exprs, names: ['A', 'X', 'Y'] })).toBe(true);
    expect(withSequenceColumns(input, [col(0)])).toEqual({ plan: input, exprs: [col(0)] });
    expect(takesSequenceValues(input)).toBe(false);
  });
});

describe('reserveSequenceValues', () => {
  it('puts reserved values in VALUES rows in row order, one reservation for the whole plan', () => {
    const c = catalog();
    const plan = values([
      [next(1), next(2)],
      [lit(7n), add(next(1), lit(1n))],
    ]);
    const out = reserveSequenceValues(plan, c.reserve);
    expect(out).toEqual(values([
      [lit(1000n), lit(2000n)],
      [lit(7n), add(lit(1001n), lit(1n))],
    ]));
    expect(c.calls).toEqual([[{ sequence: 1, count: 2 }, { sequence: 2, count: 1 }]]);
    expect(takesSequenceValues(out)).toBe(false);
  });

  it('turns a sequence node over VALUES into literal columns; leaves other plans (and ones without NEXTVAL) alone', () => {
    const c = catalog();
    const rows = values([[lit(1n)], [lit(2n)]]);
    const node: LogicalPlan = { kind: 'sequence', input: rows, sequences: [{ id: 2, name: 'Q2' }, { id: 2, name: 'Q2' }] };
    const out = reserveSequenceValues({ kind: 'project', input: node, exprs: [col(0), col(1), col(2)], names: ['A', 'X', 'Y'] }, c.reserve);
    expect(out).toEqual({
      kind: 'project',
      input: { kind: 'values', columns: planColumns(node), rows: [[lit(1n), lit(2000n), lit(1998n)], [lit(2n), lit(1996n), lit(1994n)]] },
      exprs: [col(0), col(1), col(2)],
      names: ['A', 'X', 'Y'],
    });
    expect(c.calls).toEqual([[{ sequence: 2, count: 4 }]]);
    const inWorkers: LogicalPlan = { kind: 'sequence', input: scan(), sequences: [{ id: 1, name: 'Q1' }] };
    expect(reserveSequenceValues(inWorkers, c.reserve)).toBe(inWorkers);
    expect(reserveSequenceValues(rows, c.reserve)).toBe(rows);
    expect(c.calls).toHaveLength(1);
  });
});

describe('optimizer rules around a sequence node', () => {
  const node: LogicalPlan = { kind: 'sequence', input: scan(), sequences: [{ id: 1, name: 'Q1' }, { id: 2, name: 'Q2' }] };
  const gt = (a: BoundExpr, b: BoundExpr): BoundExpr => ({ kind: 'call', fn: 'gt', args: [a, b], type: Types.boolean });

  it('push_down_filter moves a conjunct over the input below the node, never one over its values', () => {
    const out = pushDownFilter.apply({ kind: 'filter', input: node, predicate: { kind: 'and', args: [gt(col(0), lit(3n)), gt(col(2), lit(5n))], type: Types.boolean } });
    expect(out).toEqual({ kind: 'filter', input: { ...node, input: { kind: 'filter', input: scan(), predicate: gt(col(0), lit(3n)) } }, predicate: gt(col(2), lit(5n)) });
  });

  it('push_down_projection fills only the NEXTVAL columns read, and drops the node when none is', () => {
    const one = pushDownProjection.apply({ kind: 'project', input: node, exprs: [col(2)], names: ['Y'] });
    expect(one).toEqual({ kind: 'project', input: { ...node, sequences: [{ id: 2, name: 'Q2' }] }, exprs: [col(1)], names: ['Y'] });
    const none = pushDownProjection.apply({ kind: 'project', input: node, exprs: [col(0)], names: ['A'] });
    expect(none).toEqual({ kind: 'project', input: scan(), exprs: [col(0)], names: ['A'] });
  });
});

describe('nextval_exec vectors', () => {
  it('is an exact f64 vector while every value is within 2^53, else BigInts; increments may be negative', () => {
    expect(sequenceVector({ first: 5n, increment: -2n }, 4)).toEqual({ kind: 'f64', length: 4, values: Float64Array.from([5, 3, 1, -1]), nulls: null });
    const top = 2n ** 53n;
    expect(sequenceVector({ first: top - 1n, increment: 1n }, 3)).toEqual({ kind: 'dec', length: 3, values: [top - 1n, top, top + 1n], nulls: null });
    expect(sequenceVector({ first: 0n, increment: 2n ** 60n }, 2)).toEqual({ kind: 'dec', length: 2, values: [0n, 2n ** 60n], nulls: null });
    expect(sequenceVector({ first: 7n, increment: 1n }, 0)).toEqual({ kind: 'f64', length: 0, values: new Float64Array(0), nulls: null });
  });
});
