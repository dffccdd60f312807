import { describe, expect, it } from 'vitest';
import { decodeBatchIpc, encodeBatchIpc } from '../../../storage/arrow/batch-ipc.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { AggregateCall, AggregateFn, BoundExpr } from '../../fragment/bound-expr.js';
import { fillIdle, idlePoolBytes } from '../batch/array-pool.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { resolveFunction } from '../functions/function-registry.js';
import { aggregateResultType } from './aggregate-result-type.js';
import { HashAggregateExec, type AggregateOutput } from './hash-aggregate-exec.js';
import { prng as rng } from '../../../test/support/prng.js';
import { scalarAt } from '../../../storage/types/scalar-at.js';



type Cell = null | boolean | number | bigint | string;

/** Reads row i of a vector as a JS value: NUMBER as bigint scaled integer. */
function cell(v: Vector, type: DataType, i: number): Cell {
  return scalarAt(v, i, type);
}

function rowsOf(out: AggregateOutput): Cell[][] {
  const rows: Cell[][] = [];
  for (let i = 0; i < out.batch.length; i++) rows.push(out.batch.columns.map((v, c) => cell(v, out.types[c], i)));
  return rows;
}

const keyOf = (cells: Cell[]) => JSON.stringify(cells, (_k, v) => (typeof v === 'bigint' ? `${v}n` : Number.isNaN(v) ? 'NaN' : v));

function col(index: number, type: DataType): BoundExpr {
  return { kind: 'column', index, type };
}
function agg(fn: AggregateFn, arg: BoundExpr | null, distinct = false): AggregateCall {
  return { fn, arg, distinct, type: aggregateResultType(fn, arg?.type ?? Types.null) };
}

// Schema of the random tables.
const T = {
  k1: Types.varchar,
  k2: Types.number(10, 0),
  k3: Types.date,
  k4: Types.boolean,
  n: Types.number(12, 2),
  f: Types.float,
  s: Types.varchar,
};
const TYPES: DataType[] = Object.values(T);
const C = Object.fromEntries(Object.keys(T).map((k, i) => [k, col(i, TYPES[i])])) as Record<keyof typeof T, BoundExpr>;

const WORDS = ['apple', 'pear', 'fig', 'kiwi', 'lime', 'Zed', 'éclair', ''];

/** A batch of random rows with NULLs; each batch gets its own shuffled, partly duplicated dictionaries. */
function randomBatch(r: () => number, n: number): Batch {
  const nullsOf = (p: number) => {
    const m = new Uint8Array(n);
    let any = 0;
    for (let i = 0; i < n; i++) any |= m[i] = r() < p ? 1 : 0;
    return any ? m : null;
  };
  const strVec = (words: string[], p: number): Vector => {
    const dict = [...words].sort(() => r() - 0.5);
    dict.push(dict[0]); // dictionaries need not be unique
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = Math.floor(r() * dict.length);
    return { kind: 'str', length: n, codes, dict, nulls: nullsOf(p) };
  };
  const f64 = (gen: () => number) => Float64Array.from({ length: n }, gen);
  return {
    length: n,
    columns: [
      strVec(WORDS.slice(0, 4), 0.1),
      { kind: 'f64', length: n, values: f64(() => Math.floor(r() * 5) - 2), nulls: nullsOf(0.1) },
      { kind: 'i32', length: n, values: Int32Array.from({ length: n }, () => 19000 + Math.floor(r() * 3)), nulls: nullsOf(0.1) },
      { kind: 'bool', length: n, values: Uint8Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0)), nulls: nullsOf(0.2) },
      { kind: 'f64', length: n, values: f64(() => Math.floor((r() - 0.4) * 200000)), nulls: nullsOf(0.15) },
      { kind: 'f64', length: n, values: f64(() => Math.round((r() - 0.5) * 1000) / 8), nulls: nullsOf(0.15) },
      strVec(WORDS, 0.2),
    ],
  };
}

