import { describe, expect, it } from 'vitest';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { batchOf, call, col, evalRead, lit, vec } from '../expr-test-kit.js';
import { seededRandom, splitmix64 } from './data-generation.js';

const I = Types.number(38, 0);
const ORD = Types.number(18, 0);
const F = Types.float;
const ordinals = (n: number) => batchOf(vec(ORD, Array.from({ length: n }, (_, i) => i)));
const ord = col(0, ORD);
const i = (v: number) => lit(String(v), I);

describe('splitmix64', () => {
  it("matches the reference generator's first outputs from state 0 (Vigna's splitmix64.c)", () => {
    // next() adds the golden ratio to the state, then mixes: splitmix64(k * golden) is output k+1.
    expect(splitmix64(0n)).toBe(0xe220a8397b1dcdafn);
    expect(splitmix64(0x9e3779b97f4a7c15n)).toBe(0x6e789e6aa1b965f4n);
  });
});

describe('RANDOM', () => {
  it('with a seed is a pure function of (seed, ordinal): the same values on every evaluation, different per row and per seed', () => {
    const a = evalRead(call('random', i(42), ord), ordinals(5));
    expect(evalRead(call('random', i(42), ord), ordinals(5))).toEqual(a);
    expect(new Set(a).size).toBe(5);
    expect(a[3]).toBe(String(seededRandom(42n, 3n)));
    expect(evalRead(call('random', i(43), ord), ordinals(5))).not.toEqual(a);
  });

  it('answers signed 64-bit integers (NUMBER(19,0)), NULL for a NULL seed', () => {
    const values = evalRead(call('random', i(7), ord), ordinals(200)).map((v) => BigInt(v as string));
    expect(values.every((v) => v >= -(2n ** 63n) && v < 2n ** 63n)).toBe(true);
    expect(values.some((v) => v < 0n) && values.some((v) => v > 0n)).toBe(true);
    expect(evalRead(call('random', lit(null, I), ord), ordinals(2))).toEqual([null, null]);
  });

  it('without a seed is volatile: a different value per row even though it has no arguments', () => {
    const v = evalRead(call('random'), ordinals(50));
    expect(new Set(v).size).toBe(50);
  });
});

describe('SEQ1 / SEQ2 / SEQ4 / SEQ8', () => {
  const at = (fn: string, sign: number, ordinal: number) => evalRead(call(fn, i(sign), col(0, ORD)), batchOf(vec(ORD, [ordinal])))[0];
  it('count the ordinal, wrapping in their width: unsigned from 0, signed to the negative half', () => {
    expect(evalRead(call('seq4', i(0), ord), ordinals(4))).toEqual(['0', '1', '2', '3']);
    expect([at('seq1', 0, 255), at('seq1', 0, 256), at('seq1', 1, 127), at('seq1', 1, 128), at('seq1', 1, 256)]).toEqual(['255', '0', '127', '-128', '0']);
    expect([at('seq2', 0, 65_536), at('seq2', 1, 32_768), at('seq4', 0, 2 ** 32 + 5), at('seq8', 0, 2 ** 40)]).toEqual(['0', '-32768', '5', String(2 ** 40)]);
  });
});

describe('UNIFORM, NORMAL, RANDSTR', () => {
  const gen: BoundExpr = call('random', i(1), ord);
  it('UNIFORM of integers stays in [min, max] and reaches both ends; of floats is a FLOAT in [min, max)', () => {
    const ints = evalRead(call('uniform', i(1), i(3), gen), ordinals(300)).map(Number);
    expect(new Set(ints)).toEqual(new Set([1, 2, 3]));
    const floats = evalRead(call('uniform', lit(0.5, F), lit(1.5, F), gen), ordinals(300)) as number[];
    expect(floats.every((x) => typeof x === 'number' && x >= 0.5 && x < 1.5)).toBe(true);
  });

  it('UNIFORM of a constant generator is a constant, and of NULL is NULL', () => {
    const v = evalRead(call('uniform', i(1), i(1000), i(2)), ordinals(3));
    expect(new Set(v).size).toBe(1);
    expect(evalRead(call('uniform', i(1), i(10), lit(null, I)), ordinals(1))).toEqual([null]);
  });

  it('NORMAL has about its mean and standard deviation over many rows', () => {
    const xs = evalRead(call('normal', lit(10, F), lit(2, F), gen), ordinals(20_000)) as number[];
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean - 10)).toBeLessThan(0.1);
    expect(Math.abs(sd - 2)).toBeLessThan(0.1);
  });

  it('RANDSTR is `length` alphanumerics, a function of the generator value', () => {
    const [a, b] = evalRead(call('randstr', i(12), i(7)), ordinals(2)) as string[];
    expect(a).toMatch(/^[0-9A-Za-z]{12}$/);
    expect(b).toBe(a);
    expect(evalRead(call('randstr', i(12), i(8)), ordinals(1))[0]).not.toBe(a);
  });
});
