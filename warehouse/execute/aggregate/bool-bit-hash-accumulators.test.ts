/**
 * BOOLOR/BOOLAND/BOOLXOR_AGG, BITAND/BITOR/BITXOR_AGG and HASH_AGG: one-shot and distributed
 * runs (partial states merged, through Arrow IPC) against row-at-a-time references.
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import type { AggregateCall, AggregateFn, BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { aggregateResultType } from './aggregate-result-type.js';
import { GROUPINGS, R, agg, byKey, col, collectValues, randomBatch, runComplete, runDistributed, type Cell } from './aggregate-test-kit.js';

function call(fn: AggregateFn, arg: BoundExpr, distinct = false): AggregateCall {
  return { fn, arg, distinct, type: aggregateResultType(fn, arg.type) };
}

describe('BOOLOR_AGG, BOOLAND_AGG, BOOLXOR_AGG', () => {
  const calls = [call('boolor_agg', R.b), call('booland_agg', R.b), call('boolxor_agg', R.b), call('boolxor_agg', R.b, true)];
  for (const seed of [1, 2]) {
    for (const [name, groupBy] of GROUPINGS) {
      it(`seed ${seed}, ${name}: one-shot and 3 workers agree with the reference`, () => {
        const r = prng(seed);
        const batches = Array.from({ length: 5 }, () => randomBatch(r, 1 + Math.floor(r() * 40)));
        const collected = collectValues(batches, groupBy, [R.b]);
        for (const out of [runComplete(groupBy, calls, batches), runDistributed(groupBy, calls, batches, 3, true)]) {
          const results = byKey(out, groupBy.length);
          for (const [k, g] of collected) {
            const v = g.values[0] as boolean[];
            const trues = v.filter((x) => x).length;
            const distinctTrues = v.includes(true) ? 1 : 0;
            const want = v.length === 0 ? [null, null, null, null] : [trues > 0, trues === v.length, trues === 1, distinctTrues === 1];
            expect(results.get(k), `group ${k}`).toEqual(want);
          }
        }
      });
    }
  }
});

describe('BITAND_AGG, BITOR_AGG, BITXOR_AGG', () => {
  const N = Types.number(38, 0);
  const x = col(0, N);
  const calls = (['bitand_agg', 'bitor_agg', 'bitxor_agg'] as const).map((fn) => call(fn, x));

  function reference(values: bigint[]): Cell[] {
    if (values.length === 0) return [null, null, null];
    return [values.reduce((a, b) => a & b), values.reduce((a, b) => a | b), values.reduce((a, b) => a ^ b)];
  }

  it('combines signed 64-bit values (negative, past 2^53) across workers', () => {
    const r = prng(7);
    const wide = [2n ** 62n + 12345n, -(2n ** 60n) - 7n, 9223372036854775807n, -9223372036854775808n];
    const batches: Batch[] = Array.from({ length: 6 }, (_, b) => {
      const n = 50;
      const values = Array.from({ length: n }, () => (r() < 0.3 ? wide[Math.floor(r() * wide.length)] : BigInt(Math.floor((r() - 0.5) * 2 ** 40))));
      const nulls = Uint8Array.from({ length: n }, () => (r() < 0.1 ? 1 : 0));
      const groups = Float64Array.from({ length: n }, () => Math.floor(r() * 3));
      return b % 2 === 0
        ? { length: n, columns: [{ kind: 'dec', length: n, values, nulls }, { kind: 'f64', length: n, values: groups, nulls: null }] }
        : { length: n, columns: [{ kind: 'f64', length: n, values: Float64Array.from(values.map((v) => Number(BigInt.asIntN(40, v)))), nulls }, { kind: 'f64', length: n, values: groups, nulls: null }] };
    });
    const g = col(1, N);
    const collected = collectValues(batches, [g], [x]);
    for (const out of [runComplete([g], calls, batches), runDistributed([g], calls, batches, 4, true)]) {
      const results = byKey(out, 1);
      for (const [k, grp] of collected) expect(results.get(k), `group ${k}`).toEqual(reference(grp.values[0] as bigint[]));
    }
    expect(byKey(runComplete([], calls, []), 0).get('[]')).toEqual([null, null, null]);
  });

  it('gives the documented example: 15, 26, 12, 14, 8 -> AND 8, OR 31, XOR 31', () => {
    const b: Batch = { length: 5, columns: [{ kind: 'f64', length: 5, values: Float64Array.from([15, 26, 12, 14, 8]), nulls: null }] };
    expect(byKey(runDistributed([], calls, [b], 2), 0).get('[]')).toEqual([8n, 31n, 31n]);
  });

  it('refuses values outside the signed 64-bit range', () => {
    const b: Batch = { length: 1, columns: [{ kind: 'dec', length: 1, values: [2n ** 64n], nulls: null }] };
    expect(() => runComplete([], calls, [b])).toThrow(expect.objectContaining({ codeName: 'NUMERIC_OUT_OF_RANGE' }));
  });
});

describe('HASH_AGG', () => {
  const hash = (args: BoundExpr[]): BoundExpr => ({ kind: 'call', fn: 'hash', args, type: Types.number(19, 0) });

  it('is the sum modulo 2^64 of the row hashes: order- and split-independent, 0 for no rows', () => {
    const r = prng(3);
    const batches = Array.from({ length: 6 }, () => randomBatch(r, 1 + Math.floor(r() * 200)));
    const calls = [call('hash_agg', hash([R.s, R.n])), call('hash_agg', hash([R.s]), true), agg('count_star', null)];
    for (const [, groupBy] of GROUPINGS) {
      const one = byKey(runComplete(groupBy, calls, batches), groupBy.length);
      expect(byKey(runDistributed(groupBy, calls, batches, 3, true), groupBy.length)).toEqual(one);
      expect(byKey(runComplete(groupBy, calls, [...batches].reverse()), groupBy.length)).toEqual(one);
    }
    // The reference: HASH per row, summed in bigints.
    let sum = 0n;
    const distinct = new Set<bigint>();
    for (const b of batches) {
      const h = evaluateExpr(hash([R.s, R.n]), b);
      const hs = evaluateExpr(hash([R.s]), b);
      for (let i = 0; i < b.length; i++) {
        sum += h.kind === 'dec' ? h.values[i] : BigInt((h as { values: Float64Array }).values[i]);
        // A row whose s is NULL still hashes (HASH never returns NULL), so it counts once too.
        distinct.add(hs.kind === 'dec' ? hs.values[i] : BigInt((hs as { values: Float64Array }).values[i]));
      }
    }
    const global = byKey(runComplete([], calls, batches), 0).get('[]')!;
    expect(global[0]).toBe(BigInt.asIntN(64, sum));
    expect(global[1]).toBe(BigInt.asIntN(64, [...distinct].reduce((a, b) => a + b, 0n)));
    expect(byKey(runComplete([], calls, []), 0).get('[]')).toEqual([0n, 0n, 0n]);
  });
});
