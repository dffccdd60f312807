import { describe, expect, it } from 'vitest';
import { SqlSyntaxError } from '../../../storage/errors/firn-error.js';
import type { Select } from '../ast.js';
import { col, num, str, eq, table, join, sel, q, query, syntaxErrorAt } from './front-test-kit.js';

describe('queries', () => {
  it('parses every SELECT clause', () => {
    expect(query('SELECT DISTINCT a, 1 FROM t WHERE a = 1 GROUP BY a, 1 HAVING count(*) > 1 QUALIFY a = 2 ORDER BY a DESC NULLS LAST LIMIT 10 OFFSET 5')).toEqual(
      q(
        sel(['A', '1'], {
          distinct: true,
          from: table(['T']),
          where: eq(col('A'), num('1')),
          groupBy: [col('A'), num('1')],
          having: { kind: 'binary', op: '>', left: { kind: 'function', name: 'COUNT', args: [], distinct: false, star: true }, right: num('1') },
          qualify: eq(col('A'), num('2')),
        }),
        { orderBy: [{ expr: col('A'), desc: true, nullsFirst: false }], limit: num('10'), offset: num('5') },
      ),
    );
  });

  it('reads ORDER BY directions and NULLS FIRST/LAST (null when unspecified)', () => {
    expect(query('SELECT a FROM t ORDER BY a, b ASC, c DESC, d NULLS FIRST, e DESC NULLS FIRST, 2').orderBy).toEqual([
      { expr: col('A'), desc: false, nullsFirst: null },
      { expr: col('B'), desc: false, nullsFirst: null },
      { expr: col('C'), desc: true, nullsFirst: null },
      { expr: col('D'), desc: false, nullsFirst: true },
      { expr: col('E'), desc: true, nullsFirst: true },
      { expr: num('2'), desc: false, nullsFirst: null },
    ]);
  });

  it('reads LIMIT, OFFSET and FETCH forms', () => {
    expect(query('SELECT a FROM t LIMIT 3')).toMatchObject({ limit: num('3'), offset: null });
    expect(query('SELECT a FROM t OFFSET 4 ROWS FETCH NEXT 2 ROWS ONLY')).toMatchObject({ limit: num('2'), offset: num('4') });
    expect(query('SELECT a FROM t FETCH FIRST 7 ROWS')).toMatchObject({ limit: num('7'), offset: null });
    expect(query('SELECT a FROM t OFFSET 1')).toMatchObject({ limit: null, offset: num('1') });
  });

  it('reads FROM items, aliases and every join form', () => {
    const from = (sql: string) => (query(`SELECT * FROM ${sql}`).body as Select).from;
    expect(from('db.s.t AS x')).toEqual(table(['DB', 'S', 'T'], 'X'));
    expect(from('"My Db"."s".t "Al"')).toEqual(table(['My Db', 's', 'T'], 'Al'));
    expect(from('t, u')).toEqual(join('CROSS', table(['T']), table(['U'])));
    expect(from('t JOIN u ON t.a = u.a')).toEqual(join('INNER', table(['T']), table(['U']), { on: eq(col('A', 'T'), col('A', 'U')) }));
    expect(from('t INNER JOIN u USING (a, "B")')).toEqual(join('INNER', table(['T']), table(['U']), { using: ['A', 'B'] }));
    expect(from('t LEFT OUTER JOIN u ON 1 = 1 RIGHT JOIN v ON 2 = 2 FULL JOIN w ON 3 = 3')).toEqual(
      join('FULL', join('RIGHT', join('LEFT', table(['T']), table(['U']), { on: eq(num('1'), num('1')) }), table(['V']), { on: eq(num('2'), num('2')) }), table(['W']), {
        on: eq(num('3'), num('3')),
      }),
    );
    expect(from('t NATURAL JOIN u CROSS JOIN v')).toEqual(join('CROSS', join('INNER', table(['T']), table(['U']), { natural: true }), table(['V'])));
    expect(from('t NATURAL LEFT JOIN u')).toEqual(join('LEFT', table(['T']), table(['U']), { natural: true }));
    expect(from('t JOIN u ON left(t.a, 1) = u.b, v')).toEqual(
      join('CROSS', join('INNER', table(['T']), table(['U']), { on: eq({ kind: 'function', name: 'LEFT', args: [col('A', 'T'), num('1')], distinct: false, star: false }, col('B', 'U')) }), table(['V'])),
    );
    expect(from('t JOIN (u JOIN v ON u.x = v.x) ON t.x = u.x')).toEqual(
      join('INNER', table(['T']), join('INNER', table(['U']), table(['V']), { on: eq(col('X', 'U'), col('X', 'V')) }), { on: eq(col('X', 'T'), col('X', 'U')) }),
    );
    expect(from('(SELECT 1) s')).toEqual({ kind: 'derived', query: q(sel(['1'])), alias: 'S' });
    expect(from('(SELECT 1 UNION SELECT 2) AS "s"')).toMatchObject({ kind: 'derived', alias: 's', query: { body: { kind: 'set_operation' } } });
    expect(from('(VALUES (1, 2)) v')).toEqual({ kind: 'derived', query: q({ kind: 'values', rows: [[num('1'), num('2')]] }), alias: 'V' });
  });

  it('reads column aliases on derived tables and VALUES, also VALUES without parentheses', () => {
    const from = (sql: string) => (query(`SELECT * FROM ${sql}`).body as Select).from;
    const values = q({ kind: 'values', rows: [[num('1'), num('2')], [num('3'), num('4')]] });
    expect(from('(SELECT 1, 2) AS t(a, "b")')).toEqual({ kind: 'derived', query: q(sel(['1', '2'])), alias: 'T', columns: ['A', 'b'] });
    expect(from('(VALUES (1, 2), (3, 4)) v (x, y)')).toEqual({ kind: 'derived', query: values, alias: 'V', columns: ['X', 'Y'] });
    expect(from('VALUES (1, 2), (3, 4) AS v(x, y)')).toEqual({ kind: 'derived', query: values, alias: 'V', columns: ['X', 'Y'] });
    expect(from('VALUES (1, 2), (3, 4)')).toEqual({ kind: 'derived', query: values, alias: null });
    expect(from('VALUES (1, 2), (3, 4) v, u')).toEqual(join('CROSS', { kind: 'derived', query: values, alias: 'V' }, table(['U'])));
    expect(() => from('(SELECT 1) (a)')).toThrow(SqlSyntaxError);
    expect(() => from('(SELECT 1) t()')).toThrow(SqlSyntaxError);
  });

  it('does not take the FROM of IS [NOT] DISTINCT FROM for a FROM clause', () => {
    const s = query('SELECT a IS DISTINCT FROM b FROM t JOIN u ON t.k IS NOT DISTINCT FROM u.k WHERE c IS DISTINCT FROM 1').body as Select;
    expect(s.items).toEqual([{ kind: 'expr', expr: { kind: 'binary', op: 'IS DISTINCT FROM', left: col('A'), right: col('B') }, alias: null }]);
    expect(s.from).toEqual(join('INNER', table(['T']), table(['U']), { on: { kind: 'binary', op: 'IS NOT DISTINCT FROM', left: col('K', 'T'), right: col('K', 'U') } }));
    expect(s.where).toEqual({ kind: 'binary', op: 'IS DISTINCT FROM', left: col('C'), right: num('1') });
  });

  it('parses set operations with INTERSECT binding tighter, MINUS as EXCEPT', () => {
    const s = (n: string) => sel([n]);
    expect(query('SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 3 EXCEPT SELECT 4 MINUS SELECT 5 ORDER BY 1 LIMIT 2')).toEqual(
      q(
        {
          kind: 'set_operation',
          op: 'EXCEPT',
          all: false,
          left: {
            kind: 'set_operation',
            op: 'EXCEPT',
            all: false,
            left: { kind: 'set_operation', op: 'UNION', all: true, left: s('1'), right: { kind: 'set_operation', op: 'INTERSECT', all: false, left: s('2'), right: s('3') } },
            right: s('4'),
          },
          right: s('5'),
        },
        { orderBy: [{ expr: num('1'), desc: false, nullsFirst: null }], limit: num('2') },
      ),
    );
    expect(query('SELECT 1 UNION DISTINCT SELECT 2').body).toEqual({ kind: 'set_operation', op: 'UNION', all: false, left: s('1'), right: s('2') });
    expect(query('(SELECT 1 UNION SELECT 2) INTERSECT (SELECT 3)').body).toEqual({
      kind: 'set_operation',
      op: 'INTERSECT',
      all: false,
      left: { kind: 'set_operation', op: 'UNION', all: false, left: s('1'), right: s('2') },
      right: s('3'),
    });
  });

  it('keeps a parenthesized operand with its own ORDER BY/LIMIT as a derived table', () => {
    expect(query('(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL SELECT b FROM u').body).toMatchObject({
      kind: 'set_operation',
      left: { kind: 'select', items: [{ kind: 'star', table: null }], from: { kind: 'derived', alias: null, query: { limit: num('1') } } },
    });
    expect(query('((SELECT 1))')).toEqual(q(sel(['1'])));
  });

  it('parses WITH, VALUES and a query without FROM', () => {
    expect(query('WITH a AS (SELECT 1), "B" (x, y) AS (SELECT 2, 3) SELECT * FROM a')).toEqual(
      q(sel(['*'], { from: table(['A']) }), {
        with: [
          { name: 'A', columns: null, query: q(sel(['1'])) },
          { name: 'B', columns: ['X', 'Y'], query: q(sel(['2', '3'])) },
        ],
      }),
    );
    expect(query("VALUES (1, 'a'), (-2, NULL) ORDER BY 1")).toEqual(
      q(
        { kind: 'values', rows: [[num('1'), str('a')], [{ kind: 'unary', op: '-', expr: num('2') }, { kind: 'null' }]] },
        { orderBy: [{ expr: num('1'), desc: false, nullsFirst: null }] },
      ),
    );
  });

  it('parses WITH RECURSIVE: a recursive CTE is anchor UNION ALL a clause over itself, with or without a column list', () => {
    const anchor = sel(['1']);
    const step = sel([], {
      items: [{ kind: 'expr', expr: { kind: 'binary', op: '+', left: col('N'), right: num('1') }, alias: null }],
      from: table(['R']),
      where: { kind: 'binary', op: '<', left: col('N'), right: num('3') },
    });
    const cte = q({ kind: 'set_operation', op: 'UNION', all: true, left: anchor, right: step });
    expect(query('WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r')).toEqual(
      q(sel(['*'], { from: table(['R']) }), { with: [{ name: 'R', columns: ['N'], query: cte }], recursive: true }),
    );
    // RECURSIVE changes nothing but the record of it: the same CTE without it, and without a column list.
    expect(query('WITH r AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r')).toEqual(
      q(sel(['*'], { from: table(['R']) }), { with: [{ name: 'R', columns: null, query: cte }] }),
    );
    const two = query('with recursive a AS (SELECT 1), b (x) AS (SELECT 2) SELECT * FROM b');
    expect([two.recursive, two.with.map((w) => [w.name, w.columns])]).toEqual([true, [['A', null], ['B', ['X']]]]);
  });

  it('reads a CTE named RECURSIVE as a CTE, and RECURSIVE only once', () => {
    expect(query('WITH recursive AS (SELECT 1) SELECT * FROM recursive')).toEqual(
      q(sel(['*'], { from: table(['RECURSIVE']) }), { with: [{ name: 'RECURSIVE', columns: null, query: q(sel(['1'])) }] }),
    );
    expect(query('WITH recursive (x) AS (SELECT 1) SELECT * FROM recursive').with[0]).toEqual({ name: 'RECURSIVE', columns: ['X'], query: q(sel(['1'])) });
    expect(query('WITH RECURSIVE recursive AS (SELECT 1) SELECT * FROM recursive')).toMatchObject({ recursive: true, with: [{ name: 'RECURSIVE' }] });
    expect(syntaxErrorAt('WITH RECURSIVE a AS (SELECT 1), RECURSIVE b AS (SELECT 2) SELECT * FROM b')).toBe('b@1:43');
  });
});
