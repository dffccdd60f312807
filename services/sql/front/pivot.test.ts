import { describe, expect, it } from 'vitest';
import { NotSupportedError, SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import type { Expr, TableRef } from '../ast.js';
import { col, num, query, str, table } from './front-test-kit.js';

const fn = (name: string, args: Expr[], distinct = false): Expr => ({ kind: 'function', name, args, distinct, star: false });

function from(sql: string): TableRef {
  const body = query(sql).body;
  if (body.kind !== 'select' || !body.from) throw new Error('no FROM');
  return body.from;
}

describe('PIVOT', () => {
  it('parses the aggregate, the value column and the value list', () => {
    expect(from("SELECT * FROM t PIVOT (SUM(v) FOR k IN ('x', 'y'))")).toEqual({
      kind: 'pivot',
      source: table(['T']),
      aggregate: fn('SUM', [col('V')]),
      aggregateAlias: null,
      valueColumn: 'K',
      values: [{ expr: str('x'), alias: null }, { expr: str('y'), alias: null }],
      defaultOnNull: null,
      alias: null,
      columns: null,
    });
  });

  it('parses aliases of the aggregate, of values and of the result, and DEFAULT ON NULL', () => {
    expect(from("SELECT * FROM t AS s PIVOT (count(DISTINCT v) AS n FOR k IN (1 AS one, 2 two, 'z' AS \"Z z\") DEFAULT ON NULL (0)) AS p (a, b, c, d)")).toEqual({
      kind: 'pivot',
      source: table(['T'], 'S'),
      aggregate: fn('COUNT', [col('V')], true),
      aggregateAlias: 'N',
      valueColumn: 'K',
      values: [{ expr: num('1'), alias: 'ONE' }, { expr: num('2'), alias: 'TWO' }, { expr: str('z'), alias: 'Z z' }],
      defaultOnNull: num('0'),
      alias: 'P',
      columns: ['A', 'B', 'C', 'D'],
    });
  });

  it('follows a derived table and chains with UNPIVOT and joins', () => {
    const ref = from("SELECT * FROM (SELECT 1 a) d PIVOT (MAX(a) FOR b IN (1)) p JOIN u ON p.x = u.x");
    expect(ref).toMatchObject({ kind: 'join', left: { kind: 'pivot', source: { kind: 'derived', alias: 'D' }, alias: 'P' }, right: table(['U']) });
    expect(from('SELECT * FROM t UNPIVOT (v FOR n IN (a, b)) PIVOT (SUM(v) FOR n IN (1))')).toMatchObject({
      kind: 'pivot',
      source: { kind: 'unpivot', source: table(['T']) },
    });
  });

  it('refuses dynamic pivots (ANY, a subquery) with 0A000', () => {
    expect(() => query('SELECT * FROM t PIVOT (SUM(v) FOR k IN (ANY ORDER BY k))')).toThrow(NotSupportedError);
    expect(() => query('SELECT * FROM t PIVOT (SUM(v) FOR k IN (SELECT DISTINCT k FROM t))')).toThrow(/subquery/);
  });

  it.each([
    'SELECT * FROM t PIVOT (SUM(v) k IN (1))',
    'SELECT * FROM t PIVOT (SUM(v) FOR k IN ())',
    'SELECT * FROM t PIVOT (SUM(v) FOR k IN (1) DEFAULT NULL (0))',
    'SELECT * FROM t PIVOT (SUM(v) FOR k IN (1) extra)',
    'SELECT * FROM t PIVOT SUM(v) FOR k IN (1)',
  ])('syntax error: %s', (sql) => {
    expect(() => query(sql)).toThrow(SqlSyntaxError);
  });
});

describe('UNPIVOT', () => {
  it('parses the value and name columns, the column list and NULLS', () => {
    expect(from('SELECT * FROM t UNPIVOT (sales FOR month IN (jan, "feb")) u')).toEqual({
      kind: 'unpivot',
      source: table(['T']),
      includeNulls: false,
      valueColumn: 'SALES',
      nameColumn: 'MONTH',
      inColumns: ['JAN', 'feb'],
      alias: 'U',
      columns: null,
    });
    expect(from('SELECT * FROM t UNPIVOT INCLUDE NULLS (v FOR n IN (a))')).toMatchObject({ kind: 'unpivot', includeNulls: true });
    expect(from('SELECT * FROM t UNPIVOT EXCLUDE NULLS (v FOR n IN (a)) AS x (p, q)')).toMatchObject({ kind: 'unpivot', includeNulls: false, alias: 'X', columns: ['P', 'Q'] });
  });

  it.each([
    'SELECT * FROM t UNPIVOT (v FOR n IN ())',
    'SELECT * FROM t UNPIVOT (v n IN (a))',
    'SELECT * FROM t UNPIVOT INCLUDE (v FOR n IN (a))',
    'SELECT * FROM t UNPIVOT (v FOR n IN (a + 1))',
  ])('syntax error: %s', (sql) => {
    expect(() => query(sql)).toThrow(SqlSyntaxError);
  });
});
