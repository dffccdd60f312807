/**
 * MIN_BY / MAX_BY, MODE and ARRAY_UNION_AGG (entry-store.ts): one-shot and distributed runs,
 * with enough rows per group to compact the entries several times, and a spilled table
 * (finishStates) merged again, against row-at-a-time references.
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types } from '../../../storage/types/data-type.js';
import type { Batch, StrVector, Vector } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { aggregateResultType } from './aggregate-result-type.js';
import { byKey, col, keyOf, runComplete, runDistributed, type Cell, type Rng } from './aggregate-test-kit.js';
import { HashAggregateExec } from './hash-aggregate-exec.js';

const G = col(0, Types.number(10, 0));
const KEY = col(1, Types.number(10, 0));
const VAL = col(2, Types.varchar);
const ARR = col(3, Types.array);

/** Rows: group 0..groups-1, key 0..keys-1 (10% NULL), value among `words` (10% NULL), an ARRAY of words. */
function batch(r: Rng, n: number, groups: number, keys: number): Batch {
  const words = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const codes = Int32Array.from({ length: n }, () => Math.floor(r() * words.length));
  const arrays = Array.from({ length: n }, () => `[${Array.from({ length: Math.floor(r() * 4) }, () => `"${words[Math.floor(r() * 3)]}"`).join(',')}]`);
  return {
    length: n,
    columns: [
      { kind: 'f64', length: n, values: Float64Array.from({ length: n }, () => Math.floor(r() * groups)), nulls: null },
      { kind: 'f64', length: n, values: Float64Array.from({ length: n }, () => Math.floor(r() * keys)), nulls: Uint8Array.from({ length: n }, () => (r() < 0.1 ? 1 : 0)) },
      { kind: 'str', length: n, codes, dict: words, nulls: Uint8Array.from({ length: n }, () => (r() < 0.1 ? 1 : 0)) },
      { kind: 'str', length: n, codes: Int32Array.from({ length: n }, (_, i) => i), dict: arrays, nulls: Uint8Array.from({ length: n }, () => (r() < 0.1 ? 1 : 0)) },
    ],
  };
}

type Row = { g: bigint; key: bigint | null; val: string | null; arr: string | null };

function rowsOf(batches: Batch[]): Row[] {
  const out: Row[] = [];
  for (const b of batches) {
    const [g, k, v, a] = b.columns;
    const str = (x: Vector, i: number) => (x.nulls?.[i] ? null : (x as StrVector).dict[(x as StrVector).codes[i]]);
    for (let i = 0; i < b.length; i++) {
      out.push({
        g: BigInt((g as { values: Float64Array }).values[i]),
        key: k.nulls?.[i] ? null : BigInt((k as { values: Float64Array }).values[i]),
        val: str(v, i),
        arr: str(a, i),
      });
    }
  }
  return out;
}

const calls: AggregateCall[] = [
  { fn: 'min_by', arg: VAL, args: [KEY], distinct: false, type: Types.varchar },
  { fn: 'max_by', arg: VAL, args: [KEY], distinct: false, type: Types.varchar },
  { fn: 'max_by', arg: VAL, args: [KEY, { kind: 'cast', expr: VAL, type: Types.variant, try: false }], distinct: false, type: Types.array, limit: 3 },
  { fn: 'mode', arg: VAL, distinct: false, type: Types.varchar },
  { fn: 'array_union_agg', arg: ARR, distinct: false, type: aggregateResultType('array_union_agg', Types.array) },
];

