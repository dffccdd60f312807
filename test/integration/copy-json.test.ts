/**
 * COPY INTO from JSON and NDJSON files on the real server: documents into a VARIANT column
 * then read back by path, STRIP_OUTER_ARRAY from a gzip file through a stage with a named JSON
 * file format, MATCH_BY_COLUMN_NAME into typed columns (also into a clustered table, which
 * loads through the sorted-run path), ON_ERROR = CONTINUE with one bad document and the
 * 100069 failure without it, the load history skipping a file loaded before, and the checks
 * made before any file is read.
 */
import { gzipSync } from 'node:zlib';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { expectFailure } from '../support/statement-http.js';

const NOTHING_LEFT = [['Copy executed with 0 files processed.']];

describe('COPY INTO from JSON files', () => {
  let dir: string;
  let src: string;
  let server: FirnProcess;
  const sql = (text: string) => postStatement(server.url, text);
  const file = (name: string) => `${pathToFileURL(src).href}/${name}`;
  const write = (name: string, text: string | Buffer) => writeFileSync(path.join(src, name), text);
  /** COPY's result rows with the file named by its base name. */
  const copy = async (text: string) => (await sql(text)).data.map((r) => [path.basename(r[0]!), ...r.slice(1)]);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-copyjson-'));
    src = path.join(dir, 'src');
    mkdirSync(src);
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir } });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads each NDJSON document as one VARIANT row, read back by path', async () => {
    write(
      'people.ndjson',
      [
        '{"name": "Ann", "age": 31, "address": {"city": "Berlin"}, "tags": ["a", "b"]}',
        '{"name": "Bob", "age": 45, "address": {"city": "Oslo"}, "tags": []}',
        '{"name": "Cy", "age": null, "score": 1.50}',
      ].join('\n'),
    );
    await sql('CREATE TABLE raw (v VARIANT)');
    expect(await copy(`COPY INTO raw FROM '${file('people.ndjson')}' FILE_FORMAT = (TYPE = JSON)`)).toEqual([['people.ndjson', 'LOADED', '3', '3', '1', '0', null, null, null, null]]);
    const r = await sql('SELECT v:name::string, v:age::int, v:address.city::string, v:tags[0]::string, ARRAY_SIZE(v:tags), TYPEOF(v:score), v:score FROM raw ORDER BY 1');
    expect(r.data).toEqual([
      ['Ann', '31', 'Berlin', 'a', '2', null, null],
      ['Bob', '45', 'Oslo', null, '0', null, null],
      ['Cy', null, null, null, null, 'DECIMAL', '1.50'],
    ]);
    // The VARIANT holds the document in canonical form (keys sorted).
    expect((await sql("SELECT v::varchar FROM raw WHERE v:name = 'Bob'")).data).toEqual([['{"address":{"city":"Oslo"},"age":45,"name":"Bob","tags":[]}']]);
  });

  it('reads an outer array from a gzip file through a stage whose file format is a named JSON format', async () => {
    const docs = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, kind: i % 2 === 0 ? 'even' : 'odd' }));
    write('batch.json.gz', gzipSync(Buffer.from(JSON.stringify(docs, null, 2))));
    await sql('CREATE FILE FORMAT jarr TYPE = JSON STRIP_OUTER_ARRAY = TRUE COMPRESSION = GZIP');
    expect((await sql("SHOW FILE FORMATS LIKE 'JARR'")).data.map((r) => [r[1], r[4], r[7]])).toEqual([
      ['JARR', 'JSON', '{"TYPE":"JSON","COMPRESSION":"GZIP","STRIP_OUTER_ARRAY":true,"ALLOW_DUPLICATE":false}'],
    ]);
    await sql(`CREATE STAGE jstage URL = '${file('')}' FILE_FORMAT = (FORMAT_NAME = 'jarr')`);
    await sql('CREATE TABLE events (v VARIANT)');
    expect(await copy("COPY INTO events FROM @jstage FILES = ('batch.json.gz')")).toEqual([['batch.json.gz', 'LOADED', '5', '5', '1', '0', null, null, null, null]]);
    expect((await sql('SELECT v:kind::string, COUNT(*), SUM(v:id::int) FROM events GROUP BY 1 ORDER BY 1')).data).toEqual([
      ['even', '3', '9'],
      ['odd', '2', '6'],
    ]);
  });

  it('MATCH_BY_COLUMN_NAME loads top-level keys into the typed columns of that name', async () => {
    write(
      'typed.json',
      [
        '{"Id": 1, "NAME": "Ann", "born": "1990-02-03", "score": 9.5, "active": true, "meta": {"x": [1]}, "ignored": 0}',
        '{"id": "2", "name": "Bob", "active": "false"}',
      ].join('\n'),
    );
    await sql('CREATE TABLE typed (id INT, name VARCHAR(10), born DATE, score NUMBER(5,2), active BOOLEAN, meta VARIANT)');
    expect(await copy(`COPY INTO typed FROM '${file('typed.json')}' FILE_FORMAT = (TYPE = JSON) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE`)).toEqual([
      ['typed.json', 'LOADED', '2', '2', '1', '0', null, null, null, null],
    ]);
    expect((await sql('SELECT id, name, TO_CHAR(born), score, active, meta::varchar FROM typed ORDER BY id')).data).toEqual([
      ['1', 'Ann', '1990-02-03', '9.50', 'true', '{"x":[1]}'],
      ['2', 'Bob', null, null, 'false', null],
    ]);
    // CASE_SENSITIVE: the unquoted columns are upper case, so only "NAME" matches here.
    await sql('CREATE TABLE typed_cs (id INT, name VARCHAR(10))');
    await sql(`COPY INTO typed_cs FROM '${file('typed.json')}' FILE_FORMAT = (TYPE = JSON) MATCH_BY_COLUMN_NAME = CASE_SENSITIVE`);
    expect((await sql('SELECT id, name FROM typed_cs ORDER BY name NULLS LAST')).data).toEqual([
      [null, 'Ann'],
      [null, null],
    ]);
  });

  it('MATCH_BY_COLUMN_NAME into a clustered table', async () => {
    write('clustered.ndjson', '{"k": 3, "v": "c"}\n{"k": 1, "v": "a"}\n{"k": 2, "v": "b"}\n');
    await sql('CREATE TABLE clustered (k INT, v VARCHAR) CLUSTER BY (k)');
    await sql(`COPY INTO clustered FROM '${file('clustered.ndjson')}' FILE_FORMAT = (TYPE = JSON) MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE`);
    expect((await sql('SELECT k, v FROM clustered ORDER BY k')).data).toEqual([
      ['1', 'a'],
      ['2', 'b'],
      ['3', 'c'],
    ]);
  });

  it('ON_ERROR = CONTINUE skips a bad document and reports it; without it the load fails with 100069 and loads nothing', async () => {
    write('mixed.ndjson', '{"name": "ok1"}\n{"name": "bad",\n{"name": "ok2"}\n');
    await sql('CREATE TABLE mixed (v VARIANT)');
    const failure = await expectFailure(server.url, `COPY INTO mixed FROM '${file('mixed.ndjson')}' FILE_FORMAT = (TYPE = JSON)`);
    expect([failure.code, failure.sqlState]).toEqual(['100069', '22P02']);
    expect(failure.message.split('\n').slice(0, 3)).toEqual([
      'Error parsing JSON: expected a string key, pos 17',
      `  File '${file('mixed.ndjson')}', line 3, character 1`,
      '  Row 2, column "MIXED"["V":1]',
    ]);
    expect((await sql('SELECT COUNT(*) FROM mixed')).data).toEqual([['0']]);
    expect(await copy(`COPY INTO mixed FROM '${file('mixed.ndjson')}' FILE_FORMAT = (TYPE = JSON) ON_ERROR = CONTINUE`)).toEqual([
      ['mixed.ndjson', 'PARTIALLY_LOADED', '3', '2', '3', '1', 'Error parsing JSON: expected a string key, pos 17', '3', '1', '"MIXED"["V":1]'],
    ]);
    expect((await sql('SELECT v:name::string FROM mixed ORDER BY 1')).data).toEqual([['ok1'], ['ok2']]);
  });

  it('skips a file the load history holds, and loads it again with FORCE = TRUE', async () => {
    const copyPeople = `COPY INTO raw FROM '${file('people.ndjson')}' FILE_FORMAT = (TYPE = JSON)`;
    expect((await sql(copyPeople)).data).toEqual(NOTHING_LEFT);
    expect((await sql('SELECT COUNT(*) FROM raw')).data).toEqual([['3']]);
    expect(await copy(`${copyPeople} FORCE = TRUE`)).toEqual([['people.ndjson', 'LOADED', '3', '3', '1', '0', null, null, null, null]]);
    expect((await sql('SELECT COUNT(*) FROM raw')).data).toEqual([['6']]);
  });

  it('refuses, before reading a file, a JSON load into several columns without MATCH_BY_COLUMN_NAME, and MATCH_BY_COLUMN_NAME for CSV', async () => {
    const several = await expectFailure(server.url, `COPY INTO typed FROM '${file('typed.json')}' FILE_FORMAT = (TYPE = JSON) FORCE = TRUE`);
    expect([several.code, several.sqlState]).toEqual(['390220', '42000']);
    expect(several.message).toBe(
      'SQL compilation error: JSON file format can produce one and only one column of type variant, object, or array. Load data into separate columns using the MATCH_BY_COLUMN_NAME copy option or copy with transformation.',
    );
    const csv = await expectFailure(server.url, `COPY INTO typed FROM '${file('typed.json')}' MATCH_BY_COLUMN_NAME = CASE_SENSITIVE`);
    expect([csv.code, csv.sqlState, csv.message]).toEqual(['390201', '0A000', 'MATCH_BY_COLUMN_NAME for CSV files is not supported']);
    const unload = await expectFailure(server.url, "COPY INTO @jstage/out/ FROM raw FILE_FORMAT = (TYPE = JSON)");
    expect(unload.sqlState).toBe('0A000');
  });
});
