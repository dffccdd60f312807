import { describe, expect, it } from 'vitest';
import { NotSupportedError, SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import type { Expr, GroupingSets } from '../ast.js';
import { parseSql } from '../parse-sql.js';
import { col, num, query } from './front-test-kit.js';

describe('GROUP BY ROLLUP / CUBE / GROUPING SETS', () => {
  const grouping = (sql: string): { groupBy: Expr[]; groupingSets: GroupingSets | null } => {
    const body = query(sql).body;
    if (body.kind !== 'select') throw new Error('not a select');
    return { groupBy: body.groupBy, groupingSets: body.groupingSets };
  };

  it.each<[string, Expr[], GroupingSets | null]>([
    ['GROUP BY a, b', [col('A'), col('B')], null],
    ['GROUP BY ROLLUP (a, b)', [], { kind: 'rollup', exprs: [col('A'), col('B')] }],
    ['group by rollup(a)', [], { kind: 'rollup', exprs: [col('A')] }],
    ['GROUP BY CUBE (a, t.b, 1)', [], { kind: 'cube', exprs: [col('A'), col('B', 'T'), num('1')] }],
    ['GROUP BY GROUPING SETS ((a, b), (a), ())', [], { kind: 'grouping_sets', sets: [[col('A'), col('B')], [col('A')], []] }],
    ['GROUP BY GROUPING SETS (a, b)', [], { kind: 'grouping_sets', sets: [[col('A')], [col('B')]] }],
    ['GROUP BY GROUPING SETS ((a, b))', [], { kind: 'grouping_sets', sets: [[col('A'), col('B')]] }],
    ['GROUP BY GROUPING SETS (())', [], { kind: 'grouping_sets', sets: [[]] }],
    [
      'GROUP BY GROUPING SETS ((a + 1), upper(b), (c, d + 2))',
      [],
      {
        kind: 'grouping_sets',
        sets: [
          [{ kind: 'binary', op: '+', left: col('A'), right: num('1') }],
          [{ kind: 'function', name: 'UPPER', args: [col('B')], distinct: false, star: false }],
          [col('C'), { kind: 'binary', op: '+', left: col('D'), right: num('2') }],
        ],
      },
    ],
    ['GROUP BY a, ROLLUP (b, c)', [col('A')], { kind: 'rollup', exprs: [col('B'), col('C')] }],
    ['GROUP BY a, b, CUBE (c)', [col('A'), col('B')], { kind: 'cube', exprs: [col('C')] }],
    ['GROUP BY x, GROUPING SETS (y, z)', [col('X')], { kind: 'grouping_sets', sets: [[col('Y')], [col('Z')]] }],
    ['GROUP BY ROLLUP (a), b', [col('B')], { kind: 'rollup', exprs: [col('A')] }],
    ['GROUP BY rollup, cube, grouping', [col('ROLLUP'), col('CUBE'), col('GROUPING')], null],
    ['GROUP BY "ROLLUP"(a)', [{ kind: 'function', name: 'ROLLUP', args: [col('A')], distinct: false, star: false }], null],
  ])('%s', (clause, groupBy, groupingSets) => {
    expect(grouping(`SELECT 1 FROM t ${clause}`)).toEqual({ groupBy, groupingSets });
  });

  it('keeps the clauses around a grouping construct', () => {
    expect(query('SELECT a, b, GROUPING(a), SUM(x) FROM t WHERE x > 0 GROUP BY CUBE (a, b) HAVING SUM(x) > 1 ORDER BY a').body).toMatchObject({
      where: { kind: 'binary', op: '>' },
      groupBy: [],
      groupingSets: { kind: 'cube', exprs: [col('A'), col('B')] },
      having: { kind: 'binary', op: '>' },
    });
  });

  it('refuses what the AST cannot hold with NotSupportedError', () => {
    for (const [sql, message] of [
      ['SELECT 1 FROM t GROUP BY ROLLUP (a), CUBE (b)', /More than one ROLLUP, CUBE or GROUPING SETS/],
      ['SELECT 1 FROM t GROUP BY GROUPING SETS ((a), ()), ROLLUP (b)', /More than one/],
      ['SELECT 1 FROM t GROUP BY GROUPING SETS (ROLLUP (a), b)', /ROLLUP nested/],
      ['SELECT 1 FROM t GROUP BY GROUPING SETS ((a, CUBE (b)))', /CUBE nested/],
      ['SELECT 1 FROM t GROUP BY ROLLUP (a, GROUPING SETS (b))', /GROUPING SETS nested/],
      ['SELECT 1 FROM t GROUP BY ROLLUP ((a, b), c)', /Row value constructors/],
    ] as const) {
      expect(() => parseSql(sql)).toThrow(NotSupportedError);
      expect(() => parseSql(sql)).toThrow(message);
    }
  });

  it.each([
    ['SELECT 1 FROM t GROUP BY ROLLUP ()', 1, 34, ')'],
    ['SELECT 1 FROM t GROUP BY CUBE (a,)', 1, 34, ')'],
    ['SELECT 1 FROM t GROUP BY ROLLUP (a) b', 1, 37, 'b'],
    ['SELECT 1 FROM t GROUP BY GROUPING SETS a', 1, 40, 'a'],
    ['SELECT 1 FROM t GROUP BY GROUPING SETS', 1, 39, '<EOF>'],
    ['SELECT 1 FROM t GROUP BY GROUPING SETS ()', 1, 41, ')'],
    ['SELECT 1 FROM t GROUP BY GROUPING SETS ((a), , b)', 1, 46, ','],
    ['SELECT 1 FROM t GROUP BY a, ROLLUP (b) HAVING', 1, 46, '<EOF>'],
  ])('%j', (sql, line, column, token) => {
    let err: unknown;
    try {
      parseSql(sql);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SqlSyntaxError);
    expect((err as SqlSyntaxError).position).toEqual({ line, column });
    expect((err as SqlSyntaxError).message).toContain(`unexpected '${token}'.`);
  });
});

describe('GROUP BY ALL', () => {
  it('marks the select and leaves the item lists empty; ALL beside other items is not supported', () => {
    const body = query('SELECT a, SUM(b) FROM t GROUP BY ALL').body;
    expect(body.kind === 'select' && [body.groupByAll, body.groupBy, body.groupingSets]).toEqual([true, [], null]);
    const plain = query('SELECT a FROM t GROUP BY a').body;
    expect(plain.kind === 'select' && plain.groupByAll).toBe(undefined);
    expect(() => parseSql('SELECT a FROM t GROUP BY ALL, a')).toThrow(NotSupportedError);
    expect(() => parseSql('SELECT a FROM t GROUP BY a, ALL')).toThrow(NotSupportedError);
  });
});
