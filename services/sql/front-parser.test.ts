import { describe, expect, it } from 'vitest';
import { CompilationError, NotSupportedError, SqlSyntaxError } from '../../storage/errors/firn-error.js';
import type { CopyFileFormat, Expr, FrameBoundSpec, GroupingSets, OrderItem, Query, QueryBody, Select, SelectItem, Statement, TableRef, WindowFrameSpec } from './ast.js';
import { parseSql } from './parse-sql.js';

const col = (name: string, table: string | null = null): Expr => ({ kind: 'column', table, name });
const num = (text: string): Expr => ({ kind: 'number', text });
const str = (value: string): Expr => ({ kind: 'string', value });
const eq = (left: Expr, right: Expr): Expr => ({ kind: 'binary', op: '=', left, right });
const table = (parts: string[], alias: string | null = null): TableRef => ({ kind: 'table', name: { parts }, alias });
const join = (joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS', left: TableRef, right: TableRef, more: Partial<{ on: Expr; using: string[]; natural: boolean }> = {}): TableRef => ({
  kind: 'join',
  joinType,
  left,
  right,
  on: more.on ?? null,
  using: more.using ?? null,
  natural: more.natural ?? false,
});
const sel = (items: string[], more: Partial<Select> = {}): Select => ({
  kind: 'select',
  distinct: false,
  items: items.map((n): SelectItem => (n === '*' ? { kind: 'star', table: null, exclude: [], rename: [] } : { kind: 'expr', expr: /^\d+$/.test(n) ? num(n) : col(n), alias: null })),
  from: null,
  where: null,
  groupBy: [],
  groupingSets: null,
  having: null,
  qualify: null,
  ...more,
});
const q = (body: QueryBody, more: Partial<Query> = {}): Query => ({ with: [], body, orderBy: [], limit: null, offset: null, ...more });

function one(sql: string): Statement {
  const statements = parseSql(sql);
  expect(statements).toHaveLength(1);
  return statements[0];
}

function query(sql: string): Query {
  const st = one(sql);
  if (st.kind !== 'query') throw new Error(`not a query: ${sql}`);
  return st.query;
}

const CSV_DEFAULTS: CopyFileFormat = {
  type: 'CSV',
  skipHeader: 0,
  fieldDelimiter: ',',
  fieldOptionallyEnclosedBy: null,
  nullIf: ['\\N'],
  emptyFieldAsNull: true,
};

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
});

