import { describe, expect, it } from 'vitest';
import type { FirnError } from '../../../storage/errors/firn-error.js';
import { Types } from '../../../storage/types/data-type.js';
import type { StrVector } from '../../../storage/types/vector.js';
import type { BoundExpr } from '../../fragment/bound-expr.js';
import { evaluateExpr } from '../evaluate-expr.js';
import { batchOf, call, col, dictVec, evalRead, lit, vec } from '../expr-test-kit.js';
import { resolveFunction } from './function-registry.js';

const S = Types.varchar;
const I = Types.number(38, 0);
const s = (v: string | null) => lit(v, v === null ? Types.null : S);
const i = (v: number) => lit(String(v), I);
const values = ['hello wORLD', 'foo-bar_baz', null, 'naïve 😀 ok', ''];
const layouts = [vec(S, values), dictVec(values, ['never used'])];
const run = (e: BoundExpr) => layouts.map((v) => evalRead(e, batchOf(v)));
const one = (e: BoundExpr) => evalRead(e, batchOf())[0];
const x = col(0, S);

function failure(e: BoundExpr): FirnError {
  try {
    evalRead(e, batchOf());
  } catch (err) {
    return err as FirnError;
  }
  throw new Error('expected an error');
}

describe('INITCAP, REVERSE, REPEAT', () => {
  it("INITCAP capitalizes after Snowflake's default delimiters and lower-cases the rest", () => {
    for (const r of run(call('initcap', x))) expect(r).toEqual(['Hello World', 'Foo-Bar_Baz', null, 'Naïve 😀 Ok', '']);
    expect(one(call('initcap', s('the sky is blue')))).toBe('The Sky Is Blue');
    expect(one(call('initcap', s('WE CAN HANDLE THIS')))).toBe('We Can Handle This');
    expect(one(call('initcap', s('ÄäÖößÜü')))).toBe('Ääöößüü');
    expect(one(call('initcap', s('a!b?c@d"e^f#g$h&i~j,k.l:m;n+o*p%q/r|s\\t[u]v(w)x{y}z<a>b\tc\nd')))).toBe(
      'A!B?C@D"E^F#G$H&I~J,K.L:M;N+O*P%Q/R|S\\T[U]V(W)X{Y}Z<A>B\tC\nD',
    );
    // Not delimiters by default: apostrophes and digits.
    expect(one(call('initcap', s("isn't 3rd")))).toBe("Isn't 3rd");
  });

  it('INITCAP with delimiters uses exactly those ("" capitalizes the first character only)', () => {
    for (const r of run(call('initcap', x, s('')))) expect(r).toEqual(['Hello world', 'Foo-bar_baz', null, 'Naïve 😀 ok', '']);
    for (const r of run(call('initcap', x, s('-')))) expect(r).toEqual(['Hello world', 'Foo-Bar_baz', null, 'Naïve 😀 ok', '']);
  });

  it('REVERSE reverses characters, not UTF-16 units', () => {
    for (const r of run(call('reverse', x))) expect(r).toEqual(['DLROw olleh', 'zab_rab-oof', null, 'ko 😀 evïan', '']);
  });

  it('REPEAT repeats n times, n <= 0 gives empty; past 16 MiB raises STRING_TOO_LONG', () => {
    for (const r of run(call('repeat', x, i(2)))) expect(r).toEqual(['hello wORLDhello wORLD', 'foo-bar_bazfoo-bar_baz', null, 'naïve 😀 oknaïve 😀 ok', '']);
    for (const r of run(call('repeat', x, i(0)))) expect(r).toEqual(['', '', null, '', '']);
    expect(one(call('repeat', s('ab'), i(-3)))).toBe('');
    const err = failure(call('repeat', s('ab'), i(8_388_609)));
    expect([err.codeName, err.code, err.sqlState]).toEqual(['STRING_TOO_LONG', '100078', '22001']);
    expect(evalRead(call('length', call('repeat', s('😀'), i(16_777_216))), batchOf())).toEqual(['16777216']);
  });
});

describe('ASCII, CHR, TRANSLATE', () => {
  it('ASCII is the code of the first character, 0 for the empty string', () => {
    for (const r of run(call('ascii', x))) expect(r).toEqual(['104', '102', null, '110', '0']);
    expect(one(call('ascii', s('😀')))).toBe('128512');
    expect(resolveFunction('ascii', [S]).returnType).toEqual(I);
  });

  it('CHR (= CHAR) makes the character of a code point; invalid codes raise', () => {
    expect(one(call('chr', i(65)))).toBe('A');
    expect(one(call('char', i(128512)))).toBe('😀');
    expect(one(call('chr', lit(66.4, Types.float)))).toBe('B');
    expect(evalRead(call('chr', col(0, I)), batchOf(vec(I, ['97', null, '10'])))).toEqual(['a', null, '\n']);
    for (const code of [-1, 0xd800, 0x110000]) {
      const err = failure(call('chr', i(code)));
      expect([err.codeName, err.sqlState]).toEqual(['INVALID_ARGUMENT_VALUE', '22023']);
    }
  });

  it('TRANSLATE maps characters one to one and deletes those past the target', () => {
    for (const r of run(call('translate', x, s('lo'), s('01')))) expect(r).toEqual(['he001 wORLD', 'f11-bar_baz', null, 'naïve 😀 1k', '']);
    for (const r of run(call('translate', x, s('ao😀'), s('A')))) expect(r).toEqual(['hell wORLD', 'f-bAr_bAz', null, 'nAïve  k', '']);
    expect(one(call('translate', s('abcabc'), s('aa'), s('xy')))).toBe('xbcxbc');
    expect(one(call('translate', s('abc'), s(''), s('xyz')))).toBe('abc');
  });
});

