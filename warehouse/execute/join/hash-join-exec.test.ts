import { describe, expect, it } from 'vitest';
import { FirnError, InternalError, ResourceError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import type { Batch } from '../../../storage/types/vector.js';
import { prng } from '../../../test/support/prng.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { allocF64, fillIdle, markTransient } from '../batch/array-pool.js';
import { call, col, lit } from '../expr-test-kit.js';
import { HashJoinExec } from './hash-join-exec.js';
import { JoinType, type BuildSide, type HashJoinSpec, type JoinKey } from './join-spec.js';
import { batchesOf, canonical, hashJoin, referenceJoin, rowsOfBatches, vectorOf, type ReferenceJoin, type Row, type Tri } from './join-test-kit.js';

// Left: K_NUM NUMBER(10,0), K_STR VARCHAR, K_DATE DATE, V FLOAT.
const L: DataType[] = [Types.number(10, 0), Types.varchar, Types.date, Types.float];
// Right: K_NUM NUMBER(10,0), K_STR VARCHAR, K_DATE DATE, W FLOAT, AMOUNT NUMBER(12,2).
const R: DataType[] = [Types.number(10, 0), Types.varchar, Types.date, Types.float, Types.number(12, 2)];
const LW = L.length;

const STRINGS = ['a', 'b', 'c', '', 'dd'];

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)];
}

function maybeNull(rand: () => number, v: Scalar, p = 0.15): Scalar {
  return rand() < p ? null : v;
}

function leftRows(rand: () => number, n: number): Row[] {
  return Array.from({ length: n }, () => [
    maybeNull(rand, BigInt(Math.floor(rand() * 6))),
    maybeNull(rand, pick(rand, STRINGS)),
    maybeNull(rand, 18000 + Math.floor(rand() * 3)),
    maybeNull(rand, Math.floor(rand() * 100) / 4),
  ]);
}

function rightRows(rand: () => number, n: number): Row[] {
  return Array.from({ length: n }, () => [
    maybeNull(rand, BigInt(Math.floor(rand() * 6) + 1)),
    maybeNull(rand, pick(rand, STRINGS)),
    maybeNull(rand, 18000 + Math.floor(rand() * 3)),
    maybeNull(rand, Math.floor(rand() * 100) / 4),
    maybeNull(rand, BigInt(Math.floor(rand() * 100000) - 50000)),
  ]);
}

const key = (l: number, r: number): JoinKey => ({ left: col(l, L[l]), right: col(r, R[r]) });

type Case = {
  name: string;
  keys: [number, number][];
  inKey?: [number, number];
  residual?: { expr: BoundExpr; fn: (l: Row, r: Row) => Tri };
};

// V < W over the combined row (left columns, then right columns).
const vLessW = {
  expr: call('lt', col(3, Types.float), col(LW + 3, Types.float)),
  fn: (l: Row, r: Row): Tri => (l[3] === null || r[3] === null ? null : (l[3] as number) < (r[3] as number)),
};
// K_NUM < right K_NUM: a non-equi condition alone (nested loop).
const numLess = {
  expr: call('lt', col(0, L[0]), col(LW, R[0])),
  fn: (l: Row, r: Row): Tri => (l[0] === null || r[0] === null ? null : (l[0] as bigint) < (r[0] as bigint)),
};

const CASES: Case[] = [
  { name: 'one NUMBER key', keys: [[0, 0]] },
  { name: 'one VARCHAR key', keys: [[1, 1]] },
  { name: 'NUMBER, VARCHAR and DATE keys', keys: [[0, 0], [1, 1], [2, 2]] },
  { name: 'VARCHAR and DATE keys with a residual', keys: [[1, 1], [2, 2]], residual: vLessW },
  { name: 'no keys, residual only (nested loop)', keys: [], residual: numLess },
];

const PAIR_TYPES = ['INNER', 'LEFT', 'RIGHT', 'FULL'] as const;
const FLAG_TYPES = ['SEMI', 'ANTI', 'MARK'] as const;
const SIDES: BuildSide[] = ['left', 'right'];

function specOf(type: JoinType, c: Case, buildSide: BuildSide, batchSize: number): HashJoinSpec {
  return {
    type,
    left: L,
    right: R,
    keys: c.keys.map(([l, r]) => key(l, r)),
    inKey: c.inKey ? key(c.inKey[0], c.inKey[1]) : null,
    residual: c.residual?.expr ?? null,
    buildSide,
    batchSize,
  };
}

