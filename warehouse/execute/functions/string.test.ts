import { describe, expect, it } from 'vitest';
import type { FirnError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { StrVector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { batchOf, call, col, dictVec, evalRead, lit, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';

const S = Types.varchar;
const I = Types.number(3, 0);
const s = (v: string | null) => lit(v, v === null ? Types.null : S);
const i = (v: number) => lit(String(v), I);
const values = ['Hello', ' padded  ', null, 'naïve 😀 ok', 'Hello'];
// Each case runs over a plain vector and over a dictionary with an unused entry.
const layouts = [vec(S, values), dictVec(values, ['never used'])];
const run = (e: BoundExpr) => layouts.map((v) => evalRead(e, batchOf(v)));
const x = col(0, S);

describe('string functions', () => {
  it('UPPER / LOWER / LENGTH (characters, not UTF-16 units)', () => {
    for (const r of run(call('upper', x))) expect(r).toEqual(['HELLO', ' PADDED  ', null, 'NAÏVE 😀 OK', 'HELLO']);
    for (const r of run(call('lower', x))) expect(r).toEqual(['hello', ' padded  ', null, 'naïve 😀 ok', 'hello']);
    for (const r of run(call('len', x))) expect(r).toEqual(['5', '9', null, '10', '5']);
  });

  it('SUBSTR with positive, zero and negative starts, optional length', () => {
    for (const r of run(call('substr', x, i(2), i(3)))) expect(r).toEqual(['ell', 'pad', null, 'aïv', 'ell']);
    for (const r of run(call('substring', x, i(0), i(2)))) expect(r).toEqual(['He', ' p', null, 'na', 'He']);
    for (const r of run(call('substr', x, i(-4)))) expect(r).toEqual(['ello', 'ed  ', null, '😀 ok', 'ello']);
    for (const r of run(call('substr', x, i(7), i(2)))) expect(r).toEqual(['', 'd ', null, '😀 ', '']);
    for (const r of run(call('substr', x, i(1), i(-1)))) expect(r).toEqual(['', '', null, '', '']);
  });

  it('LEFT / RIGHT', () => {
    for (const r of run(call('left', x, i(2)))) expect(r).toEqual(['He', ' p', null, 'na', 'He']);
    for (const r of run(call('right', x, i(4)))) expect(r).toEqual(['ello', 'ed  ', null, '😀 ok', 'ello']);
    for (const r of run(call('right', x, i(0)))) expect(r).toEqual(['', '', null, '', '']);
  });

  it('TRIM / LTRIM / RTRIM remove blanks by default, or the given characters', () => {
    for (const r of run(call('trim', x))) expect(r).toEqual(['Hello', 'padded', null, 'naïve 😀 ok', 'Hello']);
    for (const r of run(call('ltrim', x))) expect(r).toEqual(['Hello', 'padded  ', null, 'naïve 😀 ok', 'Hello']);
    for (const r of run(call('rtrim', x))) expect(r).toEqual(['Hello', ' padded', null, 'naïve 😀 ok', 'Hello']);
    for (const r of run(call('trim', x, s('Hok ')))) expect(r).toEqual(['ell', 'padded', null, 'naïve 😀', 'ell']);
  });

  it('REPLACE / CONCAT / ||', () => {
    for (const r of run(call('replace', x, s('l'), s('L')))) expect(r).toEqual(['HeLLo', ' padded  ', null, 'naïve 😀 ok', 'HeLLo']);
    for (const r of run(call('replace', x, s('l')))) expect(r).toEqual(['Heo', ' padded  ', null, 'naïve 😀 ok', 'Heo']);
    for (const r of run(call('concat', s('<'), x, s('>')))) expect(r).toEqual(['<Hello>', '< padded  >', null, '<naïve 😀 ok>', '<Hello>']);
    for (const r of run(call('concat', x, x))) expect(r).toEqual(['HelloHello', ' padded   padded  ', null, 'naïve 😀 oknaïve 😀 ok', 'HelloHello']);
    for (const r of run(call('concat', x, s(null)))) expect(r).toEqual([null, null, null, null, null]);
  });

  it('CONCAT casts other types to text', () => {
    const n = vec(Types.number(5, 2), ['12.50', null]);
    const d = vec(Types.date, ['2024-02-29', '2024-03-01']);
    expect(evalRead(call('concat', col(0, Types.number(5, 2)), s(' on '), col(1, Types.date)), batchOf(n, d))).toEqual(['12.50 on 2024-02-29', null]);
  });

  it('STARTSWITH / ENDSWITH / CONTAINS / POSITION', () => {
    for (const r of run(call('startswith', x, s('He')))) expect(r).toEqual([true, false, null, false, true]);
    for (const r of run(call('endswith', x, s('ok')))) expect(r).toEqual([false, false, null, true, false]);
    for (const r of run(call('contains', x, s('😀')))) expect(r).toEqual([false, false, null, true, false]);
    for (const r of run(call('position', s('o'), x))) expect(r).toEqual(['5', '0', null, '9', '5']);
    for (const r of run(call('position', s('l'), x, i(4)))) expect(r).toEqual(['4', '0', null, '0', '4']);
  });

  it('LPAD / RPAD pad to a length or truncate', () => {
    for (const r of run(call('lpad', x, i(7), s('*')))) expect(r).toEqual(['**Hello', ' padded', null, 'naïve 😀', '**Hello']);
    for (const r of run(call('rpad', x, i(7), s('ab')))) expect(r).toEqual(['Helloab', ' padded', null, 'naïve 😀', 'Helloab']);
    for (const r of run(call('lpad', x, i(6)))) expect(r).toEqual([' Hello', ' padde', null, 'naïve ', ' Hello']);
  });

  it('LPAD / RPAD fill with a multi-character or astral fill, cut to the exact length', () => {
    expect(evalRead(call('lpad', s('x'), i(6), s('ab')), batchOf())).toEqual(['ababax']);
    expect(evalRead(call('rpad', s('x'), i(5), s('😀é')), batchOf())).toEqual(['x😀é😀é']);
    expect(evalRead(call('lpad', s('x'), i(4), s('😀é')), batchOf())).toEqual(['😀é😀x']);
    expect(evalRead(call('rpad', s('x'), i(3), s('')), batchOf())).toEqual(['x']);
  });

  it('raises STRING_TOO_LONG (100078 / 22001) at once when a result would pass 16 MiB characters', () => {
    const tooLong = (e: BoundExpr) => {
      try {
        evalRead(e, batchOf(layouts[0]));
      } catch (err) {
        return err as FirnError;
      }
      throw new Error('expected STRING_TOO_LONG');
    };
    for (const e of [
      call('lpad', s('x'), lit('2000000000', Types.number(10, 0)), s('y')),
      call('rpad', x, lit('16777217', Types.number(8, 0)), s('y')),
      call('lpad', x, lit('16777217', Types.number(8, 0))),
    ]) {
      const err = tooLong(e);
      expect([err.code, err.sqlState]).toEqual(['100078', '22001']);
      expect(err.message).toMatch(/^String '\(LONG STRING\)' is too long and would be truncated/);
    }
    const half = 'y'.repeat(8_388_609);
    expect(tooLong(call('concat', s(half), x, s(half))).codeName).toBe('STRING_TOO_LONG');
    expect(tooLong(call('concat', s(half), s(half))).codeName).toBe('STRING_TOO_LONG');
    expect(tooLong(call('replace', s('ab'.repeat(4_194_305)), s('b'), s('bbb'))).codeName).toBe('STRING_TOO_LONG');
    // Exactly at the maximum is allowed, counting characters, not UTF-16 units.
    expect(evalRead(call('length', call('lpad', s('x'), lit('16777216', Types.number(8, 0)), s('y'))), batchOf())).toEqual(['16777216']);
    expect(evalRead(call('length', call('concat', s('😀'.repeat(8_388_608)), s('😀'.repeat(8_388_608)))), batchOf())).toEqual(['16777216']);
  });

  it('runs per row when the parameters vary', () => {
    const starts = vec(I, ['1', '2', '3', '4', null]);
    const v = vec(S, values);
    expect(evalRead(call('substr', x, col(1, I), i(2)), batchOf(v, starts))).toEqual(['He', 'pa', null, 've', null]);
    const patterns = vec(S, ['H', 'x', 'n', 'n', 'l']);
    expect(evalRead(call('contains', x, col(1, S)), batchOf(v, patterns))).toEqual([true, false, null, true, true]);
  });

  it('string results on a dictionary keep the codes and map the dictionary', () => {
    const v = dictVec(['b', 'a', 'b', 'a']);
    const out = evaluateExpr(call('upper', col(0, S)), batchOf(v)) as StrVector;
    expect(out.kind).toBe('str');
    expect(out.codes).toBe(v.codes);
    expect(out.dict).toEqual(['B', 'A']);
  });

  it('types: string parameters accept other types, integers accept NUMBER', () => {
    expect(resolveFunction('length', [Types.number(5, 2)]).argTypes).toEqual([S]);
    expect(resolveFunction('substr', [S, Types.number(5, 2), I]).argTypes).toEqual([S, Types.number(38, 0), I]);
    expect(() => resolveFunction('upper', [S, S])).toThrow(expect.objectContaining({ codeName: 'TYPE_MISMATCH' }));
  });
});

describe('LIKE / ILIKE', () => {
  const like = (e: BoundExpr, pattern: string, opts: { ci?: boolean; negated?: boolean; escape?: string } = {}): BoundExpr =>
    ({
      kind: 'like',
      expr: e,
      pattern: lit(pattern, S),
      caseInsensitive: opts.ci ?? false,
      negated: opts.negated ?? false,
      type: Types.boolean,
      ...(opts.escape !== undefined ? { escape: lit(opts.escape, S) } : {}),
    }) as BoundExpr;
  const words = ['apple', 'Apple pie', null, 'a_b%c', 'banana', 'a.b*c', ''];
  const all = [vec(S, words), dictVec(words, ['unused entry'])];
  const check = (e: BoundExpr, expected: (boolean | null)[]) => {
    for (const v of all) expect(evalRead(e, batchOf(v)), JSON.stringify(e)).toEqual(expected);
  };

  it('% and _ wildcards, anchored on both ends', () => {
    check(like(x, 'apple'), [true, false, null, false, false, false, false]);
    check(like(x, 'a%'), [true, false, null, true, false, true, false]);
    check(like(x, '%e'), [true, true, null, false, false, false, false]);
    check(like(x, '%an%'), [false, false, null, false, true, false, false]);
    check(like(x, '_pple%'), [true, true, null, false, false, false, false]);
    check(like(x, 'a%b%c'), [false, false, null, true, false, true, false]);
    check(like(x, '%'), [true, true, null, true, true, true, true]);
    check(like(x, '_____'), [true, false, null, true, false, true, false]);
    check(like(x, 'b%a%a'), [false, false, null, false, true, false, false]);
  });

  it('regex metacharacters in the pattern are literal', () => {
    check(like(x, 'a.b*c'), [false, false, null, false, false, true, false]);
    check(like(x, '%.%'), [false, false, null, false, false, true, false]);
    check(like(x, '(a|b)%'), [false, false, null, false, false, false, false]);
  });

  it('ESCAPE makes % and _ literal', () => {
    check(like(x, 'a\\_b\\%c', { escape: '\\' }), [false, false, null, true, false, false, false]);
    check(like(x, '%!%%', { escape: '!' }), [false, false, null, true, false, false, false]);
    check(like(x, 'a__b%', { escape: '_' }), [false, false, null, true, false, false, false]);
    expect(evalRead(call('like', x, s('a!_b%'), s('!')), batchOf(vec(S, words)))).toEqual([false, false, null, true, false, false, false]);
  });

  it('ILIKE ignores case; NOT LIKE negates with NULL staying NULL', () => {
    check(like(x, 'APPLE%', { ci: true }), [true, true, null, false, false, false, false]);
    check(like(x, 'a%', { negated: true }), [false, true, null, false, true, false, true]);
    expect(evalRead(call('ilike', x, s('%PIE')), batchOf(vec(S, words)))).toEqual([false, true, null, false, false, false, false]);
  });

  it('matches many % with _ in linear passes, against a reference, without backtracking on long values', () => {
    check(like(x, '_%_%e'), [true, true, null, false, false, false, false]);
    check(like(x, '%p_%_'), [true, true, null, false, false, false, false]);
    check(like(x, 'A%P%E', { ci: true }), [true, true, null, false, false, false, false]);
    check(like(x, '%_%_%_%_%_%_%'), [false, true, null, false, true, false, false]);
    check(like(x, 'a%_'), [true, false, null, true, false, true, false]);
    // One RegExp with '.*' per '%' would try about n^7 placements here (n = 20000): hours.
    const long = vec(S, ['a'.repeat(20_000), 'a'.repeat(20_000) + 'xb', `${'ab'.repeat(10_000)}😀`]);
    expect(evalRead(like(col(0, S), '%a%a%a%a%a%a%a_b'), batchOf(long))).toEqual([false, true, false]);
    expect(evalRead(like(col(0, S), '%A%B%A%B%A%B%_', { ci: true }), batchOf(long))).toEqual([false, false, true]);
    // Every pattern over short values agrees with a brute-force reference.
    const alphabet = ['a', 'b', '%', '_'];
    const reference = (v: string, p: string): boolean => {
      if (p === '') return v === '';
      if (p[0] === '%') return reference(v, p.slice(1)) || (v !== '' && reference(v.slice(1), p));
      return v !== '' && (p[0] === '_' || p[0] === v[0]) && reference(v.slice(1), p.slice(1));
    };
    const valuesToTry = ['', 'a', 'b', 'ab', 'ba', 'aab', 'abab', 'bbaa', 'abba'];
    const patterns: string[] = [''];
    for (let len = 1; len <= 4; len++) for (const q of patterns.filter((p) => p.length === len - 1)) for (const c of alphabet) patterns.push(q + c);
    const v = vec(S, valuesToTry);
    for (const p of patterns) expect(evalRead(like(col(0, S), p), batchOf(v)), p).toEqual(valuesToTry.map((w) => reference(w, p)));
  });

  it('patterns from a column are compiled per distinct pattern', () => {
    const v = vec(S, ['abc', 'abc', 'xyz', null]);
    const p = vec(S, ['a%', '%z', 'x_z', 'a%']);
    const e: BoundExpr = { kind: 'like', expr: col(0, S), pattern: col(1, S), caseInsensitive: false, negated: false, type: Types.boolean };
    expect(evalRead(e, batchOf(v, p))).toEqual([true, false, true, null]);
  });

  it('a NULL pattern gives NULL', () => {
    const e: BoundExpr = { kind: 'like', expr: x, pattern: lit(null, Types.null), caseInsensitive: false, negated: false, type: Types.boolean };
    expect(evalRead(e, batchOf(vec(S, ['a'])))).toEqual([null]);
  });
});

describe('SPLIT_PART (Snowflake semantics)', () => {
  it('takes 1-based parts, negative from the end, 0 as 1, and empty parts at the edges', () => {
    for (const r of run(call('split_part', x, s(' '), i(1)))) expect(r).toEqual(['Hello', '', null, 'naïve', 'Hello']);
    for (const r of run(call('split_part', x, s(' '), i(2)))) expect(r).toEqual(['', 'padded', null, '😀', '']);
    for (const r of run(call('split_part', x, s(' '), i(-1)))) expect(r).toEqual(['Hello', '', null, 'ok', 'Hello']);
    for (const r of run(call('split_part', x, s(' '), i(-3)))) expect(r).toEqual(['', 'padded', null, 'naïve', '']);
    for (const r of run(call('split_part', x, s(' '), i(0)))) expect(r).toEqual(['Hello', '', null, 'naïve', 'Hello']);
    for (const r of run(call('split_part', x, s('l'), i(3)))) expect(r).toEqual(['o', '', null, '', 'o']);
  });

  it('treats the whole delimiter as one separator, and an empty one as no split', () => {
    const b = batchOf(vec(S, ['a::b::c', 'a:b', '']));
    expect(evalRead(call('split_part', col(0, S), s('::'), i(2)), b)).toEqual(['b', '', '']);
    expect(evalRead(call('split_part', col(0, S), s(''), i(1)), b)).toEqual(['a::b::c', 'a:b', '']);
    expect(evalRead(call('split_part', col(0, S), s(''), i(2)), b)).toEqual(['', '', '']);
    expect(evalRead(call('split_part', col(0, S), s(':'), i(99)), b)).toEqual(['', '', '']);
  });

  it('is NULL when any argument is NULL, and reads per-row delimiters and parts', () => {
    const b = batchOf(vec(S, ['a,b', 'c;d', 'e,f', null]), vec(S, [',', ';', null, ',']), vec(I, ['2', '1', '1', '1']));
    expect(evalRead(call('split_part', col(0, S), col(1, S), col(2, I)), b)).toEqual(['b', 'c', null, null]);
    expect(evalRead(call('split_part', x, s(null), i(1)), batchOf(layouts[0]))).toEqual([null, null, null, null, null]);
    expect(evalRead(call('split_part', x, s(','), lit(null, Types.null)), batchOf(layouts[0]))).toEqual([null, null, null, null, null]);
  });
});
