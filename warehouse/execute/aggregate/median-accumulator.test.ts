import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import {
  GROUPINGS,
  R,
  agg,
  byKey,
  col,
  collectValues,
  keyOf,
  randomBatch,
  runComplete,
  runDistributed,
  type Cell,
} from './aggregate-test-kit.js';

/** Reference MEDIAN of scaled bigints at `extra` more decimals, or of doubles. */
function referenceMedian(values: Cell[], extra: number): Cell {
  if (values.length === 0) return null;
  const m = values.length;
  if (typeof values[0] === 'bigint') {
    const v = (values as bigint[]).slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const f = 10n ** BigInt(extra);
    return m % 2 ? v[m >> 1] * f : ((v[(m >> 1) - 1] + v[m >> 1]) * f) / 2n;
  }
  const v = (values as number[]).slice().sort((a, b) => a - b);
  return m % 2 ? v[m >> 1] : (v[(m >> 1) - 1] + v[m >> 1]) / 2;
}

function expectMatchesReference(batches: Batch[], groupBy: BoundExpr[], calls: AggregateCall[], results: Map<string, Cell[]>): void {
  const collected = collectValues(batches, groupBy, calls.map((c) => c.arg!));
  expect(results.size).toBe(collected.size);
  for (const [k, g] of collected) {
    const row = results.get(k);
    expect(row, `group ${k}`).toBeDefined();
    calls.forEach((c, j) => {
      let values = g.values[j];
      if (c.distinct) values = [...new Map(values.map((v) => [keyOf([v]), v])).values()];
      expect(row![j], `group ${k}, ${c.fn}`).toEqual(referenceMedian(values, 3));
    });
  }
}

describe('MEDIAN vs a sorting reference', () => {
  const calls = [agg('median', R.n), agg('median', R.f), agg('median', R.g), agg('median', R.n, true)];
  for (const seed of [1, 2, 3]) {
    for (const [name, groupBy] of GROUPINGS) {
      it(`seed ${seed}, ${name}: one-shot, 3 workers, and 2 workers through Arrow IPC agree`, () => {
        const r = prng(seed);
        const batches = Array.from({ length: 6 }, () => randomBatch(r, 1 + Math.floor(r() * 300)));
        expectMatchesReference(batches, groupBy, calls, byKey(runComplete(groupBy, calls, batches), groupBy.length));
        expectMatchesReference(batches, groupBy, calls, byKey(runDistributed(groupBy, calls, batches, 3), groupBy.length));
        expectMatchesReference(batches, groupBy, calls, byKey(runDistributed(groupBy, calls, batches, 2, true), groupBy.length));
      });
    }
  }

  it('shares partial rows with other spanning and plain aggregates', () => {
    const r = prng(9);
    const batches = Array.from({ length: 5 }, () => randomBatch(r, 200));
    const mixed = [agg('median', R.n), agg('count', R.s, true), agg('sum', R.n), agg('count_star', null)];
    const one = byKey(runComplete([R.k], mixed, batches), 1);
    const many = byKey(runDistributed([R.k], mixed, batches, 4, true), 1);
    expect(many).toEqual(one);
    const collected = collectValues(batches, [R.k], [R.n, R.s]);
    for (const [k, g] of collected) {
      const row = one.get(k)!;
      expect(row[0]).toEqual(referenceMedian(g.values[0], 3));
      expect(row[1]).toBe(BigInt(new Set(g.values[1]).size));
      expect(row[2]).toBe(g.values[0].length ? (g.values[0] as bigint[]).reduce((a, b) => a + b, 0n) : null);
    }
  });
});

