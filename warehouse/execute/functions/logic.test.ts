import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { batchOf, call, col, evalRead, lit, vec } from '../expr-test-kit.js';

const B = Types.boolean;
const N = Types.number(3, 0);
// Every pair of (TRUE, FALSE, NULL) as two columns of nine rows.
const left = [true, true, true, false, false, false, null, null, null];
const right = [true, false, null, true, false, null, true, false, null];
const pairs = batchOf(vec(B, left), vec(B, right));
const and = (...args: BoundExpr[]): BoundExpr => ({ kind: 'and', args, type: B });
const or = (...args: BoundExpr[]): BoundExpr => ({ kind: 'or', args, type: B });
const not = (expr: BoundExpr): BoundExpr => ({ kind: 'not', expr, type: B });

describe('three-valued logic', () => {
  it('AND truth table', () => {
    expect(evalRead(and(col(0, B), col(1, B)), pairs)).toEqual([true, false, null, false, false, false, null, false, null]);
  });

  it('OR truth table', () => {
    expect(evalRead(or(col(0, B), col(1, B)), pairs)).toEqual([true, true, true, true, false, null, true, null, null]);
  });

  it('NOT truth table', () => {
    expect(evalRead(not(col(0, B)), pairs)).toEqual([false, false, false, true, true, true, null, null, null]);
  });

  it('with constants on either side', () => {
    for (const [c, andExpected, orExpected] of [
      [true, left, [true, true, true, true, true, true, true, true, true]],
      [false, left.map(() => false), left],
      [null, left.map((v) => (v === false ? false : null)), left.map((v) => (v === true ? true : null))],
    ] as const) {
      const k = c === null ? lit(null, B) : lit(c, B);
      expect(evalRead(and(col(0, B), k), pairs), `AND ${c}`).toEqual(andExpected);
      expect(evalRead(and(k, col(0, B)), pairs), `AND ${c} first`).toEqual(andExpected);
      expect(evalRead(or(col(0, B), k), pairs), `OR ${c}`).toEqual(orExpected);
    }
    expect(evalRead(not(lit(null, B)), batchOf())).toEqual([null]);
  });

  it('chains more than two arguments', () => {
    const c = vec(B, [false, true, true, true, true, true, true, true, null]);
    expect(evalRead(and(col(0, B), col(1, B), col(2, B)), batchOf(vec(B, left), vec(B, right), c))).toEqual([
      false,
      false,
      null,
      false,
      false,
      false,
      null,
      false,
      null,
    ]);
  });

  it('gives the same truth tables on the lazy path (arguments that may fail) as on the eager one', () => {
    // A cast may fail, so AND/OR over it narrows row subsets instead of evaluating every row.
    const mayFail = (i: number): BoundExpr => ({ kind: 'cast', expr: col(i, B), type: B, try: false });
    expect(evalRead(and(mayFail(0), mayFail(1)), pairs)).toEqual(evalRead(and(col(0, B), col(1, B)), pairs));
    expect(evalRead(or(mayFail(0), mayFail(1)), pairs)).toEqual(evalRead(or(col(0, B), col(1, B)), pairs));
    expect(evalRead(and(col(0, B), mayFail(1), lit(null, B)), pairs)).toEqual(evalRead(and(col(0, B), col(1, B), lit(null, B)), pairs));
  });

  it('evaluates later arguments only on undecided rows (no division by zero)', () => {
    const x = vec(N, ['0', '2', null, '4']);
    const guard = call('ne', col(0, N), lit('0', N));
    const risky = call('gt', call('divide', lit('8', N), col(0, N)), lit('1', N));
    expect(evalRead(and(guard, risky), batchOf(x))).toEqual([false, true, null, true]);
    const isZero = call('eq', col(0, N), lit('0', N));
    expect(evalRead(or(isZero, risky), batchOf(x))).toEqual([true, true, null, true]);
    expect(() => evalRead(and(risky, guard), batchOf(x))).toThrow(/Division by zero/);
  });
});

describe('AND/OR over long vectors', () => {
  it('combines word-wise and byte-wise alike, including a tail that is not a whole word', () => {
    const n = 1003;
    const a = Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0);
    const b = Array.from({ length: n }, (_, i) => (i * 5) % 4 !== 1);
    const batch = batchOf(vec(B, a), vec(B, b));
    expect(evalRead(and(col(0, B), col(1, B)), batch)).toEqual(a.map((x, i) => x && b[i]));
    expect(evalRead(or(col(0, B), col(1, B)), batch)).toEqual(a.map((x, i) => x || b[i]));
  });
});
