/**
 * Differential test: the same single-table SQL on Firn (real server, real HTTP) and on
 * DuckDB over the same generated CSV files (200,000 rows, every type, NULLs), compared
 * exactly: the same column types (NUMBER by scale) and the same values (bench/compare-results.ts).
 * Where the dialects differ, a query carries one text per engine; where Snowflake's type differs
 * from DuckDB's (AVG of a NUMBER is an exact NUMBER(38, s + 6)), DuckDB's text computes
 * Snowflake's value exactly (bench/engines/duckdb-exact-macros.ts). FLOAT distances are
 * multiples of 1/256, so their sums are exact in any order and FLOAT results compare exactly too.
 * Every query also runs on a MEDIUM warehouse (4 workers) and must give exactly what the
 * XSMALL one (1 worker) gave.
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
import { DUCKDB_EXACT_MACROS, snowflakeAvg2 } from '../../bench/engines/duckdb-exact-macros.js';

type Case = { sql: string; duckdb?: string; ordered?: boolean };

const CASES: Case[] = [
  { sql: 'SELECT COUNT(*) FROM trips' },
  { sql: 'SELECT COUNT(*), SUM(fare), MIN(fare), MAX(fare), COUNT(fare) FROM trips' },
  { sql: 'SELECT city, COUNT(*), SUM(fare) FROM trips GROUP BY city' },
  { sql: "SELECT city, COUNT(*), SUM(fare) FROM trips WHERE day >= '2024-06-01' GROUP BY city ORDER BY 2 DESC, 1 NULLS LAST LIMIT 5", ordered: true },
  { sql: 'SELECT COUNT(*) FROM trips WHERE fare BETWEEN 10 AND 20' },
  { sql: "SELECT COUNT(*) FROM trips WHERE city IN ('Oslo', 'Bergen') AND paid" },
  { sql: "SELECT id, fare FROM trips WHERE city = 'Oslo' ORDER BY fare DESC NULLS LAST, id LIMIT 10", ordered: true },
  { sql: 'SELECT YEAR(day), MONTH(day), COUNT(*) FROM trips GROUP BY 1, 2' },
  { sql: 'SELECT COUNT(DISTINCT city), COUNT(DISTINCT note) FROM trips' },
  { sql: 'SELECT paid, COUNT(*), AVG(distance), SUM(distance) FROM trips GROUP BY paid' },
  { sql: 'SELECT SUM(fare * 2 + 1), SUM(fare - 1.005) FROM trips WHERE paid = false' },
  { sql: 'SELECT city, MAX(day), MIN(day), MAX(ts) FROM trips GROUP BY city' },
  { sql: "SELECT COUNT(*) FROM trips WHERE note LIKE 'a%'" },
  { sql: "SELECT COUNT(*) FROM trips WHERE note ILIKE '%EX%'" },
  { sql: 'SELECT UPPER(city), LENGTH(note), LOWER(note) FROM trips WHERE id < 50 ORDER BY id', ordered: true },
  { sql: 'SELECT COUNT(*) FROM trips WHERE fare IS NULL' },
  { sql: 'SELECT COUNT(*) FROM trips WHERE city IS NULL OR fare > 90' },
  { sql: 'SELECT DISTINCT city FROM trips' },
  { sql: "SELECT CASE WHEN fare > 50 THEN 'high' WHEN fare > 20 THEN 'mid' ELSE 'low' END AS band, COUNT(*) FROM trips GROUP BY band" },
  { sql: "SELECT COALESCE(city, 'unknown'), SUM(distance), MAX(distance) FROM trips GROUP BY 1" },
  { sql: 'SELECT id FROM trips WHERE distance > 99.9 ORDER BY id', ordered: true },
  { sql: 'SELECT SUBSTR(note, 1, 3) AS p, COUNT(*) FROM trips GROUP BY p HAVING COUNT(*) > 100' },
  { sql: "SELECT DATE_TRUNC('month', day) AS m, SUM(fare) FROM trips GROUP BY m", duckdb: "SELECT CAST(DATE_TRUNC('month', day) AS DATE) AS m, SUM(fare) FROM trips GROUP BY m" },
  { sql: 'SELECT MIN(ts), MAX(ts), MIN(note), MAX(city) FROM trips' },
  { sql: "SELECT COUNT(*) FROM trips WHERE ts >= '2024-03-01 00:00:00' AND ts < '2024-04-01 00:00:00'" },
  { sql: 'SELECT id, day, city, fare, distance, paid, note, ts FROM trips ORDER BY id LIMIT 20 OFFSET 100000', ordered: true },
  { sql: 'SELECT COUNT(*) FROM trips WHERE NOT paid' },
  { sql: "SELECT city, COUNT(*) FROM trips WHERE day BETWEEN '2024-02-01' AND '2024-02-29' GROUP BY city HAVING SUM(fare) > 1000" },
  { sql: "SELECT DATEDIFF(day, day, '2025-01-01'::DATE) AS d, COUNT(*) FROM trips GROUP BY d ORDER BY d LIMIT 5", duckdb: "SELECT DATEDIFF('day', day, DATE '2025-01-01') AS d, COUNT(*) FROM trips GROUP BY d ORDER BY d LIMIT 5", ordered: true },
  { sql: "SELECT COUNT(*) FROM trips WHERE city > 'M'" },
  { sql: 'SELECT SUM(fare), COUNT(*) FROM trips WHERE id % 7 = 3' },
  { sql: 'SELECT paid, city, COUNT(*) FROM trips GROUP BY paid, city HAVING COUNT(*) > 1500' },
  {
    sql: "SELECT AVG(fare), SUM(fare) / COUNT(fare) FROM trips WHERE city = 'Molde'",
    // Snowflake: AVG of NUMBER(10,2) and NUMBER(38,2) / NUMBER(18,0) are both NUMBER(38,8).
    duckdb: `SELECT ${snowflakeAvg2('fare')}, sf_div8(sf_scaled(SUM(fare)), COUNT(fare) * 100) FROM trips WHERE city = 'Molde'`,
  },
  { sql: "SELECT id, city || '/' || note FROM trips WHERE id BETWEEN 500 AND 510 ORDER BY id", ordered: true },
  { sql: "SELECT COUNT(*) FROM trips WHERE day = '2024-02-29' OR (fare < 1 AND paid IS NULL)" },
  { sql: 'SELECT MONTH(day) AS m, COUNT(*), SUM(fare) FROM trips WHERE fare IS NOT NULL GROUP BY m ORDER BY m', ordered: true },
  // Joins: the trips scan is the probe pipeline in the workers, cities the broadcast build side.
  { sql: 'SELECT c.region, COUNT(*), SUM(t.fare) FROM trips t JOIN cities c ON t.city = c.name GROUP BY c.region' },
  { sql: 'SELECT c.region, t.paid, COUNT(*) FROM cities c JOIN trips t ON t.city = c.name GROUP BY 1, 2' },
  { sql: 'SELECT t.id, t.city, c.region FROM trips t LEFT JOIN cities c ON t.city = c.name WHERE t.id < 40 ORDER BY t.id', ordered: true },
  { sql: "SELECT COUNT(*) FROM trips t WHERE t.city IN (SELECT name FROM cities WHERE region = 'north')" },
  { sql: "SELECT COUNT(*) FROM trips t WHERE t.city NOT IN (SELECT name FROM cities WHERE region = 'north')" },
  { sql: 'SELECT COUNT(*) FROM trips t WHERE NOT EXISTS (SELECT 1 FROM cities c WHERE c.name = t.city)' },
  { sql: 'SELECT a.city, COUNT(*) FROM trips a JOIN trips b ON a.id = b.id + 1 AND a.city = b.city GROUP BY a.city' },
  // Small left side, streamed right side: workers mark the broadcast cities their trips match.
  { sql: 'SELECT c.name FROM cities c WHERE EXISTS (SELECT 1 FROM trips t WHERE t.city = c.name AND t.fare > 99.5)' },
  { sql: 'SELECT c.name FROM cities c WHERE NOT EXISTS (SELECT 1 FROM trips t WHERE t.city = c.name AND t.day = \'2024-03-03\' AND t.paid)' },
  { sql: 'SELECT c.name FROM cities c WHERE c.name IN (SELECT city FROM trips WHERE distance < 0.05)' },
  { sql: 'SELECT c.name FROM cities c WHERE c.name NOT IN (SELECT city FROM trips WHERE id < 3000)' },
  { sql: 'SELECT c.name FROM cities c WHERE c.name NOT IN (SELECT city FROM trips WHERE id < 3000 AND city IS NOT NULL)' },
  // Subqueries as joined columns: MARK joins (both directions), grouped LEFT joins, ANY/ALL statistics.
  { sql: 'SELECT c.name, (SELECT COUNT(*) FROM trips t WHERE t.city = c.name AND t.fare > 99), (SELECT MAX(t.fare) FROM trips t WHERE t.city = c.name AND t.paid) FROM cities c' },
  { sql: 'SELECT c.name, EXISTS (SELECT 1 FROM trips t WHERE t.city = c.name AND t.fare > 99.9), c.name IN (SELECT city FROM trips WHERE distance < 0.05) FROM cities c' },
  { sql: "SELECT COUNT(*) FROM trips t WHERE t.fare > 99 OR t.city IN (SELECT name FROM cities WHERE region = 'north')" },
  { sql: "SELECT COUNT(*) FROM trips t WHERE (t.city IN (SELECT name FROM cities WHERE region <> 'north')) IS NULL" },
  { sql: 'SELECT COUNT(*) FROM trips t WHERE NOT (t.paid OR EXISTS (SELECT 1 FROM cities c WHERE c.name = t.city AND c.region = \'west\'))' },
  { sql: "SELECT COUNT(*) FROM trips t WHERE t.fare > ALL (SELECT fare FROM trips WHERE city = 'Oslo' AND day = '2024-03-03')" },
  { sql: 'SELECT COUNT(*) FROM trips t WHERE t.distance < ANY (SELECT distance FROM trips WHERE id < 10)' },
  { sql: 'SELECT t.id, (SELECT c.region FROM cities c WHERE c.name = t.city) FROM trips t WHERE t.id < 30 ORDER BY t.id', ordered: true },
  { sql: 'SELECT c.name, 50 < ALL (SELECT fare FROM trips t WHERE t.city = c.name AND t.id < 500), 99 < ANY (SELECT fare FROM trips t WHERE t.city = c.name AND t.id < 500) FROM cities c' },
];

const CITIES = "INSERT INTO cities VALUES ('Oslo', 'south'), ('Bergen', 'west'), ('Trondheim', 'mid'), ('Tromso', 'north'), ('Bodo', 'north'), ('Narvik', 'north'), ('Alesund', 'west')";

describe('Firn and DuckDB agree on the same files', () => {
  let dir: string;
  let server: FirnProcess;
  let duck: DuckDBConnection;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-diff-'));
    writeTripsCsv(path.join(dir, 'csv'), 4, 50_000);
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '20000', FIRN_MAX_WORKERS_PER_CLUSTER: '4' } });
    await postStatement(server.url, TRIPS_DDL);
    const copy = await postStatement(server.url, `COPY INTO trips FROM 'file://${dir}/csv/trips_*.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
    expect(copy.data.map((r) => r[1])).toEqual(['LOADED', 'LOADED', 'LOADED', 'LOADED']);
    await postStatement(server.url, 'CREATE WAREHOUSE wide WAREHOUSE_SIZE = MEDIUM');
    await postStatement(server.url, 'CREATE TABLE cities (name VARCHAR, region VARCHAR)');
    await postStatement(server.url, CITIES);
    const instance = await DuckDBInstance.create(':memory:', { threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    duck = await instance.connect();
    for (const macro of DUCKDB_EXACT_MACROS) await duck.run(macro);
    await duck.run('CREATE TABLE cities (name VARCHAR, region VARCHAR)');
    await duck.run(CITIES);
    await duck.run(duckdbTripsSql(path.join(dir, 'csv')));
  });

  afterAll(async () => {
    duck?.closeSync();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loaded every row', async () => {
    const r = await postStatement(server.url, 'SELECT COUNT(*) FROM trips');
    expect(r.data).toEqual([['200000']]);
  });

  for (const c of CASES) {
    it(c.sql, async () => {
      const firn = await postStatement(server.url, c.sql);
      const wide = await postStatement(server.url, c.sql, { warehouse: 'WIDE' });
      expect(wide.stats.warehouse === null || wide.stats.warehouse === 'WIDE').toBe(true);
      const firnResult = firnResultSet(firn.resultSetMetaData.rowType, firn.data);
      const workers = compareResults(firnResultSet(wide.resultSetMetaData.rowType, wide.data), firnResult, { ordered: !!c.ordered });
      if (!workers.same) expect.fail(`4 workers vs 1: ${workers.detail}`);
      const duckdb = compareResults(firnResult, duckdbResultSet(await duck.runAndReadAll(c.duckdb ?? c.sql)), { ordered: !!c.ordered });
      if (!duckdb.same) expect.fail(`Firn vs DuckDB: ${duckdb.detail}`);
    });
  }
});
