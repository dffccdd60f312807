import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Expr, Statement } from '../ast.js';
import { parseSql } from '../parse-sql.js';
import { col, eq, join, num, one, q, sel, str, syntaxErrorAt, table } from './front-test-kit.js';

const gt = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '>', left, right });
const and = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: 'AND', left, right });
const plus = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '+', left, right });

describe('UPDATE', () => {
  it.each<[string, Statement]>([
    ['UPDATE t SET a = 1', { kind: 'update', table: { parts: ['T'] }, alias: null, set: [{ column: 'A', qualifier: null, expr: num('1') }], from: null, where: null }],
    [
      'update d.s.t AS x SET x.a = a + 1, "b" = \'v\' WHERE x.k = 2',
      {
        kind: 'update',
        table: { parts: ['D', 'S', 'T'] },
        alias: 'X',
        set: [
          { column: 'A', qualifier: 'X', expr: plus(col('A'), num('1')) },
          { column: 'b', qualifier: null, expr: str('v') },
        ],
        from: null,
        where: eq(col('K', 'X'), num('2')),
      },
    ],
    [
      'UPDATE target tg SET v = src.v FROM src, other o WHERE tg.k = src.k',
      {
        kind: 'update',
        table: { parts: ['TARGET'] },
        alias: 'TG',
        set: [{ column: 'V', qualifier: null, expr: col('V', 'SRC') }],
        from: join('CROSS', table(['SRC']), table(['OTHER'], 'O')),
        where: eq(col('K', 'TG'), col('K', 'SRC')),
      },
    ],
    [
      'UPDATE t SET a = (SELECT max(b) FROM u) FROM (SELECT 1 AS k) s JOIN v ON s.k = v.k',
      {
        kind: 'update',
        table: { parts: ['T'] },
        alias: null,
        set: [{ column: 'A', qualifier: null, expr: { kind: 'subquery', query: q(sel([], { items: [{ kind: 'expr', expr: { kind: 'function', name: 'MAX', args: [col('B')], distinct: false, star: false }, alias: null }], from: table(['U']) })) } }],
        from: join('INNER', { kind: 'derived', query: q(sel([], { items: [{ kind: 'expr', expr: num('1'), alias: 'K' }] })), alias: 'S' }, table(['V']), { on: eq(col('K', 'S'), col('K', 'V')) }),
        where: null,
      },
    ],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it('keeps IS DISTINCT FROM inside a SET value (not a FROM clause)', () => {
    expect(one('UPDATE t SET f = a IS DISTINCT FROM b WHERE a > 1')).toEqual({
      kind: 'update',
      table: { parts: ['T'] },
      alias: null,
      set: [{ column: 'F', qualifier: null, expr: { kind: 'binary', op: 'IS DISTINCT FROM', left: col('A'), right: col('B') } }],
      from: null,
      where: gt(col('A'), num('1')),
    });
  });

  it.each([
    ['UPDATE t a = 1', '=@1:12'],
    ['UPDATE t SET', '<EOF>@1:13'],
    ['UPDATE t SET WHERE a = 1', 'WHERE@1:14'],
    ['UPDATE t SET a WHERE a = 1', 'WHERE@1:16'],
    ['UPDATE t SET a = 1,', '<EOF>@1:20'],
    ['UPDATE t SET a = 1 FROM', '<EOF>@1:24'],
    ['UPDATE t SET a = 1 FROM WHERE a = 1', 'WHERE@1:25'],
    ['UPDATE t SET a = 1 WHERE', '<EOF>@1:25'],
    ['UPDATE t SET a.b.c = 1', '.@1:17'],
  ])('%s is a syntax error', (sql, at) => {
    expect(syntaxErrorAt(sql)).toBe(at);
  });

  it('refuses DEFAULT as a SET value', () => {
    expect(() => parseSql('UPDATE t SET a = DEFAULT')).toThrow(NotSupportedError);
  });
});

describe('DELETE', () => {
  it.each<[string, Statement]>([
    ['DELETE FROM t', { kind: 'delete', table: { parts: ['T'] }, alias: null, using: null, where: null }],
    ['delete from s.t x where x.a > 1', { kind: 'delete', table: { parts: ['S', 'T'] }, alias: 'X', using: null, where: gt(col('A', 'X'), num('1')) }],
    [
      'DELETE FROM t AS x USING u, (SELECT 1 AS k) v WHERE x.k = u.k AND u.k = v.k',
      {
        kind: 'delete',
        table: { parts: ['T'] },
        alias: 'X',
        using: join('CROSS', table(['U']), { kind: 'derived', query: q(sel([], { items: [{ kind: 'expr', expr: num('1'), alias: 'K' }] })), alias: 'V' }),
        where: and(eq(col('K', 'X'), col('K', 'U')), eq(col('K', 'U'), col('K', 'V'))),
      },
    ],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['DELETE t', 't@1:8'],
    ['DELETE FROM', '<EOF>@1:12'],
    ['DELETE FROM t USING', '<EOF>@1:20'],
    ['DELETE FROM t USING WHERE a = 1', 'WHERE@1:21'],
    ['DELETE FROM t WHERE', '<EOF>@1:20'],
    ['DELETE FROM t x y', 'y@1:17'],
  ])('%s is a syntax error', (sql, at) => {
    expect(syntaxErrorAt(sql)).toBe(at);
  });
});

describe('MERGE', () => {
  it('reads every clause kind, in order, with their AND predicates', () => {
    expect(
      one(`MERGE INTO t AS tg USING s src ON tg.k = src.k
        WHEN MATCHED AND src.op = 'd' THEN DELETE
        WHEN MATCHED AND src.v > 1 THEN UPDATE SET tg.v = src.v, w = 0
        WHEN MATCHED THEN UPDATE SET v = 1
        WHEN NOT MATCHED AND src.v > 0 THEN INSERT (k, v) VALUES (src.k, src.v)
        WHEN NOT MATCHED THEN INSERT VALUES (src.k, NULL)`),
    ).toEqual({
      kind: 'merge',
      table: { parts: ['T'] },
      alias: 'TG',
      source: table(['S'], 'SRC'),
      on: eq(col('K', 'TG'), col('K', 'SRC')),
      clauses: [
        { kind: 'matched_delete', and: eq(col('OP', 'SRC'), str('d')) },
        {
          kind: 'matched_update',
          and: gt(col('V', 'SRC'), num('1')),
          set: [
            { column: 'V', qualifier: 'TG', expr: col('V', 'SRC') },
            { column: 'W', qualifier: null, expr: num('0') },
          ],
        },
        { kind: 'matched_update', and: null, set: [{ column: 'V', qualifier: null, expr: num('1') }] },
        { kind: 'not_matched_insert', and: gt(col('V', 'SRC'), num('0')), columns: ['K', 'V'], values: [col('K', 'SRC'), col('V', 'SRC')] },
        { kind: 'not_matched_insert', and: null, columns: null, values: [col('K', 'SRC'), { kind: 'null' }] },
      ],
    });
  });

  it('takes a subquery or a time-travel table as the source, and CASE expressions anywhere', () => {
    const caseExpr = (operand: Expr | null, when: Expr, then: Expr, otherwise: Expr): Expr => ({ kind: 'case', operand, whens: [{ when, then }], else: otherwise });
    expect(
      one(`MERGE INTO t USING (SELECT a FROM u) s ON t.a = s.a AND CASE WHEN s.a > 1 THEN TRUE ELSE FALSE END
        WHEN MATCHED AND CASE s.a WHEN 1 THEN TRUE ELSE FALSE END THEN UPDATE SET b = CASE WHEN s.a > 2 THEN 1 ELSE 0 END
        WHEN NOT MATCHED THEN INSERT (a) VALUES (CASE WHEN s.a IS NULL THEN 0 ELSE s.a END)`),
    ).toEqual({
      kind: 'merge',
      table: { parts: ['T'] },
      alias: null,
      source: { kind: 'derived', query: q(sel(['A'], { from: table(['U']) })), alias: 'S' },
      on: and(eq(col('A', 'T'), col('A', 'S')), caseExpr(null, gt(col('A', 'S'), num('1')), { kind: 'boolean', value: true }, { kind: 'boolean', value: false })),
      clauses: [
        {
          kind: 'matched_update',
          and: caseExpr(col('A', 'S'), num('1'), { kind: 'boolean', value: true }, { kind: 'boolean', value: false }),
          set: [{ column: 'B', qualifier: null, expr: caseExpr(null, gt(col('A', 'S'), num('2')), num('1'), num('0')) }],
        },
        {
          kind: 'not_matched_insert',
          and: null,
          columns: ['A'],
          values: [caseExpr(null, { kind: 'is_null', expr: col('A', 'S'), negated: false }, num('0'), col('A', 'S'))],
        },
      ],
    });
    expect(one("MERGE INTO t USING s BEFORE (STATEMENT => 'q1') ON t.a = s.a WHEN MATCHED THEN DELETE")).toEqual({
      kind: 'merge',
      table: { parts: ['T'] },
      alias: null,
      source: { kind: 'table', name: { parts: ['S'] }, alias: null, at: { mode: 'BEFORE', point: 'STATEMENT', expr: str('q1') } },
      on: eq(col('A', 'T'), col('A', 'S')),
      clauses: [{ kind: 'matched_delete', and: null }],
    });
  });

  it.each([
    ['MERGE INTO t USING s ON t.a = s.a', '<EOF>@1:34', 'no WHEN clause'],
    ['MERGE INTO t USING s WHEN MATCHED THEN DELETE', 'WHEN@1:22', 'no ON'],
    ['MERGE INTO t USING s ON WHEN MATCHED THEN DELETE', 'WHEN@1:25', 'an empty ON'],
    ['MERGE t USING s ON t.a = s.a WHEN MATCHED THEN DELETE', 't@1:7', 'no INTO'],
    ['MERGE INTO t ON t.a = 1 WHEN MATCHED THEN DELETE', 'ON@1:14', 'no USING'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN MATCHED DELETE', 'DELETE@1:48', 'no THEN'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN THEN DELETE', 'THEN@1:40', 'no MATCHED'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN MATCHED AND THEN DELETE', 'THEN@1:52', 'an empty AND'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN INSERT VALUES (1)', 'INSERT@1:53', 'INSERT when matched'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN DELETE', 'DELETE@1:57', 'DELETE when not matched'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN UPDATE SET a = 1', 'UPDATE@1:57', 'UPDATE when not matched'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN UPDATE a = 1', 'a@1:60', 'UPDATE without SET'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN UPDATE SET', '<EOF>@1:63', 'an empty SET'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE x', 'x@1:60', 'words after DELETE'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN INSERT (a)', '<EOF>@1:67', 'INSERT without VALUES'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN INSERT (a) VALUES ()', ')@1:76', 'empty VALUES'],
    ['MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED BY SOURCE THEN DELETE', 'BY@1:52', 'BY SOURCE'],
  ])('%s is a syntax error (%s, %s)', (sql, at) => {
    expect(syntaxErrorAt(sql)).toBe(at);
  });

  it.each([
    ['MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN UPDATE ALL BY NAME', /UPDATE ALL BY NAME/],
    ['MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN INSERT ALL BY NAME', /INSERT ALL BY NAME/],
    ['MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN INSERT VALUES (DEFAULT)', /DEFAULT/],
  ])('%s is NotSupportedError', (sql, message) => {
    expect(() => parseSql(sql)).toThrow(NotSupportedError);
    expect(() => parseSql(sql)).toThrow(message);
  });
});

describe('TRUNCATE', () => {
  it.each<[string, Statement]>([
    ['TRUNCATE TABLE t', { kind: 'truncate', table: { parts: ['T'] }, ifExists: false }],
    ['truncate d.s."t"', { kind: 'truncate', table: { parts: ['D', 'S', 't'] }, ifExists: false }],
    ['TRUNCATE TABLE IF EXISTS t', { kind: 'truncate', table: { parts: ['T'] }, ifExists: true }],
    ['TRUNCATE IF EXISTS t', { kind: 'truncate', table: { parts: ['T'] }, ifExists: true }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['TRUNCATE', '<EOF>@1:9'],
    ['TRUNCATE TABLE', '<EOF>@1:15'],
    ['TRUNCATE TABLE t u', 'u@1:18'],
    ['TRUNCATE TABLE IF t', 't@1:19'],
  ])('%s is a syntax error', (sql, at) => {
    expect(syntaxErrorAt(sql)).toBe(at);
  });
});

describe('INSERT OVERWRITE', () => {
  it('parses like INSERT, with overwrite set', () => {
    expect(one('INSERT OVERWRITE INTO t (a) SELECT b FROM u')).toEqual({
      kind: 'insert',
      table: { parts: ['T'] },
      columns: ['A'],
      source: q(sel(['B'], { from: table(['U']) })),
      overwrite: true,
    });
    expect(one('INSERT OVERWRITE INTO t VALUES (1)')).toEqual({
      kind: 'insert',
      table: { parts: ['T'] },
      columns: null,
      source: q({ kind: 'values', rows: [[num('1')]] }),
      overwrite: true,
    });
    expect(syntaxErrorAt('INSERT OVERWRITE t VALUES (1)')).toBe('t@1:18');
    expect(syntaxErrorAt('INSERT OVERWRITE INTO t')).toBe('<EOF>@1:24');
  });
});
