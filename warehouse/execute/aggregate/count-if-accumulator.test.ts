import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { resolveFunction } from '../functions/function-registry.js';
import { GROUPINGS, R, agg, byKey, col, collectValues, keyOf, randomBatch, runComplete, runDistributed } from './aggregate-test-kit.js';

describe('COUNT_IF', () => {
  // COUNT_IF(n > 0) as the binder binds it: a comparison call over the column.
  const positive: BoundExpr = (() => {
    const r = resolveFunction('gt', [R.n.type, Types.number(1, 0)]);
    return { kind: 'call', fn: r.fn, args: [R.n, { kind: 'literal', value: 0n, type: Types.number(1, 0) }], type: r.returnType };
  })();

  for (const seed of [1, 2]) {
    for (const [name, groupBy] of GROUPINGS) {
      it(`seed ${seed}, ${name}: counts TRUE rows only, one-shot and across workers`, () => {
        const r = prng(seed);
        const batches = Array.from({ length: 6 }, () => randomBatch(r, 1 + Math.floor(r() * 300)));
        const calls = [agg('count_if', R.b), agg('count_if', positive), agg('count_if', R.b, true)];
        const collected = collectValues(batches, groupBy, [R.b, positive]);
        for (const out of [runComplete(groupBy, calls, batches), runDistributed(groupBy, calls, batches, 3, true)]) {
          const results = byKey(out, groupBy.length);
          expect(results.size).toBe(collected.size);
          for (const [k, g] of collected) {
            const trues = g.values[0].filter((v) => v === true).length;
            expect(results.get(k), `group ${k}`).toEqual([BigInt(trues), BigInt(g.values[1].filter((v) => v === true).length), trues > 0 ? 1n : 0n]);
          }
        }
      });
    }
  }

  it('is 0, never NULL, without TRUE rows; takes only BOOLEAN arguments', () => {
    const B = Types.boolean;
    const b: Batch = { length: 3, columns: [{ kind: 'bool', length: 3, values: Uint8Array.of(1, 0, 1), nulls: Uint8Array.of(1, 0, 0) }, { kind: 'f64', length: 3, values: Float64Array.of(1, 1, 2), nulls: null }] };
    const out = byKey(runComplete([col(1, Types.number(5, 0))], [agg('count_if', col(0, B))], [b]), 1);
    expect(out.get(keyOf([1n]))).toEqual([0n]);
    expect(out.get(keyOf([2n]))).toEqual([1n]);
    expect(byKey(runDistributed([], [agg('count_if', col(0, B))], [], 2), 0).get('[]')).toEqual([0n]);
    expect(agg('count_if', col(0, B)).type).toEqual(Types.number(18, 0));
    expect(() => agg('count_if', col(0, Types.number(5, 0)))).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });
});