describe('statements', () => {
  it.each<[string, Statement]>([
    ['CREATE DATABASE d', { kind: 'create_database', name: 'D', ifNotExists: false, orReplace: false }],
    ['create or replace database "Mixed"', { kind: 'create_database', name: 'Mixed', ifNotExists: false, orReplace: true }],
    ['CREATE DATABASE IF NOT EXISTS d', { kind: 'create_database', name: 'D', ifNotExists: true, orReplace: false }],
    ['DROP DATABASE d', { kind: 'drop_database', name: 'D', ifExists: false }],
    ['DROP DATABASE IF EXISTS d CASCADE', { kind: 'drop_database', name: 'D', ifExists: true }],
    ['CREATE SCHEMA d.s', { kind: 'create_schema', name: { parts: ['D', 'S'] }, ifNotExists: false, orReplace: false }],
    ['CREATE OR REPLACE SCHEMA s', { kind: 'create_schema', name: { parts: ['S'] }, ifNotExists: false, orReplace: true }],
    ['CREATE SCHEMA IF NOT EXISTS "s"', { kind: 'create_schema', name: { parts: ['s'] }, ifNotExists: true, orReplace: false }],
    ['DROP SCHEMA IF EXISTS d.s', { kind: 'drop_schema', name: { parts: ['D', 'S'] }, ifExists: true }],
    ['DROP TABLE IF EXISTS d.s.t', { kind: 'drop_table', name: { parts: ['D', 'S', 'T'] }, ifExists: true }],
    ['DROP TABLE t', { kind: 'drop_table', name: { parts: ['T'] }, ifExists: false }],
    ['USE d', { kind: 'use', objectType: null, name: { parts: ['D'] } }],
    ['USE d.s', { kind: 'use', objectType: null, name: { parts: ['D', 'S'] } }],
    ['USE DATABASE "d"', { kind: 'use', objectType: 'DATABASE', name: { parts: ['d'] } }],
    ['use schema d.s', { kind: 'use', objectType: 'SCHEMA', name: { parts: ['D', 'S'] } }],
    ['USE WAREHOUSE compute_wh', { kind: 'use', objectType: 'WAREHOUSE', name: { parts: ['COMPUTE_WH'] } }],
    ['SHOW DATABASES', { kind: 'show', objectType: 'DATABASES', in: null, like: null }],
    ["SHOW DATABASES LIKE 'F%'", { kind: 'show', objectType: 'DATABASES', in: null, like: 'F%' }],
    ["show schemas like '%' in database d", { kind: 'show', objectType: 'SCHEMAS', in: { parts: ['D'] }, like: '%' }],
    ['SHOW SCHEMAS IN d', { kind: 'show', objectType: 'SCHEMAS', in: { parts: ['D'] }, like: null }],
    ['SHOW SCHEMAS IN DATABASE', { kind: 'show', objectType: 'SCHEMAS', in: null, like: null }],
    ['SHOW TABLES', { kind: 'show', objectType: 'TABLES', in: null, like: null }],
    ['SHOW TABLES IN SCHEMA s', { kind: 'show', objectType: 'TABLES', in: { parts: ['S'] }, like: null }],
    ["SHOW TABLES LIKE 't%' IN d.s", { kind: 'show', objectType: 'TABLES', in: { parts: ['D', 'S'] }, like: 't%' }],
    ['SHOW WAREHOUSES', { kind: 'show', objectType: 'WAREHOUSES', in: null, like: null }],
    ['DESCRIBE TABLE d.s.t', { kind: 'describe_table', name: { parts: ['D', 'S', 'T'] } }],
    ['DESC TABLE "t"', { kind: 'describe_table', name: { parts: ['t'] } }],
    ['CREATE WAREHOUSE w', { kind: 'create_warehouse', name: 'W', ifNotExists: false, orReplace: false, size: null }],
    ["CREATE OR REPLACE WAREHOUSE w WITH WAREHOUSE_SIZE = 'X-SMALL'", { kind: 'create_warehouse', name: 'W', ifNotExists: false, orReplace: true, size: 'X-SMALL' }],
    [
      'CREATE WAREHOUSE IF NOT EXISTS "Wh" warehouse_size = small',
      { kind: 'create_warehouse', name: 'Wh', ifNotExists: true, orReplace: false, size: 'SMALL' },
    ],
    ["CREATE WAREHOUSE w WAREHOUSE_SIZE = 'xsmall'", { kind: 'create_warehouse', name: 'W', ifNotExists: false, orReplace: false, size: 'XSMALL' }],
    ['DROP WAREHOUSE w', { kind: 'drop_warehouse', name: 'W', ifExists: false }],
    ['DROP WAREHOUSE IF EXISTS w', { kind: 'drop_warehouse', name: 'W', ifExists: true }],
  ])('%s', (sql, expected) => {
    expect(one(sql)).toEqual(expected);
  });

  it('parses CREATE TABLE column lists, NOT NULL and CLUSTER BY', () => {
    expect(
      one(`CREATE OR REPLACE TABLE d.s."Trades" (
        id INT NOT NULL,
        price NUMBER(12, 2),
        "Note" VARCHAR(100) NULL,
        ratio DOUBLE PRECISION,
        ts TIMESTAMP_NTZ(9),
        flag BOOLEAN,
        day DATE,
        label STRING
      ) CLUSTER BY (day, "Note")`),
    ).toEqual({
      kind: 'create_table',
      name: { parts: ['D', 'S', 'Trades'] },
      columns: [
        { name: 'ID', type: { name: 'INT', params: [] }, nullable: false },
        { name: 'PRICE', type: { name: 'NUMBER', params: [12, 2] }, nullable: true },
        { name: 'Note', type: { name: 'VARCHAR', params: [100] }, nullable: true },
        { name: 'RATIO', type: { name: 'DOUBLE PRECISION', params: [] }, nullable: true },
        { name: 'TS', type: { name: 'TIMESTAMP_NTZ', params: [9] }, nullable: true },
        { name: 'FLAG', type: { name: 'BOOLEAN', params: [] }, nullable: true },
        { name: 'DAY', type: { name: 'DATE', params: [] }, nullable: true },
        { name: 'LABEL', type: { name: 'STRING', params: [] }, nullable: true },
      ],
      ifNotExists: false,
      orReplace: true,
      clusterBy: ['DAY', 'Note'],
      asQuery: null,
    });
  });

  it('upper-cases every type name spelling', () => {
    const types = 'decimal(5,1), numeric, integer, bigint, smallint, tinyint, float, double, real, text, char(3), datetime, timestamp, character varying(4)';
    const st = one(`CREATE TABLE t (${types.split(', ').map((t, i) => `c${i} ${t}`).join(', ')})`);
    expect(st.kind === 'create_table' && st.columns.map((c) => c.type)).toEqual([
      { name: 'DECIMAL', params: [5, 1] },
      { name: 'NUMERIC', params: [] },
      { name: 'INTEGER', params: [] },
      { name: 'BIGINT', params: [] },
      { name: 'SMALLINT', params: [] },
      { name: 'TINYINT', params: [] },
      { name: 'FLOAT', params: [] },
      { name: 'DOUBLE', params: [] },
      { name: 'REAL', params: [] },
      { name: 'TEXT', params: [] },
      { name: 'CHAR', params: [3] },
      { name: 'DATETIME', params: [] },
      { name: 'TIMESTAMP', params: [] },
      { name: 'CHARACTER VARYING', params: [4] },
    ]);
  });

  it('parses CREATE TABLE ... AS <query>', () => {
    expect(one('CREATE TABLE IF NOT EXISTS t CLUSTER BY (a) AS SELECT 1 AS a')).toEqual({
      kind: 'create_table',
      name: { parts: ['T'] },
      columns: [],
      ifNotExists: true,
      orReplace: false,
      clusterBy: ['A'],
      asQuery: q({ ...sel([]), items: [{ kind: 'expr', expr: num('1'), alias: 'A' }] }),
    });
    expect(one('CREATE TABLE t (a INT) AS (SELECT 1) UNION ALL (SELECT 2)')).toMatchObject({
      columns: [{ name: 'A' }],
      asQuery: { body: { kind: 'set_operation', op: 'UNION', all: true } },
    });
  });

  it('parses INSERT with VALUES, SELECT, WITH and column lists', () => {
    expect(one("INSERT INTO t VALUES (1, 'a'), (2.50, NULL)")).toEqual({
      kind: 'insert',
      table: { parts: ['T'] },
      columns: null,
      source: q({ kind: 'values', rows: [[num('1'), str('a')], [num('2.50'), { kind: 'null' }]] }),
    });
    expect(one('INSERT INTO d.s.t (a, "B") SELECT x, y FROM u')).toEqual({
      kind: 'insert',
      table: { parts: ['D', 'S', 'T'] },
      columns: ['A', 'B'],
      source: q(sel(['X', 'Y'], { from: table(['U']) })),
    });
    expect(one('INSERT INTO t (SELECT 1)')).toMatchObject({ columns: null, source: q(sel(['1'])) });
    expect(one('INSERT INTO t WITH c AS (SELECT 1) SELECT * FROM c')).toMatchObject({ source: { with: [{ name: 'C' }] } });
  });

  it('parses expressions in VALUES cells, each on its own', () => {
    expect(one("INSERT INTO t VALUES (1 + 1, upper('x')), ('2024-01-01'::date, -2), (a OR b AND c, 3)")).toMatchObject({
      source: {
        body: {
          kind: 'values',
          rows: [
            [
              { kind: 'binary', op: '+', left: num('1'), right: num('1') },
              { kind: 'function', name: 'UPPER', args: [str('x')] },
            ],
            [
              { kind: 'cast', expr: str('2024-01-01'), type: { name: 'DATE', params: [] }, try: false },
              { kind: 'unary', op: '-', expr: num('2') },
            ],
            [{ kind: 'binary', op: 'OR', left: col('A'), right: { kind: 'binary', op: 'AND', left: col('B'), right: col('C') } }, num('3')],
          ],
        },
      },
    });
  });

  it('parses EXPLAIN of any statement', () => {
    expect(one('EXPLAIN SELECT a FROM t')).toEqual({ kind: 'explain', statement: { kind: 'query', query: q(sel(['A'], { from: table(['T']) })) } });
    expect(one('EXPLAIN INSERT INTO t VALUES (1)')).toMatchObject({ kind: 'explain', statement: { kind: 'insert' } });
    expect(one('EXPLAIN LOGICAL SELECT a FROM t')).toEqual({ kind: 'explain', logical: true, statement: { kind: 'query', query: q(sel(['A'], { from: table(['T']) })) } });
    expect(() => one('EXPLAIN LOGICAL')).toThrow(SqlSyntaxError);
  });
});