/** Row-at-a-time reference aggregation over JS values (bigint sums). */
function reference(batches: Batch[], groupBy: BoundExpr[], aggs: AggregateCall[]): Map<string, Cell[]> {
  type St = { vals: Cell[]; seen: Set<string> };
  const groups = new Map<string, { keys: Cell[]; st: St[] }>();
  for (const b of batches) {
    for (let i = 0; i < b.length; i++) {
      const keys = groupBy.map((g) => cell(b.columns[(g as { index: number }).index], g.type, i));
      const k = keyOf(keys);
      let grp = groups.get(k);
      if (!grp) groups.set(k, (grp = { keys, st: aggs.map(() => ({ vals: [], seen: new Set() })) }));
      aggs.forEach((a, j) => {
        const v = a.arg === null ? 1 : cell(b.columns[(a.arg as { index: number }).index], a.arg.type, i);
        if (v === null) return;
        if (a.distinct) {
          const vk = keyOf([v]);
          if (grp!.st[j].seen.has(vk)) return;
          grp!.st[j].seen.add(vk);
        }
        grp!.st[j].vals.push(v);
      });
    }
  }
  if (groupBy.length === 0 && groups.size === 0) groups.set('[]', { keys: [], st: aggs.map(() => ({ vals: [], seen: new Set() })) });
  const out = new Map<string, Cell[]>();
  for (const [k, g] of groups) {
    out.set(
      k,
      g.keys.concat(
        aggs.map((a, j) => {
          const vals = g.st[j].vals;
          if (a.fn === 'count' || a.fn === 'count_star') return BigInt(vals.length);
          if (vals.length === 0) return null;
          if (a.fn === 'min' || a.fn === 'max') {
            return vals.reduce((x, y) => {
              if (typeof x === 'number' && Number.isNaN(x)) return a.fn === 'max' ? x : y;
              if (typeof y === 'number' && Number.isNaN(y)) return a.fn === 'max' ? y : x;
              return (a.fn === 'max' ? y! > x! : y! < x!) ? y : x;
            });
          }
          if (a.arg!.type.kind === 'FLOAT') {
            const s = (vals as number[]).reduce((x, y) => x + y, 0);
            return a.fn === 'sum' ? s : s / vals.length;
          }
          const s = (vals as bigint[]).reduce((x, y) => x + y, 0n);
          if (a.fn === 'sum') return s;
          const shift = (a.type as { scale: number }).scale - (a.arg!.type as { scale: number }).scale;
          const num = s * 10n ** BigInt(shift);
          const den = BigInt(vals.length);
          const q = (num < 0n ? -num : num) / den;
          const r = (num < 0n ? -num : num) % den;
          const rounded = r * 2n >= den ? q + 1n : q;
          return num < 0n ? -rounded : rounded;
        }),
      ),
    );
  }
  return out;
}

function expectSameRows(actual: Cell[][], expected: Map<string, Cell[]>, nKeys: number, floatCols: Set<number>): void {
  expect(actual.length).toBe(expected.size);
  for (const row of actual) {
    const exp = expected.get(keyOf(row.slice(0, nKeys)));
    expect(exp, `group ${keyOf(row.slice(0, nKeys))}`).toBeDefined();
    row.forEach((v, c) => {
      if (floatCols.has(c) && typeof v === 'number' && typeof exp![c] === 'number' && !Number.isNaN(v)) {
        expect(v).toBeCloseTo(exp![c] as number, 6);
      } else {
        expect(v).toEqual(exp![c]);
      }
    });
  }
}

function run(mode: 'complete', groupBy: BoundExpr[], aggs: AggregateCall[], batches: Batch[]): AggregateOutput {
  const exec = new HashAggregateExec(groupBy, aggs, mode, evaluateExpr);
  for (const b of batches) exec.consume(b);
  return exec.finish();
}

