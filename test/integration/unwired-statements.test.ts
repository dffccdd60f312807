/**
 * Issue 9's statements parse (services/sql/front/) before the engine can run them: until each
 * is wired, the server refuses it with 390201 / 0A000 "<construct> is not supported", as it did
 * when the parser refused it (a script holding one runs none of its statements), and nothing
 * changes (services/session/refuse-unwired.ts; time travel is refused where tables are bound).
 * Over the real server, from dist/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';

describe('issue 9 statements the engine does not run yet', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-unwired-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    await postStatement(server.url, 'CREATE TABLE t (a INT, b VARCHAR)');
    await postStatement(server.url, "INSERT INTO t VALUES (1, 'x'), (2, 'y')");
    await postStatement(server.url, 'CREATE TABLE gone (a INT)');
    await postStatement(server.url, 'DROP TABLE gone');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['CREATE TABLE t2 CLONE t', 'CREATE TABLE ... CLONE'],
    ['CREATE TABLE t2 CLONE t AT(OFFSET => -1) EXPIRES_AFTER = 60', 'CREATE TABLE ... CLONE'],
    ['CREATE SCHEMA s2 CLONE public', 'CREATE SCHEMA ... CLONE'],
    ['CREATE DATABASE d2 CLONE firn', 'CREATE DATABASE ... CLONE'],
    ['UNDROP TABLE gone', 'UNDROP TABLE'],
    ['UNDROP SCHEMA public', 'UNDROP SCHEMA'],
    ['SHOW TABLES HISTORY', 'SHOW TABLES HISTORY'],
    ['SHOW VERSIONS IN TABLE t', 'SHOW VERSIONS'],
    ['SELECT * FROM t AT(OFFSET => -1)', 'Time travel (AT | BEFORE)'],
    ["SELECT * FROM t JOIN (SELECT a FROM t BEFORE(STATEMENT => 'q')) s ON t.a = s.a", 'Time travel (AT | BEFORE)'],
    ['WITH c AS (SELECT * FROM t AT(OFFSET => -1)) SELECT * FROM c', 'Time travel (AT | BEFORE)'],
    ['INSERT INTO t SELECT * FROM t AT(OFFSET => -1)', 'Time travel (AT | BEFORE)'],
    ['CREATE TABLE t3 AS SELECT * FROM t AT(OFFSET => -1)', 'Time travel (AT | BEFORE)'],
    ['EXPLAIN SELECT * FROM t AT(OFFSET => -1)', 'Time travel (AT | BEFORE)'],
    ['UPDATE t SET a = 1 FROM t AT(OFFSET => -1) u WHERE t.a = u.a', 'Time travel (AT | BEFORE)'],
  ])('%s is refused with 0A000', async (sql, construct) => {
    const failure = await postStatement(server.url, sql).then(
      () => null,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(StatementFailure);
    expect(failure).toMatchObject({ status: 422, code: '390201', sqlState: '0A000', message: `${construct} is not supported` });
  });

  it('refuses a script holding one before running any of its statements', async () => {
    await expect(postStatement(server.url, "INSERT INTO t VALUES (3, 'z'); UNDROP TABLE gone")).rejects.toMatchObject({ code: '390201', sqlState: '0A000', message: 'UNDROP TABLE is not supported' });
  });

  it('changed nothing', async () => {
    const rows = await postStatement(server.url, 'SELECT a, b FROM t ORDER BY a');
    expect(rows.data).toEqual([['1', 'x'], ['2', 'y']]);
    const tables = await postStatement(server.url, 'SHOW TABLES');
    const name = tables.resultSetMetaData.rowType.findIndex((c) => c.name === 'name');
    expect(tables.data.map((r) => r[name])).toEqual(['T']);
    const dbs = await postStatement(server.url, 'SHOW DATABASES');
    expect(dbs.data.map((r) => r[1])).toEqual(['FIRN']);
    const described = await postStatement(server.url, 'DESCRIBE TABLE t');
    expect(described.data.map((r) => r[0])).toEqual(['A', 'B']);
  });
});
