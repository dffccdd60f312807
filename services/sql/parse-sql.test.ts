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
    expect(() => parseSql('SELECT 1; GRANT SELECT ON ALL VIEWS IN SCHEMA s TO ROLE r')).toThrow(NotSupportedError);
  });
});

describe('parseSql: long chains and deep nesting (issue 7, point 10)', () => {
  type E = import('./ast.js').Expr;
  const where = (sql: string): E => {
    const [s] = parseSql(sql);
    if (s.kind !== 'query' || s.query.body.kind !== 'select' || !s.query.body.where) throw new Error('no WHERE');
    return s.query.body.where;
  };
  /** Depth of the AND/OR tree and its leaves in order, iteratively. */
  const shape = (e: E): { depth: number; leaves: E[] } => {
    let depth = 0;
    const leaves: E[] = [];
    const stack: [E, number][] = [[e, 1]];
    while (stack.length > 0) {
      const [x, d] = stack.pop() as [E, number];
      depth = Math.max(depth, d);
      if (x.kind === 'binary' && (x.op === 'AND' || x.op === 'OR')) stack.push([x.right, d + 1], [x.left, d + 1]);
      else leaves.push(x);
    }
    return { depth, leaves };
  };

  it('parses a 10,000-term OR as a balanced tree with every term in source order', () => {
    const e = where(`SELECT 1 FROM t WHERE ${Array.from({ length: 10_000 }, (_, i) => `x = ${i}`).join(' OR ')}`);
    const { depth, leaves } = shape(e);
    expect(depth).toBe(15);
    expect(leaves.length).toBe(10_000);
    expect(leaves[9_999]).toEqual({ kind: 'binary', op: '=', left: { kind: 'column', table: null, name: 'X' }, right: { kind: 'number', text: '9999' } });
  });

  it('keeps AND above OR and BETWEEN ... AND inside a long chain', () => {
    const tail = Array.from({ length: 100 }, (_, i) => `y = ${i}`).join(' OR ');
    const e = where(`SELECT 1 FROM t WHERE (x BETWEEN 1 AND 2 AND z OR ${tail})`);
    if (e.kind !== 'binary' || e.op !== 'OR') throw new Error('not an OR');
    const first = shape(e).leaves[0];
    expect(first).toEqual({
      kind: 'between',
      expr: { kind: 'column', table: null, name: 'X' },
      low: { kind: 'number', text: '1' },
      high: { kind: 'number', text: '2' },
      negated: false,
    });
    expect(shape(e).leaves.length).toBe(102);
    // `x BETWEEN 1 AND 2 AND z` is one disjunct: its AND node holds the BETWEEN and Z.
    let left: E = e;
    while (left.kind === 'binary' && left.op === 'OR') left = left.left;
    expect(left).toEqual({ kind: 'binary', op: 'AND', left: first, right: { kind: 'column', table: null, name: 'Z' } });
  });

  it('refuses parentheses nested past 256 levels with STATEMENT_TOO_COMPLEX (54001)', () => {
    expect(() => parseSql(`SELECT ${'('.repeat(256)}1${')'.repeat(256)}`)).not.toThrow();
    for (const n of [257, 2_000, 5_000]) {
      try {
        parseSql(`SELECT ${'('.repeat(n)}1${')'.repeat(n)}`);
        throw new Error('no error');
      } catch (e) {
        expect((e as { sqlState?: string }).sqlState).toBe('54001');
        expect((e as Error).message).toBe('SQL compilation error: statement too complex: parentheses nest deeper than 256 levels (line 1 at position 264)');
      }
    }
  });

  it('maps a stack overflow while parsing (a 20,000-term sum) to 54001', () => {
    expect(() => parseSql(`SELECT ${Array(20_000).fill('x').join(' + ')}`)).toThrow(expect.objectContaining({ code: '390305', sqlState: '54001' }));
  });
});
