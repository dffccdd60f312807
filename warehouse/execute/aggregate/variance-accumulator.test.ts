import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateFn } from '../../fragment/bound-expr.js';
import { GROUPINGS, R, agg, byKey, col, collectValues, keyOf, randomBatch, runComplete, runDistributed, type Cell } from './aggregate-test-kit.js';

type VarFn = Extract<AggregateFn, 'var_samp' | 'var_pop' | 'stddev_samp' | 'stddev_pop'>;
const FNS: VarFn[] = ['var_samp', 'var_pop', 'stddev_samp', 'stddev_pop'];

/** Two-pass reference over doubles (values already divided by 10^scale). */
function reference(fn: VarFn, xs: number[]): number | null {
  const n = xs.length;
  const sample = fn.endsWith('samp');
  if (n === 0 || (sample && n < 2)) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = xs.reduce((a, b) => a + (b - mean) * (b - mean), 0);
  const v = m2 / (sample ? n - 1 : n);
  return fn.startsWith('stddev') ? Math.sqrt(v) : v;
}

/** A result cell as a double: NUMBER results are scaled bigints at `scale`. */
function asDouble(c: Cell, scale: number | null): number | null {
  if (c === null) return null;
  return scale === null ? (c as number) : Number(c as bigint) / 10 ** scale;
}

function expectClose(actual: number | null, expected: number | null, tolerance: number, what: string): void {
  if (expected === null) return void expect(actual, what).toBeNull();
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - expected), what).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

describe('VARIANCE and STDDEV vs a two-pass reference', () => {
  const args = [R.n, R.f, R.g];
  const calls = args.flatMap((a) => FNS.map((fn) => agg(fn, a)));
  for (const seed of [1, 2, 3]) {
    for (const [name, groupBy] of GROUPINGS) {
      it(`seed ${seed}, ${name}: one-shot and 3 workers (via Arrow IPC) agree with the reference`, () => {
        const r = prng(seed);
        const batches = Array.from({ length: 6 }, () => randomBatch(r, 1 + Math.floor(r() * 300)));
        const collected = collectValues(batches, groupBy, args);
        for (const out of [runComplete(groupBy, calls, batches), runDistributed(groupBy, calls, batches, 3, true)]) {
          const results = byKey(out, groupBy.length);
          expect(results.size).toBe(collected.size);
          for (const [k, g] of collected) {
            calls.forEach((c, j) => {
              const a = args.indexOf(c.arg!);
              const argScale = c.arg!.type.kind === 'NUMBER' ? c.arg!.type.scale : 0;
              const xs = g.values[a].map((v) => (typeof v === 'bigint' ? Number(v) / 10 ** argScale : (v as number)));
              const resultScale = c.type.kind === 'NUMBER' ? c.type.scale : null;
              // NUMBER results are rounded at their scale: allow half a unit in the last place.
              const tol = resultScale === null ? 1e-9 : 1e-9 + 0.5 / 10 ** resultScale;
              expectClose(asDouble(results.get(k)![j], resultScale), reference(c.fn as VarFn, xs), tol, `group ${k}, ${c.fn}`);
            });
          }
        }
      });
    }
  }
});

describe('VARIANCE and STDDEV semantics', () => {
  const num = (values: number[], nulls?: number[]) => ({
    kind: 'f64' as const,
    length: values.length,
    values: Float64Array.from(values),
    nulls: nulls ? Uint8Array.from(nulls) : null,
  });
  const I = Types.number(10, 0);

  it('types VARIANCE of NUMBER as NUMBER(38, max(s, 6)) and everything else as FLOAT', () => {
    expect(agg('var_samp', col(0, I)).type).toEqual(Types.number(38, 6));
    expect(agg('var_pop', col(0, Types.number(20, 9))).type).toEqual(Types.number(38, 9));
    expect(agg('var_samp', col(0, Types.float)).type).toEqual(Types.float);
    expect(agg('stddev_samp', col(0, I)).type).toEqual(Types.float);
    expect(agg('stddev_pop', col(0, Types.float)).type).toEqual(Types.float);
    expect(() => agg('stddev_samp', col(0, Types.varchar))).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
    expect(() => agg('var_pop', col(0, Types.date))).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });

  it("matches Snowpark's documented examples (1.200000 and 4.300000)", () => {
    const a: Batch = { length: 5, columns: [num([1, -1, 1, -1, -1])] };
    expect(byKey(runComplete([], [agg('var_samp', col(0, I))], [a]), 0).get('[]')).toEqual([1200000n]);
    const b: Batch = { length: 7, columns: [num([1, 0, 2, 3, 0, 5, 6], [0, 1, 0, 0, 1, 0, 0])] };
    expect(byKey(runComplete([], [agg('var_samp', col(0, I))], [b]), 0).get('[]')).toEqual([4300000n]);
  });

  it('is NULL for no values; the sample forms are NULL for one value, the population forms 0', () => {
    const F = col(0, Types.float);
    const one: Batch = { length: 2, columns: [num([42, 0], [0, 1]), num([1, 2])] };
    const calls = FNS.map((fn) => agg(fn, F));
    const out = byKey(runDistributed([col(1, I)], calls, [one], 2), 1);
    expect(out.get(keyOf([1n]))).toEqual([null, 0, null, 0]);
    expect(out.get(keyOf([2n]))).toEqual([null, null, null, null]);
    expect(byKey(runComplete([], calls, []), 0).get('[]')).toEqual([null, null, null, null]);
  });

  it('stays accurate for values with a large common offset (no catastrophic cancellation)', () => {
    const base = 1e9;
    const values = [base + 4, base + 7, base + 13, base + 16];
    const batches: Batch[] = values.map((v) => ({ length: 1, columns: [num([v])] }));
    const F = col(0, Types.float);
    // Deviations 4, 7, 13, 16 from 10: squares 36 + 9 + 9 + 36 = 90; 90 / 3 = 30.
    expect(byKey(runComplete([], [agg('var_samp', F)], batches), 0).get('[]')).toEqual([30]);
    expect(byKey(runDistributed([], [agg('var_samp', F)], batches, 3), 0).get('[]')).toEqual([30]);
    const grouped = byKey(runComplete([col(1, I)], [agg('var_pop', F)], batches.map((b) => ({ ...b, columns: [b.columns[0], num([1])] }))), 1);
    expect(grouped.get(keyOf([1n]))).toEqual([22.5]);
  });
});
