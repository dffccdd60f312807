import { describe, expect, it } from 'vitest';
import { CompilationError, NotSupportedError, SqlSyntaxError } from '../../storage/errors/firn-error.js';
import type { Statement } from './ast.js';
import { parseSql } from './parse-sql.js';
import { col, num, str, table, sel, q, one, query } from './front/front-test-kit.js';

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
    ['SHOW DATABASES', { kind: 'show', objectType: 'DATABASES', in: null, like: null, history: false }],
    ["SHOW DATABASES LIKE 'F%'", { kind: 'show', objectType: 'DATABASES', in: null, like: 'F%', history: false }],
    ["show schemas like '%' in database d", { kind: 'show', objectType: 'SCHEMAS', in: { parts: ['D'] }, like: '%', history: false }],
    ['SHOW SCHEMAS IN d', { kind: 'show', objectType: 'SCHEMAS', in: { parts: ['D'] }, like: null, history: false }],
    ['SHOW SCHEMAS IN DATABASE', { kind: 'show', objectType: 'SCHEMAS', in: null, like: null, history: false }],
    ['SHOW TABLES', { kind: 'show', objectType: 'TABLES', in: null, like: null, history: false }],
    ['SHOW TABLES IN SCHEMA s', { kind: 'show', objectType: 'TABLES', in: { parts: ['S'] }, like: null, history: false }],
    ["SHOW TABLES LIKE 't%' IN d.s", { kind: 'show', objectType: 'TABLES', in: { parts: ['D', 'S'] }, like: 't%', history: false }],
    ['SHOW WAREHOUSES', { kind: 'show', objectType: 'WAREHOUSES', in: null, like: null, history: false }],
    ['DESCRIBE TABLE d.s.t', { kind: 'describe_table', name: { parts: ['D', 'S', 'T'] } }],
    ['DESC TABLE "t"', { kind: 'describe_table', name: { parts: ['t'] } }],
    ['CREATE WAREHOUSE w', { kind: 'create_warehouse', name: 'W', ifNotExists: false, orReplace: false, settings: [], initiallySuspended: false }],
    [
      "CREATE OR REPLACE WAREHOUSE w WITH WAREHOUSE_SIZE = 'X-SMALL'",
      { kind: 'create_warehouse', name: 'W', ifNotExists: false, orReplace: true, settings: [{ name: 'WAREHOUSE_SIZE', value: { kind: 'string', text: 'X-SMALL' } }], initiallySuspended: false },
    ],
    [
      'CREATE WAREHOUSE IF NOT EXISTS "Wh" warehouse_size = small',
      { kind: 'create_warehouse', name: 'Wh', ifNotExists: true, orReplace: false, settings: [{ name: 'WAREHOUSE_SIZE', value: { kind: 'word', text: 'SMALL' } }], initiallySuspended: false },
    ],
    [
      "CREATE WAREHOUSE w WITH WAREHOUSE_SIZE = XSMALL, AUTO_SUSPEND = 60 AUTO_RESUME = FALSE INITIALLY_SUSPENDED = TRUE COMMENT = 'etl' STATEMENT_TIMEOUT_IN_SECONDS = NULL",
      {
        kind: 'create_warehouse',
        name: 'W',
        ifNotExists: false,
        orReplace: false,
        settings: [{ name: 'WAREHOUSE_SIZE', value: { kind: 'word', text: 'XSMALL' } }, { name: 'AUTO_SUSPEND', value: { kind: 'number', text: '60' } }, { name: 'AUTO_RESUME', value: { kind: 'word', text: 'FALSE' } }, { name: 'COMMENT', value: { kind: 'string', text: 'etl' } }, { name: 'STATEMENT_TIMEOUT_IN_SECONDS', value: { kind: 'null', text: 'NULL' } }],
        initiallySuspended: true,
      },
    ],
    ['ALTER WAREHOUSE w SUSPEND', { kind: 'alter_warehouse', name: 'W', ifExists: false, action: { kind: 'suspend' } }],
    ['ALTER WAREHOUSE SUSPEND', { kind: 'alter_warehouse', name: null, ifExists: false, action: { kind: 'suspend' } }],
    ['ALTER WAREHOUSE IF EXISTS w RESUME IF SUSPENDED', { kind: 'alter_warehouse', name: 'W', ifExists: true, action: { kind: 'resume', ifSuspended: true } }],
    ['ALTER WAREHOUSE w ABORT ALL QUERIES', { kind: 'alter_warehouse', name: 'W', ifExists: false, action: { kind: 'abort_all_queries' } }],
    ['ALTER WAREHOUSE w RENAME TO v', { kind: 'alter_warehouse', name: 'W', ifExists: false, action: { kind: 'rename', to: 'V' } }],
    [
      'ALTER WAREHOUSE w SET WAREHOUSE_SIZE = SMALL WAIT_FOR_COMPLETION = TRUE',
      { kind: 'alter_warehouse', name: 'W', ifExists: false, action: { kind: 'set', settings: [{ name: 'WAREHOUSE_SIZE', value: { kind: 'word', text: 'SMALL' } }], waitForCompletion: true } },
    ],
    ['ALTER WAREHOUSE w UNSET COMMENT, AUTO_SUSPEND', { kind: 'alter_warehouse', name: 'W', ifExists: false, action: { kind: 'unset', names: ['COMMENT', 'AUTO_SUSPEND'] } }],
    ['DESCRIBE WAREHOUSE w', { kind: 'describe_warehouse', name: 'W' }],
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
      overwrite: false,
    });
    expect(one('INSERT INTO d.s.t (a, "B") SELECT x, y FROM u')).toEqual({
      kind: 'insert',
      table: { parts: ['D', 'S', 'T'] },
      columns: ['A', 'B'],
      source: q(sel(['X', 'Y'], { from: table(['U']) })),
      overwrite: false,
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


describe('valid SQL Firn cannot express is NotSupportedError', () => {
  it.each([
    ['ALTER WAREHOUSE w SET RESOURCE_MONITOR = m', /^Warehouse property RESOURCE_MONITOR is not supported$/],
    ['ALTER WAREHOUSE w SUSPEND_IMMEDIATE', /^ALTER WAREHOUSE \.\.\. SUSPEND_IMMEDIATE is not supported$/],
    ["CREATE WAREHOUSE w WAREHOUSE_TYPE = 'SNOWPARK-OPTIMIZED'", /WAREHOUSE_TYPE/],
    ['CREATE WAREHOUSE w RESOURCE_MONITOR = m', /RESOURCE_MONITOR/],
    ['CREATE WAREHOUSE w ENABLE_QUERY_ACCELERATION = TRUE', /ENABLE_QUERY_ACCELERATION/],
    ["CREATE WAREHOUSE w WITH TAG (cost_center = 'x')", /WITH TAG/],
    ['CREATE MATERIALIZED VIEW v AS SELECT 1', /CREATE MATERIALIZED VIEW/],
    ['CREATE TRANSIENT SCHEMA s', /CREATE TRANSIENT SCHEMA/],
    ["CREATE TABLE t (a INT COMMENT 'x')", /Column option COMMENT/],
    ['CREATE TABLE t (a INT, PRIMARY KEY (a))', /Table constraints/],
    ['CREATE TABLE t (a INT) CLUSTER BY (to_date(a))', /CLUSTER BY expressions/],
    ["CREATE TABLE t (a INT) COMMENT = 'x'", /COMMENT/],
    ['SHOW TABLES IN DATABASE d', /SHOW TABLES IN DATABASE/],
    ['SHOW COLUMNS IN VIEW v', /SHOW COLUMNS IN VIEW/],
    ['SHOW TABLES IN ACCOUNT', /IN ACCOUNT/],
    ['DESCRIBE FUNCTION f', /DESCRIBE FUNCTION/],
    ['USE SECONDARY ROLES ALL', /USE SECONDARY ROLES/],
    ['GRANT SELECT ON ALL VIEWS IN SCHEMA s TO ROLE r', /ALL VIEWS/],
    ['GRANT SELECT ON t TO USER u', /TO USER/],
    ['GRANT DATABASE ROLE d.r TO ROLE r', /DATABASE ROLE/],
    ['REVOKE SELECT ON t FROM ROLE r CASCADE', /CASCADE/],
    ['GRANT SELECT ON ALL TABLES IN DATABASE d TO ROLE r', /ALL TABLES IN DATABASE/],
    ['SHOW FUTURE GRANTS IN DATABASE d', /FUTURE GRANTS IN DATABASE/],
    ['DROP MATERIALIZED VIEW v', /DROP MATERIALIZED VIEW/],
    ['DROP SCHEMA s RESTRICT', /RESTRICT/],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (TYPE = AVRO)", /TYPE = AVRO/],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (TYPE = JSON STRIP_NULL_VALUES = TRUE)", /STRIP_NULL_VALUES/],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (TYPE = JSON NULL_IF = ('x'))", /NULL_IF for JSON/],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (TYPE = JSON COMPRESSION = BROTLI)", /COMPRESSION = BROTLI/],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (COMPRESSION = BZ2)", /COMPRESSION = BZ2/],
    ["COPY INTO t FROM 'x' FILE_FORMAT = (FORMAT_NAME = 'f' TYPE = CSV)", /FORMAT_NAME together/],
    ["COPY INTO t FROM 'x' PURGE = TRUE", /PURGE/],
    ["COPY INTO t FROM 'x' ON_ERROR = SKIP_FILE", /SKIP_FILE/],
    ["COPY INTO t FROM 'x' LOAD_UNCERTAIN_FILES = TRUE", /LOAD_UNCERTAIN_FILES/],
    ['SELECT * FROM @stage', /Stages in FROM/],
    ["COPY INTO @s FROM t PATTERN = 'x'", /PATTERN when unloading/],
    ['CREATE TEMPORARY STAGE s', /CREATE TEMPORARY/],
    ["CREATE STAGE s STORAGE_INTEGRATION = i", /STORAGE_INTEGRATION/],
    ["COPY INTO t (a) FROM 'x'", /column list/],
    ['INSERT INTO t VALUES (DEFAULT)', /DEFAULT/],
    ['SELECT 1 UNION ALL BY NAME SELECT 1', /BY NAME/],
    ['SELECT 1 INTERSECT ALL SELECT 1', /INTERSECT ALL/],
    ['SELECT TOP 5 a FROM t', /TOP/],
    ['SELECT a FROM t GROUP BY ALL, b', /GROUP BY ALL beside/],
    ['SELECT * FROM t, LATERAL (SELECT 1)', /LATERAL/],
    ['SELECT * FROM t SAMPLE (10)', /SAMPLE/],
    ['SELECT * FROM t AS s (x)', /Column aliases/],
    ['SELECT * FROM t ASOF JOIN u MATCH_CONDITION (t.a >= u.a)', /ASOF/],
    ['SELECT a FROM t WINDOW w AS (ORDER BY a)', /WINDOW/],
    ['EXPLAIN USING JSON SELECT 1', /EXPLAIN USING/],
  ])('%s', (sql, message) => {
    expect(() => parseSql(sql)).toThrow(NotSupportedError);
    expect(() => parseSql(sql)).toThrow(message);
  });

  it('parses TABLE(name(args)) in FROM: positional and NAME => arguments, an alias, nothing after the call', () => {
    const body = query("SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 10, '2026-01-01')) AS h").body;
    expect(body.kind === 'select' && body.from).toEqual({
      kind: 'function',
      name: { parts: ['INFORMATION_SCHEMA', 'QUERY_HISTORY'] },
      args: [{ name: 'RESULT_LIMIT', expr: num('10') }, { name: null, expr: str('2026-01-01') }],
      alias: 'H',
    });
    const none = query('SELECT * FROM TABLE(query_history())').body;
    expect(none.kind === 'select' && none.from).toEqual({ kind: 'function', name: { parts: ['QUERY_HISTORY'] }, args: [], alias: null });
    expect(() => parseSql('SELECT * FROM TABLE(query_history() x)')).toThrow(SqlSyntaxError);
    expect(() => parseSql('SELECT * FROM TABLE(query_history(RESULT_LIMIT =>))')).toThrow(SqlSyntaxError);
  });

  it('refuses an unknown warehouse property with 001423 invalid property', () => {
    for (const [sql, prop] of [
      ['CREATE WAREHOUSE w WAREHOUS_SIZE = LARGE', 'WAREHOUS_SIZE'],
      ['CREATE WAREHOUSE w WAREHOUSE_SIZE = LARGE, colour = blue', 'COLOUR'],
      ['ALTER WAREHOUSE w SET WAIT_FOR_COMPLETIONS = TRUE', 'WAIT_FOR_COMPLETIONS'],
      ['ALTER WAREHOUSE w UNSET INITIALLY_SUSPENDED', 'INITIALLY_SUSPENDED'],
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
