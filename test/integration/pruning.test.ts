/**
 * Zone-map pruning end to end: a table clustered by day, loaded from three files (sorted as
 * one load) into many micro-partitions,
 * queried with pruning on and then (same data directory, restarted server) with
 * FIRN_PRUNING=off. Results must be identical; with pruning on, selective queries scan
 * fewer partitions, and EXPLAIN shows the pruning predicate and partitions scanned/total.
 * Also: COUNT/MIN/MAX without a filter come from the catalog without a warehouse.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, type StatementBody } from '../support/post-statement.js';
import { writeTripsCsv } from '../support/trips-data.js';

const QUERIES = [
  { sql: "SELECT COUNT(*), SUM(fare) FROM trips WHERE day BETWEEN '2024-03-01' AND '2024-03-31'", selective: true },
  { sql: "SELECT city, COUNT(*) FROM trips WHERE day >= '2024-12-01' GROUP BY city ORDER BY city NULLS LAST", selective: true },
  { sql: "SELECT COUNT(*) FROM trips WHERE day = '2024-07-04'", selective: true },
  { sql: "SELECT COUNT(*) FROM trips WHERE day < '2024-01-15' OR day > '2024-12-20'", selective: true },
  { sql: "SELECT COUNT(*) FROM trips WHERE day IN ('2024-02-29', '2024-10-10')", selective: true },
  { sql: "SELECT COUNT(*) FROM trips WHERE NOT (day >= '2024-01-10')", selective: true },
  { sql: "SELECT COUNT(*) FROM trips WHERE day > '2024-06-01'::DATE AND fare > 50", selective: true },
  { sql: "SELECT id FROM trips WHERE ts < '2024-01-02 06:00:00' ORDER BY id", selective: true },
  // Join pruning: the build side's key range prunes the probe side's scan.
  { sql: 'SELECT h.name, COUNT(*), SUM(t.fare) FROM trips t JOIN holidays h ON t.day = h.day GROUP BY h.name ORDER BY h.name', selective: true },
  { sql: 'SELECT COUNT(*) FROM trips t WHERE t.day IN (SELECT day FROM holidays)', selective: true },
  { sql: 'SELECT COUNT(*) FROM trips WHERE fare > 99', selective: false },
  { sql: "SELECT COUNT(*) FROM trips WHERE day >= '2024-01-01'", selective: false },
];

describe('pruning', () => {
  let dir: string;
  let server: FirnProcess;
  const on: StatementBody[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-prune-'));
    writeTripsCsv(path.join(dir, 'csv'), 3, 20_000, 7);
    // The table is small: without FIRN_SMALL_SCAN_ROWS=0 its aggregates would run in one task, and EXPLAIN would show no workers.
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '2500', FIRN_SMALL_SCAN_ROWS: '0' } });
    await postStatement(server.url, 'CREATE TABLE trips (id INTEGER, day DATE, city VARCHAR, fare NUMBER(10,2), distance FLOAT, paid BOOLEAN, note VARCHAR, ts TIMESTAMP_NTZ) CLUSTER BY (day)');
    await postStatement(server.url, `COPY INTO trips FROM 'file://${dir}/csv/trips_*.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
    await postStatement(server.url, 'CREATE TABLE holidays (day DATE, name VARCHAR)');
    await postStatement(server.url, "INSERT INTO holidays VALUES ('2024-07-04', 'July 4th'), ('2024-07-05', 'Day after')");
    for (const q of QUERIES) on.push(await postStatement(server.url, q.sql));
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the clustered table into many partitions', () => {
    expect(on[0].stats.partitionsTotal).toBe(24);
  });

  it('prunes the probe side of a join by the build side\'s key range', () => {
    const joinQuery = QUERIES.findIndex((q) => q.sql.includes('JOIN holidays'));
    // trips (24 partitions) + holidays (1): two days of a clustered year touch at most 2 trips partitions.
    expect(on[joinQuery].stats.partitionsTotal).toBe(25);
    expect(on[joinQuery].stats.partitionsScanned).toBeLessThanOrEqual(3);
    expect(on[joinQuery].data.map((r) => r[0])).toEqual(['Day after', 'July 4th']);
  });

  it('scans fewer partitions for selective predicates and all of them otherwise', () => {
    QUERIES.forEach((q, i) => {
      const s = on[i].stats;
      if (q.selective) expect(s.partitionsScanned, q.sql).toBeLessThan(s.partitionsTotal);
      else expect(s.partitionsScanned, q.sql).toBe(s.partitionsTotal);
    });
    // The load sorted all three files together by day, so a range scans only the partitions
    // its rows fill, plus at most one at each boundary.
    const monthRows = Number(on[0].data[0][0]);
    expect(on[0].stats.partitionsScanned).toBeLessThanOrEqual(Math.ceil(monthRows / 2500) + 1);
    expect(on[2].stats.partitionsScanned).toBeLessThanOrEqual(2);
  });

  it('explains the pruning predicate and the partitions scanned', async () => {
    const r = await postStatement(server.url, `EXPLAIN ${QUERIES[0].sql}`);
    const text = r.data.map((row) => row[0]).join('\n');
    expect(text).toContain("pruning predicate: (DAY >= '2024-03-01' AND DAY <= '2024-03-31')");
    expect(text).toMatch(/partitions: scanned=[1-4] total=24/);
    expect(text).toContain('push_down_filter');
    // EXPLAIN prints the physical plan: on the default XSMALL warehouse (one worker) the whole query is one single-task stage.
    expect(text).toMatch(/^Stage 0 tasks=1 on worker 0 output=result estimated rows=1$/m);
    expect(text).toMatch(/^ {4}HashAggregateExec phase=single group=\[\] aggregates=\[count_star\(\*\), sum\(FARE\)\]$/m);
    expect(text).toMatch(/^ {8}ScanExec FIRN\.PUBLIC\.TRIPS columns=\[DAY, FARE\] filter=/m);
    const logical = (await postStatement(server.url, `EXPLAIN LOGICAL ${QUERIES[0].sql}`)).data.map((row) => row[0]).join('\n');
    expect(logical).toMatch(/^ {6}TableScan FIRN\.PUBLIC\.TRIPS @v\d+ columns=\[DAY, FARE\]$/m);
    expect(logical).toContain("pruning predicate: (DAY >= '2024-03-01' AND DAY <= '2024-03-31')");
    expect(logical).not.toContain('Stage ');
  });

  it('explains the physical plan for the session warehouse\'s workers, without starting it', async () => {
    await postStatement(server.url, 'CREATE WAREHOUSE explain_wh WAREHOUSE_SIZE = SMALL');
    const r = await postStatement(server.url, `EXPLAIN ${QUERIES[0].sql}`, { warehouse: 'EXPLAIN_WH' });
    const text = r.data.map((row) => row[0]).join('\n');
    expect(text).toMatch(/^Stage 1 tasks=1 on worker 0 output=result estimated rows=1 inputs=\[0\]$/m);
    expect(text).toMatch(/^Stage 0 tasks=2 on workers 0-1 output=gather estimated rows=2$/m);
    expect(text).toMatch(/^ {2}HashAggregateExec phase=partial group=\[\] aggregates=\[count_star\(\*\), sum\(FARE\)\]$/m);
    expect(r.stats.warehouse).toBeNull();
  });

  it('answers COUNT(*), MIN and MAX of a whole table from the catalog', async () => {
    const r = await postStatement(server.url, 'SELECT COUNT(*), MIN(day), MAX(day), COUNT(fare), MIN(city) FROM trips');
    expect(r.stats.warehouse).toBeNull();
    expect(r.stats.bytesScanned).toBe(0);
    const scanned = await postStatement(server.url, 'SELECT COUNT(*), MIN(day), MAX(day), COUNT(fare), MIN(city) FROM trips WHERE id > 0');
    expect(r.data).toEqual(scanned.data);
    const plan = await postStatement(server.url, 'EXPLAIN SELECT COUNT(*), MAX(day) FROM trips');
    expect(plan.data.map((row) => row[0]).join('\n')).toContain('aggregate_from_zone_maps');
  });

  it('gives the same answers with pruning off, scanning every partition', async () => {
    await server.stop();
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '2500', FIRN_PRUNING: 'off' } });
    for (let i = 0; i < QUERIES.length; i++) {
      const off = await postStatement(server.url, QUERIES[i].sql);
      expect(off.data, QUERIES[i].sql).toEqual(on[i].data);
      expect(off.stats.partitionsScanned).toBe(off.stats.partitionsTotal);
    }
  });
});
