import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import { GROUPINGS, R, agg, byKey, col, collectValues, keyOf, randomBatch, runComplete, runDistributed } from './aggregate-test-kit.js';

describe('ANY_VALUE', () => {
  const args = [R.n, R.f, R.s, R.d, R.b, R.g];
  const calls = args.map((a) => agg('any_value', a));

  for (const seed of [1, 2, 3]) {
    for (const [name, groupBy] of GROUPINGS) {
      it(`seed ${seed}, ${name}: returns one of the group's non-NULL values, NULL only when there is none`, () => {
        const r = prng(seed);
        const batches = Array.from({ length: 6 }, () => randomBatch(r, 1 + Math.floor(r() * 300)));
        const collected = collectValues(batches, groupBy, args);
        for (const out of [runComplete(groupBy, calls, batches), runDistributed(groupBy, calls, batches, 3, true)]) {
          expect(out.types.slice(groupBy.length)).toEqual(args.map((a) => a.type));
          const results = byKey(out, groupBy.length);
          expect(results.size).toBe(collected.size);
          for (const [k, g] of collected) {
            args.forEach((_, j) => {
              const v = results.get(k)![j];
              if (g.values[j].length === 0) expect(v, `group ${k}, arg ${j}`).toBeNull();
              else expect(g.values[j].map((x) => keyOf([x])), `group ${k}, arg ${j}`).toContain(keyOf([v]));
            });
          }
        }
      });
    }
  }

  it('takes the first non-NULL value it meets, including wide NUMBERs', () => {
    const N = Types.number(38, 0);
    const batches: Batch[] = [
      { length: 2, columns: [{ kind: 'f64', length: 2, values: Float64Array.of(0, 0), nulls: Uint8Array.of(1, 1) }] },
      { length: 2, columns: [{ kind: 'dec', length: 2, values: [0n, 2n ** 70n], nulls: Uint8Array.of(1, 0) }] },
      { length: 1, columns: [{ kind: 'f64', length: 1, values: Float64Array.of(5), nulls: null }] },
    ];
    expect(byKey(runComplete([], [agg('any_value', col(0, N))], batches), 0).get('[]')).toEqual([2n ** 70n]);
    expect(byKey(runComplete([], [agg('any_value', col(0, N))], batches.slice(0, 1)), 0).get('[]')).toEqual([null]);
    expect(byKey(runDistributed([], [agg('any_value', col(0, N))], [], 2), 0).get('[]')).toEqual([null]);
    expect(agg('any_value', col(0, Types.timestampNtz)).type).toEqual(Types.timestampNtz);
  });
});
