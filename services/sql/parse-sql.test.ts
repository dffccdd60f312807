import { describe, expect, it } from 'vitest';
import { NotSupportedError, SqlSyntaxError } from '../../storage/errors/firn-error.js';
import { parseSql } from './parse-sql.js';

function syntaxError(sql: string): SqlSyntaxError {
  try {
    parseSql(sql);
  } catch (e) {
    if (e instanceof SqlSyntaxError) return e;
    throw e;
  }
  throw new Error(`no syntax error for ${JSON.stringify(sql)}`);
}

describe('parseSql: scripts', () => {
  it('splits on top-level semicolons', () => {
    expect(parseSql('CREATE DATABASE d; USE d; SELECT 1').map((s) => s.kind)).toEqual(['create_database', 'use', 'query']);
  });

  it('ignores semicolons inside strings, comments and quoted identifiers', () => {
    const statements = parseSql(`
      SELECT 'a;b' AS "x;y", $$c;d$$ -- e;f
      FROM t /* g; h */ ;
      // i; j
      SELECT 2;`);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatchObject({
      kind: 'query',
      query: {
        body: {
          items: [
            { kind: 'expr', expr: { kind: 'string', value: 'a;b' }, alias: 'x;y' },
            { kind: 'expr', expr: { kind: 'string', value: 'c;d' }, alias: null },
          ],
          from: { kind: 'table', name: { parts: ['T'] } },
        },
      },
    });
  });

  it('skips empty statements and returns [] for a blank script', () => {
    expect(parseSql(';;SELECT 1;;; -- done\n;')).toHaveLength(1);
    expect(parseSql('')).toEqual([]);
    expect(parseSql('  -- only a comment\n ; ')).toEqual([]);
  });

  it('parses each statement on its own (an identifier in one never leaks into another)', () => {
    const [a, b] = parseSql('SELECT "x" FROM t; SELECT x FROM t');
    expect(a).toMatchObject({ query: { body: { items: [{ expr: { kind: 'column', name: 'x' } }] } } });
    expect(b).toMatchObject({ query: { body: { items: [{ expr: { kind: 'column', name: 'X' } }] } } });
  });
});

describe('parseSql: syntax errors carry Snowflake-style positions', () => {
  it('names the unexpected token like Snowflake', () => {
    const e = syntaxError('SELECT abc d FORM t');
    expect(e.position).toEqual({ line: 1, column: 14 });
    expect(e.message).toBe("SQL compilation error: syntax error line 1 at position 14: unexpected 'FORM'.");
    expect(e.code).toBe('001003');
    expect(e.sqlState).toBe('42000');
  });

  it.each([
    ['SELECT * FORM t', 1, 10, 'FORM'],
    ['SELECT a FROM', 1, 14, '<EOF>'],
    ['SELECT a FROM;', 1, 14, ';'],
    ['SELECT (1 + 2', 1, 14, '<EOF>'],
    ['SELECT (1 + 2; SELECT 3)', 1, 14, ';'],
    ['SELECT 1 + 2)', 1, 13, ')'],
    ['SELECT 1;\nSELECT 2;\n  SELEC 3', 3, 3, 'SELEC'],
    ['SELECT 1;\nSELECT a\n  FROM t\n  WHERE', 4, 8, '<EOF>'],
    ['SELECT a\n  FROM t\n  WHERE b = = 2', 3, 13, '='],
  ])('%j -> line %i column %i', (sql, line, column, token) => {
    const e = syntaxError(sql);
    expect(e.position).toEqual({ line, column });
    expect(e.message).toBe(`SQL compilation error: syntax error line ${line} at position ${column}: unexpected '${token}'.`);
  });

  it('parses the whole script before returning: a later error fails the script', () => {
    expect(() => parseSql('SELECT 1; SELECT FROM')).toThrow(SqlSyntaxError);
    expect(() => parseSql('SELECT 1; UPDATE t SET a = 1')).toThrow(NotSupportedError);
  });
});
