import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { asDec, batchOf, call, col, evalRead, lit, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';

const I = Types.number(38, 0);
const N = Types.number(10, 2);
const F = Types.float;
const f = (v: number) => lit(v, F);
const i = (v: number) => lit(String(v), I);
const one = (e: BoundExpr) => evalRead(e, batchOf())[0];

describe('SIGN and SQUARE', () => {
  it('SIGN is -1, 0 or 1: NUMBER(38,0) for a NUMBER, FLOAT for a FLOAT', () => {
    expect(evalRead(call('sign', col(0, N)), batchOf(vec(N, ['-1.50', '0.00', '0.01', null])))).toEqual(['-1', '0', '1', null]);
    expect(evalRead(call('sign', col(0, N)), batchOf(asDec(vec(N, ['-1.50', '2.00']))))).toEqual(['-1', '1']);
    expect(evalRead(call('sign', col(0, F)), batchOf(vec(F, [-1.35e-10, 0, 7])))).toEqual([-1, 0, 1]);
    expect(resolveFunction('sign', [N]).returnType).toEqual(I);
    expect(resolveFunction('sign', [F]).returnType).toEqual(F);
  });

  it('SQUARE is x * x with multiplication typing', () => {
    expect(resolveFunction('square', [N]).returnType).toEqual(resolveFunction('multiply', [N, N]).returnType);
    expect(evalRead(call('square', col(0, N)), batchOf(vec(N, ['1.50', '-3.00', null])))).toEqual(['2.2500', '9.0000', null]);
    expect(one(call('square', f(1.5)))).toBe(2.25);
    expect(one(call('square', lit('1234567890123456789', I)))).toBe('1524157875323883675019051998750190521');
  });
});

describe('FLOAT functions', () => {
  it('compute over doubles and return FLOAT', () => {
    expect(one(call('cbrt', f(27)))).toBe(3);
    expect(one(call('cbrt', i(-8)))).toBe(-2);
    expect(one(call('pi'))).toBe(Math.PI);
    expect(one(call('log', i(2), i(1024)))).toBe(10);
    expect(one(call('log', i(10), f(0.001)))).toBeCloseTo(-3, 14);
    expect(one(call('sin', f(Math.PI / 2)))).toBe(1);
    expect(one(call('cos', f(0)))).toBe(1);
    expect(one(call('tan', f(0)))).toBe(0);
    expect(one(call('cot', f(Math.PI / 4)))).toBeCloseTo(1, 14);
    expect(one(call('asin', f(1)))).toBe(Math.PI / 2);
    expect(one(call('acos', f(1)))).toBe(0);
    expect(one(call('atan', f(1)))).toBe(Math.PI / 4);
    expect(one(call('atan2', f(1), f(-1)))).toBe((3 * Math.PI) / 4);
    expect(one(call('degrees', call('pi')))).toBe(180);
    expect(one(call('radians', i(180)))).toBe(Math.PI);
    for (const fn of ['cbrt', 'sin', 'degrees']) expect(resolveFunction(fn, [N])).toEqual({ fn, argTypes: [F], returnType: F });
    expect(resolveFunction('pi', []).returnType).toEqual(F);
    expect(() => resolveFunction('pi', [F])).toThrow(/takes 0 arguments/);
  });

  it('follow IEEE arithmetic out of the domain, and keep NULLs', () => {
    expect(one(call('log', i(1), i(10)))).toBe(Infinity);
    expect(one(call('log', i(10), i(0)))).toBe(-Infinity);
    expect(Number.isNaN(one(call('asin', f(2))))).toBe(true);
    const b = batchOf(vec(F, [1, null, 8]), vec(F, [2, 2, null]));
    expect(evalRead(call('log', col(1, F), col(0, F)), b)).toEqual([0, null, null]);
    expect(evalRead(call('atan2', col(0, F), f(0)), b)).toEqual([Math.PI / 2, null, Math.PI / 2]);
    expect(evalRead(call('atan2', f(0), col(0, F)), b)).toEqual([0, null, 0]);
  });
});
