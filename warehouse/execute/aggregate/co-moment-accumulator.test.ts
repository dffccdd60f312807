import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { aggregateResultType } from './aggregate-result-type.js';
import { GROUPINGS, R, byKey, col, keyOf, randomBatch, runComplete, runDistributed, type Cell } from './aggregate-test-kit.js';
import { CO_MOMENT_FNS, type CoMomentFn } from './co-moment-fns.js';

const FNS: readonly CoMomentFn[] = CO_MOMENT_FNS;

const asFloat = (e: BoundExpr): BoundExpr => (e.type.kind === 'FLOAT' ? e : { kind: 'cast', expr: e, type: Types.float, try: false });

function call(fn: CoMomentFn, y: BoundExpr, x: BoundExpr): AggregateCall {
  return { fn, arg: asFloat(y), args: [asFloat(x)], distinct: false, type: aggregateResultType(fn, Types.float) };
}

/** Two-pass reference over the pairs with neither value NULL. */
function reference(fn: CoMomentFn, pairs: [number, number][]): number | null {
  const n = pairs.length;
  if (fn === 'regr_count') return n;
  if (n === 0) return null;
  const my = pairs.reduce((s, p) => s + p[0], 0) / n;
  const mx = pairs.reduce((s, p) => s + p[1], 0) / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (const [y, x] of pairs) {
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
    sxy += (x - mx) * (y - my);
  }
  switch (fn) {
    case 'covar_pop':
      return sxy / n;
    case 'covar_samp':
      return n < 2 ? null : sxy / (n - 1);
    case 'corr':
      return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
    case 'regr_slope':
      return sxx === 0 ? null : sxy / sxx;
    case 'regr_intercept':
      return sxx === 0 ? null : my - (sxy / sxx) * mx;
    case 'regr_r2':
      return sxx === 0 ? null : syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
    case 'regr_avgx':
      return mx;
    case 'regr_avgy':
      return my;
    case 'regr_sxx':
      return sxx;
    case 'regr_syy':
      return syy;
    case 'regr_sxy':
      return sxy;
  }
}

/** Per group: the (y, x) pairs of rows where both are non-NULL, as doubles. */
function collectPairs(batches: Batch[], groupBy: BoundExpr[], y: BoundExpr, x: BoundExpr): Map<string, [number, number][]> {
  const groups = new Map<string, [number, number][]>();
  for (const b of batches) {
    const keys = groupBy.map((g) => evaluateExpr(g, b));
    const yv = evaluateExpr(asFloat(y), b);
    const xv = evaluateExpr(asFloat(x), b);
    for (let i = 0; i < b.length; i++) {
      const k = keyOf(keys.map((v, j) => (v.nulls?.[i] ? null : scalar(v, i, groupBy[j]))));
      let g = groups.get(k);
      if (!g) groups.set(k, (g = []));
      if (yv.nulls?.[i] || xv.nulls?.[i]) continue;
      g.push([(yv as { values: Float64Array }).values[i], (xv as { values: Float64Array }).values[i]]);
    }
  }
  if (groupBy.length === 0 && groups.size === 0) groups.set('[]', []);
  return groups;
}

function scalar(v: ReturnType<typeof evaluateExpr>, i: number, e: BoundExpr): Cell {
  if (v.kind === 'str') return v.dict[v.codes[i]];
  if (v.kind === 'f64') return e.type.kind === 'NUMBER' ? BigInt(v.values[i]) : v.values[i];
  throw new Error(`unexpected key vector ${v.kind}`);
}

describe('CORR, COVAR_* and REGR_* vs a two-pass reference', () => {
  const y = R.n;
  const x = R.f;
  const calls = FNS.map((fn) => call(fn, y, x));
  for (const seed of [1, 2, 3]) {
    for (const [name, groupBy] of GROUPINGS) {
      it(`seed ${seed}, ${name}: one-shot and 3 workers (Arrow IPC) agree with the reference`, () => {
        const r = prng(seed);
        const batches = Array.from({ length: 6 }, () => randomBatch(r, 1 + Math.floor(r() * 300)));
        const pairs = collectPairs(batches, groupBy, y, x);
        for (const out of [runComplete(groupBy, calls, batches), runDistributed(groupBy, calls, batches, 3, true)]) {
          const results = byKey(out, groupBy.length);
          expect(results.size).toBe(pairs.size);
          for (const [k, ps] of pairs) {
            calls.forEach((c, j) => {
              const want = reference(c.fn as CoMomentFn, ps);
              const got = results.get(k)![j];
              if (c.fn === 'regr_count') return void expect(got).toBe(BigInt(want!));
              if (want === null) return void expect(got, `${k} ${c.fn}`).toBeNull();
              expect(Math.abs((got as number) - want), `${k} ${c.fn}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));
            });
          }
        }
      });
    }
  }

  it('follows Snowflake on degenerate groups: one pair, constant x, constant y', () => {
    const F = Types.float;
    const f64 = (values: number[]) => ({ kind: 'f64' as const, length: values.length, values: Float64Array.from(values), nulls: null });
    const yx = (fn: CoMomentFn) => call(fn, col(0, F), col(1, F));
    const one: Batch = { length: 1, columns: [f64([3]), f64([5])] };
    expect(byKey(runComplete([], ['covar_pop', 'covar_samp', 'corr', 'regr_count'].map((f) => yx(f as CoMomentFn)), [one]), 0).get('[]')).toEqual([0, null, null, 1n]);
    const flatX: Batch = { length: 3, columns: [f64([1, 2, 3]), f64([4, 4, 4])] };
    expect(byKey(runComplete([], ['regr_slope', 'regr_intercept', 'regr_r2', 'corr'].map((f) => yx(f as CoMomentFn)), [flatX]), 0).get('[]')).toEqual([null, null, null, null]);
    const flatY: Batch = { length: 3, columns: [f64([7, 7, 7]), f64([1, 2, 3])] };
    expect(byKey(runComplete([], ['regr_r2', 'regr_slope', 'regr_intercept'].map((f) => yx(f as CoMomentFn)), [flatY]), 0).get('[]')).toEqual([1, 0, 7]);
    expect(byKey(runComplete([], [yx('regr_count'), yx('corr')], []), 0).get('[]')).toEqual([0n, null]);
  });

  it('agrees with DuckDB on y = 2, 3, 7, 8 over x = 1, 2, 4, 5, split across two workers', () => {
    const F = Types.float;
    const half = (ys: number[], xs: number[]): Batch => ({
      length: 2,
      columns: [
        { kind: 'f64', length: 2, values: Float64Array.from(ys), nulls: null },
        { kind: 'f64', length: 2, values: Float64Array.from(xs), nulls: null },
      ],
    });
    const calls = FNS.map((f) => call(f, col(0, F), col(1, F)));
    const out = byKey(runDistributed([], calls, [half([2, 3], [1, 2]), half([7, 8], [4, 5])], 2), 0).get('[]')!;
    // DuckDB 1.x: corr .9922778767136677, covar_samp 5.333.., covar_pop 4, slope 1.6, intercept .2, r2 .98461538..
    const want = [0.9922778767136677, 16 / 3, 4, 1.6, 0.2, 0.9846153846153847, 4n, 3, 5, 10, 26, 16];
    out.forEach((v, j) => (typeof want[j] === 'bigint' ? expect(v).toBe(want[j]) : expect(v as number).toBeCloseTo(want[j] as number, 12)));
  });
});
