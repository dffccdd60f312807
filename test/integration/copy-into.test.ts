/**
 * COPY INTO end to end on the real server: the README's quick start, CSV options, Parquet
 * files written by another engine (DuckDB), and every kind of bad input under both ON_ERROR
 * modes. A failed COPY leaves no rows visible and no objects behind in the table store.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';
import { expectFailure } from '../support/statement-http.js';

function walk(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
  } catch {
    return [];
  }
}


describe('COPY INTO', () => {
  let dir: string;
  let server: FirnProcess;
  const objects = () => walk(path.join(dir, 'home', 'data')).filter((f) => f.endsWith('.parquet'));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-copy-'));
    mkdirSync(path.join(dir, 'src'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '3' } });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the quick start: CSV files by glob, one result row per file, then a grouped query', async () => {
    writeFileSync(path.join(dir, 'src', 'trips1.csv'), 'id,day,city,fare,paid\n1,2024-05-01,Oslo,10.50,true\n2,2024-06-02,Bergen,7.25,false\n3,2024-06-03,Oslo,1.00,true\n');
    writeFileSync(path.join(dir, 'src', 'trips2.csv'), 'id,day,city,fare,paid\n4,2024-07-04,Oslo,2.25,true\n5,2024-06-30,Tromso,,\n');
    await postStatement(server.url, 'CREATE TABLE trips (id INTEGER, day DATE, city VARCHAR, fare NUMBER(10,2), paid BOOLEAN)');
    const r = await postStatement(server.url, `COPY INTO trips FROM 'file://${dir}/src/trips*.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
    expect(r.resultSetMetaData.rowType.map((c) => c.name)).toEqual([
      'file', 'status', 'rows_parsed', 'rows_loaded', 'error_limit', 'errors_seen', 'first_error', 'first_error_line', 'first_error_character', 'first_error_column_name',
    ]);
    const rows = r.data.map((row) => [path.basename(row[0]!), row[1], row[2], row[3], row[5]]).sort();
    expect(rows).toEqual([
      ['trips1.csv', 'LOADED', '3', '3', '0'],
      ['trips2.csv', 'LOADED', '2', '2', '0'],
    ]);
    const q = await postStatement(server.url, "SELECT city, COUNT(*), SUM(fare) FROM trips WHERE day >= '2024-06-01' GROUP BY city ORDER BY 2 DESC, 1 LIMIT 5");
    expect(q.data).toEqual([
      ['Oslo', '2', '3.25'],
      ['Bergen', '1', '7.25'],
      ['Tromso', '1', null],
    ]);
  });

  it('loads TIMESTAMP_NTZ with 9 fraction digits exactly (years 0001 to 9999), cut to p digits for TIMESTAMP_NTZ(p)', async () => {
    writeFileSync(
      path.join(dir, 'src', 'stamps.csv'),
      'id,t,t3\n1,2024-01-02 03:04:05.123456789,2024-01-02 03:04:05.123456789\n2,2024-01-02T03:04:05.123456788,2024-01-02 03:04:05.9999\n' +
        '3,0001-01-01 00:00:00.000000001,0001-01-01 00:00:00.000000001\n4,9999-12-31 23:59:59.999999999,9999-12-31 23:59:59.999999999\n5,1969-12-31 23:59:59.5,\n',
    );
    await postStatement(server.url, 'CREATE TABLE stamps (id INT, t TIMESTAMP_NTZ(9), t3 TIMESTAMP_NTZ(3))');
    const r = await postStatement(server.url, `COPY INTO stamps FROM 'file://${dir}/src/stamps.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
    expect(r.data.map((row) => [row[1], row[3]])).toEqual([['LOADED', '5']]);
    // The SQL API's text: epoch seconds with 9 fraction digits, every digit exact.
    const q = await postStatement(server.url, 'SELECT id, t, t3 FROM stamps ORDER BY t');
    expect(q.resultSetMetaData.rowType.map((c) => [c.type, c.scale])).toEqual([['fixed', 0], ['timestamp_ntz', 9], ['timestamp_ntz', 3]]);
    expect(q.data).toEqual([
      ['3', '-62135596799.999999999', '-62135596800.000000000'],
      ['5', '-0.500000000', null],
      ['2', '1704164645.123456788', '1704164645.999000000'],
      ['1', '1704164645.123456789', '1704164645.123000000'],
      ['4', '253402300799.999999999', '253402300799.999000000'],
    ]);
    const eq = await postStatement(server.url, "SELECT id FROM stamps WHERE t = '2024-01-02 03:04:05.123456788'");
    expect(eq.data).toEqual([['2']]);
  });

  it('honours FIELD_DELIMITER, FIELD_OPTIONALLY_ENCLOSED_BY, NULL_IF and EMPTY_FIELD_AS_NULL', async () => {
    writeFileSync(path.join(dir, 'src', 'notes.psv'), 'k|txt\n1|"a|b"\n2|NULL\n3|\n4|"say ""hi"""\n5|-\n');
    await postStatement(server.url, 'CREATE TABLE notes (k INT, txt VARCHAR)');
    await postStatement(
      server.url,
      `COPY INTO notes FROM 'file://${dir}/src/notes.psv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1 FIELD_DELIMITER = '|' FIELD_OPTIONALLY_ENCLOSED_BY = '"' NULL_IF = ('NULL', '-') EMPTY_FIELD_AS_NULL = FALSE)`,
    );
    const q = await postStatement(server.url, 'SELECT k, txt FROM notes ORDER BY k');
    expect(q.data).toEqual([
      ['1', 'a|b'],
      ['2', null],
      ['3', ''],
      ['4', 'say "hi"'],
      ['5', null],
    ]);
  });

  it('loads Parquet files written by another engine', async () => {
    const duck = await (await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' })).connect();
    const file = path.join(dir, 'src', 'cities.parquet');
    await duck.run(`COPY (SELECT range::INT AS "ID", 'city' || range AS "NAME", (range * 1.25)::DECIMAL(9,2) AS "SCORE", DATE '2024-01-01' + range::INT AS "DAY" FROM range(10)) TO '${file}' (FORMAT PARQUET)`);
    duck.closeSync();
    await postStatement(server.url, 'CREATE TABLE cities (id INT, name VARCHAR, score NUMBER(9,2), day DATE)');
    const r = await postStatement(server.url, `COPY INTO cities FROM 'file://${file}' FILE_FORMAT = (TYPE = PARQUET)`);
    expect(r.data[0].slice(1, 4)).toEqual(['LOADED', '10', '10']);
    const q = await postStatement(server.url, 'SELECT COUNT(*), SUM(score), MAX(day), MIN(name) FROM cities WHERE id >= 0');
    expect(q.data).toEqual([['10', '56.25', String(Date.UTC(2024, 0, 10) / 86_400_000), 'city0']]);
  });

  it('aborts on the first bad value by default, leaving no rows and no objects behind', async () => {
    await postStatement(server.url, 'CREATE TABLE strict (id INT, amount NUMBER(6,2))');
    writeFileSync(path.join(dir, 'src', 'good.csv'), '1,1.00\n2,2.00\n3,3.00\n4,4.00\n');
    writeFileSync(path.join(dir, 'src', 'bad.csv'), '5,5.00\n6,abc\n7,7.00\n');
    const before = objects().length;
    const f = await expectFailure(server.url, `COPY INTO strict FROM 'file://${dir}/src/[gb]*.csv' FILE_FORMAT = (TYPE = CSV) ON_ERROR = ABORT_STATEMENT`);
    expect(f.status).toBe(422);
    expect(f.code).toBe('100038');
    expect(f.sqlState).toBe('22018');
    expect(f.message).toContain("'abc'");
    expect(f.message).toContain('bad.csv');
    expect(f.message).toMatch(/line 2/);
    const q = await postStatement(server.url, 'SELECT COUNT(*) FROM strict');
    expect(q.data).toEqual([['0']]);
    expect(objects().length).toBe(before);
  });

  it('aborts a clustered load (range partitioned in the workers) just as cleanly', async () => {
    await postStatement(server.url, 'CREATE TABLE strict_sorted (id INT, amount NUMBER(6,2)) CLUSTER BY (id)');
    const before = objects().length;
    const f = await expectFailure(server.url, `COPY INTO strict_sorted FROM 'file://${dir}/src/[gb]*.csv' FILE_FORMAT = (TYPE = CSV)`);
    expect(f.code).toBe('100038');
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM strict_sorted')).data).toEqual([['0']]);
    expect(objects().length).toBe(before);
    const ok = await postStatement(server.url, `COPY INTO strict_sorted FROM 'file://${dir}/src/good.csv' FILE_FORMAT = (TYPE = CSV)`);
    expect(ok.data[0][1]).toBe('LOADED');
    expect((await postStatement(server.url, 'SELECT id FROM strict_sorted ORDER BY id')).data).toEqual([['1'], ['2'], ['3'], ['4']]);
  });

  it('reports a wrong column count with Snowflake\'s code', async () => {
    writeFileSync(path.join(dir, 'src', 'wide.csv'), '1,1.00,extra\n');
    const f = await expectFailure(server.url, `COPY INTO strict FROM 'file://${dir}/src/wide.csv' FILE_FORMAT = (TYPE = CSV)`);
    expect(f.code).toBe('100080');
  });

  it('with ON_ERROR = CONTINUE loads the good rows and says what was skipped', async () => {
    const r = await postStatement(server.url, `COPY INTO strict FROM 'file://${dir}/src/bad.csv' FILE_FORMAT = (TYPE = CSV) ON_ERROR = CONTINUE`);
    const [file, status, parsed, loaded, , seen, first, line] = r.data[0];
    expect(path.basename(file!)).toBe('bad.csv');
    expect([status, parsed, loaded, seen, line]).toEqual(['PARTIALLY_LOADED', '3', '2', '1', '2']);
    expect(first).toContain("'abc'");
    const q = await postStatement(server.url, 'SELECT id FROM strict ORDER BY id');
    expect(q.data).toEqual([['5'], ['7']]);
  });

  it('fails clearly on a missing file and on a corrupt Parquet file', async () => {
    const missing = await expectFailure(server.url, `COPY INTO strict FROM 'file://${dir}/src/nope.csv' FILE_FORMAT = (TYPE = CSV)`);
    expect(missing.code).toBe('390101');
    expect(missing.message).toContain('nope.csv');
    writeFileSync(path.join(dir, 'src', 'broken.parquet'), Buffer.from('PAR1 this is not parquet at all PAR1'));
    const corrupt = await expectFailure(server.url, `COPY INTO strict FROM 'file://${dir}/src/broken.parquet' FILE_FORMAT = (TYPE = PARQUET)`);
    expect(corrupt.code).toBe('390102');
    expect(corrupt.message).toContain('broken.parquet');
    const q = await postStatement(server.url, 'SELECT COUNT(*) FROM strict');
    expect(q.data).toEqual([['2']]);
  });

  it('keeps serving after every failure', async () => {
    const r = await fetch(`${server.url}/healthz`);
    expect(r.status).toBe(200);
  });
});

describe('COPY INTO: big Parquet files cut into pieces across the workers', () => {
  let dir: string;
  let server: FirnProcess;
  const objects = () => walk(path.join(dir, 'home', 'data')).filter((f) => f.endsWith('.parquet'));
  const ctx = { warehouse: 'PIECES' };
  /** The failure of a statement that must fail (the test fails if it succeeds). */
  const copyFailure = async (sql: string): Promise<StatementFailure> => {
    const f = await postStatement(server.url, sql, ctx).then(
      () => null,
      (err: unknown) => err,
    );
    expect(f).toBeInstanceOf(StatementFailure);
    return f as StatementFailure;
  };
  const ROWS = 130_000;
  const TEXT_ROWS = 60_000;
  /** Row i of text.parquet's mostly distinct column S: NULL, empty, multi-byte, 600-character and plain values. */
  const textAt = (i: number) => (i % 13 === 0 ? null : i % 11 === 0 ? '' : i % 7 === 0 ? `é😀${i}` : i % 17 === 0 ? `${'日本'.repeat(300)}${i}` : `c${i}`);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-copy-pieces-'));
    mkdirSync(path.join(dir, 'src'));
    const duck = await (await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' })).connect();
    const select = (nullAt: string) =>
      `SELECT CASE WHEN range = ${nullAt} THEN NULL ELSE range END::BIGINT AS "ID", 'name' || (range % 97) AS "NAME", (range * 0.01)::DECIMAL(12,2) AS "AMOUNT" FROM range(${ROWS})`;
    await duck.run(`COPY (${select('-1')}) TO '${path.join(dir, 'src', 'big.parquet')}' (FORMAT PARQUET, ROW_GROUP_SIZE 10000)`);
    await duck.run(`COPY (${select('120000')}) TO '${path.join(dir, 'src', 'holey.parquet')}' (FORMAT PARQUET, ROW_GROUP_SIZE 10000)`);
    await duck.run(`COPY (SELECT range::BIGINT AS "ID", 'small' AS "NAME", 1.5::DECIMAL(12,2) AS "AMOUNT" FROM range(10)) TO '${path.join(dir, 'src', 'small.parquet')}' (FORMAT PARQUET)`);
    const text = `CASE WHEN range % 13 = 0 THEN NULL WHEN range % 11 = 0 THEN '' WHEN range % 7 = 0 THEN 'é😀' || range WHEN range % 17 = 0 THEN repeat('日本', 300) || range ELSE 'c' || range END`;
    await duck.run(`COPY (SELECT range::BIGINT AS "ID", ${text} AS "S" FROM range(${TEXT_ROWS})) TO '${path.join(dir, 'src', 'text.parquet')}' (FORMAT PARQUET, ROW_GROUP_SIZE 10000)`);
    duck.closeSync();
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '25000' } });
    await postStatement(server.url, 'CREATE WAREHOUSE PIECES WAREHOUSE_SIZE = SMALL');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads every row once, answers one row per file, and writes full partitions as a whole-file load would', async () => {
    await postStatement(server.url, 'CREATE TABLE pieces (id NUMBER(18,0) NOT NULL, name VARCHAR, amount NUMBER(12,2))', ctx);
    const before = objects().length;
    const r = await postStatement(server.url, `COPY INTO pieces FROM 'file://${dir}/src/[bs]*.parquet' FILE_FORMAT = (TYPE = PARQUET)`, ctx);
    expect(r.data.map((row) => [path.basename(String(row[0])), ...row.slice(1, 4)])).toEqual([
      ['big.parquet', 'LOADED', String(ROWS), String(ROWS)],
      ['small.parquet', 'LOADED', '10', '10'],
    ]);
    const q = await postStatement(server.url, 'SELECT COUNT(*), COUNT(DISTINCT id), SUM(id), SUM(amount), MIN(name), MAX(name) FROM pieces', ctx);
    const n = ROWS;
    expect(q.data).toEqual([[String(n + 10), String(n), String((n * (n - 1)) / 2 + 45), ((n * (n - 1)) / 2 / 100 + 15).toFixed(2), 'name0', 'small']]);
    // 130,000 rows in partitions of 25,000: five full ones and one of 5,000, plus the small file's.
    expect(objects().length - before).toBe(7);
    // The big file went out in pieces (their keys carry the piece), the small one whole.
    expect(objects().filter((f) => /f\d{5}p\d{5}-\d{5}\.parquet$/.test(f)).length).toBe(6);
  });

  it('loads a mostly distinct string column (kept as UTF-8 bytes) with every value exact, VARCHAR(n) counted in characters', async () => {
    // The longest value has 605 characters and over 1,800 bytes: VARCHAR(605) holds it.
    await postStatement(server.url, 'CREATE TABLE texts (id NUMBER(18,0), s VARCHAR(605))', ctx);
    const r = await postStatement(server.url, `COPY INTO texts FROM 'file://${dir}/src/text.parquet' FILE_FORMAT = (TYPE = PARQUET)`, ctx);
    expect(r.data.map((row) => row.slice(1, 4))).toEqual([['LOADED', String(TEXT_ROWS), String(TEXT_ROWS)]]);
    const all = await postStatement(server.url, 'SELECT id, s FROM texts ORDER BY id', ctx);
    expect(all.data.length).toBe(TEXT_ROWS);
    all.data.forEach((row, i) => {
      if (row[0] !== String(i) || row[1] !== textAt(i)) expect([i, row]).toEqual([i, [String(i), textAt(i)]]);
    });
    const values = Array.from({ length: TEXT_ROWS }, (_, i) => textAt(i)).filter((v): v is string => v !== null);
    const sorted = [...values].sort();
    const q = await postStatement(server.url, "SELECT MIN(s), MAX(s), COUNT(s), COUNT(*), COUNT_IF(s = ''), SUM(LENGTH(s)) FROM texts", ctx);
    expect(q.data).toEqual([[sorted[0], sorted[sorted.length - 1], String(values.length), String(TEXT_ROWS), String(values.filter((v) => v === '').length), String(values.reduce((n, v) => n + [...v].length, 0))]]);
    // Pruning by zone maps gives the same rows as scanning.
    const one = await postStatement(server.url, "SELECT id FROM texts WHERE s = 'c59999'", ctx);
    expect(one.data).toEqual([['59999']]);
    // One character less: the 605-character values fail, with nothing left behind.
    await postStatement(server.url, 'CREATE TABLE short_texts (id NUMBER(18,0), s VARCHAR(604))', ctx);
    const before = objects().length;
    const f = await copyFailure(`COPY INTO short_texts FROM 'file://${dir}/src/text.parquet' FILE_FORMAT = (TYPE = PARQUET)`);
    expect(f.code).toBe('100078');
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM short_texts', ctx)).data).toEqual([['0']]);
    expect(objects().length).toBe(before);
  });

  it('fails on a NULL in a later piece naming its row in the file, leaving nothing behind', async () => {
    await postStatement(server.url, 'CREATE TABLE holey (id NUMBER(18,0) NOT NULL, name VARCHAR, amount NUMBER(12,2))', ctx);
    const before = objects().length;
    const f = await copyFailure(`COPY INTO holey FROM 'file://${dir}/src/holey.parquet' FILE_FORMAT = (TYPE = PARQUET)`);
    expect(f.code).toBe('100072');
    expect(f.message).toContain('row 120001');
    expect(f.message).toContain('holey.parquet');
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM holey', ctx)).data).toEqual([['0']]);
    expect(objects().length).toBe(before);
  });
});