/** Partial aggregation on `workers` simulated workers (batches dealt round-robin), then final. */
function runDistributed(groupBy: BoundExpr[], aggs: AggregateCall[], batches: Batch[], workers: number, viaIpc = false): AggregateOutput {
  const partials: Batch[] = [];
  for (let w = 0; w < workers; w++) {
    const exec = new HashAggregateExec(groupBy, aggs, 'partial', evaluateExpr);
    batches.forEach((b, i) => i % workers === w && exec.consume(b));
    const out = exec.finish();
    expect(out.types).toEqual(exec.stateTypes);
    if (!viaIpc) {
      partials.push(out.batch);
      continue;
    }
    // As between a worker thread and services: the partial state crosses as Arrow IPC.
    const columns = out.types.map((type, i) => ({ name: `c${i}`, type, nullable: true }));
    partials.push(decodeBatchIpc(encodeBatchIpc(columns, out.batch)).batch);
  }
  const final = new HashAggregateExec(groupBy, aggs, 'final');
  for (const p of partials) final.consume(p);
  return final.finish();
}

const ALL_AGGS: AggregateCall[] = [
  agg('count_star', null),
  agg('count', C.n),
  agg('sum', C.n),
  agg('avg', C.n),
  agg('min', C.n),
  agg('max', C.n),
  agg('sum', C.f),
  agg('avg', C.f),
  agg('min', C.f),
  agg('max', C.f),
  agg('min', C.s),
  agg('max', C.s),
  agg('min', C.k3),
  agg('max', C.k4),
  agg('count', C.s, true),
  agg('sum', C.n, true),
  agg('avg', C.k2, true),
  agg('max', C.s, true),
];

describe('HashAggregateExec vs a row-at-a-time reference', () => {
  const groupings: [string, BoundExpr[]][] = [
    ['global', []],
    ['one string key', [C.k1]],
    ['string + number keys', [C.k1, C.k2]],
    ['number + date + boolean keys', [C.k2, C.k3, C.k4]],
  ];
  for (const seed of [1, 2, 3, 42]) {
    for (const [name, groupBy] of groupings) {
      it(`seed ${seed}, ${name}: one-shot and 3-worker partial/final match`, () => {
        const r = rng(seed);
        const batches = Array.from({ length: 7 }, () => randomBatch(r, 1 + Math.floor(r() * 300)));
        const expected = reference(batches, groupBy, ALL_AGGS);
        const floatCols = new Set(ALL_AGGS.map((a, j) => (a.type.kind === 'FLOAT' ? groupBy.length + j : -1)));
        const oneShot = run('complete', groupBy, ALL_AGGS, batches);
        expect(oneShot.types).toEqual([...groupBy.map((g) => g.type), ...ALL_AGGS.map((a) => a.type)]);
        expectSameRows(rowsOf(oneShot), expected, groupBy.length, floatCols);
        expectSameRows(rowsOf(runDistributed(groupBy, ALL_AGGS, batches, 3)), expected, groupBy.length, floatCols);
      });
    }
  }
});

describe('state arrays leased from the pool', () => {
  it('go back to the pool at finish, and results stay intact once they were written over', () => {
    const r = rng(11);
    const batches = Array.from({ length: 6 }, () => randomBatch(r, 300 + Math.floor(r() * 300)));
    const others = Array.from({ length: 6 }, () => randomBatch(r, 300 + Math.floor(r() * 300)));
    for (const groupBy of [[C.k2], [C.k1, C.k2], [C.k2, C.k3, C.k4]]) {
      const expected = reference(batches, groupBy, ALL_AGGS);
      const floatCols = new Set(ALL_AGGS.map((a, j) => (a.type.kind === 'FLOAT' ? groupBy.length + j : -1)));
      const before = idlePoolBytes();
      const complete = run('complete', groupBy, ALL_AGGS, batches);
      const distributed = runDistributed(groupBy, ALL_AGGS, batches, 3);
      expect(idlePoolBytes()).toBeGreaterThan(before);
      fillIdle(0xab);
      run('complete', groupBy, ALL_AGGS, others);
      runDistributed(groupBy, ALL_AGGS, others, 3);
      fillIdle(0xcd);
      expectSameRows(rowsOf(complete), expected, groupBy.length, floatCols);
      expectSameRows(rowsOf(distributed), expected, groupBy.length, floatCols);
    }
  });
});

