/**
 * SHOW DATABASES / SCHEMAS / TABLES / WAREHOUSES and the DDL that changes what they list,
 * over the real server (the sqllogictest files cannot check SHOW's created_on column).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';

describe('SHOW and the objects it lists', () => {
  let dir: string;
  let server: FirnProcess;
  const names = async (sql: string, column = 'name') => {
    const r = await postStatement(server.url, sql);
    const i = r.resultSetMetaData.rowType.findIndex((c) => c.name === column);
    return r.data.map((row) => row[i]);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-show-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts with the embedded defaults: database FIRN, schema PUBLIC, warehouse COMPUTE_WH (XSMALL)', async () => {
    expect(await names('SHOW DATABASES')).toEqual(['FIRN']);
    expect(await names('SHOW SCHEMAS')).toEqual(['PUBLIC']);
    const wh = await postStatement(server.url, 'SHOW WAREHOUSES');
    expect(wh.data.map((r) => [r[0], r[3]])).toEqual([['COMPUTE_WH', 'XSMALL']]);
  });

  it('lists what CREATE makes and forgets what DROP removes', async () => {
    await postStatement(server.url, 'CREATE DATABASE sales');
    await postStatement(server.url, 'CREATE SCHEMA sales.raw');
    await postStatement(server.url, 'CREATE TABLE sales.raw.orders (id INT)');
    await postStatement(server.url, 'CREATE WAREHOUSE etl_wh WAREHOUSE_SIZE = SMALL');
    expect(await names('SHOW DATABASES')).toEqual(['FIRN', 'SALES']);
    expect(await names('SHOW SCHEMAS IN sales')).toEqual(['PUBLIC', 'RAW']);
    expect(await names('SHOW TABLES IN sales.raw')).toEqual(['ORDERS']);
    expect(await names("SHOW WAREHOUSES LIKE 'etl%'")).toEqual(['ETL_WH']);
    expect(await names('SHOW WAREHOUSES', 'size')).toEqual(['XSMALL', 'SMALL']);
    await postStatement(server.url, 'DROP SCHEMA sales.raw');
    expect(await names('SHOW SCHEMAS IN sales')).toEqual(['PUBLIC']);
    await postStatement(server.url, 'DROP DATABASE sales');
    expect(await names('SHOW DATABASES')).toEqual(['FIRN']);
    await expect(postStatement(server.url, 'USE DATABASE sales')).rejects.toMatchObject({ code: '002003' } satisfies Partial<StatementFailure>);
    await postStatement(server.url, 'DROP WAREHOUSE etl_wh');
    expect(await names('SHOW WAREHOUSES')).toEqual(['COMPUTE_WH']);
  });

  it('keeps USE in the returned context', async () => {
    await postStatement(server.url, 'CREATE DATABASE other');
    const r = await postStatement(server.url, 'USE DATABASE other');
    expect(r.context).toMatchObject({ database: 'OTHER', schema: 'PUBLIC' });
  });
});
