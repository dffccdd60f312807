import { describe, expect, it } from 'vitest';
import type { FirnError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { batchOf, call, col, dictVec, evalRead, lit, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';
import { RegexMode, compile, translatePattern } from './regexp.js';

const S = Types.varchar;
const I = Types.number(38, 0);
const s = (v: string | null) => lit(v, v === null ? Types.null : S);
const i = (v: number) => lit(String(v), I);
const x = col(0, S);
const values = ['It was the best of times, it was the worst of times', 'abc 123 def 4567', null, 'naïve 😀 café', ''];
// Each case runs over a plain vector and over a dictionary with an unused entry.
const layouts = [vec(S, values), dictVec(values, ['never used'])];
const run = (e: BoundExpr) => layouts.map((v) => evalRead(e, batchOf(v)));
const one = (e: BoundExpr) => evalRead(e, batchOf())[0];

function failure(e: BoundExpr): FirnError {
  try {
    evalRead(e, batchOf(layouts[0]));
  } catch (err) {
    return err as FirnError;
  }
  throw new Error('expected an error');
}

describe('REGEXP_LIKE / RLIKE', () => {
  it('matches the whole subject (implicitly anchored), case-sensitively by default', () => {
    for (const r of run(call('regexp_like', x, s('.*best.*')))) expect(r).toEqual([true, false, null, false, false]);
    for (const r of run(call('regexp_like', x, s('best')))) expect(r).toEqual([false, false, null, false, false]);
    for (const r of run(call('rlike', x, s('[a-z]+ [0-9]+ [a-z]+ [0-9]+')))) expect(r).toEqual([false, true, null, false, false]);
    for (const r of run(call('regexp_like', x, s('')))) expect(r).toEqual([false, false, null, false, true]);
    // Alternatives are anchored as a group: 'a|abc' must match all of 'abc'.
    expect(one(call('regexp_like', s('abc'), s('a|abc')))).toBe(true);
    expect(one(call('regexp_like', s('ABC'), s('a.c')))).toBe(false);
  });

  it('takes parameters: i, c (the last of the two wins), s, m', () => {
    expect(one(call('regexp_like', s('ABC'), s('a.c'), s('i')))).toBe(true);
    expect(one(call('regexp_like', s('ABC'), s('a.c'), s('ic')))).toBe(false);
    expect(one(call('regexp_like', s('ABC'), s('a.c'), s('ci')))).toBe(true);
    // '.' does not match a newline unless 's' is given.
    expect(one(call('regexp_like', s('a\nb'), s('a.b')))).toBe(false);
    expect(one(call('regexp_like', s('a\nb'), s('a.b'), s('s')))).toBe(true);
    // With 'm' the anchors still span the whole subject.
    expect(one(call('regexp_like', s('ab\ncd'), s('ab'), s('m')))).toBe(false);
    expect(one(call('regexp_like', s('ab\ncd'), s('ab\ncd'), s('m')))).toBe(true);
  });

  it('reads POSIX bracket expressions and classes, and Perl backslash sequences', () => {
    expect(one(call('regexp_like', s('Ab1_'), s('[[:alpha:]]+[[:digit:]][[:punct:]]')))).toBe(true);
    expect(one(call('regexp_like', s('x]y'), s('x[]]y')))).toBe(true);
    expect(one(call('regexp_like', s('x-y'), s('x[^]a]y')))).toBe(true);
    expect(one(call('regexp_like', s('a1 b2'), s('\\w\\d\\s\\w\\d')))).toBe(true);
    expect(one(call('regexp_like', s('a.b'), s('a\\.b')))).toBe(true);
    expect(one(call('regexp_like', s('axb'), s('a\\.b')))).toBe(false);
    // An escaped character that is not special stays itself (POSIX), unlike JavaScript's 'u' mode.
    expect(one(call('regexp_like', s('a-b'), s('a\\-b')))).toBe(true);
    expect(translatePattern('[[:upper:]].', false)).toBe('[A-Z][^\\n]');
    expect(translatePattern('[[:upper:]].', true)).toBe('[A-Z].');
  });

  it('counts a character outside the BMP as one character', () => {
    expect(one(call('regexp_like', s('😀'), s('.')))).toBe(true);
    expect(one(call('regexp_like', s('a😀b'), s('a.b')))).toBe(true);
  });

  it('takes the pattern from a column, row by row', () => {
    const b = batchOf(vec(S, ['abc', 'abc', 'xyz', null, 'q']), vec(S, ['a.*', 'b', 'x.z', 'a', null]));
    expect(evalRead(call('regexp_like', col(0, S), col(1, S)), b)).toEqual([true, false, true, null, null]);
  });

  it('is a BOOLEAN; a NULL argument gives NULL', () => {
    expect(resolveFunction('regexp_like', [S, S]).returnType).toEqual(Types.boolean);
    expect(resolveFunction('rlike', [S, S, S]).fn).toBe('regexp_like');
    for (const r of run(call('regexp_like', x, s(null)))) expect(r).toEqual([null, null, null, null, null]);
    for (const r of run(call('regexp_like', x, s('a'), s(null)))) expect(r).toEqual([null, null, null, null, null]);
  });
});

describe('REGEXP_SUBSTR', () => {
  it('returns the first match, NULL without one', () => {
    for (const r of run(call('regexp_substr', x, s('\\d+')))) expect(r).toEqual([null, '123', null, null, null]);
    for (const r of run(call('regexp_substr', x, s('\\b\\S*o\\S*\\b')))) expect(r).toEqual(['of', null, null, null, null]);
  });

  it('starts at a character position and skips occurrence - 1 matches', () => {
    for (const r of run(call('regexp_substr', x, s('\\d+'), i(6)))) expect(r).toEqual([null, '23', null, null, null]);
    for (const r of run(call('regexp_substr', x, s('\\d+'), i(1), i(2)))) expect(r).toEqual([null, '4567', null, null, null]);
    for (const r of run(call('regexp_substr', x, s('\\d+'), i(1), i(3)))) expect(r).toEqual([null, null, null, null, null]);
    // Positions count characters: the 😀 is one.
    for (const r of run(call('regexp_substr', x, s('.'), i(7)))) expect(r).toEqual([' ', '3', null, '😀', null]);
    // A position past the end finds nothing; ^ is the subject's start, not the position's.
    for (const r of run(call('regexp_substr', x, s('.*'), i(100)))) expect(r).toEqual([null, null, null, null, null]);
    expect(one(call('regexp_substr', s('abc'), s('^b'), i(2)))).toBeNull();
  });

  it("extracts a group with 'e' (the first by default) or group_num (which implies 'e')", () => {
    const subject = s('It was the best of times, it was the worst of times');
    expect(one(call('regexp_substr', subject, s('the\\W+(\\w+)'), i(1), i(1), s('e')))).toBe('best');
    expect(one(call('regexp_substr', subject, s('the\\W+(\\w+)'), i(1), i(2), s('e'), i(1)))).toBe('worst');
    expect(one(call('regexp_substr', subject, s('the\\W+(\\w+)'), i(1), i(2), s('c'), i(1)))).toBe('worst');
    expect(one(call('regexp_substr', subject, s('the\\W+(\\w+)'), i(1), i(1), s('c'), i(0)))).toBe('the best');
    // Without groups in the pattern 'e' returns the whole match.
    expect(one(call('regexp_substr', subject, s('b\\w+'), i(1), i(1), s('e')))).toBe('best');
    // A group that does not take part in the match is NULL.
    expect(one(call('regexp_substr', s('ac'), s('a(b)?c'), i(1), i(1), s('e')))).toBeNull();
  });

  it('is a VARCHAR and NULL for a NULL argument', () => {
    expect(resolveFunction('regexp_substr', [S, S, I, I, S, I]).returnType).toEqual(S);
    expect(resolveFunction('regexp_substr', [S, S, Types.number(5, 2)]).argTypes).toEqual([S, S, I]);
    for (const r of run(call('regexp_substr', x, s('a'), lit(null, Types.null)))) expect(r).toEqual([null, null, null, null, null]);
  });
});

describe('REGEXP_REPLACE', () => {
  it('removes every match by default, or replaces it', () => {
    for (const r of run(call('regexp_replace', x, s('( ){1,}')))) expect(r).toEqual(['Itwasthebestoftimes,itwastheworstoftimes', 'abc123def4567', null, 'naïve😀café', '']);
    for (const r of run(call('regexp_replace', x, s('[0-9]'), s('#')))) expect(r).toEqual([values[0], 'abc ### def ####', null, values[3], '']);
  });

  it('expands \\1 .. \\9 and \\0, reads \\\\ as a backslash and leaves $ literal', () => {
    expect(one(call('regexp_replace', s('firstname middlename lastname'), s('(.*) (.*) (.*)'), s('\\3, \\1 \\2')))).toBe('lastname, firstname middlename');
    expect(one(call('regexp_replace', s('abc'), s('b'), s('[\\0]')))).toBe('a[b]c');
    expect(one(call('regexp_replace', s('abc'), s('b'), s('\\\\$1')))).toBe('a\\$1c');
    // A group that did not take part (or does not exist) inserts nothing.
    expect(one(call('regexp_replace', s('ac'), s('a(x)?c'), s('<\\1\\5>')))).toBe('<>');
  });

  it('starts at a position and replaces only the given occurrence (0 = all)', () => {
    const v = s('a1 b2 c3 d4');
    expect(one(call('regexp_replace', v, s('[0-9]'), s('#'), i(4)))).toBe('a1 b# c# d#');
    expect(one(call('regexp_replace', v, s('[0-9]'), s('#'), i(1), i(2)))).toBe('a1 b# c3 d4');
    expect(one(call('regexp_replace', v, s('[0-9]'), s('#'), i(4), i(2)))).toBe('a1 b2 c# d4');
    expect(one(call('regexp_replace', v, s('[0-9]'), s('#'), i(1), i(9)))).toBe('a1 b2 c3 d4');
    expect(one(call('regexp_replace', v, s('[A-Z]'), s('#'), i(1), i(0), s('i')))).toBe('#1 #2 #3 #4');
    expect(one(call('regexp_replace', v, s('.'), s('#'), i(50)))).toBe('a1 b2 c3 d4');
  });

  it('steps over empty matches one character at a time', () => {
    expect(one(call('regexp_replace', s('a😀c'), s(''), s('-')))).toBe('-a-😀-c-');
    expect(one(call('regexp_replace', s('abc'), s('x*'), s('-')))).toBe('-a-b-c-');
  });

  it('raises STRING_TOO_LONG when the result would pass 16 MiB characters', () => {
    const big = s('ab'.repeat(4_194_305));
    expect(failure(call('regexp_replace', big, s('b'), s('bbb'))).codeName).toBe('STRING_TOO_LONG');
  });
});

describe('REGEXP_COUNT and REGEXP_INSTR', () => {
  it('REGEXP_COUNT counts non-overlapping matches from a position', () => {
    for (const r of run(call('regexp_count', x, s('\\bwas\\b')))) expect(r).toEqual(['2', '0', null, '0', '0']);
    for (const r of run(call('regexp_count', x, s('\\bwas\\b'), i(10)))) expect(r).toEqual(['1', '0', null, '0', '0']);
    for (const r of run(call('regexp_count', x, s('[AEIOU]'), i(1), s('i')))) expect(r).toEqual(['14', '2', null, '3', '0']);
    expect(one(call('regexp_count', s('aaaa'), s('aa')))).toBe('2');
    expect(one(call('regexp_count', s('abc'), s('')))).toBe('4');
    expect(resolveFunction('regexp_count', [S, S]).returnType).toEqual(I);
  });

  it('REGEXP_INSTR gives the 1-based character position of a match (or after it), 0 without one', () => {
    for (const r of run(call('regexp_instr', x, s('\\d+')))) expect(r).toEqual(['0', '5', null, '0', '0']);
    for (const r of run(call('regexp_instr', x, s('\\d+'), i(1), i(2), i(1)))) expect(r).toEqual(['0', '17', null, '0', '0']);
    for (const r of run(call('regexp_instr', x, s('caf')))) expect(r).toEqual(['0', '0', null, '9', '0']);
    const subject = s('It was the best of times, it was the worst of times');
    expect(one(call('regexp_instr', subject, s('the\\W+(\\w+)'), i(1), i(2)))).toBe('34');
    expect(one(call('regexp_instr', subject, s('the\\W+(\\w+)'), i(1), i(2), i(0), s('e')))).toBe('38');
    expect(one(call('regexp_instr', subject, s('the\\W+(\\w+)'), i(1), i(2), i(1), s('e')))).toBe('43');
    expect(one(call('regexp_instr', subject, s('(t)(h)(e)'), i(1), i(1), i(0), s('c'), i(3)))).toBe('10');
    expect(one(call('regexp_instr', s('ac'), s('a(b)?c'), i(1), i(1), i(0), s('e')))).toBe('0');
    expect(resolveFunction('regexp_instr', [S, S]).returnType).toEqual(I);
  });
});

describe('regular expression errors', () => {
  it('a pattern that does not compile is INVALID_REGEX (100048 / 2201B) naming the pattern', () => {
    for (const p of ['(', 'a{2,1}', '[[:nope:]]', '[abc', 'a\\']) {
      const err = failure(call('regexp_like', x, s(p)));
      expect([err.codeName, err.code, err.sqlState], p).toEqual(['INVALID_REGEX', '100048', '2201B']);
      expect(err.message).toContain(`Invalid regular expression: '${p}'`);
    }
    expect(failure(call('regexp_substr', x, s('a)'))).codeName).toBe('INVALID_REGEX');
  });

  it('arguments out of range are INVALID_ARGUMENT_VALUE (390206 / 22023)', () => {
    const cases: BoundExpr[] = [
      call('regexp_substr', x, s('a'), i(0)),
      call('regexp_substr', x, s('a'), i(1), i(0)),
      call('regexp_substr', x, s('(a)'), i(1), i(1), s('e'), i(2)),
      call('regexp_replace', x, s('a'), s('b'), i(1), i(-1)),
      call('regexp_count', x, s('a'), i(-3)),
      call('regexp_instr', x, s('a'), i(1), i(1), i(2)),
      call('regexp_like', x, s('a'), s('x')),
    ];
    for (const e of cases) {
      const err = failure(e);
      expect([err.codeName, err.code, err.sqlState]).toEqual(['INVALID_ARGUMENT_VALUE', '390206', '22023']);
    }
    expect(failure(call('regexp_like', x, s('a'), s('q'))).message).toMatch(/Invalid regular expression parameter 'q'/);
  });

  it('a NULL row never raises for its arguments', () => {
    const b = batchOf(vec(S, [null, 'a']), vec(S, ['(', 'a']));
    expect(evalRead(call('regexp_like', col(0, S), col(1, S)), b)).toEqual([null, true]);
    const bad = batchOf(vec(S, ['b', 'a']), vec(S, ['(', 'a']));
    expect(() => evalRead(call('regexp_like', col(0, S), col(1, S)), bad)).toThrow(/Invalid regular expression: '\('/);
  });
});

describe('compiled patterns', () => {
  it('are cached per pattern, parameters and mode', () => {
    const a = compile('x(y)z', 'u', RegexMode.SEARCH);
    expect(compile('x(y)z', 'u', RegexMode.SEARCH)).toBe(a);
    expect(compile('x(y)z', 'ui', RegexMode.SEARCH)).not.toBe(a);
    expect(compile('x(y)z', 'u', RegexMode.ANCHORED)).not.toBe(a);
    expect(a.groups).toBe(1);
    expect(compile('(a)|(b)(c)', 'u', RegexMode.SEARCH).groups).toBe(3);
  });
});