describe('partial states through Arrow IPC', () => {
  for (const seed of [5, 6]) {
    it(`seed ${seed}: 3 workers, partials encoded and decoded, match the reference`, () => {
      const r = rng(seed);
      const batches = Array.from({ length: 6 }, () => randomBatch(r, 1 + Math.floor(r() * 200)));
      for (const groupBy of [[], [C.k1, C.k2], [C.k3, C.k4]]) {
        const expected = reference(batches, groupBy, ALL_AGGS);
        const floatCols = new Set(ALL_AGGS.map((a, j) => (a.type.kind === 'FLOAT' ? groupBy.length + j : -1)));
        expectSameRows(rowsOf(runDistributed(groupBy, ALL_AGGS, batches, 3, true)), expected, groupBy.length, floatCols);
      }
    });
  }
});

describe('finishStates (spilling hands a table on as partial states)', () => {
  it('complete and final tables emit states that a final aggregation turns into the same results; groups and memoryBytes count the table', () => {
    const r = rng(9);
    const batches = Array.from({ length: 6 }, () => randomBatch(r, 1 + Math.floor(r() * 200)));
    const groupBy = [C.k1, C.k2];
    const expected = reference(batches, groupBy, ALL_AGGS);
    const floatCols = new Set(ALL_AGGS.map((a, j) => (a.type.kind === 'FLOAT' ? groupBy.length + j : -1)));
    // Two complete tables over halves of the input, handed on as states, merged by one final table.
    const perGroup: number[] = [];
    const halves = [batches.slice(0, 3), batches.slice(3)].map((part) => {
      const exec = new HashAggregateExec(groupBy, ALL_AGGS, 'complete', evaluateExpr);
      for (const b of part) exec.consume(b);
      perGroup.push(exec.memoryBytes / exec.groups);
      return exec.finishStates();
    });
    expect(halves[0].types).toEqual(new HashAggregateExec(groupBy, ALL_AGGS, 'partial', evaluateExpr).outputTypes);
    const final = new HashAggregateExec(groupBy, ALL_AGGS, 'final');
    for (const h of halves) final.consume(h.batch);
    // A final table's own states, merged again, still give the same results.
    const again = new HashAggregateExec(groupBy, ALL_AGGS, 'final');
    again.consume(final.finishStates().batch);
    expectSameRows(rowsOf(again.finish()), expected, groupBy.length, floatCols);
    expect(again.groups).toBe(expected.size);
    // The estimate is per group: the same bytes a group in every table.
    expect(again.memoryBytes / again.groups).toBe(perGroup[0]);
    expect(perGroup[1]).toBe(perGroup[0]);
    expect(perGroup[0]).toBeGreaterThan(0);
  });
});

const num = (values: number[], nulls?: number[]): Vector => ({
  kind: 'f64',
  length: values.length,
  values: Float64Array.from(values),
  nulls: nulls ? Uint8Array.from(nulls) : null,
});
const dec = (values: bigint[]): Vector => ({ kind: 'dec', length: values.length, values, nulls: null });
const str = (dict: string[], codes: number[], nulls?: number[]): Vector => ({
  kind: 'str',
  length: codes.length,
  codes: Int32Array.from(codes),
  dict,
  nulls: nulls ? Uint8Array.from(nulls) : null,
});