function refOf(type: JoinType, c: Case): ReferenceJoin {
  return { type, keys: c.keys, inKey: c.inKey ?? null, residual: c.residual?.fn ?? null, leftWidth: LW, rightWidth: R.length };
}

function runBoth(type: JoinType, c: Case, seed: number, buildSide: BuildSide, sizes: { left: number; right: number }) {
  const rand = prng(seed);
  const left = leftRows(rand, sizes.left);
  const right = rightRows(rand, sizes.right);
  const batchSize = 1 + Math.floor(rand() * 12);
  const spec = specOf(type, c, buildSide, batchSize);
  const exec = new HashJoinExec(spec);
  const out = hashJoin(spec, batchesOf(L, left, rand), batchesOf(R, right, rand));
  for (const b of out) expect(b.length).toBeLessThanOrEqual(batchSize);
  return { got: canonical(rowsOfBatches(exec.outputTypes, out)), want: canonical(referenceJoin(refOf(type, c), left, right)) };
}

describe('HashJoinExec against a nested-loop reference', () => {
  for (const c of CASES) {
    for (const type of [...PAIR_TYPES, ...FLAG_TYPES]) {
      it(`${type} join, ${c.name}`, () => {
        for (let seed = 1; seed <= 6; seed++) {
          for (const side of SIDES) {
            const { got, want } = runBoth(type, c, seed * 97 + type.length, side, { left: 20 + seed * 7, right: 15 + seed * 5 });
            expect(got, `seed ${seed}, build ${side}`).toEqual(want);
          }
        }
      });
    }
  }

  const IN_CASES: Case[] = [
    { name: 'uncorrelated', keys: [], inKey: [0, 0] },
    { name: 'correlated on VARCHAR', keys: [[1, 1]], inKey: [0, 0] },
    { name: 'uncorrelated with a residual', keys: [], inKey: [2, 2], residual: vLessW },
    { name: 'correlated on DATE with a residual', keys: [[2, 2]], inKey: [0, 0], residual: vLessW },
  ];
  for (const c of IN_CASES) {
    for (const type of ['MARK', 'NULL_AWARE_ANTI'] as const) {
      it(`${type} join with an IN key, ${c.name}`, () => {
        for (let seed = 1; seed <= 8; seed++) {
          for (const side of SIDES) {
            const small = seed % 4 === 0 ? { left: 12, right: 0 } : { left: 25, right: seed % 3 === 0 ? 3 : 18 };
            const { got, want } = runBoth(type, c, seed * 31 + type.length, side, small);
            expect(got, `seed ${seed}, build ${side}`).toEqual(want);
          }
        }
      });
    }
  }

  it('keeps its output intact once its arrays went back to the pool and were written over', () => {
    for (const c of CASES.slice(0, 3)) {
      for (const type of [...PAIR_TYPES, ...FLAG_TYPES]) {
        for (const side of SIDES) {
          const rand = prng(type.length * 7 + c.keys.length);
          const left = leftRows(rand, 80);
          const right = rightRows(rand, 60);
          const spec = specOf(type, c, side, 9);
          const exec = new HashJoinExec(spec);
          const out = hashJoin(spec, batchesOf(L, left, rand, 30), batchesOf(R, right, rand, 30));
          fillIdle(0xab);
          // Another join takes those buffers again and fills them with its own rows.
          hashJoin(spec, batchesOf(L, leftRows(rand, 80), rand, 30), batchesOf(R, rightRows(rand, 60), rand, 30));
          fillIdle(0xcd);
          expect(canonical(rowsOfBatches(exec.outputTypes, out)), `${type}, ${c.name}, build ${side}`).toEqual(canonical(referenceJoin(refOf(type, c), left, right)));
        }
      }
    }
  });

  it('handles empty inputs on either side for every join type', () => {
    for (const type of [...PAIR_TYPES, ...FLAG_TYPES, 'CROSS', 'NULL_AWARE_ANTI'] as const) {
      const c: Case = type === 'CROSS' ? { name: 'cross', keys: [] } : type === 'NULL_AWARE_ANTI' ? { name: 'in', keys: [], inKey: [0, 0] } : CASES[2];
      for (const sizes of [
        { left: 0, right: 10 },
        { left: 10, right: 0 },
        { left: 0, right: 0 },
      ]) {
        for (const side of SIDES) {
          const { got, want } = runBoth(type, c, 5 + sizes.left, side, sizes);
          expect(got, `${type} ${JSON.stringify(sizes)} build ${side}`).toEqual(want);
        }
      }
    }
  });

  it('gathers only spec.outputs, in their order, for every join type', () => {
    for (const type of [...PAIR_TYPES, ...FLAG_TYPES]) {
      const width = type === 'MARK' ? LW + 1 : FLAG_TYPES.includes(type as (typeof FLAG_TYPES)[number]) ? LW : LW + R.length;
      // Some columns out of order, one twice: the last column, the first, the third, the first.
      const outputs = [width - 1, 0, 2, 0];
      for (let seed = 1; seed <= 4; seed++) {
        for (const side of SIDES) {
          const rand = prng(seed * 13 + type.length);
          const left = leftRows(rand, 30);
          const right = rightRows(rand, 20);
          const spec: HashJoinSpec = { ...specOf(type, CASES[3], side, 7), outputs };
          const exec = new HashJoinExec(spec);
          expect(exec.outputTypes).toHaveLength(outputs.length);
          const got = canonical(rowsOfBatches(exec.outputTypes, hashJoin(spec, batchesOf(L, left, rand), batchesOf(R, right, rand))));
          const want = canonical(referenceJoin(refOf(type, CASES[3]), left, right).map((row) => outputs.map((o) => row[o])));
          expect(got, `${type} seed ${seed} build ${side}`).toEqual(want);
        }
      }
    }
    expect(() => new HashJoinExec({ ...specOf('INNER', CASES[0], 'right', 8), outputs: [LW + R.length] })).toThrow(InternalError);
  });

  it('CROSS join pairs every row, in bounded output batches', () => {
    const rand = prng(11);
    const left = leftRows(rand, 37);
    const right = rightRows(rand, 23);
    for (const side of SIDES) {
      const spec: HashJoinSpec = { type: 'CROSS', left: L, right: R, keys: [], buildSide: side, batchSize: 50 };
      const out = hashJoin(spec, batchesOf(L, left, rand), batchesOf(R, right, rand));
      expect(out.every((b) => b.length <= 50)).toBe(true);
      expect(canonical(rowsOfBatches([...L, ...R], out))).toEqual(canonical(referenceJoin({ type: 'INNER', keys: [], leftWidth: LW, rightWidth: R.length }, left, right)));
    }
  });
});

