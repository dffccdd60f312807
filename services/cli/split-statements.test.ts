import { describe, expect, it } from 'vitest';
import { splitStatements } from './split-statements.js';

describe('splitStatements', () => {
  it('splits at top-level semicolons and trims', () => {
    expect(splitStatements(' select 1 ;\nselect 2;')).toEqual({ statements: ['select 1', 'select 2'], rest: '', restHasCode: false });
  });

  it('keeps the unterminated tail', () => {
    expect(splitStatements('select 1; select\n  2')).toEqual({ statements: ['select 1'], rest: ' select\n  2', restHasCode: true });
  });

  it('ignores semicolons in strings, identifiers, dollar strings and comments', () => {
    const sql = [
      "select 'a;b', 'it''s;', 'back\\';slash'",
      'select "we;ird" from t',
      'select $$x;y$$',
      'select 1 -- not; here\n + 2',
      'select 1 // nor; here\n + 2',
      'select /* nor ; here */ 3',
    ];
    expect(splitStatements(sql.map((s) => `${s};`).join('\n')).statements).toEqual(sql);
  });

  it('reports an open string or comment as unfinished', () => {
    expect(splitStatements("select 'abc;").restHasCode).toBe(true);
    expect(splitStatements("select 'abc;").statements).toEqual([]);
    expect(splitStatements('/* open ; comment').rest).toBe('/* open ; comment');
    expect(splitStatements('/* open ; comment').restHasCode).toBe(false);
  });

  it('drops empty and comment-only statements', () => {
    expect(splitStatements(';;  ; -- just a comment\n;/* c */;')).toEqual({ statements: [], rest: '', restHasCode: false });
    expect(splitStatements('select 1; -- trailing comment')).toEqual({ statements: ['select 1'], rest: '', restHasCode: false });
  });

  it('reads the :// of a file URL (PUT, GET) as part of the statement, not as a // comment', () => {
    expect(splitStatements('PUT file:///tmp/a.csv @s; LIST @s;\nGET @s file://out;')).toEqual({ statements: ['PUT file:///tmp/a.csv @s', 'LIST @s', 'GET @s file://out'], rest: '', restHasCode: false });
  });
});