describe('CONCAT_WS, STRTOK, CHARINDEX', () => {
  it('CONCAT_WS joins with a separator and is NULL when any argument is', () => {
    expect(one(call('concat_ws', s(','), s('a'), s('b'), s('c')))).toBe('a,b,c');
    expect(one(call('concat_ws', s(' - '), s('a')))).toBe('a');
    expect(one(call('concat_ws', s(','), s('a'), s(null)))).toBeNull();
    expect(one(call('concat_ws', s(null), s('a'), s('b')))).toBeNull();
    const b = batchOf(vec(S, ['x', null, 'z']), vec(S, ['1', '2', '3']));
    expect(evalRead(call('concat_ws', s('|'), col(0, S), col(1, S), lit('1.50', Types.number(5, 2))), b)).toEqual(['x|1|1.50', null, 'z|3|1.50']);
    expect(() => resolveFunction('concat_ws', [S])).toThrow(/takes at least 2 arguments/);
  });

  it('STRTOK splits on any delimiter character, skipping empty tokens', () => {
    expect(one(call('strtok', s('a.b.c'), s('.'), i(1)))).toBe('a');
    expect(one(call('strtok', s('user@snowflake.com'), s('@.'), i(1)))).toBe('user');
    expect(one(call('strtok', s('user@snowflake.com'), s('@.'), i(3)))).toBe('com');
    expect(one(call('strtok', s('user@snowflake.com'), s('@.'), i(4)))).toBeNull();
    expect(one(call('strtok', s('  a  b ')))).toBe('a');
    expect(one(call('strtok', s('  a  b '), s(' '), i(2)))).toBe('b');
    expect(one(call('strtok', s('')))).toBeNull();
    expect(one(call('strtok', s('abc'), s('')))).toBe('abc');
    for (const r of run(call('strtok', x, s(' -_'), i(2)))) expect(r).toEqual(['wORLD', 'bar', null, '😀', null]);
    expect(failure(call('strtok', s('a'), s(' '), i(0))).codeName).toBe('INVALID_ARGUMENT_VALUE');
  });

  it('CHARINDEX is POSITION', () => {
    expect(one(call('charindex', s('an'), s('banana')))).toBe('2');
    expect(one(call('charindex', s('an'), s('banana'), i(3)))).toBe('4');
    expect(resolveFunction('charindex', [S, S]).fn).toBe('position');
  });
});

describe('BASE64 and HEX', () => {
  it('BASE64_ENCODE / BASE64_DECODE_STRING round-trip UTF-8 text', () => {
    expect(one(call('base64_encode', s('Snowflake')))).toBe('U25vd2ZsYWtl');
    expect(one(call('base64_decode_string', s('U25vd2ZsYWtl')))).toBe('Snowflake');
    expect(one(call('base64_encode', s('naïve 😀')))).toBe('bmHDr3ZlIPCfmIA=');
    expect(one(call('base64_decode_string', s('bmHDr3ZlIPCfmIA=')))).toBe('naïve 😀');
    for (const r of run(call('base64_decode_string', call('base64_encode', x)))) expect(r).toEqual(values);
  });

  it('BASE64_ENCODE breaks lines at max_line_length and takes an alphabet; the decoder ignores line breaks', () => {
    expect(one(call('base64_encode', s('Snowflake'), i(4)))).toBe('U25v\nd2Zs\nYWtl');
    expect(one(call('base64_decode_string', s('U25v\nd2Zs\nYWtl')))).toBe('Snowflake');
    expect(one(call('base64_encode', s('??>'), i(0), s('$')))).toBe('Pz8$');
    expect(one(call('base64_encode', s('ab?'), i(0), s('+/*')))).toBe('YWI/');
    expect(one(call('base64_encode', s('a'), i(0), s('+/*')))).toBe('YQ**');
    expect(one(call('base64_decode_string', s('YQ**'), s('+/*')))).toBe('a');
  });

  it('HEX_ENCODE (uppercase by default) / HEX_DECODE_STRING', () => {
    expect(one(call('hex_encode', s('Snowflake')))).toBe('536E6F77666C616B65');
    expect(one(call('hex_encode', s('Snowflake'), i(0)))).toBe('536e6f77666c616b65');
    expect(one(call('hex_decode_string', s('536E6F77666C616B65')))).toBe('Snowflake');
    expect(one(call('hex_decode_string', s('536e6f77')))).toBe('Snow');
    for (const r of run(call('hex_decode_string', call('hex_encode', x)))) expect(r).toEqual(values);
    expect(failure(call('hex_encode', s('a'), i(2))).codeName).toBe('INVALID_ARGUMENT_VALUE');
  });

  it('invalid encoded text raises INVALID_ENCODING (390207 / 22000)', () => {
    for (const e of [
      call('base64_decode_string', s('U25vd2ZsYWtl!')),
      call('base64_decode_string', s('U')),
      call('base64_decode_string', s('/w==')),
      call('hex_decode_string', s('5')),
      call('hex_decode_string', s('zz')),
      call('hex_decode_string', s('FF')),
    ]) {
      const err = failure(e);
      expect([err.codeName, err.code, err.sqlState]).toEqual(['INVALID_ENCODING', '390207', '22000']);
    }
  });

  it('string results keep the input dictionary codes', () => {
    const v = dictVec(['b', 'a', 'b', 'a']);
    const out = evaluateExpr(call('hex_encode', col(0, S)), batchOf(v)) as StrVector;
    expect(out.codes).toBe(v.codes);
    expect(out.dict).toEqual(['62', '61']);
  });
});