/** A one-column batch of NUMBER(10,0) values. */
function nums(values: (number | null)[]): Batch {
  return { length: values.length, columns: [vectorOf(Types.number(10, 0), values.map((v) => (v === null ? null : BigInt(v))), prng(1))] };
}

const N1 = [Types.number(10, 0)];
const inSpec = (type: 'MARK' | 'NULL_AWARE_ANTI', buildSide: BuildSide): HashJoinSpec => ({
  type,
  left: N1,
  right: N1,
  keys: [],
  inKey: { left: col(0, N1[0]), right: col(0, N1[0]) },
  buildSide,
});

function readJoin(spec: HashJoinSpec, left: Batch, right: Batch): Row[] {
  return rowsOfBatches(new HashJoinExec(spec).outputTypes, hashJoin(spec, [left], [right]));
}

describe('x [NOT] IN (subquery) NULL rules', () => {
  const xs = nums([1, 3, null]);
  // [subquery rows, x NOT IN result for x = 1, 3, NULL]
  const table: [(number | null)[], Tri[]][] = [
    [[1, 2], [false, true, null]],
    [[1, null], [false, null, null]],
    [[null], [null, null, null]],
    [[], [true, true, true]],
    [[2, 2, 1], [false, true, null]],
  ];
  for (const [sub, notIn] of table) {
    for (const side of SIDES) {
      it(`NOT IN (${JSON.stringify(sub)}), build ${side}`, () => {
        const kept = readJoin(inSpec('NULL_AWARE_ANTI', side), xs, nums(sub)).map((r) => r[0]);
        const want = [1n, 3n, null].filter((_, i) => notIn[i] === true);
        expect(kept.sort()).toEqual(want.sort());
        const marks = readJoin(inSpec('MARK', side), xs, nums(sub));
        const byX = new Map(marks.map((r) => [r[0], r[1]]));
        expect([byX.get(1n), byX.get(3n), byX.get(null)]).toEqual(notIn.map((v) => (v === null ? null : !v)));
      });
    }
  }

  it('MARK without an IN key has EXISTS semantics (never NULL)', () => {
    const spec: HashJoinSpec = { type: 'MARK', left: N1, right: N1, keys: [{ left: col(0, N1[0]), right: col(0, N1[0]) }], buildSide: 'right' };
    expect(readJoin(spec, nums([1, 3, null]), nums([1, null]))).toEqual([
      [1n, true],
      [3n, false],
      [null, false],
    ]);
  });
});

