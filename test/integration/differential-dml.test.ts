/**
 * Differential DML: the same UPDATE / DELETE / MERGE sequence on Firn (real server, real HTTP)
 * and on DuckDB over the same generated rows, compared exactly after every statement (the
 * whole table: types, scales and values, bench/compare-results.ts) and by the rows each
 * statement reports. Firn runs the sequence twice, on a 1-worker and on a 4-worker warehouse,
 * each on its own copy of the table, in small micro-partitions (so statements rewrite some
 * partitions and leave others), and both copies must equal DuckDB's. The statements are
 * drawn from templates with a seeded generator (test/support/prng.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { prng } from '../support/prng.js';
import { duckdbTripsSql, TRIPS_DDL, writeTripsCsv } from '../support/trips-data.js';
import { compareResults, duckdbResultSet, firnResultSet } from '../../bench/compare-results.js';

const CITIES = ['Oslo', 'Bergen', 'Trondheim', 'Stavanger', 'Tromso', 'Bodo', 'Alesund', 'Drammen', 'Molde', 'Narvik', 'Hamar', 'Lillehammer'];
const CITY_ROWS = "INSERT INTO cities VALUES ('Oslo', 'south'), ('Bergen', 'west'), ('Trondheim', 'mid'), ('Tromso', 'north'), ('Bodo', 'north'), ('Narvik', 'north'), ('Alesund', 'west')";

/** One statement: Firn's text and DuckDB's (the same where the dialects agree). */
type Dml = { firn: string; duckdb: string };

function statements(count: number, seed: number): ((t: string) => Dml)[] {
  const rand = prng(seed);
  const int = (n: number) => Math.floor(rand() * n);
  const city = () => CITIES[int(CITIES.length)];
  const day = () => `2024-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}`;
  const same = (sql: string): Dml => ({ firn: sql, duckdb: sql });
  const templates: ((t: string) => Dml)[] = [
    (t) => same(`UPDATE ${t} SET fare = fare + ${int(500) / 100}, note = UPPER(note) WHERE city = '${city()}' AND day < '${day()}'`),
    (t) => same(`UPDATE ${t} SET paid = NOT paid, distance = distance * 2 WHERE id % ${2 + int(20)} = ${int(2)}`),
    (t) => same(`UPDATE ${t} SET day = day + ${1 + int(30)} WHERE fare > ${int(100)}`),
    (t) => same(`DELETE FROM ${t} WHERE fare < ${int(30)} AND city = '${city()}'`),
    (t) => same(`DELETE FROM ${t} WHERE id % ${5 + int(50)} = 0 OR note IS NULL`),
    (t) => same(`DELETE FROM ${t} USING cities WHERE ${t}.city = cities.name AND cities.region = 'north' AND ${t}.id % ${7 + int(20)} = 1`),
    (t) => same(`UPDATE ${t} SET city = cities.region FROM cities WHERE ${t}.city = cities.name AND ${t}.id % ${3 + int(9)} = 2`),
    (t) => {
      const m = 5 + int(30);
      const sql =
        `MERGE INTO ${t} USING (SELECT id, fare FROM ${t} WHERE id % ${m} = 0 UNION ALL SELECT id + 1000000, fare FROM ${t} WHERE id % ${m * 7} = 1) s ON ${t}.id = s.id ` +
        `WHEN MATCHED AND s.fare > ${int(100)} THEN DELETE WHEN MATCHED THEN UPDATE SET fare = s.fare * 2, paid = NULL ` +
        `WHEN NOT MATCHED THEN INSERT (id, fare, city, day) VALUES (s.id, s.fare, 'new', '2025-01-01')`;
      return same(sql);
    },
  ];
  // Each statement's random choices are drawn once: every table and engine runs the same text.
  return Array.from({ length: count }, () => {
    const dml = templates[int(templates.length)]('{t}');
    return (t: string) => ({ firn: dml.firn.replaceAll('{t}', t), duckdb: dml.duckdb.replaceAll('{t}', t) });
  });
}

describe('DML: Firn on 1 and 4 workers and DuckDB agree, statement after statement', () => {
  let dir: string;
  let server: FirnProcess;
  let duck: DuckDBConnection;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-diff-dml-'));
    writeTripsCsv(path.join(dir, 'csv'), 2, 3_000);
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '500', FIRN_MAX_WORKERS_PER_CLUSTER: '4' } });
    await postStatement(server.url, 'CREATE WAREHOUSE wide WAREHOUSE_SIZE = MEDIUM');
    for (const t of ['trips', 'trips_wide']) {
      await postStatement(server.url, TRIPS_DDL.replace('CREATE TABLE trips', `CREATE TABLE ${t}`));
      await postStatement(server.url, `COPY INTO ${t} FROM 'file://${dir}/csv/trips_*.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
    }
    await postStatement(server.url, 'CREATE TABLE cities (name VARCHAR, region VARCHAR)');
    await postStatement(server.url, CITY_ROWS);
    const instance = await DuckDBInstance.create(':memory:', { threads: '2', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
    duck = await instance.connect();
    await duck.run('CREATE TABLE cities (name VARCHAR, region VARCHAR)');
    await duck.run(CITY_ROWS);
    await duck.run(duckdbTripsSql(path.join(dir, 'csv')));
  }, 120_000);

  afterAll(async () => {
    duck?.closeSync();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ALL = 'SELECT id, day, city, fare, distance, paid, note, ts FROM {t} ORDER BY id';

  it('24 seeded statements', async () => {
    for (const [k, make] of statements(24, 9).entries()) {
      const firn = make('trips');
      const wide = make('trips_wide');
      const duckCount = Number((await duck.runAndReadAll(make('trips').duckdb)).getRows()[0][0]);
      const one = await postStatement(server.url, firn.firn);
      const four = await postStatement(server.url, wide.firn, { warehouse: 'WIDE' });
      // MERGE answers one column per action (inserted, updated, deleted); DuckDB one count of all.
      const changed = (data: (string | null)[][]) => data[0].slice(0, firn.firn.startsWith('UPDATE') ? 1 : undefined).reduce((n, v) => n + Number(v), 0);
      expect([k, firn.firn, changed(one.data), changed(four.data)]).toEqual([k, firn.firn, duckCount, duckCount]);
      const expected = duckdbResultSet(await duck.runAndReadAll(ALL.replace('{t}', 'trips')));
      for (const [t, warehouse] of [['trips', undefined], ['trips_wide', 'WIDE']] as const) {
        const r = await postStatement(server.url, ALL.replace('{t}', t), warehouse ? { warehouse } : {});
        const cmp = compareResults(firnResultSet(r.resultSetMetaData.rowType, r.data), expected, { ordered: true });
        if (!cmp.same) expect.fail(`after statement ${k} (${firn.firn}) on ${t}: ${cmp.detail}`);
      }
    }
  }, 240_000);
});
