/**
 * Partitioned hash joins: with FIRN_BROADCAST_ROWS tiny, every equi-join whose build side
 * is larger runs split by key across a MEDIUM warehouse's 4 workers (stats.partitionedJoins
 * counts them). Each join type, NULL keys, string and multi-column keys must give what
 * DuckDB gives over the same files, and what a 1-worker warehouse (one whole join) gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { duckdbTripsSql, TRIPS_DDL, writeTripsCsv } from '../support/trips-data.js';
import { compareResults, duckdbResultSet, firnResultSet } from '../../bench/compare-results.js';

const CASES = [
  'SELECT COUNT(*), SUM(a.fare), SUM(b.fare) FROM trips a JOIN trips b ON a.id = b.id + 1',
  'SELECT COUNT(*), COUNT(b.id) FROM trips a LEFT JOIN (SELECT id FROM trips WHERE fare > 50) b ON a.id = b.id',
  'SELECT COUNT(*), COUNT(a.id), COUNT(b.id) FROM (SELECT id FROM trips WHERE id % 3 = 0) a FULL JOIN (SELECT id FROM trips WHERE id % 2 = 0) b ON a.id = b.id',
  'SELECT COUNT(*), COUNT(a.id) FROM (SELECT id FROM trips WHERE id % 5 = 0) a RIGHT JOIN (SELECT id FROM trips WHERE id % 2 = 0) b ON a.id = b.id',
  'SELECT a.city, COUNT(*) FROM trips a JOIN trips b ON a.note = b.note AND a.id = b.id GROUP BY a.city',
  'SELECT COUNT(*) FROM trips a LEFT JOIN trips b ON a.city = b.city AND a.id = b.id + 7 WHERE b.id IS NULL',
  'SELECT COUNT(*) FROM trips a WHERE EXISTS (SELECT 1 FROM trips b WHERE b.id = a.id * 2)',
  'SELECT COUNT(*) FROM trips a WHERE NOT EXISTS (SELECT 1 FROM trips b WHERE b.id = a.id + 3 AND b.paid)',
];

describe('partitioned hash joins', () => {
  let dir: string;
  let server: FirnProcess;
  let duck: DuckDBConnection;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-pjoin-'));
    writeTripsCsv(path.join(dir, 'csv'), 2, 10_000);
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '4000', FIRN_BROADCAST_ROWS: '100', FIRN_MAX_WORKERS_PER_CLUSTER: '4' } });
    await postStatement(server.url, TRIPS_DDL);
    await postStatement(server.url, `COPY INTO trips FROM 'file://${dir}/csv/trips_*.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
    await postStatement(server.url, 'CREATE WAREHOUSE wide WAREHOUSE_SIZE = MEDIUM');
    const instance = await DuckDBInstance.create(':memory:', { threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    duck = await instance.connect();
    await duck.run(duckdbTripsSql(path.join(dir, 'csv')));
  });

  afterAll(async () => {
    duck?.closeSync();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const sql of CASES) {
    it(sql, async () => {
      const wide = await postStatement(server.url, sql, { warehouse: 'WIDE' });
      expect(wide.stats.partitionedJoins).toBeGreaterThan(0);
      const one = await postStatement(server.url, sql);
      expect(one.stats.partitionedJoins).toBe(0);
      const wideResult = firnResultSet(wide.resultSetMetaData.rowType, wide.data);
      const oneWorker = compareResults(wideResult, firnResultSet(one.resultSetMetaData.rowType, one.data), { ordered: false });
      if (!oneWorker.same) expect.fail(`4 workers vs 1: ${oneWorker.detail}`);
      const duckdb = compareResults(wideResult, duckdbResultSet(await duck.runAndReadAll(sql)), { ordered: false });
      if (!duckdb.same) expect.fail(`Firn vs DuckDB: ${duckdb.detail}`);
    });
  }
});