describe('exact NUMBER sums', () => {
  const N0 = Types.number(38, 0);
  const x = col(0, N0);
  const big = 2 ** 53 - 1;

  it('sums values near 2^53 exactly, past 2^53, as dec (global and grouped, with NULLs)', () => {
    const vals = [big, big, -3, big, big - 10, 7];
    const batch: Batch = { length: 6, columns: [num(vals, [0, 0, 0, 0, 0, 1]), num([1, 1, 1, 2, 2, 2])] };
    const exact = vals.slice(0, 5).reduce((s, v) => s + BigInt(v), 0n);
    const g = run('complete', [], [agg('sum', x), agg('avg', x)], [batch]);
    expect(g.batch.columns[0].kind).toBe('dec');
    expect(rowsOf(g)[0][0]).toBe(exact);
    // AVG of NUMBER(38,0) has scale 6: exact / 5 * 10^6, rounded half away from zero.
    expect(rowsOf(g)[0][1]).toBe((exact * 10n ** 6n + 2n) / 5n);
    const grouped = run('complete', [col(1, N0)], [agg('sum', x)], [batch]);
    expect(new Map(rowsOf(grouped).map((r) => [r[0], r[1]]))).toEqual(
      new Map([
        [1n, BigInt(big) * 2n - 3n],
        [2n, BigInt(big) * 2n - 10n],
      ]),
    );
  });

  it('adds dec batches, f64 batches and negative overflow exactly, and returns f64 when the total fits', () => {
    const batches: Batch[] = [
      { length: 2, columns: [dec([2n ** 70n, -(2n ** 70n)])] },
      { length: 3, columns: [num([-big, -big, 5])] },
      { length: 2, columns: [num([big, big])] },
    ];
    const out = run('complete', [], [agg('sum', x)], batches);
    expect(out.batch.columns[0].kind).toBe('f64');
    expect(rowsOf(out)[0][0]).toBe(5n);
    const partial = runDistributed([], [agg('sum', x), agg('min', x), agg('max', x)], batches, 3, true);
    expect(rowsOf(partial)[0]).toEqual([5n, -(2n ** 70n), 2n ** 70n]);
  });

  it('tells NULL groups from valued ones when NULLs arrive only after batches without any (SUM skips counting until then)', () => {
    const k = col(1, N0);
    const batches: Batch[] = [
      { length: 3, columns: [num([5, 6, 7]), num([1, 2, 1])] },
      // Group 3 only ever has NULL; group 2 gets a NULL besides its value.
      { length: 3, columns: [num([0, 0, 4], [1, 1, 0]), num([3, 2, 4])] },
      { length: 1, columns: [num([1]), num([5])] },
    ];
    const expected = new Map<Cell, Cell>([
      [1n, 12n],
      [2n, 6n],
      [3n, null],
      [4n, 4n],
      [5n, 1n],
    ]);
    const sums = (out: AggregateOutput) => new Map(rowsOf(out).map((r) => [r[0], r[1]]));
    expect(sums(run('complete', [k], [agg('sum', x)], batches))).toEqual(expected);
    // Partials of workers that saw no NULL ship counts that still tell a valued group.
    expect(sums(runDistributed([k], [agg('sum', x)], batches, 2))).toEqual(expected);
    expect(sums(runDistributed([k], [agg('sum', x)], batches, 3, true))).toEqual(expected);
    // Without any NULL: every group holds its sum.
    expect(sums(run('complete', [k], [agg('sum', x)], [batches[0], batches[2]]))).toEqual(new Map<Cell, Cell>([[1n, 12n], [2n, 6n], [5n, 1n]]));
  });

  it('rejects a SUM past NUMBER(38) with NUMERIC_OUT_OF_RANGE, but not a partial state', () => {
    const huge: Batch = { length: 2, columns: [dec([10n ** 37n * 6n, 10n ** 37n * 5n])] };
    expect(() => run('complete', [], [agg('sum', x)], [huge])).toThrow(expect.objectContaining({ codeName: 'NUMERIC_OUT_OF_RANGE' }));
    const back: Batch = { length: 1, columns: [dec([-(10n ** 37n) * 6n])] };
    expect(rowsOf(runDistributed([], [agg('sum', x)], [huge, back], 2, true))[0]).toEqual([10n ** 37n * 5n]);
  });

  it('keeps MIN/MAX exact across f64 and dec vectors', () => {
    const batches: Batch[] = [
      { length: 2, columns: [num([3, -4])] },
      { length: 2, columns: [dec([2n ** 60n + 1n, -(2n ** 60n)])] },
      { length: 1, columns: [num([2 ** 53])] },
    ];
    const out = run('complete', [], [agg('min', x), agg('max', x)], batches);
    expect(rowsOf(out)[0]).toEqual([-(2n ** 60n), 2n ** 60n + 1n]);
  });
});

