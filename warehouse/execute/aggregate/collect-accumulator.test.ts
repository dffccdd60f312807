import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { Types } from '../../../storage/types/data-type.js';
import { scalarAt } from '../../../storage/types/scalar-at.js';
import type { Batch, Vector } from '../../../storage/types/vector.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { GROUPINGS, R, byKey, keyOf, randomBatch, runComplete, runDistributed, type Cell } from './aggregate-test-kit.js';

const asVariant = (e: BoundExpr): BoundExpr => ({ kind: 'cast', expr: e, type: Types.variant, try: false });

const CALLS: AggregateCall[] = [
  { fn: 'listagg', arg: R.s, distinct: false, type: Types.varchar, delimiter: ',', orderBy: [{ expr: R.n, desc: true, nullsFirst: false }] },
  { fn: 'array_agg', arg: asVariant(R.s), distinct: false, type: Types.array, orderBy: [{ expr: R.f, desc: false, nullsFirst: true }, { expr: R.g, desc: true, nullsFirst: true }] },
  { fn: 'listagg', arg: R.s, distinct: true, type: Types.varchar, delimiter: '|' },
  { fn: 'array_agg', arg: asVariant(R.s), distinct: true, type: Types.array },
];

type Row = { s: Cell; n: Cell; f: Cell; g: Cell };

function rowsByGroup(batches: Batch[], groupBy: BoundExpr[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const b of batches) {
    const keys = groupBy.map((e) => evaluateExpr(e, b));
    const col = (e: BoundExpr): Vector => evaluateExpr(e, b);
    const [s, n, f, g] = [col(R.s), col(R.n), col(R.f), col(R.g)];
    for (let i = 0; i < b.length; i++) {
      const k = keyOf(keys.map((v, j) => scalarAt(v, i, groupBy[j].type)));
      if (!out.has(k)) out.set(k, []);
      out.get(k)!.push({ s: scalarAt(s, i, R.s.type), n: scalarAt(n, i, R.n.type), f: scalarAt(f, i, R.f.type), g: scalarAt(g, i, R.g.type) });
    }
  }
  if (groupBy.length === 0 && out.size === 0) out.set('[]', []);
  return out;
}

/** Compares numbers/bigints/strings ascending, NULL per nullsFirst, DESC flips values only. */
function cmpKey(a: Cell, b: Cell, desc: boolean, nullsFirst: boolean): number {
  if (a === null || b === null) return a === b ? 0 : (a === null) === nullsFirst ? -1 : 1;
  const c = a < b ? -1 : a > b ? 1 : 0;
  return desc ? -c : c;
}
const byText = (a: Row, b: Row) => ((a.s as string) < (b.s as string) ? -1 : (a.s as string) > (b.s as string) ? 1 : 0);
const dedupe = (xs: string[]) => [...new Set(xs)];

function reference(rows: Row[]): Cell[] {
  const vals = rows.filter((r) => r.s !== null);
  const l1 = [...vals].sort((a, b) => cmpKey(a.n, b.n, true, false) || byText(a, b)).map((r) => r.s as string);
  const a1 = [...vals].sort((a, b) => cmpKey(a.f, b.f, false, true) || cmpKey(a.g, b.g, true, true) || byText(a, b)).map((r) => JSON.stringify(r.s));
  const plain = [...vals].sort(byText).map((r) => r.s as string);
  return [l1.join(','), `[${a1.join(',')}]`, dedupe(plain).join('|'), `[${dedupe(plain).map((s) => JSON.stringify(s)).join(',')}]`];
}

function expectReference(batches: Batch[], groupBy: BoundExpr[], results: Map<string, Cell[]>): void {
  const groups = rowsByGroup(batches, groupBy);
  expect(results.size).toBe(groups.size);
  for (const [k, rows] of groups) expect(results.get(k), `group ${k}`).toEqual(reference(rows));
}

describe('LISTAGG / ARRAY_AGG vs a sorting reference', () => {
  for (const seed of [1, 2]) {
    for (const [name, groupBy] of GROUPINGS) {
      it(`seed ${seed}, ${name}: one-shot, 3 workers, and 2 workers through Arrow IPC agree`, () => {
        const r = prng(seed);
        const batches = Array.from({ length: 5 }, () => randomBatch(r, 1 + Math.floor(r() * 200)));
        expectReference(batches, groupBy, byKey(runComplete(groupBy, CALLS, batches), groupBy.length));
        expectReference(batches, groupBy, byKey(runDistributed(groupBy, CALLS, batches, 3), groupBy.length));
        expectReference(batches, groupBy, byKey(runDistributed(groupBy, CALLS, batches, 2, true), groupBy.length));
      });
    }
  }

  it('an empty or all-NULL global group gives the empty string and the empty array', () => {
    const empty: Batch = { length: 0, columns: randomBatch(prng(9), 1).columns.map((c) => ({ ...c, length: 0 }) as Vector) };
    expect(byKey(runComplete([], CALLS, [empty]), 0).get('[]')).toEqual(['', '[]', '', '[]']);
    expect(byKey(runDistributed([], CALLS, [empty], 2, true), 0).get('[]')).toEqual(['', '[]', '', '[]']);
  });
});

describe('OBJECT_AGG', () => {
  const call: AggregateCall = { fn: 'object_agg', arg: R.k, distinct: true, type: Types.object, value: asVariant(R.b) };
  const batch = (keys: (string | null)[], vals: (number | null)[]): Batch => ({
    length: keys.length,
    columns: [
      { kind: 'str', length: keys.length, codes: Int32Array.from(keys, (_, i) => i), dict: keys.map((k) => k ?? ''), nulls: Uint8Array.from(keys, (k) => (k === null ? 1 : 0)) },
      ...randomBatch(prng(1), keys.length).columns.slice(1, 4),
      { kind: 'bool', length: vals.length, values: Uint8Array.from(vals, (v) => v ?? 0), nulls: Uint8Array.from(vals, (v) => (v === null ? 1 : 0)) },
      ...randomBatch(prng(1), keys.length).columns.slice(5),
    ],
  });

  it('skips NULL keys and values, drops duplicate pairs under DISTINCT, merges across workers', () => {
    const batches = [batch(['b', 'a', null, 'c'], [1, 0, 1, null]), batch(['a', 'z'], [0, 1])];
    const want = ['{"a":false,"b":true,"z":true}'];
    expect(byKey(runComplete([], [call], batches), 0).get('[]')).toEqual(want);
    expect(byKey(runDistributed([], [call], batches, 2, true), 0).get('[]')).toEqual(want);
  });

  it('a key twice in a group is an error', () => {
    const batches = [batch(['a', 'a'], [0, 1])];
    expect(() => runComplete([], [call], batches)).toThrow(/Duplicate field key 'a'/);
  });
});
