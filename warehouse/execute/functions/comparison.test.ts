import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { asDec, batchOf, call, col, dictVec, evalRead, lit, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';

const N10_2 = Types.number(10, 2);
const N38_0 = Types.number(38, 0);
const OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

describe('comparison typing', () => {
  it('casts a VARCHAR to the other side (NUMBER widened to 38 digits, scale >= 12), DATE vs TIMESTAMP as timestamps', () => {
    expect(resolveFunction('ge', [Types.date, Types.varchar]).argTypes).toEqual([Types.date, Types.date]);
    expect(resolveFunction('eq', [Types.varchar, N10_2]).argTypes).toEqual([Types.number(38, 12), N10_2]);
    expect(resolveFunction('eq', [Types.number(38, 14), Types.varchar]).argTypes).toEqual([Types.number(38, 14), Types.number(38, 14)]);
    expect(resolveFunction('lt', [Types.date, Types.timestampNtz]).argTypes).toEqual([Types.timestampNtz, Types.timestampNtz]);
    expect(resolveFunction('eq', [N10_2, Types.number(5, 0)]).argTypes).toEqual([N10_2, Types.number(5, 0)]);
    expect(resolveFunction('eq', [N10_2, Types.float]).argTypes).toEqual([Types.float, Types.float]);
    expect(resolveFunction('eq', [Types.null, Types.date]).argTypes).toEqual([Types.date, Types.date]);
    expect(() => resolveFunction('eq', [Types.boolean, N10_2])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
    expect(() => resolveFunction('lt', [Types.date, N10_2])).toThrow(/'LT'/);
  });
});

describe('comparisons', () => {
  it('order FLOAT totally: NaN equals NaN and is above +inf, against constants, rows and folded constants', () => {
    const F = Types.float;
    const x = vec(F, [NaN, Infinity, -Infinity, 1.5, -0, null]);
    const y = vec(F, [NaN, NaN, 1, Infinity, 0, NaN]);
    const nan = lit(NaN, F);
    const expectedVsNaN = {
      eq: [true, false, false, false, false, null],
      ne: [false, true, true, true, true, null],
      lt: [false, true, true, true, true, null],
      le: [true, true, true, true, true, null],
      gt: [false, false, false, false, false, null],
      ge: [true, false, false, false, false, null],
    };
    const expectedVsOne = {
      eq: [false, false, false, false, false, null],
      ne: [true, true, true, true, true, null],
      lt: [false, false, true, false, true, null],
      le: [false, false, true, false, true, null],
      gt: [true, true, false, true, false, null],
      ge: [true, true, false, true, false, null],
    };
    const expectedVsRow = {
      eq: [true, false, false, false, true, null],
      ne: [false, true, true, true, false, null],
      lt: [false, true, true, true, false, null],
      le: [true, true, true, true, true, null],
      gt: [false, false, false, false, false, null],
      ge: [true, false, false, false, true, null],
    };
    const mirror = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' } as const;
    for (const op of OPS) {
      expect(evalRead(call(op, col(0, F), nan), batchOf(x)), `${op} NaN`).toEqual(expectedVsNaN[op]);
      expect(evalRead(call(mirror[op], nan, col(0, F)), batchOf(x)), `NaN ${mirror[op]}`).toEqual(expectedVsNaN[op]);
      expect(evalRead(call(op, col(0, F), lit(1, F)), batchOf(x)), `${op} 1`).toEqual(expectedVsOne[op]);
      expect(evalRead(call(op, col(0, F), col(1, F)), batchOf(x, y)), `${op} row`).toEqual(expectedVsRow[op]);
    }
    // Both sides constant (what constant folding evaluates).
    const one = batchOf(vec(F, [0]));
    expect(evalRead(call('eq', nan, nan), one)).toEqual([true]);
    expect(evalRead(call('gt', nan, lit(Infinity, F)), one)).toEqual([true]);
    expect(evalRead(call('lt', nan, lit(1, F)), one)).toEqual([false]);
    expect(evalRead(call('is_not_distinct_from', col(0, F), nan), batchOf(x))).toEqual([true, false, false, false, false, false]);
    expect(evalRead(call('greatest', col(0, F), lit(0, F)), batchOf(x))).toEqual([NaN, Infinity, 0, 1.5, -0, null]);
  });

  it('compare NUMBERs of different scales exactly, NULL -> NULL', () => {
    const a = vec(N10_2, ['1.50', '2.00', '-3.01', null]);
    const b = vec(Types.number(5, 0), ['1', '2', '-3', '4']);
    const expected = {
      eq: [false, true, false, null],
      ne: [true, false, true, null],
      lt: [false, false, true, null],
      le: [false, true, true, null],
      gt: [true, false, false, null],
      ge: [true, true, false, null],
    };
    for (const op of OPS) {
      const e = call(op, col(0, N10_2), col(1, Types.number(5, 0)));
      expect(evalRead(e, batchOf(a, b)), op).toEqual(expected[op]);
      expect(evalRead(e, batchOf(asDec(a), b)), `${op} dec`).toEqual(expected[op]);
      const flipped = call(op, col(1, Types.number(5, 0)), col(0, N10_2));
      const mirrored = evalRead(flipped, batchOf(a, b));
      const mirror = { eq: 'eq', ne: 'ne', lt: 'gt', le: 'ge', gt: 'lt', ge: 'le' } as const;
      expect(mirrored, `${op} flipped`).toEqual(expected[mirror[op]]);
    }
  });

  it('compare against constants of a larger scale with floor/ceil bounds', () => {
    const a = vec(Types.number(5, 0), ['1', '2', '3']);
    const c = lit('2.5', Types.number(2, 1));
    const read = (op: string, left: BoundExpr, right: BoundExpr) => evalRead(call(op, left, right), batchOf(a));
    expect(read('lt', col(0, Types.number(5, 0)), c)).toEqual([true, true, false]);
    expect(read('le', col(0, Types.number(5, 0)), c)).toEqual([true, true, false]);
    expect(read('gt', col(0, Types.number(5, 0)), c)).toEqual([false, false, true]);
    expect(read('ge', col(0, Types.number(5, 0)), c)).toEqual([false, false, true]);
    expect(read('eq', col(0, Types.number(5, 0)), c)).toEqual([false, false, false]);
    expect(read('ne', col(0, Types.number(5, 0)), c)).toEqual([true, true, true]);
    expect(read('eq', col(0, Types.number(5, 0)), lit('2.0', Types.number(2, 1)))).toEqual([false, true, false]);
    expect(read('gt', lit('2.5', Types.number(2, 1)), col(0, Types.number(5, 0)))).toEqual([true, true, false]);
  });

  it('compare against constants beyond the exact double range', () => {
    const a = vec(N38_0, ['1', '-1']);
    const huge = lit('100000000000000000000', N38_0);
    expect(evalRead(call('lt', col(0, N38_0), huge), batchOf(a))).toEqual([true, true]);
    expect(evalRead(call('gt', col(0, N38_0), call('negate', huge)), batchOf(a))).toEqual([true, true]);
    expect(evalRead(call('eq', col(0, N38_0), huge), batchOf(a))).toEqual([false, false]);
    const big = vec(N38_0, ['100000000000000000000', '5']);
    expect(evalRead(call('eq', col(0, N38_0), huge), batchOf(big))).toEqual([true, false]);
  });

  it('compare strings by code units, per dictionary entry against a constant', () => {
    const values = ['apple', 'Banana', null, 'cherry', 'apple'];
    for (const v of [vec(Types.varchar, values), dictVec(values, ['zzz-unused'])]) {
      expect(evalRead(call('eq', col(0, Types.varchar), lit('apple', Types.varchar)), batchOf(v))).toEqual([true, false, null, false, true]);
      expect(evalRead(call('lt', col(0, Types.varchar), lit('b', Types.varchar)), batchOf(v))).toEqual([true, true, null, false, true]);
      expect(evalRead(call('ge', lit('b', Types.varchar), col(0, Types.varchar)), batchOf(v))).toEqual([true, true, null, false, true]);
    }
    const x = vec(Types.varchar, ['a', 'b', null]);
    const y = dictVec(['a', 'a', 'c']);
    expect(evalRead(call('eq', col(0, Types.varchar), col(1, Types.varchar)), batchOf(x, y))).toEqual([true, false, null]);
    expect(evalRead(call('gt', col(0, Types.varchar), col(1, Types.varchar)), batchOf(x, y))).toEqual([false, true, null]);
  });

  it("casts a string to DATE so day >= '2024-06-01' works; DATE vs TIMESTAMP compares as timestamps", () => {
    const d = vec(Types.date, ['2024-05-31', '2024-06-01', '2024-07-15', null]);
    expect(evalRead(call('ge', col(0, Types.date), lit('2024-06-01', Types.varchar)), batchOf(d))).toEqual([false, true, true, null]);
    const ts = lit('2024-06-01 12:00:00', Types.timestampNtz);
    expect(evalRead(call('lt', col(0, Types.date), ts), batchOf(d))).toEqual([true, true, false, null]);
    expect(evalRead(call('eq', col(0, Types.date), lit('2024-06-01 00:00:00', Types.timestampNtz)), batchOf(d))).toEqual([false, true, false, null]);
  });

  it('compare a string with a NUMBER as a number', () => {
    const n = vec(Types.number(3, 0), ['10', '9', '100']);
    expect(evalRead(call('gt', col(0, Types.number(3, 0)), lit('9.5', Types.varchar)), batchOf(n))).toEqual([true, false, true]);
    expect(evalRead(call('eq', col(0, Types.number(3, 0)), lit(' 9 ', Types.varchar)), batchOf(n))).toEqual([false, true, false]);
    expect(() => evalRead(call('eq', col(0, Types.number(3, 0)), lit('nine', Types.varchar)), batchOf(n))).toThrow("Numeric value 'nine' is not recognized");
  });

  it('compare FLOATs, BOOLEANs and timestamps', () => {
    const f = vec(Types.float, [0.5, 1.5, null]);
    expect(evalRead(call('le', col(0, Types.float), lit('1.0', Types.number(2, 1))), batchOf(f))).toEqual([true, false, null]);
    const b = vec(Types.boolean, [true, false, null]);
    expect(evalRead(call('gt', col(0, Types.boolean), lit(false, Types.boolean)), batchOf(b))).toEqual([true, false, null]);
    const t = vec(Types.timestampNtz, ['2024-01-01 00:00:00.001', '2023-12-31 23:59:59.999']);
    expect(evalRead(call('ge', col(0, Types.timestampNtz), lit('2024-01-01', Types.varchar)), batchOf(t))).toEqual([true, false]);
  });

  it('compare with a NULL constant gives NULL', () => {
    const a = vec(N10_2, ['1.00']);
    expect(evalRead(call('eq', col(0, N10_2), lit(null, Types.null)), batchOf(a))).toEqual([null]);
  });
});

describe('IN lists', () => {
  const inList = (x: BoundExpr, list: BoundExpr[], negated = false): BoundExpr => ({ kind: 'in_list', expr: x, list, negated, type: Types.boolean });

  it('matches constants (small and large lists) with SQL NULL semantics', () => {
    const n = vec(Types.number(3, 0), ['1', '2', '3', null]);
    const x = col(0, Types.number(3, 0));
    const nums = (vals: string[]) => vals.map((v) => lit(v, Types.number(3, 0)));
    expect(evalRead(inList(x, nums(['1', '3'])), batchOf(n))).toEqual([true, false, true, null]);
    expect(evalRead(inList(x, nums(['1', '3']), true), batchOf(n))).toEqual([false, true, false, null]);
    const many = nums(['10', '11', '12', '13', '14', '15', '2']);
    expect(evalRead(inList(x, many), batchOf(n))).toEqual([false, true, false, null]);
    const withNull = [...nums(['1']), lit(null, Types.number(3, 0))];
    expect(evalRead(inList(x, withNull), batchOf(n))).toEqual([true, null, null, null]);
    expect(evalRead(inList(x, withNull, true), batchOf(n))).toEqual([false, null, null, null]);
  });

  it('matches NaN to a NaN constant in short and long FLOAT lists alike', () => {
    const f = vec(Types.float, [NaN, 1, 7]);
    const x = col(0, Types.float);
    const floats = (vals: number[]) => vals.map((v) => lit(v, Types.float));
    expect(evalRead(inList(x, floats([NaN, 1])), batchOf(f))).toEqual([true, true, false]);
    expect(evalRead(inList(x, floats([NaN, 1, 2, 3, 4, 5])), batchOf(f))).toEqual([true, true, false]);
    expect(evalRead(inList(x, floats([1, 2])), batchOf(f))).toEqual([false, true, false]);
    expect(evalRead(inList(x, floats([1, 2, 3, 4, 5, 6])), batchOf(f))).toEqual([false, true, false]);
  });

  it('matches integer key sets over narrow and wide ranges alike (bitmap or hash set), never a fraction or an out-of-range value', () => {
    const x = col(0, Types.float);
    const f = vec(Types.float, [-0, 1.5, 2, 3, -3, 2 ** 40, 99_999, 100_000, NaN, -Infinity]);
    const floats = (vals: number[]) => vals.map((v) => lit(v, Types.float));
    const expected = [true, false, true, false, false, false, true, false, false, false];
    // Keys 0..99,999 span a narrow range; with 10^12 added the range is wide.
    expect(evalRead(inList(x, floats([0, 2, 7, 11, 99_999])), batchOf(f))).toEqual(expected);
    expect(evalRead(inList(x, floats([0, 2, 7, 11, 99_999, 1e12])), batchOf(f))).toEqual(expected);
    const n = vec(Types.number(9, 0), ['5', '64', '65', '200000', '4']);
    const keys = ['4', '65', '66', '67', '200000', '31'].map((v) => lit(v, Types.number(9, 0)));
    expect(evalRead(inList(col(0, Types.number(9, 0)), keys), batchOf(n))).toEqual([false, false, true, true, true]);
  });

  it('prepares a literal list once and matches it the same in every batch, whatever its size, scale or physical form', () => {
    // 3,000 even keys over 0..5,998 (a runtime filter's IN list is such a list): one expression evaluated batch after batch.
    const T = Types.number(12, 0);
    const e = inList(col(0, T), Array.from({ length: 3000 }, (_, k) => lit(String(2 * k), T)));
    const expected = (vals: (string | null)[]) => vals.map((v) => (v === null ? null : Number(v) % 2 === 0 && Number(v) >= 0 && Number(v) <= 5998));
    // A one-row batch first, then larger ones: the keys and bitmap prepared for the first serve them all.
    for (const vals of [['4'], ['1', '2', '5998', '6000', null, '-2'], Array.from({ length: 5000 }, (_, i) => String(i * 3)), ['7', '8']]) {
      expect(evalRead(e, batchOf(vec(T, vals)))).toEqual(expected(vals));
    }
    // The same list against a column of scale 2: its keys are rescaled, not reused as they were.
    const D = Types.number(12, 2);
    const scaled = inList(col(0, D), Array.from({ length: 3000 }, (_, k) => lit(String(2 * k), T)));
    expect(evalRead(scaled, batchOf(vec(D, ['4.00', '4.50', '5998.00'])))).toEqual([true, false, true]);
    expect(evalRead(scaled, batchOf(vec(D, ['3.00', '0.00'])))).toEqual([false, true]);
    // And against NUMBER(38,0) values held as exact bigints ('dec'), where the prepared keys are a set of bigints.
    const W = Types.number(38, 0);
    const wide = vec(W, ['12345678901234567890', '4', '5']);
    expect(wide.kind).toBe('dec');
    const onWide = inList(col(0, W), Array.from({ length: 3000 }, (_, k) => lit(String(2 * k), T)));
    expect(evalRead(onWide, batchOf(wide))).toEqual([false, true, false]);
    expect(evalRead(onWide, batchOf(vec(W, ['99999999999999999999', '5998'])))).toEqual([false, true]);
  });

  it('rejects values that share the filter bit of a key (same low 32 bits, a fraction of it) in a wide key set, and matches the keys', () => {
    const x = col(0, Types.float);
    const floats = (vals: number[]) => vals.map((v) => lit(v, Types.float));
    const keys = floats([7, -7, 1e12, 123_456_789, 2 ** 31 + 5, 42]);
    const f = vec(Types.float, [2 ** 32 + 7, 7, 7.5, -7, -7 - 2 ** 32, 1e12, 1e12 + 2 ** 32, 2 ** 31 + 5, 5, 42, 43, NaN]);
    expect(evalRead(inList(x, keys), batchOf(f))).toEqual([false, true, false, true, false, true, false, true, false, true, false, false]);
  });

  it('rescales NUMBER constants of other scales exactly', () => {
    const n = vec(Types.number(4, 1), ['1.5', '2.0', '2.1']);
    const list = [lit('1.50', Types.number(3, 2)), lit('2', Types.number(1, 0)), lit('2.15', Types.number(3, 2))];
    expect(evalRead(inList(col(0, Types.number(4, 1)), list), batchOf(n))).toEqual([true, true, false]);
    expect(evalRead(inList(col(0, Types.number(4, 1)), list), batchOf(asDec(n)))).toEqual([true, true, false]);
  });

  it('matches strings per dictionary entry, dates and non-constant items', () => {
    const s = dictVec(['x', 'y', null, 'z'], ['unused']);
    expect(evalRead(inList(col(0, Types.varchar), [lit('y', Types.varchar), lit('z', Types.varchar)]), batchOf(s))).toEqual([false, true, null, true]);
    const d = vec(Types.date, ['2024-01-01', '2024-01-02']);
    expect(evalRead(inList(col(0, Types.date), [lit('2024-01-02', Types.date)]), batchOf(d))).toEqual([false, true]);
    const a = vec(Types.number(3, 0), ['1', '2', '3']);
    const b = vec(Types.number(3, 0), ['1', null, '5']);
    const e = inList(col(0, Types.number(3, 0)), [col(1, Types.number(3, 0)), lit('3', Types.number(3, 0))]);
    expect(evalRead(e, batchOf(a, b))).toEqual([true, null, true]);
    expect(evalRead({ ...e, negated: true } as BoundExpr, batchOf(a, b))).toEqual([false, null, false]);
  });
});

describe('IS [NOT] DISTINCT FROM', () => {
  const both = (a: BoundExpr, b: BoundExpr) => [call('is_distinct_from', a, b), call('is_not_distinct_from', a, b)];

  it('is never NULL: two NULLs are not distinct, a NULL and a value are', () => {
    const N = Types.number(3, 0);
    const a = vec(N, ['1', '1', null, null, '2']);
    const b = vec(N, ['1', null, null, '5', '3']);
    const [distinct, same] = both(col(0, N), col(1, N));
    expect(evalRead(distinct, batchOf(a, b))).toEqual([false, true, false, true, true]);
    expect(evalRead(same, batchOf(a, b))).toEqual([true, false, true, false, false]);
    expect(evalRead(same, batchOf(vec(N, ['1', '2']), vec(N, ['1', '3'])))).toEqual([true, false]);
  });

  it('against a NULL constant is IS [NOT] NULL; two constants fold', () => {
    const N = Types.number(3, 0);
    const a = vec(N, ['1', null]);
    const [distinct, same] = both(col(0, N), lit(null, N));
    expect(evalRead(distinct, batchOf(a))).toEqual([true, false]);
    expect(evalRead(same, batchOf(a))).toEqual([false, true]);
    const [d2, s2] = both(lit(null, N), col(0, N));
    expect(evalRead(d2, batchOf(vec(N, ['1', '2'])))).toEqual([true, true]);
    expect(evalRead(s2, batchOf(vec(N, ['1', '2'])))).toEqual([false, false]);
    expect(evalRead(call('is_not_distinct_from', lit(null, Types.null), lit(null, Types.null)), batchOf())).toEqual([true]);
    expect(evalRead(call('is_distinct_from', lit('1', N), lit(null, N)), batchOf())).toEqual([true]);
  });

  it('compares strings, dates, floats, booleans and NUMBERs of other scales (both layouts) by value', () => {
    const s = dictVec(['x', null, '', 'y'], ['unused']);
    expect(evalRead(call('is_not_distinct_from', col(0, Types.varchar), col(1, Types.varchar)), batchOf(s, dictVec(['x', null, null, 'z'])))).toEqual([true, true, false, false]);
    expect(evalRead(call('is_distinct_from', col(0, Types.varchar), lit('', Types.varchar)), batchOf(s))).toEqual([true, true, false, true]);
    const d = vec(Types.date, ['2024-01-01', null, '1970-01-01']);
    expect(evalRead(call('is_not_distinct_from', col(0, Types.date), col(1, Types.date)), batchOf(d, vec(Types.date, ['2024-01-01', '1970-01-01', null])))).toEqual([true, false, false]);
    const f = vec(Types.float, [0, null, 1.5]);
    expect(evalRead(call('is_distinct_from', col(0, Types.float), lit(0, Types.float)), batchOf(f))).toEqual([false, true, true]);
    const flag = vec(Types.boolean, [false, null, true]);
    expect(evalRead(call('is_not_distinct_from', col(0, Types.boolean), lit(false, Types.boolean)), batchOf(flag))).toEqual([true, false, false]);
    const n = vec(N10_2, ['1.50', null, '2.00']);
    const m = vec(Types.number(5, 0), ['2', null, '2']);
    const e = call('is_not_distinct_from', col(0, N10_2), col(1, Types.number(5, 0)));
    expect(evalRead(e, batchOf(n, m))).toEqual([false, true, true]);
    expect(evalRead(e, batchOf(asDec(n), m))).toEqual([false, true, true]);
  });

  it('types like =', () => {
    expect(resolveFunction('is_distinct_from', [Types.date, Types.varchar]).argTypes).toEqual([Types.date, Types.date]);
    expect(resolveFunction('is_not_distinct_from', [N10_2, Types.float]).returnType).toEqual(Types.boolean);
    expect(() => resolveFunction('is_distinct_from', [Types.boolean, N10_2])).toThrow(/'IS_DISTINCT_FROM'/);
  });
});
