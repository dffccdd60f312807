import { describe, expect, it } from 'vitest';
import { CompilationError, SqlSyntaxError } from '../../storage/errors/firn-error.js';
import { TokenKind, tokenize } from './tokenizer.js';

const kindsAndValues = (sql: string) => tokenize(sql).map((t) => [t.kind, t.value]);

describe('tokenize', () => {
  it('splits words, numbers, operators and ends with EOF', () => {
    expect(kindsAndValues('select a1, t.b_$2 from x where y<>1 and z::int != 2 || 3')).toEqual([
      ['word', 'select'],
      ['word', 'a1'],
      ['op', ','],
      ['word', 't'],
      ['op', '.'],
      ['word', 'b_$2'],
      ['word', 'from'],
      ['word', 'x'],
      ['word', 'where'],
      ['word', 'y'],
      ['op', '<>'],
      ['number', '1'],
      ['word', 'and'],
      ['word', 'z'],
      ['op', '::'],
      ['word', 'int'],
      ['op', '!='],
      ['number', '2'],
      ['op', '||'],
      ['number', '3'],
      ['eof', ''],
    ]);
  });

  it('keeps the exact source text of numbers', () => {
    const nums = tokenize('12.50 007 .5 5. 1e10 1.5E-3 123456789012345678901234567890').filter((t) => t.kind === TokenKind.NUMBER);
    expect(nums.map((t) => t.text)).toEqual(['12.50', '007', '.5', '5.', '1e10', '1.5E-3', '123456789012345678901234567890']);
  });

  it('decodes strings: doubled quotes, backslash escapes, $$ strings', () => {
    const strs = tokenize(String.raw`'it''s' 'a\nb' 'tab\t' 'back\\slash' '\x41\u00e9\101' 'q\'q' $$raw 'x' \n$$`)
      .filter((t) => t.kind === TokenKind.STRING)
      .map((t) => t.value);
    expect(strs).toEqual(["it's", 'a\nb', 'tab\t', 'back\\slash', 'AéA', "q'q", "raw 'x' \\n"]);
  });

  it('keeps quoted identifiers verbatim with "" undoubled', () => {
    const [t] = tokenize('"My ""Table"";"');
    expect(t).toMatchObject({ kind: TokenKind.QUOTED, value: 'My "Table";', text: '"My ""Table"";"' });
  });

  it('refuses control characters in quoted identifiers with 000904 invalid identifier', () => {
    for (const [sql, shown] of [
      ['SELECT 1 AS "a\u0000b"', 'a\\u0000b'],
      ['CREATE WAREHOUSE "w\n"', 'w\\u000a'],
      ['CREATE TABLE "\u0001" (x INT)', '\\u0001'],
      ['SELECT "x\u007fy\u0085" FROM t', 'x\\u007fy\\u0085'],
    ]) {
      let error: unknown;
      try {
        tokenize(sql);
      } catch (err) {
        error = err;
      }
      expect(error, sql).toBeInstanceOf(CompilationError);
      expect(error).toMatchObject({
        code: '000904',
        sqlState: '42000',
        message: `SQL compilation error: invalid identifier '"${shown}"': identifiers must not contain control characters`,
      });
    }
    expect(tokenize('SELECT "tab is not\u00a0a control" , \'a\tb\'')[1].value).toBe('tab is not\u00a0a control');
  });

  it('skips --, // and /* */ comments', () => {
    expect(kindsAndValues('a -- one\n// two\n/* three\n ; */ b')).toEqual([
      ['word', 'a'],
      ['word', 'b'],
      ['eof', ''],
    ]);
  });

  it('records 1-based line and column of every token', () => {
    const toks = tokenize('select\n  a,\n\tb');
    expect(toks.map((t) => [t.text, t.line, t.column])).toEqual([
      ['select', 1, 1],
      ['a', 2, 3],
      [',', 2, 4],
      ['b', 3, 2],
      ['', 3, 3],
    ]);
  });

  it.each([
    ["select 'abc", 1, 8],
    ['select "abc', 1, 8],
    ['select 1 /* open', 1, 10],
    ['select #', 1, 8],
    ['select\n  `x`', 2, 3],
    ['select 12abc', 1, 8],
    ['select ""', 1, 8],
  ])('rejects %j at line %i column %i', (sql, line, column) => {
    let err: unknown;
    try {
      tokenize(sql);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SqlSyntaxError);
    expect((err as SqlSyntaxError).position).toEqual({ line, column });
  });
});