/** The reference answers of `calls` for one group's rows. */
function reference(rows: Row[]): Cell[] {
  const keyed = rows.filter((r) => r.key !== null);
  // (key, value) order with the smaller value first on ties, NULL values last.
  const byValue = (a: Row, b: Row) => (a.val === b.val ? 0 : a.val === null ? 1 : b.val === null ? -1 : a.val < b.val ? -1 : 1);
  const asc = [...keyed].sort((a, b) => (a.key! < b.key! ? -1 : a.key! > b.key! ? 1 : byValue(a, b)));
  const desc = [...keyed].sort((a, b) => (a.key! > b.key! ? -1 : a.key! < b.key! ? 1 : byValue(a, b)));
  const top3 = desc.slice(0, 3).map((r) => (r.val === null ? 'undefined' : JSON.stringify(r.val)));
  const counts = new Map<string, number>();
  for (const r of rows) if (r.val !== null) counts.set(r.val, (counts.get(r.val) ?? 0) + 1);
  let mode: string | null = null;
  for (const [v, c] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (mode === null || c > counts.get(mode)!) mode = v;
  const most = new Map<string, number>();
  for (const r of rows) {
    if (r.arr === null) continue;
    const inThis = new Map<string, number>();
    for (const e of JSON.parse(r.arr) as string[]) inThis.set(e, (inThis.get(e) ?? 0) + 1);
    for (const [e, c] of inThis) most.set(e, Math.max(most.get(e) ?? 0, c));
  }
  const union = [...most].sort((a, b) => (a[0] < b[0] ? -1 : 1)).flatMap(([e, c]) => Array(c).fill(JSON.stringify(e)));
  return [asc[0]?.val ?? null, desc[0]?.val ?? null, keyed.length ? `[${top3.join(',')}]` : null, mode, `[${union.join(',')}]`];
}

function expectReference(out: ReturnType<typeof runComplete>, rows: Row[]): void {
  const results = byKey(out, 1);
  const groups = new Map<bigint, Row[]>();
  for (const r of rows) {
    const list = groups.get(r.g);
    if (list === undefined) groups.set(r.g, [r]);
    else list.push(r);
  }
  expect(results.size).toBe(groups.size);
  for (const [g, rs] of groups) expect(results.get(keyOf([g])), `group ${g}`).toEqual(reference(rs));
}

describe('MIN_BY, MAX_BY, MODE and ARRAY_UNION_AGG vs a row-at-a-time reference', () => {
  for (const [label, groups, keys, rowsPerBatch] of [
    ['few groups, many rows each (the entries compact many times)', 3, 40, 1500],
    ['many groups', 400, 5, 700],
  ] as const) {
    it(`${label}: one-shot, and 3 workers through Arrow IPC`, () => {
      const r = prng(groups);
      const batches = Array.from({ length: 8 }, () => batch(r, rowsPerBatch, groups, keys));
      const rows = rowsOf(batches);
      expectReference(runComplete([G], calls, batches), rows);
      expectReference(runDistributed([G], calls, batches, 3, true), rows);
    });
  }

  it('merges a spilled table (finishStates) like any partial state', () => {
    const r = prng(11);
    const batches = Array.from({ length: 6 }, () => batch(r, 900, 20, 30));
    const first = new HashAggregateExec([G], calls, 'complete', evaluateExpr);
    for (const b of batches.slice(0, 3)) first.consume(b);
    const spilled = first.finishStates();
    const partial = new HashAggregateExec([G], calls, 'partial', evaluateExpr);
    for (const b of batches.slice(3)) partial.consume(b);
    const final = new HashAggregateExec([G], calls, 'final');
    final.consume(spilled.batch);
    final.consume(partial.finish().batch);
    expectReference(final.finish(), rowsOf(batches));
  });

  it('answers NULL (or [] for ARRAY_UNION_AGG) for no rows, and ignores NULL keys', () => {
    expect(byKey(runComplete([], calls.map((c) => c), []), 0).get('[]')).toEqual([null, null, null, null, '[]']);
    const onlyNullKeys: Batch = {
      length: 1,
      columns: [
        { kind: 'f64', length: 1, values: Float64Array.from([0]), nulls: null },
        { kind: 'f64', length: 1, values: Float64Array.from([0]), nulls: Uint8Array.from([1]) },
        { kind: 'str', length: 1, codes: Int32Array.from([0]), dict: ['x'], nulls: null },
        { kind: 'str', length: 1, codes: Int32Array.from([0]), dict: ['[]'], nulls: null },
      ],
    };
    expect(byKey(runComplete([], calls, [onlyNullKeys]), 0).get('[]')).toEqual([null, null, null, 'x', '[]']);
  });
});