describe('key semantics', () => {
  it('matches NUMBER keys across f64 and dec layouts, and -0 with 0 and NaN with NaN for FLOAT', () => {
    const rand = prng(3);
    const F = [Types.float];
    const left: Batch = { length: 4, columns: [vectorOf(Types.float, [-0, NaN, 1.5, null], rand)] };
    const right: Batch = { length: 4, columns: [vectorOf(Types.float, [0, NaN, 2.5, null], rand)] };
    const spec: HashJoinSpec = { type: 'INNER', left: F, right: F, keys: [{ left: col(0, F[0]), right: col(0, F[0]) }], buildSide: 'right' };
    const rows = rowsOfBatches([...F, ...F], hashJoin(spec, [left], [right]));
    expect(rows.length).toBe(2);
    expect(rows.some((r) => Number.isNaN(r[0]) && Number.isNaN(r[1]))).toBe(true);

    const wide: Batch = { length: 3, columns: [vectorOf(Types.number(10, 0), [5n, 7n, null], rand, true)] };
    const narrow: Batch = { length: 3, columns: [vectorOf(Types.number(10, 0), [7n, 5n, 9n], rand, false)] };
    const numSpec: HashJoinSpec = { type: 'INNER', left: N1, right: N1, keys: [{ left: col(0, N1[0]), right: col(0, N1[0]) }], buildSide: 'left' };
    expect(canonical(rowsOfBatches([...N1, ...N1], hashJoin(numSpec, [wide], [narrow])))).toEqual(
      canonical([
        [5n, 5n],
        [7n, 7n],
      ]),
    );
  });

  it('joins on key expressions, and a NULL-typed key matches nothing', () => {
    const spec: HashJoinSpec = {
      type: 'LEFT',
      left: N1,
      right: N1,
      keys: [{ left: call('add', col(0, N1[0]), lit(1, Types.number(1, 0))), right: { kind: 'cast', expr: col(0, N1[0]), type: Types.number(11, 0), try: false } }],
      buildSide: 'right',
    };
    const rows = rowsOfBatches([...N1, ...N1], hashJoin(spec, [nums([1, 2, null])], [nums([2, 2, 5])]));
    expect(canonical(rows)).toEqual(
      canonical([
        [1n, 2n],
        [1n, 2n],
        [2n, null],
        [null, null],
      ]),
    );
    const nullKey: HashJoinSpec = { ...spec, keys: [{ left: lit(null, Types.null), right: col(0, N1[0]) }] };
    const none = rowsOfBatches([...N1, ...N1], hashJoin(nullKey, [nums([1, 2])], [nums([1, 2])]));
    expect(canonical(none)).toEqual(
      canonical([
        [1n, null],
        [2n, null],
      ]),
    );
  });

  it('rejects key sides of different types (the planner casts)', () => {
    const spec: HashJoinSpec = {
      type: 'INNER',
      left: [Types.number(10, 2)],
      right: N1,
      keys: [{ left: col(0, Types.number(10, 2)), right: col(0, N1[0]) }],
      buildSide: 'right',
    };
    expect(() => new HashJoinExec(spec)).toThrow(InternalError);
    expect(() => new HashJoinExec({ ...spec, type: 'NULL_AWARE_ANTI', keys: [] })).toThrow(/needs an inKey/);
    expect(() => new HashJoinExec({ ...spec, type: 'SEMI', keys: [], inKey: { left: col(0, N1[0]), right: col(0, N1[0]) } })).toThrow(/takes no inKey/);
  });
});