describe('COPY INTO', () => {
  it('uses Snowflake CSV defaults', () => {
    expect(one("COPY INTO t FROM 'file:///data/x.csv'")).toEqual({
      kind: 'copy_into',
      table: { parts: ['T'] },
      source: 'file:///data/x.csv',
      fileFormat: CSV_DEFAULTS,
      onError: 'ABORT_STATEMENT',
      force: false,
    });
  });

  it('reads every file format option, in any order, quoted or not, any case', () => {
    const st = one(`copy into d.s.t from 's3://bucket/prefix/'
      file_format = (skip_header = 1 null_if = ('', 'NULL') TYPE = 'csv', field_delimiter = '\\t'
                     FIELD_OPTIONALLY_ENCLOSED_BY = '"' empty_field_as_null = FALSE)
      ON_ERROR = 'continue'`);
    expect(st).toEqual({
      kind: 'copy_into',
      table: { parts: ['D', 'S', 'T'] },
      source: 's3://bucket/prefix/',
      fileFormat: { type: 'CSV', skipHeader: 1, fieldDelimiter: '\t', fieldOptionallyEnclosedBy: '"', nullIf: ['', 'NULL'], emptyFieldAsNull: false },
      onError: 'CONTINUE',
      force: false,
    });
  });

  it('reads FORCE = TRUE | FALSE among the other options', () => {
    expect(one("COPY INTO t FROM 'x.csv' FORCE = TRUE ON_ERROR = CONTINUE")).toMatchObject({ force: true, onError: 'CONTINUE' });
    expect(one("COPY INTO t FROM 'x.csv' FILE_FORMAT = (TYPE = CSV), force = 'true'")).toMatchObject({ force: true });
    expect(one("COPY INTO t FROM 'x.csv' FORCE = FALSE")).toMatchObject({ force: false });
    expect(() => one("COPY INTO t FROM 'x.csv' FORCE = maybe")).toThrow(SqlSyntaxError);
    expect(() => one("COPY INTO t FROM 'x.csv' FORCE TRUE")).toThrow(SqlSyntaxError);
  });

  it.each<[string, Partial<CopyFileFormat>, 'ABORT_STATEMENT' | 'CONTINUE']>([
    ['FILE_FORMAT = (TYPE = PARQUET)', { type: 'PARQUET' }, 'ABORT_STATEMENT'],
    ["ON_ERROR = ABORT_STATEMENT FILE_FORMAT = (TYPE = CSV FIELD_DELIMITER = '|' FIELD_OPTIONALLY_ENCLOSED_BY = NONE)", { fieldDelimiter: '|' }, 'ABORT_STATEMENT'],
    ["FILE_FORMAT = (FIELD_OPTIONALLY_ENCLOSED_BY = '\\'' SKIP_HEADER = '2' NULL_IF = ())", { fieldOptionallyEnclosedBy: "'", skipHeader: 2, nullIf: [] }, 'ABORT_STATEMENT'],
    ["FILE_FORMAT = (EMPTY_FIELD_AS_NULL = 'true' NULL_IF = ('\\\\N', 'n/a')) ON_ERROR = CONTINUE", { emptyFieldAsNull: true, nullIf: ['\\N', 'n/a'] }, 'CONTINUE'],
  ])('%s', (options, format, onError) => {
    expect(one(`COPY INTO t FROM 'x.csv' ${options}`)).toMatchObject({ fileFormat: { ...CSV_DEFAULTS, ...format }, onError });
  });
});

