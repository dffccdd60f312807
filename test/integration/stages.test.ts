/**
 * Stages end to end against a real server and the real CLI (runCli in-process, over HTTP):
 * CREATE STAGE, PUT (gzip by default, SKIPPED without OVERWRITE, Parquet sent as it is),
 * LIST (md5 of the stored bytes), COPY INTO t FROM @s (CSV gz, Parquet, FILES, PATTERN, the
 * load history keyed by the stage file, a named file format), unloading CSV and Parquet into
 * the stage, GET of the unloaded files, and DuckDB reading them with exactly Firn's values;
 * REMOVE; SHOW STAGES / DESCRIBE STAGE never showing credentials; PUT through the SQL API.
 * The server has no FIRN_LOAD_ROOTS: everything goes through stages.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../services/cli/cli-io.js';
import { runCli } from '../../services/cli/main.js';
import { TEST_ADMIN_TOKEN, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';

const ROWS = [
  [1, 'plain', '19.99', '2024-06-02', 'true'],
  [2, 'has, "quotes"', '-0.05', '1970-01-01', 'false'],
  [3, '', '0.00', '1999-12-31', 'true'],
  [4, null, null, null, null],
] as const;

function csvOf(rows: readonly (readonly (string | number | null)[])[]): string {
  const field = (v: string | number | null) => (v === null ? '\\N' : typeof v === 'number' ? String(v) : `"${v.replace(/"/g, '""')}"`);
  return `ID,NAME,PRICE,DAY,OK\n${rows.map((r) => r.map(field).join(',')).join('\n')}\n`;
}

const TEXT_SELECT = 'SELECT CAST(id AS VARCHAR), name, CAST(price AS VARCHAR), CAST(day AS VARCHAR), CAST(ok AS VARCHAR)';
const EXPECTED = ROWS.map((r) => r.map((v) => (v === null ? null : String(v))));

describe('stages: PUT, LIST, COPY, unload, GET, REMOVE', () => {
  let dir: string;
  let server: FirnProcess;
  let duck: DuckDBConnection;

  async function cli(argv: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let out = '';
    let err = '';
    const sink = (add: (s: string) => void) => new Writable({ write(chunk: Buffer | string, _e, cb) { add(chunk.toString()); cb(); } });
    const io: CliIo = {
      stdout: sink((s) => (out += s)),
      stderr: sink((s) => (err += s)),
      stdin: Readable.from(stdin === undefined ? [] : [stdin]),
      interactive: false,
      env: { FIRN_URL: server.url, FIRN_TOKEN: TEST_ADMIN_TOKEN },
      cwd: dir,
      homeDir: dir,
    };
    const code = await runCli(argv, io);
    return { code, stdout: out, stderr: err };
  }

  const sql = (statement: string) => postStatement(server.url, statement);
  const rows = async (statement: string) => (await sql(statement)).data;
  const md5 = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-stages-'));
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src', 'items.csv'), csvOf(ROWS));
    writeFileSync(path.join(dir, 'src', 'a.csv'), csvOf([ROWS[0]]));
    writeFileSync(path.join(dir, 'src', 'b.csv'), csvOf([ROWS[1]]));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    duck = await (await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' })).connect();
    await duck.run(
      `COPY (SELECT * FROM (VALUES (1, 'plain', 19.99::DECIMAL(10,2), DATE '2024-06-02', true), (2, 'has, "quotes"', -0.05::DECIMAL(10,2), DATE '1970-01-01', false),
         (3, '', 0.00::DECIMAL(10,2), DATE '1999-12-31', true), (4, NULL, NULL, NULL, NULL)) v(ID, NAME, PRICE, DAY, OK))
       TO '${path.join(dir, 'src', 'items.parquet')}' (FORMAT PARQUET)`,
    );
    await sql('CREATE TABLE items (id INT, name VARCHAR, price NUMBER(10,2), day DATE, ok BOOLEAN)');
    await sql('CREATE STAGE s');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('PUT gzips a plain file, reports Snowflake\'s columns, and skips an existing file without OVERWRITE', async () => {
    const put = await cli(['put', path.join(dir, 'src', 'items.csv'), '@s', '--format', 'json']);
    expect(put.stderr).toBe('');
    const [row] = JSON.parse(put.stdout) as Record<string, unknown>[];
    expect(row).toMatchObject({ source: 'items.csv', target: 'items.csv.gz', source_size: readFileSync(path.join(dir, 'src', 'items.csv')).length, source_compression: 'NONE', target_compression: 'GZIP', status: 'UPLOADED' });
    const again = await cli(['put', path.join(dir, 'src', 'items.csv'), '@s', '--format', 'json']);
    expect((JSON.parse(again.stdout) as Record<string, unknown>[])[0]).toMatchObject({ status: 'SKIPPED' });
    const parquet = await cli(['put', path.join(dir, 'src', 'items.parquet'), '@s/pq/', '--format', 'json']);
    expect((JSON.parse(parquet.stdout) as Record<string, unknown>[])[0]).toMatchObject({ target: 'items.parquet', source_compression: 'PARQUET', target_compression: 'PARQUET', status: 'UPLOADED' });
  });

  it('LIST names each file under the stage with its size and the md5 of its bytes, and GET brings the same bytes back', async () => {
    const listed = await rows('LIST @s');
    expect(listed.map((r) => r[0])).toEqual(['s/items.csv.gz', 's/pq/items.parquet']);
    const got = await cli(['get', '@s/items.csv.gz', path.join(dir, 'got')]);
    expect(got.code).toBe(0);
    const file = path.join(dir, 'got', 'items.csv.gz');
    expect(listed[0]).toEqual(['s/items.csv.gz', String(readFileSync(file).length), md5(file), expect.stringMatching(/GMT$/)]);
    expect(await rows('LIST @s/pq/')).toHaveLength(1);
  });

  it('COPY INTO t FROM @s loads the gzipped CSV, then skips it as already loaded', async () => {
    const copy = await rows("COPY INTO items FROM @s/items FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '\"')");
    expect(copy.map((r) => [r[0], r[1], r[3]])).toEqual([['s/items.csv.gz', 'LOADED', '4']]);
    expect(await rows(`${TEXT_SELECT} FROM items ORDER BY id`)).toEqual(EXPECTED);
    expect(await rows("COPY INTO items FROM @s/items FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '\"')")).toEqual([['Copy executed with 0 files processed.']]);
  });

  it('COPY INTO t FROM @s/pq/ loads Parquet with exactly the values DuckDB wrote', async () => {
    await sql('CREATE TABLE from_pq (id INT, name VARCHAR, price NUMBER(10,2), day DATE, ok BOOLEAN)');
    await sql('COPY INTO from_pq FROM @s/pq/ FILE_FORMAT = (TYPE = PARQUET)');
    expect(await rows(`${TEXT_SELECT} FROM from_pq ORDER BY id`)).toEqual(EXPECTED);
  });

  it('FILES and PATTERN choose the files; a named file format on the stage is used', async () => {
    await sql("CREATE FILE FORMAT hdr TYPE = CSV SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '\"' COMMENT = 'with a header'");
    await sql("CREATE STAGE multi FILE_FORMAT = (FORMAT_NAME = 'hdr')");
    const put = await cli(['put', path.join(dir, 'src', '*.csv'), '@multi/in/']);
    expect(put.code).toBe(0);
    expect((await rows('LIST @multi')).map((r) => r[0])).toEqual(['multi/in/a.csv.gz', 'multi/in/b.csv.gz', 'multi/in/items.csv.gz']);
    await sql('CREATE TABLE picked (id INT, name VARCHAR, price NUMBER(10,2), day DATE, ok BOOLEAN)');
    expect((await rows("COPY INTO picked FROM @multi/in/ FILES = ('a.csv.gz')")).map((r) => r[0])).toEqual(['multi/in/a.csv.gz']);
    expect((await rows("COPY INTO picked FROM @multi PATTERN = '.*b[.]csv[.]gz'")).map((r) => r[0])).toEqual(['multi/in/b.csv.gz']);
    expect(await rows('SELECT id FROM picked ORDER BY id')).toEqual([['1'], ['2']]);
    await expect(sql("COPY INTO picked FROM @multi/in/ FILES = ('missing.csv')")).rejects.toThrow(/Remote file 'multi\/in\/missing.csv' was not found/);
    const formats = await sql('SHOW FILE FORMATS');
    expect(formats.data.map((r) => [r[1], r[4], r[6]])).toEqual([['HDR', 'CSV', 'with a header']]);
  });

  it('unloads CSV into the stage; the files read back through COPY and DuckDB with exactly the same values', async () => {
    const unload = await rows("COPY INTO @s/out/ FROM (SELECT * FROM items) FILE_FORMAT = (TYPE = CSV FIELD_OPTIONALLY_ENCLOSED_BY = '\"') HEADER = TRUE");
    expect(unload[0][0]).toBe('4');
    expect(Number(unload[0][2])).toBeGreaterThan(0);
    const names = (await rows('LIST @s/out/')).map((r) => r[0]);
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toMatch(/^s\/out\/data_0_\d+_\d+\.csv\.gz$/);
    expect((await cli(['get', '@s/out/', path.join(dir, 'csv-out')])).code).toBe(0);
    const files = readdirSync(path.join(dir, 'csv-out')).map((f) => path.join(dir, 'csv-out', f));
    const duckRows = (
      await duck.runAndReadAll(
        `SELECT CAST(ID AS VARCHAR), NAME, CAST(PRICE AS VARCHAR), CAST(DAY AS VARCHAR), CAST(OK AS VARCHAR) FROM read_csv([${files.map((f) => `'${f}'`).join(', ')}],
           header = true, quote = '"', escape = '"', nullstr = '\\N', columns = {'ID': 'INTEGER', 'NAME': 'VARCHAR', 'PRICE': 'DECIMAL(10,2)', 'DAY': 'DATE', 'OK': 'BOOLEAN'}) ORDER BY ID`,
      )
    ).getRows();
    expect(duckRows).toEqual(EXPECTED);
    await sql('CREATE TABLE round_trip (id INT, name VARCHAR, price NUMBER(10,2), day DATE, ok BOOLEAN)');
    await sql("COPY INTO round_trip FROM @s/out/ FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1 FIELD_OPTIONALLY_ENCLOSED_BY = '\"')");
    expect(await rows(`${TEXT_SELECT} FROM round_trip ORDER BY id`)).toEqual(EXPECTED);
  });

  it('unloads Parquet (SINGLE, Snappy) that DuckDB reads with exactly Firn\'s values; an existing name needs OVERWRITE', async () => {
    expect((await rows('COPY INTO @s/pq_out/items.snappy.parquet FROM items FILE_FORMAT = (TYPE = PARQUET) SINGLE = TRUE'))[0][0]).toBe('4');
    expect((await rows('LIST @s/pq_out/')).map((r) => r[0])).toEqual(['s/pq_out/items.snappy.parquet']);
    await expect(sql('COPY INTO @s/pq_out/items.snappy.parquet FROM items FILE_FORMAT = (TYPE = PARQUET) SINGLE = TRUE')).rejects.toThrow(/Files already existing at the unload destination.*Use overwrite option/);
    expect((await rows('COPY INTO @s/pq_out/items.snappy.parquet FROM (SELECT * FROM items WHERE id < 4) FILE_FORMAT = (TYPE = PARQUET) SINGLE = TRUE OVERWRITE = TRUE'))[0][0]).toBe('3');
    expect((await cli(['get', '@s/pq_out/items.snappy.parquet', path.join(dir, 'pq-out')])).code).toBe(0);
    const file = path.join(dir, 'pq-out', 'items.snappy.parquet');
    const duckRows = (await duck.runAndReadAll(`SELECT CAST(ID AS VARCHAR), NAME, CAST(PRICE AS VARCHAR), CAST(DAY AS VARCHAR), CAST(OK AS VARCHAR) FROM read_parquet('${file}') ORDER BY ID`)).getRows();
    expect(duckRows).toEqual(EXPECTED.slice(0, 3));
    const names = (await duck.runAndReadAll(`SELECT name, type FROM parquet_schema('${file}') WHERE coalesce(num_children, 0) = 0 ORDER BY name`)).getRows().map((r) => r[0]);
    expect(names).toEqual(['DAY', 'ID', 'NAME', 'OK', 'PRICE']);
  });

  it('a failed unload leaves no file behind', async () => {
    // Without an enclosure the comma in a name cannot be written as CSV: the unload fails.
    await expect(sql('COPY INTO @s/failed/ FROM items FILE_FORMAT = (TYPE = CSV)')).rejects.toThrow(/FIELD_OPTIONALLY_ENCLOSED_BY/);
    expect(await rows('LIST @s/failed/')).toEqual([]);
  });

  it('REMOVE deletes the files a location and PATTERN name, and answers them', async () => {
    expect(await rows("REMOVE @multi/in/ PATTERN = '.*[ab][.]csv[.]gz'")).toEqual([['multi/in/a.csv.gz', 'removed'], ['multi/in/b.csv.gz', 'removed']]);
    expect((await rows('LIST @multi')).map((r) => r[0])).toEqual(['multi/in/items.csv.gz']);
  });

  it('SHOW STAGES and DESCRIBE STAGE say a stage has credentials, never what they are', async () => {
    await sql("CREATE STAGE ext URL = 's3://some-bucket/prefix/' CREDENTIALS = (AWS_KEY_ID = 'AKIAEXAMPLEKEYID' AWS_SECRET_KEY = 'super-secret-value') COMMENT = 'external'");
    const shown = await sql('SHOW STAGES');
    const described = await sql('DESCRIBE STAGE ext');
    const text = JSON.stringify([shown, described]);
    expect(text).not.toContain('AKIAEXAMPLEKEYID');
    expect(text).not.toContain('super-secret-value');
    const cols = shown.resultSetMetaData.rowType.map((c) => c.name);
    expect(cols).toEqual(['created_on', 'name', 'database_name', 'schema_name', 'url', 'has_credentials', 'has_encryption_key', 'owner', 'comment', 'region', 'type', 'cloud', 'notification_channel', 'storage_integration', 'endpoint', 'owner_role_type', 'directory_enabled']);
    const ext = shown.data.find((r) => r[1] === 'EXT')!;
    expect([ext[4], ext[5], ext[7], ext[8], ext[10], ext[11]]).toEqual(['s3://some-bucket/prefix/', 'Y', 'ACCOUNTADMIN', 'external', 'EXTERNAL', 'AWS']);
    expect(shown.data.find((r) => r[1] === 'S')![10]).toBe('INTERNAL');
    expect(described.data.find((r) => r[1] === 'URL')![3]).toBe('["s3://some-bucket/prefix/"]');
  });

  it('DROP STAGE removes an internal stage and its files', async () => {
    await sql('CREATE STAGE gone');
    expect((await cli(['put', path.join(dir, 'src', 'a.csv'), '@gone'])).code).toBe(0);
    expect(await rows('DROP STAGE gone')).toEqual([['GONE successfully dropped.']]);
    await expect(sql('LIST @gone')).rejects.toThrow(/Stage 'FIRN.PUBLIC.GONE' does not exist/);
    await sql('CREATE STAGE gone');
    expect(await rows('LIST @gone')).toEqual([]);
  });

  it('PUT and GET sent to the SQL API answer that the client runs them', async () => {
    const err = await sql(`PUT file://${path.join(dir, 'src', 'a.csv')} @s`).then(() => null, (e: unknown) => e as StatementFailure);
    expect(err).toBeInstanceOf(StatementFailure);
    expect([err!.status, err!.code, err!.sqlState]).toEqual([422, '390201', '0A000']);
    expect(err!.message).toMatch(/PUT is executed by the client, not by the SQL API.*npx firn put/);
    await expect(sql(`GET @s file://${dir}`)).rejects.toThrow(/GET is executed by the client/);
  });

  it('PUT typed in the shell uploads too', async () => {
    const r = await cli([], `CREATE STAGE typed;\nPUT file://${path.join(dir, 'src', 'b.csv')} @typed/x/ AUTO_COMPRESS = FALSE;\nLIST @typed;\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('typed/x/b.csv ');
  });
});