describe('join pruning information', () => {
  it('reports each build key column range and small key set, ignoring rows with a NULL key', () => {
    const rand = prng(9);
    const types: DataType[] = [Types.number(10, 2), Types.varchar, Types.date];
    const rows: Row[] = [
      [150n, 'pear', 19000],
      [-25n, 'apple', 19002],
      [150n, 'zucchini', null], // NULL key: cannot match, not reported
      [990n, null, 19001],
      [-25n, 'fig', 18999],
    ];
    const keys: JoinKey[] = types.map((t, i) => ({ left: col(i, t), right: col(i, t) }));
    const exec = new HashJoinExec({ type: 'INNER', left: types, right: types, keys, buildSide: 'right', keySetLimit: 2 });
    for (const b of batchesOf(types, rows, rand, 2)) exec.build(b);
    exec.finishBuild();
    const stats = exec.keyStats();
    expect(stats.map((s) => [s.min, s.max, s.exact])).toEqual([
      [-25n, 150n, true],
      ['apple', 'pear', true],
      [18999, 19002, true],
    ]);
    // Three matchable tuples but only two distinct values in the NUMBER column.
    expect(stats.map((s) => s.values)).toEqual([[-25n, 150n], null, null]);
    expect(exec.canPruneProbe).toBe(true);
  });

  it('reports the key set up to the limit, none past it, and an empty range for an empty build', () => {
    const spec = (limit: number): HashJoinSpec => ({ type: 'SEMI', left: N1, right: N1, keys: [{ left: col(0, N1[0]), right: col(0, N1[0]) }], buildSide: 'right', keySetLimit: limit });
    const small = new HashJoinExec(spec(3));
    small.build(nums([4, 2, 4, null, 9]));
    expect(small.keyStats()).toEqual([{ min: 2n, max: 9n, exact: true, values: [2n, 4n, 9n] }]);
    const big = new HashJoinExec(spec(2));
    big.build(nums([4, 2, 9]));
    expect(big.keyStats()[0].values).toBeNull();
    const empty = new HashJoinExec(spec(2));
    empty.build(nums([null]));
    expect(empty.keyStats()).toEqual([{ min: null, max: null, exact: true, values: [] }]);
  });

  it('says which joins may prune probe rows without a key match', () => {
    const can = (type: JoinType, buildSide: BuildSide, inKey = false) =>
      new HashJoinExec({
        type,
        left: N1,
        right: N1,
        keys: [{ left: col(0, N1[0]), right: col(0, N1[0]) }],
        inKey: inKey ? { left: col(0, N1[0]), right: col(0, N1[0]) } : null,
        buildSide,
      }).canPruneProbe;
    expect(can('INNER', 'right')).toBe(true);
    expect(can('LEFT', 'right')).toBe(false);
    expect(can('LEFT', 'left')).toBe(true);
    expect(can('RIGHT', 'left')).toBe(false);
    expect(can('FULL', 'left')).toBe(false);
    expect(can('SEMI', 'right')).toBe(true);
    expect(can('ANTI', 'right')).toBe(false);
    expect(can('ANTI', 'left')).toBe(true);
    expect(can('MARK', 'left', true)).toBe(false);
    expect(can('NULL_AWARE_ANTI', 'left', true)).toBe(false);
  });
});

