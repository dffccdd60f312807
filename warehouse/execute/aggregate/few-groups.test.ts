import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types } from '../../../storage/types/data-type.js';
import { CountAccumulator } from './count-accumulator.js';
import { DecimalSumAccumulator } from './decimal-sum-accumulator.js';
import { countGroups, FEW_GROUPS, groupRows } from './few-groups.js';

/** Random group ids below `groups` for n rows, and a NULL mask with about a third set. */
function rows(seed: number, n: number, groups: number): { gids: Int32Array; nulls: Uint8Array } {
  const r = prng(seed);
  return { gids: Int32Array.from({ length: n }, () => Math.floor(r() * groups)), nulls: Uint8Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0)) };
}

describe('countGroups', () => {
  // Row counts that leave every remainder of the 4-row unrolling, group counts on both sides of FEW_GROUPS.
  for (const n of [0, 1, 3, 4, 5, 7, 1001]) {
    for (const groups of [1, 4, FEW_GROUPS, FEW_GROUPS + 1]) {
      it(`${n} rows over ${groups} groups, with and without NULLs, add to the counts already there`, () => {
        const { gids, nulls } = rows(n * 131 + groups, n, groups);
        for (const mask of [null, nulls]) {
          const counts = new Float64Array(groups).fill(5);
          countGroups(counts, gids, mask, n, groups);
          const expected = new Float64Array(groups).fill(5);
          for (let i = 0; i < n; i++) if (mask === null || mask[i] === 0) expected[gids[i]]++;
          expect(counts).toEqual(expected);
        }
      });
    }
  }
});

describe('folds over few groups', () => {
  const N38 = Types.number(38, 0);
  it('keep SUM exact when lanes pass 2^52 and 2^53, for every row count remainder', () => {
    const big = 2 ** 53 - 1;
    for (const n of [5, 6, 7, 8, 4003]) {
      const r = prng(n);
      const { gids } = rows(n, n, 3);
      const values = Float64Array.from({ length: n }, () => (r() < 0.5 ? big - Math.floor(r() * 1000) : -Math.floor(r() * big)));
      // AVG keeps its counts; SUM over values without NULLs does not (decimal-sum-accumulator.ts).
      const [sum, avg] = [new DecimalSumAccumulator('sum', N38, N38), new DecimalSumAccumulator('avg', N38, Types.number(38, 6))];
      const half = n >> 1;
      for (const acc of [sum, avg]) {
        acc.resize(3);
        // Two batches: the second starts from lanes and sums the first left behind.
        acc.update({ kind: 'f64', length: half, values: values.subarray(0, half), nulls: null }, gids.subarray(0, half), half);
        acc.update({ kind: 'f64', length: n - half, values: values.subarray(half), nulls: null }, gids.subarray(half), n - half);
      }
      const expected = [0n, 0n, 0n];
      for (let i = 0; i < n; i++) expected[gids[i]] += BigInt(values[i]);
      const out = sum.emitResult(3);
      const got = out.kind === 'dec' ? out.values : Array.from(out.kind === 'f64' ? out.values : [], (v) => BigInt(v));
      expect(got).toEqual(expected);
      const counts = avg.emitStates(3)[1];
      expect(Array.from(counts.kind === 'f64' ? counts.values : [])).toEqual([0, 1, 2].map((g) => gids.filter((x) => x === g).length));
    }
  });

  it('COUNT over few groups counts the non-NULL rows of each group', () => {
    const { gids, nulls } = rows(9, 1002, 6);
    const count = new CountAccumulator();
    count.resize(6);
    count.update({ kind: 'f64', length: 1002, values: new Float64Array(1002), nulls }, gids, 1002);
    const expected = [0, 1, 2, 3, 4, 5].map((g) => gids.filter((x, i) => x === g && nulls[i] === 0).length);
    const out = count.emitResult(6);
    expect(Array.from(out.kind === 'f64' ? out.values : [])).toEqual(expected);
  });
});

describe('groupRows', () => {
  it("counts a batch's rows per group once, and accumulators without NULLs add it as their counts", () => {
    const { gids } = rows(21, 999, 5);
    const expected = [0, 1, 2, 3, 4].map((g) => gids.filter((x) => x === g).length);
    const per = groupRows(gids, 999, 5)!;
    expect(Array.from(per.subarray(0, 5))).toEqual(expected);
    expect(groupRows(gids, 999, FEW_GROUPS + 1)).toBeNull();
    const count = new CountAccumulator();
    const avg = new DecimalSumAccumulator('avg', Types.number(38, 0), Types.number(38, 6));
    for (const acc of [count, avg]) {
      acc.resize(5);
      acc.update({ kind: 'f64', length: 999, values: new Float64Array(999).fill(1), nulls: null }, gids, 999, per);
      acc.update({ kind: 'f64', length: 999, values: new Float64Array(999).fill(1), nulls: null }, gids, 999, per);
    }
    const counts = count.emitResult(5);
    expect(Array.from(counts.kind === 'f64' ? counts.values : [])).toEqual(expected.map((c) => 2 * c));
    const states = avg.emitStates(5)[1];
    expect(Array.from(states.kind === 'f64' ? states.values : [])).toEqual(expected.map((c) => 2 * c));
  });
});
