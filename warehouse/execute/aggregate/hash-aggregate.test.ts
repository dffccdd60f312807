import { describe, expect, it } from 'vitest';
import { ResourceError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import { aggregateResultType } from './aggregate-result-type.js';
import { aggregateBatches, finalAggregate, finalizeDistinctGroups, hasRowStates } from './hash-aggregate.js';
import { PartialAggregateExec } from './partial-aggregate-exec.js';

const V = Types.varchar;
const N = Types.number(10, 2);
const key: BoundExpr = { kind: 'column', index: 0, type: V };
const x: BoundExpr = { kind: 'column', index: 1, type: N };
const calls: AggregateCall[] = [
  { fn: 'sum', arg: x, distinct: false, type: aggregateResultType('sum', N) },
  { fn: 'count', arg: x, distinct: true, type: aggregateResultType('count', N) },
];
const batch = (keys: string[], vals: number[]): Batch => ({
  length: keys.length,
  columns: [
    { kind: 'str', length: keys.length, codes: Int32Array.from(keys.map((_, i) => i)), dict: keys, nulls: null },
    { kind: 'f64', length: vals.length, values: Float64Array.from(vals), nulls: null },
  ],
});

function byKey(b: Batch): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  const [k, s, c] = b.columns;
  for (let i = 0; i < b.length; i++) {
    if (k.kind !== 'str' || s.kind !== 'f64' || c.kind !== 'f64') throw new Error('unexpected kinds');
    out[k.dict[k.codes[i]]] = [s.values[i], c.values[i]];
  }
  return out;
}

describe('aggregation entry points', () => {
  const data = [batch(['a', 'b', 'a'], [100, 250, 7]), batch(['b', 'a'], [250, 5]), batch(['c'], [1])];
  const expected = { a: [112, 3], b: [500, 1], c: [1, 1] };

  it('aggregateBatches (one shot) with the default evaluator', () => {
    const out = aggregateBatches([key], calls, data);
    expect(out.columns.map((c) => c.kind)).toEqual(['str', 'f64', 'f64']);
    expect(byKey(out)).toEqual(expected);
  });

  it('PartialAggregateExec on two workers, then finalAggregate', () => {
    const w1 = new PartialAggregateExec([key], calls);
    const w2 = new PartialAggregateExec([key], calls);
    w1.push(data[0]);
    w2.push(data[1]);
    w2.push(data[2]);
    const p1 = w1.finish();
    const p2 = w2.finish();
    expect(p1.columns.map((c) => c.name)).toEqual(['key_0', 'agg_0_0', 'agg_0_1', 'agg_1_0']);
    expect(p1.columns.map((c) => c.type)).toEqual([V, Types.number(38, 2), Types.number(18, 0), N]);
    // Group 'a' has two distinct values on worker 1, so it spans two partial rows.
    expect(p1.batch.length).toBe(3);
    expect(byKey(finalAggregate([V], calls, [p2.batch, p1.batch]))).toEqual(expected);
  });

  it('finalizeDistinctGroups gives finalAggregate\'s results for one-row-per-group partials, without hashing', () => {
    const rowCalls: AggregateCall[] = [
      { fn: 'sum', arg: x, distinct: false, type: aggregateResultType('sum', N) },
      { fn: 'avg', arg: x, distinct: false, type: aggregateResultType('avg', N) },
      { fn: 'count', arg: x, distinct: false, type: aggregateResultType('count', N) },
      { fn: 'min', arg: x, distinct: false, type: aggregateResultType('min', N) },
    ];
    expect(hasRowStates(rowCalls)).toBe(true);
    // COUNT(DISTINCT) keeps one partial row per (group, value): not one row per group.
    expect(hasRowStates(calls)).toBe(false);
    const w = new PartialAggregateExec([key], rowCalls);
    for (const b of data) w.push(b);
    const partial = w.finish().batch;
    const direct = finalizeDistinctGroups(1, rowCalls, partial);
    const merged = finalAggregate([V], rowCalls, [partial]);
    const rows = (b: Batch) =>
      Array.from({ length: b.length }, (_, i) => b.columns.map((c) => (c.kind === 'str' ? c.dict[c.codes[i]] : c.kind === 'f64' ? c.values[i] : null)).join('|')).sort();
    expect(rows(direct)).toEqual(rows(merged));
    expect(rows(direct)).toHaveLength(3);
    expect(finalizeDistinctGroups(1, rowCalls, { length: 0, columns: partial.columns.map((c) => ({ ...c, length: 0 }) as typeof c) }).length).toBe(0);
  });

  it('throws RESOURCE_EXHAUSTED (53200) once its groups pass the memory budget', () => {
    const many = batch(Array.from({ length: 1000 }, (_, i) => `k${i}`), Array.from({ length: 1000 }, () => 1));
    expect(() => aggregateBatches([key], calls, [many], undefined, 10_000)).toThrow(ResourceError);
    try {
      aggregateBatches([key], calls, [many], undefined, 10_000);
    } catch (err) {
      expect((err as ResourceError).sqlState).toBe('53200');
    }
    expect(aggregateBatches([key], calls, [many], undefined, 10_000_000).length).toBe(1000);
  });
});