describe('valid SQL Firn cannot express is NotSupportedError', () => {
  it.each([
    ['UPDATE t SET a = 1', /UPDATE/],
    ['DELETE FROM t', /DELETE/],
    ['ALTER WAREHOUSE w SUSPEND', /^ALTER WAREHOUSE is not supported$/],
    ['CREATE WAREHOUSE w WAREHOUSE_SIZE = SMALL AUTO_SUSPEND = 60', /^Warehouse property AUTO_SUSPEND is not supported$/],
    ['CREATE WAREHOUSE w WITH auto_resume = TRUE', /^Warehouse property AUTO_RESUME is not supported$/],
    ["CREATE WAREHOUSE w WAREHOUSE_SIZE = XSMALL, COMMENT = 'x'", /^Warehouse property COMMENT is not supported$/],
    ['CREATE WAREHOUSE w INITIALLY_SUSPENDED = TRUE', /INITIALLY_SUSPENDED/],
    ['CREATE WAREHOUSE w MIN_CLUSTER_COUNT = 1 MAX_CLUSTER_COUNT = 2', /MIN_CLUSTER_COUNT/],
    ['CREATE WAREHOUSE w SCALING_POLICY = ECONOMY', /SCALING_POLICY/],
    ["CREATE WAREHOUSE w WAREHOUSE_TYPE = 'SNOWPARK-OPTIMIZED'", /WAREHOUSE_TYPE/],
    ['CREATE WAREHOUSE w RESOURCE_MONITOR = m', /RESOURCE_MONITOR/],
    ['CREATE WAREHOUSE w ENABLE_QUERY_ACCELERATION = TRUE', /ENABLE_QUERY_ACCELERATION/],
    ['CREATE WAREHOUSE w STATEMENT_TIMEOUT_IN_SECONDS = 60', /STATEMENT_TIMEOUT_IN_SECONDS/],
    ['CREATE WAREHOUSE w MAX_CONCURRENCY_LEVEL = 8', /MAX_CONCURRENCY_LEVEL/],
    ["CREATE WAREHOUSE w WITH TAG (cost_center = 'x')", /WITH TAG/],
    ['CREATE VIEW v AS SELECT 1', /CREATE VIEW/],
    ['CREATE TRANSIENT TABLE t (a INT)', /CREATE TRANSIENT/],
    ['CREATE TABLE t (a INT DEFAULT 1)', /DEFAULT/],
    ['CREATE TABLE t (a INT, PRIMARY KEY (a))', /Table constraints/],
    ['CREATE TABLE t (a INT) CLUSTER BY (to_date(a))', /CLUSTER BY expressions/],
    ['CREATE TABLE t CLONE u', /CLONE/],
    ['CREATE DATABASE d CLONE e', /CLONE/],
    ["CREATE TABLE t (a INT) COMMENT = 'x'", /COMMENT/],
    ['SHOW TABLES IN DATABASE d', /SHOW TABLES IN DATABASE/],
    ['SHOW COLUMNS', /SHOW COLUMNS/],
    ['SHOW TABLES IN ACCOUNT', /IN ACCOUNT/],
    ['DESCRIBE VIEW v', /DESCRIBE VIEW/],
    ['USE ROLE sysadmin', /USE ROLE/],
    ['DROP VIEW v', /DROP VIEW/],
    ['DROP SCHEMA s RESTRICT', /RESTRICT/],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (TYPE = JSON)", /TYPE = JSON/],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (COMPRESSION = GZIP)", /COMPRESSION/],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (FORMAT_NAME = 'f')", /FORMAT_NAME/],
    ["COPY INTO t FROM 'x' PATTERN = '.*'", /PATTERN/],
    ["COPY INTO t FROM 'x' ON_ERROR = SKIP_FILE", /SKIP_FILE/],
    ["COPY INTO t FROM 'x' LOAD_UNCERTAIN_FILES = TRUE", /LOAD_UNCERTAIN_FILES/],
    ['COPY INTO t FROM @stage', /Stages/],
    ["COPY INTO t (a) FROM 'x'", /column list/],
    ['INSERT OVERWRITE INTO t VALUES (1)', /INSERT OVERWRITE/],
    ['INSERT INTO t VALUES (DEFAULT)', /DEFAULT/],
    ['WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r', /RECURSIVE/],
    ['SELECT 1 UNION ALL BY NAME SELECT 1', /BY NAME/],
    ['SELECT 1 INTERSECT ALL SELECT 1', /INTERSECT ALL/],
    ['SELECT TOP 5 a FROM t', /TOP/],
    ['SELECT a FROM t GROUP BY ALL', /GROUP BY ALL/],
    ['SELECT * FROM t, LATERAL (SELECT 1)', /LATERAL/],
    ['SELECT * FROM TABLE(generator(rowcount => 1))', /Table functions/],
    ['SELECT * FROM t AT(OFFSET => -60)', /Time travel/],
    ['SELECT * FROM t SAMPLE (10)', /SAMPLE/],
    ['SELECT * FROM t AS s (x)', /Column aliases/],
    ['SELECT * FROM t ASOF JOIN u MATCH_CONDITION (t.a >= u.a)', /ASOF/],
    ['SELECT a FROM t WINDOW w AS (ORDER BY a)', /WINDOW/],
    ['EXPLAIN USING JSON SELECT 1', /EXPLAIN USING/],
  ])('%s', (sql, message) => {
    expect(() => parseSql(sql)).toThrow(NotSupportedError);
    expect(() => parseSql(sql)).toThrow(message);
  });

  it('refuses an unknown warehouse property with 001423 invalid property', () => {
    for (const [sql, prop] of [
      ['CREATE WAREHOUSE w WAREHOUS_SIZE = LARGE', 'WAREHOUS_SIZE'],
      ['CREATE WAREHOUSE w WAREHOUSE_SIZE = LARGE, colour = blue', 'COLOUR'],
    ]) {
      let error: unknown;
      try {
        parseSql(sql);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(CompilationError);
      expect(error).toMatchObject({ code: '001423', sqlState: '22023', message: `SQL compilation error: invalid property '${prop}' for 'WAREHOUSE'` });
    }
  });

  it('refuses OR REPLACE with IF NOT EXISTS as a compilation error', () => {
    for (const sql of ['CREATE OR REPLACE TABLE IF NOT EXISTS t (a INT)', 'CREATE OR REPLACE DATABASE IF NOT EXISTS d', 'CREATE OR REPLACE WAREHOUSE IF NOT EXISTS w']) {
      expect(() => parseSql(sql)).toThrow(CompilationError);
      expect(() => parseSql(sql)).toThrow(/incompatible/);
    }
  });
});