describe('AVG rounding', () => {
  it('uses scale max(s, min(s+6, 12)) and rounds half away from zero', () => {
    const I = Types.number(10, 0);
    const ints = { length: 3, columns: [num([1, 2, 2]), num([-1, -2, -2])] };
    const out = run('complete', [], [agg('avg', col(0, I)), agg('avg', col(1, I))], [ints]);
    expect(out.types[0]).toEqual(Types.number(38, 6));
    expect(rowsOf(out)[0]).toEqual([1666667n, -1666667n]);

    const S12 = Types.number(20, 12);
    const halves = { length: 2, columns: [num([0, 1]), num([0, -1])] };
    const h = run('complete', [], [agg('avg', col(0, S12)), agg('avg', col(1, S12))], [halves]);
    expect(h.types[0]).toEqual(Types.number(38, 12));
    expect(rowsOf(h)[0]).toEqual([1n, -1n]);
  });
});

describe('grouping semantics', () => {
  it('groups strings by value across batches with different dictionaries, NULL as its own group', () => {
    const V = Types.varchar;
    const N = Types.number(18, 0);
    const batches: Batch[] = [
      { length: 4, columns: [str(['b', 'a', 'b'], [0, 1, 2, 0], [0, 0, 0, 1]), num([1, 2, 3, 4])] },
      { length: 3, columns: [str(['a', 'c'], [0, 1, 0]), num([10, 20, 30])] },
      { length: 2, columns: [str(['x'], [0, 0], [1, 1]), num([100, 200])] },
    ];
    const out = run('complete', [col(0, V)], [agg('sum', col(1, N)), agg('count_star', null)], batches);
    const rows = new Map(rowsOf(out).map((r) => [r[0], r.slice(1)]));
    expect(rows).toEqual(
      new Map<Cell, Cell[]>([
        ['b', [4n, 2n]],
        ['a', [42n, 3n]],
        [null, [304n, 3n]],
        ['c', [20n, 1n]],
      ]),
    );
  });

  it('treats a NUMBER key in f64 and in dec form as one value, and NaN, -0/0 as one group each', () => {
    const N = Types.number(38, 0);
    const batches: Batch[] = [
      { length: 3, columns: [num([5, 2 ** 53, 7])] },
      { length: 3, columns: [dec([5n, 2n ** 80n, 2n ** 80n])] },
    ];
    const out = run('complete', [col(0, N)], [agg('count_star', null)], batches);
    expect(new Map(rowsOf(out).map((r) => [r[0], r[1]]))).toEqual(
      new Map([
        [5n, 2n],
        [2n ** 53n, 1n],
        [7n, 1n],
        [2n ** 80n, 2n],
      ]),
    );
    const F = Types.float;
    const fb: Batch = { length: 5, columns: [num([NaN, 0, -0, NaN, 1])] };
    const fo = run('complete', [col(0, F)], [agg('count_star', null)], [fb]);
    expect(rowsOf(fo).map((r) => keyOf(r))).toEqual([keyOf([NaN, 2n]), keyOf([0, 2n]), keyOf([1, 1n])]);
  });

  it('orders NaN above all FLOATs in MIN/MAX', () => {
    const F = Types.float;
    const b: Batch = { length: 3, columns: [num([NaN, 1, -Infinity]), num([NaN, NaN, 0], [0, 0, 1])] };
    const out = run('complete', [], [agg('min', col(0, F)), agg('max', col(0, F)), agg('min', col(1, F)), agg('max', col(1, F))], [b]);
    expect(keyOf(rowsOf(out)[0])).toBe(keyOf([-Infinity, NaN, NaN, NaN]));
  });

  it('counts DISTINCT values once across workers', () => {
    const V = Types.varchar;
    const batches: Batch[] = [
      { length: 4, columns: [str(['g'], [0, 0, 0, 0]), str(['x', 'y'], [0, 1, 0, 1])] },
      { length: 3, columns: [str(['g', 'h'], [0, 1, 1]), str(['y', 'z', 'x'], [0, 1, 2], [0, 0, 1])] },
      { length: 3, columns: [str(['h', 'g'], [0, 1, 0]), str(['w', 'z'], [1, 0, 0])] },
    ];
    const calls = [agg('count', col(1, V), true), agg('count', col(1, V)), agg('min', col(1, V), true)];
    const expected = new Map<Cell, Cell[]>([
      ['g', [3n, 6n, 'w']],
      ['h', [2n, 3n, 'w']],
    ]);
    for (const out of [run('complete', [col(0, V)], calls, batches), runDistributed([col(0, V)], calls, batches, 3)]) {
      expect(new Map(rowsOf(out).map((r) => [r[0], r.slice(1)]))).toEqual(expected);
    }
    const global = runDistributed([], calls, batches, 3);
    expect(rowsOf(global)).toEqual([[4n, 9n, 'w']]);
  });

  it('returns one row for a global aggregate over no rows, and none when grouped', () => {
    const N = Types.number(10, 2);
    const calls = [agg('count_star', null), agg('count', col(0, N)), agg('sum', col(0, N)), agg('avg', col(0, N)), agg('max', col(0, N)), agg('count', col(0, N), true)];
    const empty: Batch = { length: 0, columns: [num([])] };
    expect(rowsOf(run('complete', [], calls, [empty]))).toEqual([[0n, 0n, null, null, null, 0n]]);
    expect(rowsOf(run('complete', [], calls, []))).toEqual([[0n, 0n, null, null, null, 0n]]);
    expect(rowsOf(runDistributed([], calls, [], 3))).toEqual([[0n, 0n, null, null, null, 0n]]);
    expect(run('complete', [col(0, N)], calls, [empty]).batch.length).toBe(0);
    expect(runDistributed([col(0, N)], calls, [empty], 2).batch.length).toBe(0);
  });

  it('aggregates all-NULL input to NULL (SUM/AVG/MIN/MAX) and 0 (COUNT)', () => {
    const N = Types.number(10, 2);
    const b: Batch = { length: 2, columns: [num([0, 0], [1, 1])] };
    const calls = [agg('count', col(0, N)), agg('sum', col(0, N)), agg('avg', col(0, N)), agg('min', col(0, N))];
    expect(rowsOf(runDistributed([], calls, [b, b], 2))).toEqual([[0n, null, null, null]]);
  });
});