describe('MEDIAN edge cases', () => {
  const N = Types.number(38, 0);
  const x = col(0, N);
  const num = (values: number[], nulls?: number[]) => ({
    kind: 'f64' as const,
    length: values.length,
    values: Float64Array.from(values),
    nulls: nulls ? Uint8Array.from(nulls) : null,
  });

  it('is typed NUMBER(p+3, s+3) over NUMBER and FLOAT over FLOAT', () => {
    expect(agg('median', col(0, Types.number(12, 2))).type).toEqual(Types.number(15, 5));
    expect(agg('median', col(0, Types.float)).type).toEqual(Types.float);
    expect(agg('median', col(0, Types.number(38, 36))).type).toEqual(Types.number(38, 38));
    expect(() => agg('median', col(0, Types.varchar))).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
    expect(() => agg('median', col(0, Types.date))).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });

  it('ignores NULLs, and is NULL for no values (global and per group)', () => {
    const b: Batch = { length: 5, columns: [num([7, 1, 0, 4, 9], [0, 0, 1, 0, 1]), num([1, 1, 2, 1, 2])] };
    expect(byKey(runComplete([], [agg('median', x)], [b]), 0).get('[]')).toEqual([4000n]);
    const grouped = byKey(runDistributed([col(1, N)], [agg('median', x)], [b], 2), 1);
    expect(grouped.get(keyOf([1n]))).toEqual([4000n]);
    expect(grouped.get(keyOf([2n]))).toEqual([null]);
    expect(byKey(runDistributed([], [agg('median', x)], [], 3), 0).get('[]')).toEqual([null]);
  });

  it('takes the mean of the middle two exactly, for negative values too', () => {
    const b: Batch = { length: 4, columns: [num([-3, -8, 10, -4])] };
    // sorted -8 -4 -3 10: (-4 + -3) / 2 = -3.5
    expect(byKey(runComplete([], [agg('median', x)], [b]), 0).get('[]')).toEqual([-3500n]);
  });

  it('stays exact past 2^53 (dec vectors, and f64 values whose mean needs bigints)', () => {
    const big = 2 ** 53 - 1;
    const wide: Batch = { length: 3, columns: [{ kind: 'dec', length: 3, values: [2n ** 70n, 5n, 2n ** 70n + 3n], nulls: null }] };
    const plain: Batch = { length: 2, columns: [num([big, big - 2])] };
    expect(byKey(runComplete([], [agg('median', x)], [wide, plain]), 0).get('[]')).toEqual([BigInt(big) * 1000n]);
    expect(byKey(runDistributed([], [agg('median', x)], [plain, wide], 2, true), 0).get('[]')).toEqual([BigInt(big) * 1000n]);
    expect(byKey(runComplete([], [agg('median', x)], [plain]), 0).get('[]')).toEqual([(BigInt(big) * 2n - 2n) * 500n]);
  });

  it('rounds half away from zero when the scale is capped at 38', () => {
    const S = Types.number(38, 38);
    const b: Batch = { length: 2, columns: [num([1, 2])] };
    const out = runComplete([], [agg('median', col(0, S))], [b]);
    expect(out.types[0]).toEqual(Types.number(38, 38));
    expect(byKey(out, 0).get('[]')).toEqual([2n]);
  });

  it('orders NaN above every FLOAT', () => {
    const F = Types.float;
    const b: Batch = { length: 3, columns: [num([NaN, 1, 2])] };
    expect(byKey(runComplete([], [agg('median', col(0, F))], [b]), 0).get('[]')).toEqual([2]);
  });
});