describe('statement syntax errors', () => {
  it.each([
    ['CREATE TABLE t', 1, 15, '<EOF>'],
    ['CREATE TABLE t ()', 1, 17, ')'],
    ['CREATE TABLE t (a INT,)', 1, 23, ')'],
    ['CREATE TABLE t (a)', 1, 18, ')'],
    ['CREATE TABLE t (a INT NOT)', 1, 26, ')'],
    ['CREATE TABLE t (a NUMBER(10,))', 1, 29, ')'],
    ['CREATE TABLE select (a INT)', 1, 14, 'select'],
    ['CREATE DATABASE a.b', 1, 18, '.'],
    ['USE DATABASE d.s', 1, 15, '.'],
    ['USE WAREHOUSE', 1, 14, '<EOF>'],
    ['SHOW DATABASES IN d', 1, 16, 'IN'],
    ['SHOW SCHEMAS IN SCHEMA s', 1, 17, 'SCHEMA'],
    ['SHOW TABLES LIKE x', 1, 18, 'x'],
    ['SHOW THINGS', 1, 6, 'THINGS'],
    ['DESCRIBE t', 1, 10, 't'],
    ['DROP TABLE', 1, 11, '<EOF>'],
    ['DROP TABLE IF t', 1, 15, 't'],
    ['COPY INTO t', 1, 12, '<EOF>'],
    ['COPY INTO t FROM x', 1, 18, 'x'],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (TYPE = XLS)", 1, 44, 'XLS'],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (SKIP_HEADER = -1)", 1, 51, '-'],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (BOGUS = 1)", 1, 37, 'BOGUS'],
    ["COPY INTO t FROM 'x' ON_ERROR = MAYBE", 1, 33, 'MAYBE'],
    ["COPY INTO t FROM 'x' FORCE = MAYBE", 1, 30, 'MAYBE'],
    ["COPY INTO t FROM 'x' NONSENSE", 1, 22, 'NONSENSE'],
    ['CREATE WAREHOUSE w WAREHOUSE_SIZE', 1, 34, '<EOF>'],
    ['INSERT INTO t', 1, 14, '<EOF>'],
    ['INSERT t VALUES (1)', 1, 8, 't'],
    ['INSERT INTO t VALUES (1), ', 1, 27, '<EOF>'],
    ['INSERT INTO t VALUES ()', 1, 23, ')'],
    ['INSERT INTO t VALUES (1 x)', 1, 25, 'x'],
    ['INSERT INTO t VALUES (*)', 1, 23, '*'],
    ['INSERT INTO t VALUES (1, 2 +), (3)', 1, 29, ')'],
    ['INSERT INTO t VALUES (upper(1), 2 3)', 1, 35, '3'],
    ['SELECT 1 UNION', 1, 15, '<EOF>'],
    ['SELECT a FROM t ORDER BY a LIMIT 1 garbage', 1, 36, 'garbage'],
    ['SELECT a FROM t WHERE a GROUP BY', 1, 33, '<EOF>'],
    ['SELECT a FROM t GROUP a', 1, 23, 'a'],
    ['SELECT a FROM t WHERE a = 1 FROM u', 1, 29, 'FROM'],
    ['SELECT FROM t', 1, 8, 'FROM'],
    ['SELECT a FROM t LEFT JOIN u', 1, 28, '<EOF>'],
    ['SELECT a FROM t NATURAL JOIN u ON t.a = u.a', 1, 32, 'ON'],
    ['SELECT a FROM t CROSS JOIN u ON 1 = 1', 1, 30, 'ON'],
    ['SELECT a FROM t JOIN u ON', 1, 26, '<EOF>'],
    ['SELECT a FROM t x y', 1, 19, 'y'],
    ['WITH c AS SELECT 1 SELECT 2', 1, 11, 'SELECT'],
    ['EXPLAIN', 1, 8, '<EOF>'],
    ['FOO BAR', 1, 1, 'FOO'],
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

/** The window node of `SELECT <call> OVER (<spec>) FROM t`. */
function over(spec: string): Extract<Expr, { kind: 'window' }> {
  const body = query(`SELECT SUM(x) OVER (${spec}) FROM t`).body;
  const item = body.kind === 'select' ? body.items[0] : null;
  if (item?.kind !== 'expr' || item.expr.kind !== 'window') throw new Error(`no window in ${spec}`);
  return item.expr;
}

const UP: FrameBoundSpec = { kind: 'unbounded_preceding' };
const UF: FrameBoundSpec = { kind: 'unbounded_following' };
const CR: FrameBoundSpec = { kind: 'current_row' };
const P = (offset: string): FrameBoundSpec => ({ kind: 'preceding', offset });
const F = (offset: string): FrameBoundSpec => ({ kind: 'following', offset });
const item = (e: Expr, desc = false, nullsFirst: boolean | null = null): OrderItem => ({ expr: e, desc, nullsFirst });

describe('window OVER clauses', () => {
  it('reads PARTITION BY and ORDER BY lists with directions and NULLS placement', () => {
    expect(over('PARTITION BY a, t.b, a + 1 ORDER BY c, d DESC, e ASC NULLS FIRST, f DESC NULLS LAST')).toMatchObject({
      partitionBy: [col('A'), col('B', 'T'), { kind: 'binary', op: '+', left: col('A'), right: num('1') }],
      orderBy: [item(col('C')), item(col('D'), true), item(col('E'), false, true), item(col('F'), true, false)],
      frame: null,
    });
    expect(over('PARTITION BY a')).toMatchObject({ partitionBy: [col('A')], orderBy: [], frame: null });
    expect(over('ORDER BY 2')).toMatchObject({ partitionBy: [], orderBy: [item(num('2'))], frame: null });
    expect(over('')).toMatchObject({ partitionBy: [], orderBy: [], frame: null });
  });

  it.each<[string, WindowFrameSpec]>([
    ['ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW', { units: 'ROWS', start: UP, end: CR }],
    ['ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING', { units: 'ROWS', start: CR, end: UF }],
    ['ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING', { units: 'ROWS', start: UP, end: UF }],
    ['ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING', { units: 'ROWS', start: P('3'), end: F('1') }],
    ['ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING', { units: 'ROWS', start: P('3'), end: P('1') }],
    ['ROWS BETWEEN 1 FOLLOWING AND 5 FOLLOWING', { units: 'ROWS', start: F('1'), end: F('5') }],
    ['ROWS BETWEEN UNBOUNDED PRECEDING AND 2 FOLLOWING', { units: 'ROWS', start: UP, end: F('2') }],
    ['ROWS BETWEEN 2 PRECEDING AND UNBOUNDED FOLLOWING', { units: 'ROWS', start: P('2'), end: UF }],
    ['ROWS BETWEEN CURRENT ROW AND CURRENT ROW', { units: 'ROWS', start: CR, end: CR }],
    ['rows between 0 preceding and 0 following', { units: 'ROWS', start: P('0'), end: F('0') }],
    ['ROWS UNBOUNDED PRECEDING', { units: 'ROWS', start: UP, end: CR }],
    ['ROWS 3 PRECEDING', { units: 'ROWS', start: P('3'), end: CR }],
    ['ROWS CURRENT ROW', { units: 'ROWS', start: CR, end: CR }],
    ['RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW', { units: 'RANGE', start: UP, end: CR }],
    ['RANGE BETWEEN 1.50 PRECEDING AND 10 FOLLOWING', { units: 'RANGE', start: P('1.50'), end: F('10') }],
    ['RANGE UNBOUNDED PRECEDING', { units: 'RANGE', start: UP, end: CR }],
  ])('ORDER BY o %s', (frame, expected) => {
    expect(over(`ORDER BY o ${frame}`)).toMatchObject({ orderBy: [item(col('O'))], frame: expected });
  });

  it('reads a frame after PARTITION BY alone, and without any ORDER BY', () => {
    expect(over('PARTITION BY a ROWS 1 PRECEDING')).toMatchObject({ partitionBy: [col('A')], orderBy: [], frame: { units: 'ROWS', start: P('1'), end: CR } });
    expect(over('ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING')).toMatchObject({ partitionBy: [], frame: { units: 'ROWS', start: UP, end: UF } });
  });

  it('reads RANGE as a column name when no frame bound follows it', () => {
    expect(over('PARTITION BY range ORDER BY range')).toMatchObject({ partitionBy: [col('RANGE')], orderBy: [item(col('RANGE'))], frame: null });
    expect(over('ORDER BY range RANGE 2 PRECEDING')).toMatchObject({ orderBy: [item(col('RANGE'))], frame: { units: 'RANGE', start: P('2'), end: CR } });
  });

  it('refuses frame forms Firn cannot express with NotSupportedError', () => {
    for (const [spec, message] of [
      ['ORDER BY o GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW', /GROUPS/],
      ['ORDER BY o ROWS UNBOUNDED PRECEDING EXCLUDE CURRENT ROW', /EXCLUDE/],
      ["ORDER BY d RANGE BETWEEN INTERVAL '1 day' PRECEDING AND CURRENT ROW", /INTERVAL offsets/],
    ] as const) {
      expect(() => over(spec)).toThrow(NotSupportedError);
      expect(() => over(spec)).toThrow(message);
    }
  });

  it.each([
    ['SELECT SUM(x) OVER (PARTITION a) FROM t', 1, 31, "unexpected 'a'."],
    ['SELECT SUM(x) OVER (PARTITON BY a) FROM t', 1, 21, "unexpected 'PARTITON'."],
    ['SELECT SUM(x) OVER (PARTITION BY) FROM t', 1, 33, "unexpected ')'."],
    ['SELECT SUM(x) OVER (PARTITION BY a,) FROM t', 1, 36, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ORDER BY) FROM t', 1, 29, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ORDER a) FROM t', 1, 27, "unexpected 'a'."],
    ['SELECT SUM(x) OVER (ORDER BY a PARTITION BY b) FROM t', 1, 32, "unexpected 'PARTITION'."],
    ['SELECT SUM(x) OVER (ORDER BY a DESC NULLS) FROM t', 1, 42, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ORDER BY a ROWS) FROM t', 1, 36, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ROWS BETWEEN 1 PRECEDING) FROM t', 1, 45, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ROWS BETWEEN 1 PRECEDING AND) FROM t', 1, 49, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ROWS BETWEEN 1 PRECEDING OR 2 FOLLOWING) FROM t', 1, 46, "unexpected 'OR'."],
    ['SELECT SUM(x) OVER (ROWS BETWEEN UNBOUNDED AND CURRENT ROW) FROM t', 1, 44, "unexpected 'AND'."],
    ['SELECT SUM(x) OVER (ROWS CURRENT) FROM t', 1, 33, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ROWS 1) FROM t', 1, 27, "unexpected ')'."],
    ['SELECT SUM(x) OVER (ROWS -1 PRECEDING) FROM t', 1, 26, "unexpected '-'."],
    ['SELECT SUM(x) OVER (ROWS 1.5 PRECEDING) FROM t', 1, 26, "unexpected '1.5'."],
    ['SELECT SUM(x) OVER (ROWS n PRECEDING) FROM t', 1, 26, "unexpected 'n'."],
    ['SELECT SUM(x) OVER (ORDER BY a ROWS 1 PRECEDING garbage) FROM t', 1, 49, "unexpected 'garbage'."],
    ['SELECT SUM(x) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM t', 1, 34, 'a window frame cannot start at UNBOUNDED FOLLOWING.'],
    ['SELECT SUM(x) OVER (ROWS UNBOUNDED FOLLOWING) FROM t', 1, 26, 'a window frame cannot start at UNBOUNDED FOLLOWING.'],
    ['SELECT SUM(x) OVER (ROWS BETWEEN CURRENT ROW AND UNBOUNDED PRECEDING) FROM t', 1, 50, 'a window frame cannot end at UNBOUNDED PRECEDING.'],
    ['SELECT SUM(x) OVER (ROWS BETWEEN 5 FOLLOWING AND 2 PRECEDING) FROM t', 1, 34, 'a window frame cannot start after its end.'],
    ['SELECT SUM(x) OVER (RANGE BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t', 1, 35, 'a window frame cannot start after its end.'],
    ['SELECT SUM(x) OVER (ROWS 2 FOLLOWING) FROM t', 1, 26, 'a window frame cannot start after its end.'],
    ['SELECT a,\n  SUM(x) OVER (\n    PARTITION BY a\n    ROWS BETWEEN 2 FOLLOWING AND CURRENT ROW)\nFROM t', 4, 18, 'a window frame cannot start after its end.'],
  ])('%j', (sql, line, column, message) => {
    let err: unknown;
    try {
      parseSql(sql);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SqlSyntaxError);
    expect((err as SqlSyntaxError).position).toEqual({ line, column });
    expect((err as SqlSyntaxError).message).toBe(`SQL compilation error: syntax error line ${line} at position ${column}: ${message}`);
  });
});

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
