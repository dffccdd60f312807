/**
 * INFORMATION_SCHEMA.DATABASES | SCHEMATA | TABLES | COLUMNS, SHOW COLUMNS and the session
 * functions (CURRENT_USER() ... LAST_QUERY_ID()) over the real server, as ADMIN and as a role
 * that sees only part of a database: what the role may not see is not listed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientCredentials } from '../../services/cli/firn-client.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { ADMIN_CREDENTIALS, postStatement, StatementFailure } from '../support/post-statement.js';
import { createTestUser, type TestUser } from '../support/test-users.js';

describe('INFORMATION_SCHEMA, SHOW COLUMNS and session functions', () => {
  let dir: string;
  let server: FirnProcess;
  let bob: TestUser;
  const SALES = { database: 'SALES', schema: 'RAW' };
  const run = (sql: string, credentials: ClientCredentials = ADMIN_CREDENTIALS, context: { database?: string; schema?: string } = SALES) =>
    postStatement(server.url, sql, context, credentials);
  const rows = async (sql: string, credentials?: ClientCredentials, context?: { database?: string; schema?: string }) => (await run(sql, credentials, context)).data;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-infoschema-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    await postStatement(server.url, 'CREATE DATABASE sales');
    await postStatement(server.url, 'CREATE SCHEMA sales.raw');
    await postStatement(server.url, 'CREATE SCHEMA sales.secret');
    await run('CREATE TABLE orders (id NUMBER(10,0) NOT NULL, name VARCHAR(20), placed TIMESTAMP_NTZ(3), total FLOAT) CLUSTER BY (id)');
    await run("INSERT INTO orders VALUES (1, 'a', '2024-01-01 10:00:00', 1.5), (2, 'b', NULL, 2.5), (3, NULL, NULL, NULL)");
    await run('CREATE TABLE notes (body VARCHAR)');
    await run('CREATE TABLE sales.secret.salaries (amount NUMBER(12,2))');
    await postStatement(server.url, 'ALTER SCHEMA sales.raw SET DATA_RETENTION_TIME_IN_DAYS = 7');
    await postStatement(server.url, 'CREATE ROLE analyst');
    for (const grant of [
      'GRANT USAGE ON DATABASE sales TO ROLE analyst',
      'GRANT USAGE ON SCHEMA sales.raw TO ROLE analyst',
      'GRANT SELECT ON TABLE sales.raw.orders TO ROLE analyst',
      'GRANT USAGE ON WAREHOUSE compute_wh TO ROLE analyst',
    ]) await postStatement(server.url, grant);
    bob = await createTestUser(server.url, 'bob', 'DEFAULT_ROLE = ANALYST');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // ADMIN's role is ACCOUNTADMIN: it owns what it creates; the embedded FIRN database is SYSADMIN's.
  it("TABLES lists each table with its owner, rows, bytes, clustering key and retention", async () => {
    const shown = await run('SHOW TABLES IN sales.raw');
    const bytesOf = (name: string) => shown.data.find((r) => r[1] === name)![7];
    expect(
      await rows("SELECT table_catalog, table_schema, table_name, table_owner, table_type, is_transient, clustering_key, row_count, bytes, retention_time FROM information_schema.tables WHERE table_schema <> 'INFORMATION_SCHEMA' ORDER BY table_schema, table_name"),
    ).toEqual([
      ['SALES', 'RAW', 'NOTES', 'ACCOUNTADMIN', 'BASE TABLE', 'NO', null, '0', '0', '7'],
      ['SALES', 'RAW', 'ORDERS', 'ACCOUNTADMIN', 'BASE TABLE', 'NO', 'LINEAR(ID)', '3', bytesOf('ORDERS'), '7'],
      ['SALES', 'SECRET', 'SALARIES', 'ACCOUNTADMIN', 'BASE TABLE', 'NO', null, '0', '0', '1'],
    ]);
    expect(Number(bytesOf('ORDERS'))).toBeGreaterThan(0);
    expect(await rows("SELECT table_name, table_type, row_count FROM information_schema.tables WHERE table_schema = 'INFORMATION_SCHEMA' ORDER BY 1")).toEqual(
      ['COLUMNS', 'DATABASES', 'LOAD_HISTORY', 'SCHEMATA', 'SEQUENCES', 'TABLES', 'TABLE_STORAGE_METRICS', 'VIEWS'].map((name) => [name, 'VIEW', null]),
    );
  });

  it("COLUMNS describes each column with Snowflake's type facets", async () => {
    const r = await run("SELECT column_name, ordinal_position, is_nullable, data_type, character_maximum_length, numeric_precision, numeric_scale, datetime_precision FROM sales.information_schema.columns WHERE table_name = 'ORDERS' ORDER BY ordinal_position", ADMIN_CREDENTIALS, {});
    expect(r.data).toEqual([
      ['ID', '1', 'NO', 'NUMBER', null, '10', '0', null],
      ['NAME', '2', 'YES', 'TEXT', '20', null, null, null],
      ['PLACED', '3', 'YES', 'TIMESTAMP_NTZ', null, null, null, '3'],
      ['TOTAL', '4', 'YES', 'FLOAT', null, null, null, null],
    ]);
  });

  it('SCHEMATA and DATABASES list the containers with their retention', async () => {
    expect(await rows('SELECT schema_name, schema_owner, retention_time FROM information_schema.schemata ORDER BY schema_name')).toEqual([
      ['INFORMATION_SCHEMA', null, '0'],
      ['PUBLIC', 'ACCOUNTADMIN', '1'],
      ['RAW', 'ACCOUNTADMIN', '7'],
      ['SECRET', 'ACCOUNTADMIN', '1'],
    ]);
    expect(await rows('SELECT database_name, database_owner, retention_time, type FROM information_schema.databases ORDER BY 1')).toEqual([
      ['FIRN', 'SYSADMIN', '1', 'STANDARD'],
      ['SALES', 'ACCOUNTADMIN', '1', 'STANDARD'],
    ]);
  });

  it('SHOW COLUMNS lists the columns of a table, a schema or a database', async () => {
    const r = await run('SHOW COLUMNS IN TABLE orders');
    expect(r.resultSetMetaData.rowType.map((c) => c.name)).toEqual(['table_name', 'schema_name', 'column_name', 'data_type', 'null?', 'default', 'kind', 'expression', 'comment', 'database_name', 'autoincrement']);
    expect(r.data).toEqual([
      ['ORDERS', 'RAW', 'ID', '{"type":"FIXED","precision":10,"scale":0,"nullable":false}', 'false', '', 'COLUMN', '', '', 'SALES', ''],
      ['ORDERS', 'RAW', 'NAME', '{"type":"TEXT","length":20,"byteLength":80,"nullable":true,"fixed":false}', 'true', '', 'COLUMN', '', '', 'SALES', ''],
      ['ORDERS', 'RAW', 'PLACED', '{"type":"TIMESTAMP_NTZ","precision":0,"scale":3,"nullable":true}', 'true', '', 'COLUMN', '', '', 'SALES', ''],
      ['ORDERS', 'RAW', 'TOTAL', '{"type":"REAL","nullable":true}', 'true', '', 'COLUMN', '', '', 'SALES', ''],
    ]);
    const columns = async (sql: string) => (await rows(sql)).map((row) => `${row[1]}.${row[0]}.${row[2]}`);
    expect(await columns('SHOW COLUMNS IN SCHEMA')).toEqual(['RAW.NOTES.BODY', 'RAW.ORDERS.ID', 'RAW.ORDERS.NAME', 'RAW.ORDERS.PLACED', 'RAW.ORDERS.TOTAL']);
    expect(await columns("SHOW COLUMNS LIKE '%a%' IN DATABASE sales")).toEqual(['RAW.ORDERS.NAME', 'RAW.ORDERS.PLACED', 'RAW.ORDERS.TOTAL', 'SECRET.SALARIES.AMOUNT']);
    await expect(run('SHOW COLUMNS IN TABLE missing')).rejects.toMatchObject({ code: '002003' } satisfies Partial<StatementFailure>);
  });

  it('shows a role only what it may see', async () => {
    const b = bob.credentials;
    expect(await rows("SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'", b)).toEqual([['RAW', 'ORDERS']]);
    expect(await rows("SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema <> 'INFORMATION_SCHEMA'", b)).toEqual([['ORDERS']]);
    expect(await rows('SELECT schema_name FROM information_schema.schemata ORDER BY 1', b)).toEqual([['INFORMATION_SCHEMA'], ['RAW']]);
    const visible = (await rows('SHOW DATABASES', b)).map((r) => [r[1]]);
    expect(await rows('SELECT database_name FROM information_schema.databases ORDER BY 1', b)).toEqual(visible);
    expect(visible).toContainEqual(['SALES']);
    expect((await rows('SHOW COLUMNS IN DATABASE sales', b)).map((r) => r[0])).toEqual(['ORDERS', 'ORDERS', 'ORDERS', 'ORDERS']);
    await expect(run('SHOW COLUMNS IN SCHEMA sales.secret', b)).rejects.toMatchObject({ code: '002003' } satisfies Partial<StatementFailure>);
    await expect(run('SHOW COLUMNS IN TABLE notes', b)).rejects.toMatchObject({ code: '002003' } satisfies Partial<StatementFailure>);
  });

  it('answers the session functions with the session of the statement', async () => {
    const r = await run('SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_WAREHOUSE()', bob.credentials);
    expect(r.resultSetMetaData.rowType.map((c) => [c.name, c.type])).toEqual([
      ['CURRENT_USER()', 'text'],
      ['CURRENT_ROLE()', 'text'],
      ['CURRENT_DATABASE()', 'text'],
      ['CURRENT_SCHEMA()', 'text'],
      ['CURRENT_WAREHOUSE()', 'text'],
    ]);
    expect(r.data).toEqual([['BOB', 'ANALYST', 'SALES', 'RAW', 'COMPUTE_WH']]);
    expect(await rows('USE ROLE sysadmin; SELECT CURRENT_ROLE(), CURRENT_USER()')).toEqual([['SYSADMIN', 'ADMIN']]);
    expect(await rows('SELECT COUNT(*) FROM orders WHERE CURRENT_DATABASE() = \'SALES\'')).toEqual([['3']]);
  });

  it('LAST_QUERY_ID names the earlier statements of the request, and is NULL before any', async () => {
    expect(await rows('SELECT LAST_QUERY_ID()')).toEqual([[null]]);
    const r = await run('SELECT 1; SELECT 2; SELECT LAST_QUERY_ID(), LAST_QUERY_ID(-2), LAST_QUERY_ID(1), LAST_QUERY_ID(5)');
    const [first, second] = r.statementHandles!;
    expect(r.data).toEqual([[second, first, first, null]]);
  });
});