describe('PERCENTILE_CONT, PERCENTILE_DISC and APPROX_PERCENTILE (the same state)', () => {
  const pct = (fn: 'percentile_cont' | 'percentile_disc' | 'approx_percentile', arg: BoundExpr, fraction: number, desc = false): AggregateCall => ({
    ...agg(fn, arg),
    fraction,
    desc,
  });

  /** Reference over one group's values: CONT exact at 3 more decimals (NUMBER) or in doubles, DISC exact. */
  function reference(call: AggregateCall, values: Cell[]): Cell {
    if (values.length === 0) return null;
    const m = values.length;
    const p = call.desc ? 1 - call.fraction! : call.fraction!;
    if (call.fn === 'percentile_disc') {
      const j = Math.max(Math.ceil(call.fraction! * m - 1e-12), 1);
      const sorted = typeof values[0] === 'bigint' ? (values as bigint[]).slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) : (values as number[]).slice().sort((a, b) => a - b);
      return sorted[call.desc ? m - j : j - 1];
    }
    const rn = p * (m - 1);
    const lo = Math.floor(rn + 1e-12);
    if (typeof values[0] === 'bigint') {
      const v = (values as bigint[]).slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const scale = (call.arg!.type as { scale: number }).scale;
      if (call.fn === 'approx_percentile') {
        const a = Number(v[lo]) / 10 ** scale;
        const b = Number(v[Math.min(lo + 1, m - 1)]) / 10 ** scale;
        return a + (rn - lo) * (b - a);
      }
      // Fractions below are multiples of 1/100: exact in hundredths.
      const frac = BigInt(Math.round((rn - lo) * 100));
      if (frac === 0n) return v[lo] * 1000n;
      const num = (v[lo + 1] - v[lo]) * 1000n * frac;
      const q = num / 100n;
      const r = num % 100n;
      const rounded = 2n * (r < 0n ? -r : r) >= 100n ? q + (num < 0n ? -1n : 1n) : q;
      return v[lo] * 1000n + rounded;
    }
    const v = (values as number[]).slice().sort((a, b) => a - b);
    const hi = Math.min(lo + 1, m - 1);
    return rn === lo ? v[lo] : v[lo] + (rn - lo) * (v[hi] - v[lo]);
  }

  const calls = [
    pct('percentile_cont', R.n, 0.25),
    pct('percentile_cont', R.n, 0.9, true),
    pct('percentile_cont', R.f, 0.1),
    pct('percentile_disc', R.n, 0.25),
    pct('percentile_disc', R.g, 0.5, true),
    pct('percentile_disc', R.f, 1),
    pct('approx_percentile', R.n, 0.75),
  ];
  for (const seed of [4, 5]) {
    for (const [name, groupBy] of GROUPINGS) {
      it(`seed ${seed}, ${name}: one-shot and 3 workers through Arrow IPC agree with the reference`, () => {
        const r = prng(seed);
        const batches = Array.from({ length: 5 }, () => randomBatch(r, 1 + Math.floor(r() * 200)));
        const collected = collectValues(batches, groupBy, calls.map((c) => c.arg!));
        for (const out of [runComplete(groupBy, calls, batches), runDistributed(groupBy, calls, batches, 3, true)]) {
          const results = byKey(out, groupBy.length);
          for (const [k, g] of collected) {
            calls.forEach((c, j) => {
              const want = reference(c, g.values[j]);
              const got = results.get(k)![j];
              if (typeof want === 'number' && typeof got === 'number') expect(got, `group ${k}, ${c.fn}`).toBeCloseTo(want, 9);
              else expect(got, `group ${k}, ${c.fn} ${c.fraction}`).toEqual(want);
            });
          }
        }
      });
    }
  }

  it('interpolates exactly, answers one value for every p, and types DISC as its argument', () => {
    const N = Types.number(10, 2);
    const b: Batch = { length: 4, columns: [{ kind: 'f64', length: 4, values: Float64Array.from([1000, 4000, 2000, 3000]), nulls: null }] };
    const x = col(0, N);
    const out = runComplete([], [pct('percentile_cont', x, 0.25), pct('percentile_cont', x, 0.1), pct('percentile_disc', x, 0.5), pct('percentile_disc', x, 0.51), pct('percentile_disc', x, 0)], [b]);
    expect(out.types).toEqual([Types.number(13, 5), Types.number(13, 5), N, N, N]);
    // 10, 20, 30, 40: p .25 -> RN .75 -> 17.5; p .1 -> RN .3 -> 13; DISC .5 -> 2nd; .51 -> 3rd; 0 -> 1st.
    expect(byKey(out, 0).get('[]')).toEqual([1750000n, 1300000n, 2000n, 3000n, 1000n]);
    const one: Batch = { length: 1, columns: [{ kind: 'f64', length: 1, values: Float64Array.from([700]), nulls: null }] };
    expect(byKey(runComplete([], [pct('percentile_cont', x, 0), pct('percentile_cont', x, 1)], [one]), 0).get('[]')).toEqual([700000n, 700000n]);
  });
});
