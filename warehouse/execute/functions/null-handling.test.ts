import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { asDec, batchOf, call, col, evalRead, lit, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';

const I = Types.number(38, 0);
const N = Types.number(10, 2);
const F = Types.float;
const B = Types.boolean;
const NULL = lit(null, Types.null);
const i = (v: number) => lit(String(v), I);
const one = (e: BoundExpr) => evalRead(e, batchOf())[0];

describe('NULLIFZERO', () => {
  it('is NULL where the value is 0, keeping the type', () => {
    const b = batchOf(vec(N, ['1.50', '0.00', null, '-2.00']));
    expect(evalRead(call('nullifzero', col(0, N)), b)).toEqual(['1.50', null, null, '-2.00']);
    expect(evalRead(call('nullifzero', col(0, N)), batchOf(asDec(vec(N, ['0.00', '3.00']))))).toEqual([null, '3.00']);
    expect(evalRead(call('nullifzero', col(0, F)), batchOf(vec(F, [0, -0, 2.5])))).toEqual([null, null, 2.5]);
    expect(resolveFunction('nullifzero', [N]).returnType).toEqual(N);
    expect(resolveFunction('nullifzero', [Types.varchar]).returnType).toEqual(F);
    expect(one(call('nullifzero', NULL))).toBeNull();
  });
});

describe('DIV0 and DIV0NULL', () => {
  it('divide with division typing, 0 where the divisor is 0 (DIV0NULL: also NULL)', () => {
    const b = batchOf(vec(N, ['10.00', '1.00', null, '3.00', null, '-7.50']), vec(I, ['4', '0', '0', null, null, '2']));
    const a = col(0, N);
    const d = col(1, I);
    expect(resolveFunction('div0', [N, I]).returnType).toEqual(resolveFunction('divide', [N, I]).returnType);
    expect(resolveFunction('div0null', [N, I]).returnType).toEqual(Types.number(16, 8));
    expect(evalRead(call('div0', a, d), b)).toEqual(['2.50000000', '0.00000000', '0.00000000', null, null, '-3.75000000']);
    expect(evalRead(call('div0null', a, d), b)).toEqual(['2.50000000', '0.00000000', '0.00000000', '0.00000000', '0.00000000', '-3.75000000']);
    // The wide layout and constants take the same path.
    expect(evalRead(call('div0', a, d), batchOf(asDec(vec(N, ['10.00', '1.00'])), asDec(vec(I, ['4', '0']))))).toEqual(['2.50000000', '0.00000000']);
    expect(one(call('div0', i(1), i(0)))).toBe('0.000000');
    expect(one(call('div0', NULL, i(0)))).toBe('0.000000');
    expect(one(call('div0', i(1), NULL))).toBeNull();
    expect(one(call('div0null', i(1), NULL))).toBe('0.000000');
    expect(one(call('div0null', NULL, i(2)))).toBeNull();
  });

  it('work on FLOAT, and on divisors of a large scale', () => {
    expect(evalRead(call('div0', col(0, F), col(1, F)), batchOf(vec(F, [1, 3]), vec(F, [0, 2])))).toEqual([0, 1.5]);
    const big = Types.number(38, 20);
    const b = batchOf(vec(I, ['3', '3']), vec(big, ['0', '1.5']));
    expect(evalRead(call('div0', col(0, I), col(1, big)), b)).toEqual(['0.000000', '2.000000']);
  });

  it('still raise on a zero divisor of plain division', () => {
    expect(() => one(call('divide', i(1), i(0)))).toThrow(/Division by zero/);
  });
});

describe('BOOLAND, BOOLOR, BOOLXOR, BOOLNOT', () => {
  const a = vec(I, ['1', '1', '0', '0', null, null, null, '5']);
  const b = vec(F, [1, 0, 1, 0, 1, 0, null, -0.5]);
  const bt = batchOf(a, b);
  const x = col(0, I);
  const y = col(1, F);

  it('use three-valued logic with non-zero as TRUE', () => {
    expect(evalRead(call('booland', x, y), bt)).toEqual([true, false, false, false, null, false, null, true]);
    expect(evalRead(call('boolor', x, y), bt)).toEqual([true, true, true, false, true, null, null, true]);
    expect(evalRead(call('boolxor', x, y), bt)).toEqual([false, true, true, false, null, null, null, false]);
    expect(evalRead(call('boolnot', x), bt)).toEqual([false, false, true, true, null, null, null, false]);
  });

  it('fold constants the same way, and return BOOLEAN', () => {
    expect(one(call('booland', i(0), NULL))).toBe(false);
    expect(one(call('booland', i(2), NULL))).toBeNull();
    expect(one(call('boolor', i(2), NULL))).toBe(true);
    expect(one(call('boolor', i(0), NULL))).toBeNull();
    expect(one(call('boolxor', i(2), i(0)))).toBe(true);
    expect(one(call('boolnot', lit('0.00', N)))).toBe(true);
    expect(resolveFunction('booland', [I, F]).returnType).toEqual(B);
    expect(resolveFunction('boolnot', [Types.varchar]).argTypes).toEqual([F]);
    expect(() => resolveFunction('booland', [Types.date, I])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });
});

describe('EQUAL_NULL', () => {
  it('is IS NOT DISTINCT FROM: NULLs are equal, never NULL', () => {
    const b = batchOf(vec(I, ['1', '1', null, null]), vec(I, ['1', '2', '1', null]));
    expect(evalRead(call('equal_null', col(0, I), col(1, I)), b)).toEqual([true, false, false, true]);
    expect(resolveFunction('equal_null', [I, I]).fn).toBe('is_not_distinct_from');
  });
});
