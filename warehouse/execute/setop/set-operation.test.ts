/**
 * Set operations against a naive reference (rows compared as lists of values, NULL equal to
 * NULL) on random data with duplicates and NULLs, plus the physical-form corner cases.
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/support/prng.js';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { Batch } from '../../../storage/types/vector.js';
import { asDec, dictVec, read, vec, type Readable } from '../expr-test-kit.js';
import { setOperation, type SetOp } from './set-operation.js';

const TYPES: DataType[] = [Types.varchar, Types.number(10, 2), Types.boolean, Types.date];

type Row = Readable[];

function randomRows(seed: number, n: number): Row[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  return Array.from({ length: n }, () => [pick(['a', 'b', null]), pick(['1.50', '-2.00', null]), pick([true, false, null]), pick(['2024-02-29', null])]);
}

/** Rows as batches of at most `size` rows. */
function batches(rows: Row[], size: number): Batch[] {
  const out: Batch[] = [];
  for (let at = 0; at < rows.length; at += size) {
    const part = rows.slice(at, at + size);
    out.push({ length: part.length, columns: TYPES.map((t, c) => vec(t, part.map((row) => row[c]))) });
  }
  return out;
}

function rowsOf(b: Batch, types: DataType[] = TYPES): Row[] {
  const cols = b.columns.map((v, c) => read(v, types[c]));
  return Array.from({ length: b.length }, (_, i) => cols.map((c) => c[i]));
}

function reference(op: SetOp, all: boolean, left: Row[], right: Row[]): Row[] {
  const key = (row: Row) => JSON.stringify(row);
  if (op === 'union' && all) return [...left, ...right];
  const rightKeys = new Set(right.map(key));
  const seen = new Set<string>();
  const out: Row[] = [];
  const candidates = op === 'union' ? [...left, ...right] : left;
  for (const row of candidates) {
    const k = key(row);
    if (seen.has(k)) continue;
    seen.add(k);
    if (op === 'intersect' && !rightKeys.has(k)) continue;
    if (op === 'except' && rightKeys.has(k)) continue;
    out.push(row);
  }
  return out;
}

describe('setOperation against a naive reference', () => {
  const cases: [SetOp, boolean][] = [
    ['union', true],
    ['union', false],
    ['intersect', false],
    ['except', false],
  ];
  for (const seed of [1, 2, 3]) {
    const left = randomRows(seed, 40 + seed * 7);
    const right = randomRows(seed + 100, 25 + seed * 5);
    for (const [op, all] of cases) {
      it(`${op}${all ? ' all' : ''}, seed ${seed}: duplicates collapse, NULLs equal NULLs`, () => {
        const out = setOperation(op, all, batches(left, 16), batches(right, 9), TYPES);
        expect(rowsOf(out)).toEqual(reference(op, all, left, right));
      });
    }
  }

  it('empty inputs on either side', () => {
    const rows = randomRows(7, 10);
    expect(rowsOf(setOperation('union', false, [], batches(rows, 4), TYPES))).toEqual(reference('union', false, [], rows));
    expect(setOperation('intersect', false, batches(rows, 4), [], TYPES).length).toBe(0);
    expect(rowsOf(setOperation('except', false, batches(rows, 4), [], TYPES))).toEqual(reference('except', false, rows, []));
    expect(setOperation('except', false, [], [], TYPES).length).toBe(0);
  });
});

describe('setOperation row identity', () => {
  it('equal values in different physical forms are the same row', () => {
    const N = Types.number(38, 0);
    const left: Batch = { length: 3, columns: [dictVec(['x', 'y', 'x'], ['unused']), vec(N, [1n, 2n ** 60n, 1n])] };
    const right: Batch = { length: 2, columns: [dictVec(['y', 'x']), asDec(vec(N, [5n, 1n]))] };
    const types = [Types.varchar, N];
    expect(rowsOf(setOperation('intersect', false, [left], [right], types), types)).toEqual([['x', '1']]);
    expect(rowsOf(setOperation('except', false, [left], [right], types), types)).toEqual([['y', '1152921504606846976']]);
    expect(rowsOf(setOperation('union', false, [left], [right], types), types)).toEqual([
      ['x', '1'],
      ['y', '1152921504606846976'],
      ['y', '5'],
    ]);
  });

  it('FLOAT -0 equals 0 and NaN equals NaN', () => {
    const F = Types.float;
    const left: Batch = { length: 3, columns: [vec(F, [0, NaN, 1])] };
    const right: Batch = { length: 2, columns: [vec(F, [-0, NaN])] };
    expect(rowsOf(setOperation('intersect', false, [left], [right], [F]), [F])).toEqual([[0], [NaN]]);
    expect(rowsOf(setOperation('except', false, [left], [right], [F]), [F])).toEqual([[1]]);
  });

  it('INTERSECT ALL and EXCEPT ALL are not Snowflake SQL', () => {
    expect(() => setOperation('intersect', true, [], [], TYPES)).toThrow(NotSupportedError);
    expect(() => setOperation('except', true, [], [], TYPES)).toThrow('EXCEPT ALL is not supported');
  });
});
