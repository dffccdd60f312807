/**
 * RESULT_SCAN over real statements: within one SQL API request (an earlier statement's result,
 * found with LAST_QUERY_ID()), and across requests through the statement store (a statement run
 * into it with startStatement, as the HTTP API runs them, then scanned by its id), where a user
 * reads only their own statements' results.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_IDENTITY, type Identity } from '../../services/access/identity.js';
import { loadConfig } from '../../services/config.js';
import { encodeCells } from '../../services/result/encode-jsonv2.js';
import { DEFAULT_CONTEXT, FirnEngine } from '../../services/session/firn-engine.js';
import { startStatement } from '../../services/statements/start-statement.js';
import { concatBatches } from '../../warehouse/execute/batch/concat-batches.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';

describe('RESULT_SCAN within a request, over HTTP', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-result-scan-http-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    await postStatement(server.url, "CREATE TABLE fares (city VARCHAR, fare NUMBER(10,2)); INSERT INTO fares VALUES ('Oslo', 12.50), ('Bergen', 8.00), ('Oslo', 20.25)");
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the previous statement's result with its columns and types", async () => {
    const r = await postStatement(
      server.url,
      'SELECT city, SUM(fare) AS total FROM fares GROUP BY city; SELECT total * 2 AS twice, city FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) WHERE total > 10 ORDER BY city',
    );
    expect(r.resultSetMetaData.rowType.map((c) => [c.name, c.type])).toEqual([['TWICE', 'fixed'], ['CITY', 'text']]);
    expect(r.data).toEqual([['65.50', 'Oslo']]);
  });

  it('scans SHOW output by its lower-case column names, as Snowflake users do', async () => {
    const r = await postStatement(server.url, 'SHOW TABLES; SELECT "name", "rows" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))');
    expect(r.data).toEqual([['FARES', '3']]);
  });

  it('scans a result of many batches, columnar, in the warehouse', async () => {
    await postStatement(
      server.url,
      'CREATE TABLE digits (x INTEGER); INSERT INTO digits VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9); ' +
        'CREATE TABLE big AS SELECT a.x * 10000 + b.x * 1000 + c.x * 100 + d.x * 10 + e.x AS k FROM digits a, digits b, digits c, digits d, digits e',
    );
    const r = await postStatement(server.url, 'SELECT k FROM big; SELECT COUNT(*), SUM(k), MIN(k), MAX(k), COUNT(DISTINCT k) FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) WHERE k >= 0');
    expect(r.data).toEqual([['100000', '4999950000', '0', '99999', '100000']]);
    const explained = await postStatement(server.url, 'SELECT k FROM big; EXPLAIN SELECT COUNT(*) FROM TABLE(RESULT_SCAN(LAST_QUERY_ID()))');
    expect(explained.data.map((row) => row[0]).join('\n')).toContain('BatchesExec rows=100000');
  });

  it('answers RESULT_NOT_AVAILABLE for a statement it does not know', async () => {
    await expect(postStatement(server.url, `SELECT * FROM TABLE(RESULT_SCAN('${randomUUID()}'))`)).rejects.toMatchObject({ code: '390107', sqlState: '02000' } satisfies Partial<StatementFailure>);
  });
});

describe('RESULT_SCAN across requests, through the statement store', () => {
  let dir: string;
  let engine: FirnEngine;
  const BOB: Identity = { user: 'BOB', role: 'PUBLIC' };

  /** Runs `sql` as `identity` and answers its rows as jsonv2 cells. */
  async function rows(sql: string, identity: Identity = SYSTEM_IDENTITY): Promise<unknown[][]> {
    const result = await engine.execute({ sql, context: DEFAULT_CONTEXT, identity, queryId: randomUUID() });
    const batches = [result.batch];
    if (result.stream) for await (const b of result.stream) batches.push(b);
    return encodeCells(result.columns, concatBatches(result.columns.map((c) => c.type), batches)).data;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-result-scan-store-'));
    engine = await FirnEngine.open(loadConfig({ FIRN_HOME: path.join(dir, 'home') }));
    await rows('CREATE TABLE t (k INTEGER, d DATE, at TIMESTAMP_NTZ(3), ok BOOLEAN)');
    await rows("INSERT INTO t VALUES (1, '2024-06-01', '2024-06-01 10:00:00.125', TRUE), (2, NULL, NULL, FALSE), (3, '2024-06-03', '2024-06-03 00:00:00', NULL)");
    await rows('CREATE USER bob');
  });

  afterAll(async () => {
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads a finished statement's result by its id, exactly, for its owner only", async () => {
    const queryId = randomUUID();
    const st = startStatement(engine.statements, engine, { request: { sql: 'SELECT k, d, at, ok FROM t ORDER BY k', context: DEFAULT_CONTEXT, identity: SYSTEM_IDENTITY, queryId }, user: SYSTEM_IDENTITY.user });
    await st.settled;
    expect(st.state).toBe('succeeded');
    const original = await rows('SELECT k, d, at, ok FROM t ORDER BY k');
    expect(await rows(`SELECT * FROM TABLE(RESULT_SCAN('${queryId}'))`)).toEqual(original);
    expect(await rows(`SELECT COUNT(*), MAX(at) FROM TABLE(RESULT_SCAN('${queryId}')) WHERE ok IS NOT NULL`)).toEqual([['2', '1717236000.125000000']]);
    await expect(rows(`SELECT * FROM TABLE(RESULT_SCAN('${queryId}'))`, BOB)).rejects.toMatchObject({ codeName: 'RESULT_NOT_AVAILABLE' });
  });
});
