/**
 * BINARY end to end on the real server: the SQL API's rowType and hex cells, the official
 * snowflake-sdk driver decoding BINARY columns into Buffers, and COPY INTO of BINARY columns
 * from CSV (hex by default, BINARY_FORMAT = BASE64) and from a Parquet BLOB column written by
 * DuckDB.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { connectDriver, destroy, execute, type DriverConnection } from '../support/snowflake-driver.js';

const PASSWORD = 'admin-pass-for-binary-tests';

describe('BINARY', () => {
  let dir: string;
  let server: FirnProcess;
  let conn: DriverConnection;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-binary-'));
    mkdirSync(path.join(dir, 'src'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_ADMIN_PASSWORD: PASSWORD, FIRN_LOAD_ROOTS: path.join(dir, 'src') } });
    await postStatement(server.url, 'CREATE TABLE bin (id INT, b BINARY, h BINARY(16))');
    await postStatement(server.url, "INSERT INTO bin VALUES (1, X'48656C6C6F', MD5_BINARY('a')), (2, X'', NULL), (3, NULL, X'00FF')");
    conn = await connectDriver(server.url, { username: 'ADMIN', password: PASSWORD, database: 'FIRN', schema: 'PUBLIC' });
  }, 60_000);

  afterAll(async () => {
    if (conn) await destroy(conn);
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the SQL API with rowType binary (its length in bytes) and upper-case hex cells', async () => {
    const r = await postStatement(server.url, 'SELECT id, b, h FROM bin ORDER BY id');
    expect(r.resultSetMetaData.rowType.map((c) => [c.name, c.type, c.length, c.byteLength, c.precision, c.scale])).toEqual([
      ['ID', 'fixed', null, null, 38, 0],
      ['B', 'binary', 8388608, 8388608, null, null],
      ['H', 'binary', 16, 16, null, null],
    ]);
    expect(r.data).toEqual([
      ['1', '48656C6C6F', '0CC175B9C0F1B6A831C399E269772661'],
      ['2', '', null],
      ['3', null, '00FF'],
    ]);
  });

  it('hands snowflake-sdk BINARY columns as Buffers of the bytes', async () => {
    const { rows, statement } = await execute(conn, 'SELECT id, b, h, TO_BINARY(\'SNOW\', \'UTF-8\') AS s FROM bin ORDER BY id');
    expect((statement.getColumns() ?? []).map((c) => [c.getName(), c.getType()])).toEqual([
      ['ID', 'fixed'],
      ['B', 'binary'],
      ['H', 'binary'],
      ['S', 'binary'],
    ]);
    // The driver's Buffers carry a toString of its own: compare their bytes.
    const bytes = (v: unknown) => (Buffer.isBuffer(v) ? [...v] : v);
    expect(rows.map((row) => [row.ID, bytes(row.B), bytes(row.H), bytes(row.S)])).toEqual([
      [1, [...Buffer.from('Hello')], [...Buffer.from('0cc175b9c0f1b6a831c399e269772661', 'hex')], [...Buffer.from('SNOW')]],
      [2, [], null, [...Buffer.from('SNOW')]],
      [3, null, [0x00, 0xff], [...Buffer.from('SNOW')]],
    ]);
    expect(Buffer.isBuffer(rows[0].B)).toBe(true);
    // As strings, the driver prints them in the answer's BINARY_OUTPUT_FORMAT: hex.
    const asText = await execute(conn, 'SELECT b FROM bin WHERE id = 1', { fetchAsString: ['Buffer'] });
    expect(asText.rows).toEqual([{ B: '48656C6C6F' }]);
  });

  it('loads BINARY columns from CSV as hex, or in the BINARY_FORMAT given; bad text rejects the record', async () => {
    writeFileSync(path.join(dir, 'src', 'hex.csv'), 'id,b\n1,48656c6c6f\n2,\n3,zz\n4,00FF\n');
    writeFileSync(path.join(dir, 'src', 'b64.csv'), '5,SGVsbG8=\n6,AP8=\n');
    await postStatement(server.url, 'CREATE TABLE loaded (id INT, b BINARY)');
    const hex = await postStatement(server.url, `COPY INTO loaded FROM 'file://${dir}/src/hex.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1) ON_ERROR = CONTINUE`);
    expect(hex.data.map((row) => [row[1], row[2], row[3], row[6]])).toEqual([
      ['PARTIALLY_LOADED', '4', '3', "The following string is not a legal hex-encoded value: 'zz'"],
    ]);
    const b64 = await postStatement(server.url, `COPY INTO loaded FROM 'file://${dir}/src/b64.csv' FILE_FORMAT = (TYPE = CSV BINARY_FORMAT = BASE64)`);
    expect(b64.data.map((row) => [row[1], row[3]])).toEqual([['LOADED', '2']]);
    const q = await postStatement(server.url, 'SELECT id, b FROM loaded ORDER BY id');
    expect(q.data).toEqual([
      ['1', '48656C6C6F'],
      ['2', null],
      ['4', '00FF'],
      ['5', '48656C6C6F'],
      ['6', '00FF'],
    ]);
  });

  it('loads a Parquet BLOB column into BINARY', async () => {
    const file = path.join(dir, 'src', 'blobs.parquet');
    const duck = await DuckDBInstance.create(':memory:');
    const c = await duck.connect();
    await c.run(`COPY (SELECT * FROM (VALUES (1, from_hex('00FF10')), (2, NULL), (3, from_hex(''))) t("ID", "B")) TO '${file}' (FORMAT PARQUET)`);
    c.closeSync();
    duck.closeSync();
    await postStatement(server.url, 'CREATE TABLE blobs (id INT, b BINARY)');
    const r = await postStatement(server.url, `COPY INTO blobs FROM 'file://${file}' FILE_FORMAT = (TYPE = PARQUET)`);
    expect(r.data.map((row) => [row[1], row[3]])).toEqual([['LOADED', '3']]);
    const q = await postStatement(server.url, 'SELECT id, b, LENGTH(b) FROM blobs ORDER BY id');
    expect(q.data).toEqual([
      ['1', '00FF10', '3'],
      ['2', null, null],
      ['3', '', '0'],
    ]);
  });
});
