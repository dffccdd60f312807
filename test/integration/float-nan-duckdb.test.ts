/**
 * Differential test of FLOAT NaN / +-inf semantics: the same table (NaN, +inf, -inf, -0.0,
 * NULL and ordinary values, spread over several partitions with pruning on) and the same
 * queries on Firn (real server over HTTP) and DuckDB, which orders doubles as Snowflake
 * does: NaN = NaN, NaN above +inf. Types and values compare exactly (bench/compare-results.ts),
 * rows in the order the query fixes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, duckdbResultSet, firnResultSet } from '../../bench/compare-results.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

const INSERTS = [
  "INSERT INTO f VALUES (1, 1.5), (2, 'nan'::DOUBLE), (3, 'inf'::DOUBLE)",
  "INSERT INTO f VALUES (4, '-inf'::DOUBLE), (5, NULL), (6, 'nan'::DOUBLE)",
  'INSERT INTO f VALUES (7, 0.0), (8, -7.25), (9, 7)',
  "INSERT INTO f VALUES (10, 1e308), (11, 'nan'::DOUBLE), (12, 'nan'::DOUBLE)",
];

const QUERIES = [
  "SELECT id FROM f WHERE x = 'nan'::DOUBLE ORDER BY id",
  "SELECT id FROM f WHERE x <> 'nan'::DOUBLE ORDER BY id",
  "SELECT id FROM f WHERE x < 'nan'::DOUBLE ORDER BY id",
  "SELECT id FROM f WHERE x <= 'nan'::DOUBLE ORDER BY id",
  "SELECT id FROM f WHERE x > 'nan'::DOUBLE ORDER BY id",
  "SELECT id FROM f WHERE x >= 'nan'::DOUBLE ORDER BY id",
  'SELECT id FROM f WHERE x > 1e308 ORDER BY id',
  "SELECT id FROM f WHERE x >= 'inf'::DOUBLE ORDER BY id",
  "SELECT id FROM f WHERE 'inf'::DOUBLE < x ORDER BY id",
  'SELECT id FROM f WHERE x <= 7 ORDER BY id',
  "SELECT id FROM f WHERE x BETWEEN 1 AND 'nan'::DOUBLE ORDER BY id",
  "SELECT id FROM f WHERE x IS DISTINCT FROM 'nan'::DOUBLE ORDER BY id",
  "SELECT id FROM f WHERE x IS NOT DISTINCT FROM 'nan'::DOUBLE ORDER BY id",
  "SELECT id FROM f WHERE x IN ('nan'::DOUBLE, 7) ORDER BY id",
  "SELECT id FROM f WHERE x NOT IN ('nan'::DOUBLE, 7) ORDER BY id",
  "SELECT id FROM f WHERE x IN ('nan'::DOUBLE, 7, 1.5, 2, 3, 4) ORDER BY id",
  'SELECT id FROM f WHERE x >= (SELECT MAX(x) FROM f) ORDER BY id',
  'SELECT id FROM f WHERE x = (SELECT MIN(x) FROM f) ORDER BY id',
  'SELECT a.id, b.id FROM f a, f b WHERE a.x > b.x AND b.id = 3 ORDER BY 1, 2',
  'SELECT id, x = x, x < x + 1 FROM f ORDER BY id',
  'SELECT MIN(x), MAX(x) FROM f',
  'SELECT id > 10, MIN(x), MAX(x) FROM f GROUP BY 1 ORDER BY 1',
  'SELECT x, COUNT(*) FROM f GROUP BY x ORDER BY x NULLS LAST',
  'SELECT COUNT(DISTINCT x) FROM f',
  'SELECT id, x FROM f ORDER BY x NULLS LAST, id',
  'SELECT id, x FROM f ORDER BY x DESC NULLS FIRST, id',
  'SELECT id, x FROM f ORDER BY x DESC NULLS LAST, id LIMIT 3',
  'SELECT id, DENSE_RANK() OVER (ORDER BY x NULLS LAST) FROM f ORDER BY id',
  'SELECT a.id, b.id FROM f a JOIN f b ON a.x = b.x WHERE a.id < b.id ORDER BY 1, 2',
];

describe('FLOAT NaN and infinities: Firn and DuckDB agree', () => {
  let home: string;
  let server: FirnProcess;
  let duck: DuckDBConnection;

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'firn-nan-'));
    server = await startFirnProcess({ home, env: { FIRN_PARTITION_ROWS: '3' } });
    await postStatement(server.url, 'CREATE DATABASE nan_diff');
    const ctx = { database: 'NAN_DIFF', schema: 'PUBLIC', warehouse: null };
    await postStatement(server.url, 'CREATE TABLE f (id INT, x FLOAT)', ctx);
    for (const sql of INSERTS) await postStatement(server.url, sql, ctx);
    const instance = await DuckDBInstance.create(':memory:', { threads: '1', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    duck = await instance.connect();
    await duck.run('CREATE TABLE f (id INTEGER, x DOUBLE)');
    for (const sql of INSERTS) await duck.run(sql);
  });

  afterAll(async () => {
    duck?.closeSync();
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('spreads the rows over several partitions', async () => {
    const r = await postStatement(server.url, "SELECT COUNT(*) FROM f WHERE x = 'nan'::DOUBLE", { database: 'NAN_DIFF', schema: 'PUBLIC', warehouse: null });
    expect(r.data).toEqual([['4']]);
    expect(r.stats.partitionsTotal).toBe(4);
  });

  for (const sql of QUERIES) {
    it(sql, async () => {
      const firn = await postStatement(server.url, sql, { database: 'NAN_DIFF', schema: 'PUBLIC', warehouse: null });
      const c = compareResults(firnResultSet(firn.resultSetMetaData.rowType, firn.data), duckdbResultSet(await duck.runAndReadAll(sql)), { ordered: true });
      if (!c.same) expect.fail(c.detail);
    });
  }
});
