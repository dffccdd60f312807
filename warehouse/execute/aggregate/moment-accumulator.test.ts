import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import { aggregateResultType } from './aggregate-result-type.js';
import { GROUPINGS, R, byKey, col, collectValues, randomBatch, runComplete, runDistributed, type Cell } from './aggregate-test-kit.js';

const asFloat = (e: BoundExpr): BoundExpr => (e.type.kind === 'FLOAT' ? e : { kind: 'cast', expr: e, type: Types.float, try: false });

function call(fn: 'kurtosis' | 'skew', x: BoundExpr): AggregateCall {
  return { fn, arg: asFloat(x), distinct: false, type: aggregateResultType(fn, x.type) };
}

/** Sample skewness / excess kurtosis from a two-pass computation of central moments. */
function reference(fn: 'kurtosis' | 'skew', xs: number[]): number | null {
  const n = xs.length;
  if (n < (fn === 'skew' ? 3 : 4)) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m = (k: number) => xs.reduce((a, b) => a + (b - mean) ** k, 0);
  const m2 = m(2);
  if (m2 === 0) return null;
  if (fn === 'skew') return ((Math.sqrt(n) * m(3)) / m2 ** 1.5) * (Math.sqrt(n * (n - 1)) / (n - 2));
  const g2 = (n * m(4)) / (m2 * m2) - 3;
  return (((n + 1) * g2 + 6) * (n - 1)) / ((n - 2) * (n - 3));
}

const toDouble = (c: Cell, scale: number): number => (typeof c === 'bigint' ? Number(c) / 10 ** scale : (c as number));

describe('KURTOSIS and SKEW vs a two-pass reference', () => {
  const args = [R.n, R.f, R.g];
  const calls = args.flatMap((a) => [call('kurtosis', a), call('skew', a)]);
  for (const seed of [1, 2, 3]) {
    for (const [name, groupBy] of GROUPINGS) {
      it(`seed ${seed}, ${name}: one-shot and 3 workers (Arrow IPC) agree with the reference`, () => {
        const r = prng(seed);
        const batches = Array.from({ length: 6 }, () => randomBatch(r, 1 + Math.floor(r() * 300)));
        const collected = collectValues(batches, groupBy, args);
        for (const out of [runComplete(groupBy, calls, batches), runDistributed(groupBy, calls, batches, 3, true)]) {
          const results = byKey(out, groupBy.length);
          for (const [k, g] of collected) {
            calls.forEach((c, j) => {
              const a = Math.floor(j / 2);
              const argScale = args[a].type.kind === 'NUMBER' ? (args[a].type as { scale: number }).scale : 0;
              const want = reference(c.fn as 'kurtosis' | 'skew', g.values[a].map((v) => toDouble(v, argScale)));
              const got = results.get(k)![j];
              if (want === null) return void expect(got, `${k} ${c.fn}`).toBeNull();
              const resultScale = c.type.kind === 'NUMBER' ? c.type.scale : null;
              const tol = 1e-9 * Math.max(1, Math.abs(want)) + (resultScale === null ? 0 : 0.5 / 10 ** resultScale);
              expect(Math.abs(toDouble(got, resultScale ?? 0) - want), `${k} ${c.fn}`).toBeLessThanOrEqual(tol);
            });
          }
        }
      });
    }
  }

  it("is NUMBER(38,12) over NUMBER, as Snowpark's KURTOSIS example prints (1, 3, 10, 1, 3 -> 3.613736609956)", () => {
    const N = Types.number(38, 0);
    const b: Batch = { length: 5, columns: [{ kind: 'f64', length: 5, values: Float64Array.from([1, 3, 10, 1, 3]), nulls: null }] };
    const out = runDistributed([], [call('kurtosis', col(0, N)), call('skew', col(0, N))], [b], 1);
    expect(out.types).toEqual([Types.number(38, 12), Types.number(38, 12)]);
    // DuckDB: kurtosis 3.613736609955884, skewness 1.8414221577641605.
    expect(byKey(out, 0).get('[]')).toEqual([3613736609956n, 1841422157764n]);
  });

  it('is NULL below 4 (KURTOSIS) or 3 (SKEW) values and when every value is the same', () => {
    const F = Types.float;
    const f64 = (values: number[]): Batch => ({ length: values.length, columns: [{ kind: 'f64', length: values.length, values: Float64Array.from(values), nulls: null }] });
    const both = [call('kurtosis', col(0, F)), call('skew', col(0, F))];
    expect(byKey(runComplete([], both, [f64([1, 2, 4])]), 0).get('[]')![0]).toBeNull();
    expect(byKey(runComplete([], both, [f64([1, 2, 4])]), 0).get('[]')![1]).not.toBeNull();
    expect(byKey(runComplete([], both, [f64([1, 2])]), 0).get('[]')).toEqual([null, null]);
    expect(byKey(runComplete([], both, [f64([5, 5, 5, 5, 5])]), 0).get('[]')).toEqual([null, null]);
  });
});
