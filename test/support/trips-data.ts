/**
 * A deterministic generator of a "trips" table (every Firn type, NULLs in several columns)
 * written as CSV files, shared by the integration and differential tests.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { prng } from './prng.js';

export const TRIPS_DDL =
  'CREATE TABLE trips (id INTEGER, day DATE, city VARCHAR, fare NUMBER(10,2), distance FLOAT, paid BOOLEAN, note VARCHAR, ts TIMESTAMP_NTZ)';

const CITIES = ['Oslo', 'Bergen', 'Trondheim', 'Stavanger', 'Tromso', 'Bodo', 'Alesund', 'Drammen', 'Molde', 'Narvik', 'Hamar', 'Lillehammer'];
const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'express', 'fox', 'golf', 'hotel', 'index', 'juliet', 'kilo', 'lima', 'apex'];


function isoDate(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

/** DuckDB's CREATE TABLE trips over the CSV files writeTripsCsv wrote to `dir`, with the same column types as TRIPS_DDL. */
export function duckdbTripsSql(dir: string): string {
  return (
    `CREATE TABLE trips AS SELECT * FROM read_csv('${dir}/trips_*.csv', header = true, columns = {'id': 'BIGINT', 'day': 'DATE', ` +
    `'city': 'VARCHAR', 'fare': 'DECIMAL(10,2)', 'distance': 'DOUBLE', 'paid': 'BOOLEAN', 'note': 'VARCHAR', 'ts': 'TIMESTAMP'})`
  );
}

/** Writes `files` CSV files of `rowsPerFile` rows (ids 1..N in order) with a header line. */
export function writeTripsCsv(dir: string, files: number, rowsPerFile: number, seed = 42): string[] {
  mkdirSync(dir, { recursive: true });
  const rand = prng(seed);
  const start = Date.UTC(2024, 0, 1) / 86_400_000;
  const paths: string[] = [];
  let id = 1;
  for (let f = 0; f < files; f++) {
    const lines = ['id,day,city,fare,distance,paid,note,ts'];
    for (let r = 0; r < rowsPerFile; r++, id++) {
      const day = start + Math.floor(rand() * 366);
      const city = rand() < 0.03 ? '' : CITIES[Math.floor(rand() * CITIES.length)];
      const fare = rand() < 0.02 ? '' : (Math.floor(rand() * 10_000) / 100).toFixed(2);
      // A multiple of 1/256 below 100, written out exactly: FLOAT sums of them are exact in any order.
      const distance = String(Math.floor(rand() * 25_600) / 256);
      const paid = rand() < 0.01 ? '' : rand() < 0.7 ? 'true' : 'false';
      const note = `${WORDS[Math.floor(rand() * WORDS.length)]} ${WORDS[Math.floor(rand() * WORDS.length)]}`;
      const secs = Math.floor(rand() * 86_400);
      const ts = `${isoDate(day)} ${String(Math.floor(secs / 3600)).padStart(2, '0')}:${String(Math.floor((secs % 3600) / 60)).padStart(2, '0')}:${String(secs % 60).padStart(2, '0')}`;
      lines.push(`${id},${isoDate(day)},${city},${fare},${distance},${paid},${note},${ts}`);
    }
    const p = path.join(dir, `trips_${String(f).padStart(2, '0')}.csv`);
    writeFileSync(p, lines.join('\n') + '\n');
    paths.push(p);
  }
  return paths;
}