describe('memory and phases', () => {
  it('fails with RESOURCE_EXHAUSTED (53200) naming the join when the build side passes its budget', () => {
    const exec = new HashJoinExec({
      type: 'INNER',
      left: N1,
      right: N1,
      keys: [{ left: col(0, N1[0]), right: col(0, N1[0]) }],
      buildSide: 'right',
      name: 'join #2 (ORDERS, LINEITEM)',
      memoryBudget: 64 * 1024,
    });
    let err: unknown;
    try {
      for (let b = 0; b < 100; b++) exec.build(nums(Array.from({ length: 1000 }, (_, i) => b * 1000 + i)));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ResourceError);
    const fe = err as FirnError;
    expect(fe.codeName).toBe('RESOURCE_EXHAUSTED');
    expect(fe.sqlState).toBe('53200');
    expect(fe.message).toMatch(/join #2 \(ORDERS, LINEITEM\).*memory budget/);
    expect(exec.buildRows).toBeLessThan(100_000);
  });

  it('hashJoin fails a CROSS join whose output passes the budget with 53200 before producing all of it', () => {
    const spec: HashJoinSpec = { type: 'CROSS', left: N1, right: N1, keys: [], buildSide: 'right', memoryBudget: 256 * 1024 };
    const side = nums(Array.from({ length: 2000 }, (_, i) => i));
    let err: unknown;
    try {
      hashJoin(spec, [side], [side]);
    } catch (e) {
      err = e;
    }
    expect((err as FirnError).sqlState).toBe('53200');
    expect((err as FirnError).message).toMatch(/^CROSS join output exceeded the query memory budget of 262144 bytes/);
    // Within the budget the same join answers every pair.
    const small = nums([1, 2, 3]);
    expect(rowsOfBatches([...N1, ...N1], hashJoin(spec, [small], [small])).length).toBe(9);
  });

  it('counts the build side bytes it holds', () => {
    const exec = new HashJoinExec({ type: 'INNER', left: N1, right: N1, keys: [{ left: col(0, N1[0]), right: col(0, N1[0]) }], buildSide: 'right' });
    exec.build(nums(Array.from({ length: 5000 }, (_, i) => i)));
    exec.finishBuild();
    // 5000 doubles, ids and chain links at the very least.
    expect(exec.memoryBytes).toBeGreaterThan(5000 * (8 + 4 + 4));
  });

  it('enforces build, probe, finish order', () => {
    const exec = new HashJoinExec({ type: 'INNER', left: N1, right: N1, keys: [{ left: col(0, N1[0]), right: col(0, N1[0]) }], buildSide: 'right', batchSize: 1 });
    exec.build(nums([1, 1]));
    const first = exec.probe(nums([1]));
    expect(first.next().done).toBe(false);
    expect(() => exec.probe(nums([1])).next()).toThrow(/previous probe/);
    expect([...first].length).toBe(1);
    expect(() => exec.build(nums([2]))).toThrow(/build after/);
    expect([...exec.finish()]).toEqual([]);
    expect(() => exec.probe(nums([1])).next()).toThrow(/after finish/);
  });
});

describe('probe vectors handed to the output', () => {
  const N = Types.number(10, 0);
  const spec: HashJoinSpec = { type: 'INNER', left: [N, N], right: [N, N], keys: [{ left: col(0, N), right: col(0, N) }], inKey: null, residual: null, buildSide: 'right' };
  /** A probe batch of keys and key * 10, its arrays the pool's, transient unless told otherwise. */
  const probeBatch = (keys: number[], transient = true): Batch => {
    const k = allocF64(keys.length);
    const v = allocF64(keys.length);
    keys.forEach((x, i) => {
      k[i] = x;
      v[i] = x * 10;
    });
    const b: Batch = { length: keys.length, columns: [{ kind: 'f64', length: keys.length, values: k, nulls: null }, { kind: 'f64', length: keys.length, values: v, nulls: null }] };
    return transient ? markTransient(b) : b;
  };
  const built = (keys: number[]) => {
    const exec = new HashJoinExec(spec);
    exec.build({ length: keys.length, columns: [vectorOf(N, keys.map(BigInt), prng(2)), vectorOf(N, keys.map((x) => BigInt(x + 1000)), prng(3))] });
    exec.finishBuild();
    return exec;
  };
  const rows = (out: Batch[]) => rowsOfBatches([N, N, N, N], out);

  it('passes a transient probe batch whose every row matches once its vectors as they are, and gives none of them back', () => {
    const exec = built([5, 3, 1, 4, 2, 0]);
    const probe = probeBatch([0, 1, 2, 3, 4, 5, 3]);
    const out = [...exec.probe(probe)];
    expect(out).toHaveLength(1);
    expect(out[0].columns[0]).toBe(probe.columns[0]);
    expect(out[0].columns[1]).toBe(probe.columns[1]);
    // Whatever the pool hands out next (the arrays it got back, written over) is not the output's.
    fillIdle(0xab);
    for (let i = 0; i < 8; i++) allocF64(7).fill(-1);
    expect(rows(out)).toEqual([0, 1, 2, 3, 4, 5, 3].map((x) => [BigInt(x), BigInt(x * 10), BigInt(x), BigInt(x + 1000)]));
  });

  it('gathers the probe rows when one matches twice or not at all, or when the batch is not its to give', () => {
    const twice = built([1, 2, 2, 3]);
    const p1 = probeBatch([1, 2, 3]);
    const o1 = [...twice.probe(p1)];
    expect(o1[0].columns[0]).not.toBe(p1.columns[0]);
    expect(rows(o1)).toEqual([[1n, 10n, 1n, 1001n], [2n, 20n, 2n, 1002n], [2n, 20n, 2n, 1002n], [3n, 30n, 3n, 1003n]]);
    const missing = built([1, 3]);
    const p2 = probeBatch([1, 2, 3]);
    const o2 = [...missing.probe(p2)];
    expect(o2[0].columns[0]).not.toBe(p2.columns[0]);
    expect(rows(o2)).toEqual([[1n, 10n, 1n, 1001n], [3n, 30n, 3n, 1003n]]);
    const owned = built([1, 2, 3]);
    const p3 = probeBatch([1, 2, 3], false);
    const o3 = [...owned.probe(p3)];
    expect(o3[0].columns[0]).not.toBe(p3.columns[0]);
    expect(rows(o3)).toEqual([[1n, 10n, 1n, 1001n], [2n, 20n, 2n, 1002n], [3n, 30n, 3n, 1003n]]);
  });
});