describe('expressions as group keys and arguments (evaluated once per batch)', () => {
  it('groups by UPPER(k) and sums NEGATE(x), matching a reference over the computed values', () => {
    const V = Types.varchar;
    const N = Types.number(12, 2);
    const upper = resolveFunction('upper', [V]);
    const negate = resolveFunction('negate', [N]);
    const keyExpr: BoundExpr = { kind: 'call', fn: upper.fn, args: [col(0, V)], type: upper.returnType };
    const argExpr: BoundExpr = { kind: 'call', fn: negate.fn, args: [col(1, N)], type: negate.returnType };
    const batches: Batch[] = [
      { length: 4, columns: [str(['a', 'A', 'b'], [0, 1, 2, 0]), num([100, 250, 5, 1])] },
      { length: 2, columns: [str(['B', 'a'], [0, 1], [0, 1]), num([7, 9])] },
    ];
    const calls = [agg('sum', argExpr), agg('max', argExpr), agg('count_star', null)];
    const expected = new Map<Cell, Cell[]>([
      ['A', [-351n, -1n, 3n]],
      ['B', [-12n, -5n, 2n]],
      [null, [-9n, -9n, 1n]],
    ]);
    for (const out of [run('complete', [keyExpr], calls, batches), runDistributed([keyExpr], calls, batches, 2)]) {
      expect(new Map(rowsOf(out).map((r) => [r[0], r.slice(1)]))).toEqual(expected);
    }
  });
});
