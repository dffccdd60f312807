import { describe, expect, it } from 'vitest';
import { NotSupportedError } from '../../../storage/errors/firn-error.js';
import type { Expr, Select, Statement, TableRef, TimeTravel } from '../ast.js';
import { parseSql } from '../parse-sql.js';
import { col, eq, join, num, one, q, query, sel, str, syntaxErrorAt, table } from './front-test-kit.js';

const from = (sql: string): TableRef | null => (query(`SELECT * FROM ${sql}`).body as Select).from;
const at = (mode: 'AT' | 'BEFORE', point: TimeTravel['point'], expr: Expr): TimeTravel => ({ mode, point, expr });
const tt = (parts: string[], travel: TimeTravel, alias: string | null = null): TableRef => ({ kind: 'table', name: { parts }, alias, at: travel });
const neg = (expr: Expr): Expr => ({ kind: 'unary', op: '-', expr });

describe('AT | BEFORE after a table name', () => {
  it('reads every point kind, before the alias', () => {
    expect(from("t AT (TIMESTAMP => '2024-06-01 10:00:00'::TIMESTAMP_NTZ) AS x")).toEqual(
      tt(['T'], at('AT', 'TIMESTAMP', { kind: 'cast', expr: str('2024-06-01 10:00:00'), type: { name: 'TIMESTAMP_NTZ', params: [] }, try: false }), 'X'),
    );
    expect(from('d.s.t at(offset => -60*5) x')).toEqual(
      tt(['D', 'S', 'T'], at('AT', 'OFFSET', { kind: 'binary', op: '*', left: neg(num('60')), right: num('5') }), 'X'),
    );
    expect(from("t BEFORE(STATEMENT => '8e5d0ca9-005e-44e6-b858-a8f5b37c5726')")).toEqual(
      tt(['T'], at('BEFORE', 'STATEMENT', str('8e5d0ca9-005e-44e6-b858-a8f5b37c5726'))),
    );
    expect(from("t AT(TIMESTAMP => TIMESTAMP '2024-01-01 00:00:00')")).toEqual(
      tt(['T'], at('AT', 'TIMESTAMP', { kind: 'typed_literal', type: { name: 'TIMESTAMP', params: [] }, value: '2024-01-01 00:00:00' })),
    );
    expect(from('t AT(TIMESTAMP => to_timestamp(1432669154242, 3))')).toEqual(
      tt(['T'], at('AT', 'TIMESTAMP', { kind: 'function', name: 'TO_TIMESTAMP', args: [num('1432669154242'), num('3')], distinct: false, star: false })),
    );
  });

  it('works on every table reference: joins, subqueries, CTEs, IN subqueries', () => {
    const off = at('AT', 'OFFSET', neg(num('60')));
    expect(from('t AT(OFFSET => -60) a JOIN u BEFORE(OFFSET => -60) b ON a.k = b.k')).toEqual(
      join('INNER', tt(['T'], off, 'A'), tt(['U'], at('BEFORE', 'OFFSET', neg(num('60'))), 'B'), { on: eq(col('K', 'A'), col('K', 'B')) }),
    );
    expect(from('(SELECT * FROM t AT(OFFSET => -60)) s')).toEqual({ kind: 'derived', query: q(sel(['*'], { from: tt(['T'], off) })), alias: 'S' });
    expect(query('WITH c AS (SELECT k FROM t AT(OFFSET => -60)) SELECT * FROM c').with).toEqual([{ name: 'C', columns: null, query: q(sel(['K'], { from: tt(['T'], off) })) }]);
    expect((query('SELECT 1 WHERE 1 IN (SELECT k FROM t AT(OFFSET => -60))').body as Select).where).toEqual({
      kind: 'in_subquery',
      expr: num('1'),
      query: q(sel(['K'], { from: tt(['T'], off) })),
      negated: false,
    });
  });

  it('leaves a table without the clause exactly as before (no `at` key)', () => {
    expect(from('t x')).toEqual(table(['T'], 'X'));
    expect(Object.keys(from('t x') as object)).toEqual(['kind', 'name', 'alias']);
  });

  it.each([
    ['SELECT * FROM t AT(FOO => 1)', 'FOO@1:20'],
    ['SELECT * FROM t AT()', ')@1:20'],
    ['SELECT * FROM t AT(TIMESTAMP)', ')@1:29'],
    ['SELECT * FROM t AT(TIMESTAMP 1)', '1@1:30'],
    ['SELECT * FROM t AT(TIMESTAMP =>)', ')@1:32'],
    ['SELECT * FROM t AT(OFFSET = -1)', '=@1:27'],
    ['SELECT * FROM t BEFORE(STATEMENT => 1 2)', '2@1:39'],
    ['SELECT * FROM t AT(OFFSET => -1) AT(OFFSET => -2)', 'AT@1:34'],
    ['SELECT * FROM t x AT(OFFSET => -1)', 'AT@1:19'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });

  it('refuses AT(STREAM => ...) as not supported', () => {
    expect(() => parseSql("SELECT * FROM t AT(STREAM => 's')")).toThrow(NotSupportedError);
    expect(() => parseSql("SELECT * FROM t AT(STREAM => 's')")).toThrow(/STREAM/);
  });
});

describe('CREATE ... CLONE', () => {
  it.each<[string, Statement]>([
    [
      'CREATE TABLE t2 CLONE t',
      { kind: 'create_clone', objectType: 'TABLE', name: { parts: ['T2'] }, source: { parts: ['T'] }, at: null, orReplace: false, ifNotExists: false, expiresAfterSeconds: null },
    ],
    [
      "create or replace table d.s.t2 clone d2.s2.t before (statement => 'q-1')",
      {
        kind: 'create_clone',
        objectType: 'TABLE',
        name: { parts: ['D', 'S', 'T2'] },
        source: { parts: ['D2', 'S2', 'T'] },
        at: at('BEFORE', 'STATEMENT', str('q-1')),
        orReplace: true,
        ifNotExists: false,
        expiresAfterSeconds: null,
      },
    ],
    [
      'CREATE TABLE IF NOT EXISTS exp CLONE prod AT(OFFSET => -3600) EXPIRES_AFTER = 86400',
      {
        kind: 'create_clone',
        objectType: 'TABLE',
        name: { parts: ['EXP'] },
        source: { parts: ['PROD'] },
        at: at('AT', 'OFFSET', neg(num('3600'))),
        orReplace: false,
        ifNotExists: true,
        expiresAfterSeconds: 86400,
      },
    ],
    [
      'CREATE TABLE exp CLONE prod EXPIRES_AFTER=60',
      { kind: 'create_clone', objectType: 'TABLE', name: { parts: ['EXP'] }, source: { parts: ['PROD'] }, at: null, orReplace: false, ifNotExists: false, expiresAfterSeconds: 60 },
    ],
    [
      'CREATE SCHEMA d.s2 CLONE d.s',
      { kind: 'create_clone', objectType: 'SCHEMA', name: { parts: ['D', 'S2'] }, source: { parts: ['D', 'S'] }, at: null, orReplace: false, ifNotExists: false, expiresAfterSeconds: null },
    ],
    [
      "CREATE OR REPLACE DATABASE d2 CLONE d AT(TIMESTAMP => '2024-06-01'::timestamp_ltz)",
      {
        kind: 'create_clone',
        objectType: 'DATABASE',
        name: { parts: ['D2'] },
        source: { parts: ['D'] },
        at: at('AT', 'TIMESTAMP', { kind: 'cast', expr: str('2024-06-01'), type: { name: 'TIMESTAMP_LTZ', params: [] }, try: false }),
        orReplace: true,
        ifNotExists: false,
        expiresAfterSeconds: null,
      },
    ],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it.each([
    ['CREATE TABLE t2 CLONE', '<EOF>@1:22'],
    ['CREATE TABLE t2 CLONE t AT(FOO => 1)', 'FOO@1:28'],
    ['CREATE TABLE t2 CLONE t x', 'x@1:25'],
    ['CREATE TABLE t2 CLONE t EXPIRES_AFTER 60', '60@1:39'],
    ['CREATE TABLE t2 CLONE t EXPIRES_AFTER = -1', '-@1:41'],
    ['CREATE TABLE t2 CLONE t EXPIRES_AFTER = 1.5', '1.5@1:41'],
    ['CREATE DATABASE d2 CLONE d.s', '.@1:27'],
    ['CREATE SCHEMA s2 CLONE d.s.t', '.@1:27'],
    ['CREATE OR REPLACE TABLE t2 (a INT) CLONE t', 'CLONE@1:36'],
  ])('%s is a syntax error', (sql, where) => {
    expect(syntaxErrorAt(sql)).toBe(where);
  });

  it.each([
    ['CREATE SCHEMA s2 CLONE s EXPIRES_AFTER = 60', /^CREATE SCHEMA \.\.\. CLONE \.\.\. EXPIRES_AFTER is not supported$/],
    ['CREATE TABLE t2 CLONE t COPY GRANTS', /COPY/],
    ['CREATE DATABASE d2 CLONE d IGNORE TABLES WITH INSUFFICIENT DATA RETENTION', /IGNORE/],
  ])('%s is NotSupportedError', (sql, message) => {
    expect(() => parseSql(sql)).toThrow(NotSupportedError);
    expect(() => parseSql(sql)).toThrow(message);
  });
});
