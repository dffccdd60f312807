/**
 * COPY INTO's load metadata on the real server, as in Snowflake: files already loaded into a
 * table are skipped ("Copy executed with 0 files processed." when none is left), a new or
 * changed file is loaded, FORCE = TRUE loads again, a failed COPY records nothing, and
 * <db>.INFORMATION_SCHEMA.LOAD_HISTORY shows the history with Snowflake's columns and types,
 * across a restart.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';
import { expectFailure } from '../support/statement-http.js';

const NOTHING_LEFT = [['Copy executed with 0 files processed.']];
const HISTORY = `SELECT TABLE_NAME, FILE_NAME, STATUS, ROW_COUNT, ROW_PARSED, ERROR_COUNT, ERROR_LIMIT
  FROM INFORMATION_SCHEMA.LOAD_HISTORY`;


describe('COPY INTO load metadata', () => {
  let dir: string;
  let src: string;
  let server: FirnProcess;
  const home = () => path.join(dir, 'home');
  const sql = (text: string) => postStatement(server.url, text);
  const count = async (table: string) => (await sql(`SELECT COUNT(*) FROM ${table}`)).data[0][0];
  const file = (name: string) => `file://${src}/${name}`;
  const write = (name: string, text: string) => writeFileSync(path.join(src, name), text);
  const copyFiles = async (text: string) => (await sql(text)).data.map((r) => path.basename(r[0]!)).sort();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-loadhist-'));
    src = path.join(dir, 'src');
    mkdirSync(src);
    server = await startFirnProcess({ home: home(), env: { FIRN_LOAD_ROOTS: dir } });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('skips files already loaded: a second COPY loads nothing and says so in one status row', async () => {
    write('a1.csv', '1,one\n2,two\n');
    write('a2.csv', '3,three\n');
    await sql('CREATE TABLE a (id INT, name VARCHAR)');
    expect(await copyFiles(`COPY INTO a FROM '${file('a*.csv')}'`)).toEqual(['a1.csv', 'a2.csv']);
    const again = await sql(`COPY INTO a FROM '${file('a*.csv')}'`);
    expect(again.resultSetMetaData.rowType.map((c) => [c.name, c.type])).toEqual([['status', 'text']]);
    expect(again.data).toEqual(NOTHING_LEFT);
    // Naming one loaded file, or loading the same file into another table, follows the same rule per table.
    expect((await sql(`COPY INTO a FROM '${file('a1.csv')}'`)).data).toEqual(NOTHING_LEFT);
    await sql('CREATE TABLE a_copy (id INT, name VARCHAR)');
    expect(await copyFiles(`COPY INTO a_copy FROM '${file('a1.csv')}'`)).toEqual(['a1.csv']);
    expect(await count('a')).toBe('3');
  });

  it('loads only a new file added to the source', async () => {
    write('a3.csv', '4,four\n5,five\n');
    const r = await sql(`COPY INTO a FROM '${file('a*.csv')}'`);
    expect(r.data.map((row) => [path.basename(row[0]!), row[1], row[2], row[3]])).toEqual([['a3.csv', 'LOADED', '2', '2']]);
    expect(await count('a')).toBe('5');
  });

  it('loads every file again with FORCE = TRUE', async () => {
    expect(await copyFiles(`COPY INTO a FROM '${file('a*.csv')}' FORCE = TRUE`)).toEqual(['a1.csv', 'a2.csv', 'a3.csv']);
    expect(await count('a')).toBe('10');
    expect((await sql(`COPY INTO a FROM '${file('a*.csv')}' FORCE = FALSE`)).data).toEqual(NOTHING_LEFT);
  });

  it('loads a file again once its content changed', async () => {
    write('a2.csv', '6,six\n7,seven\n');
    expect(await copyFiles(`COPY INTO a FROM '${file('a*.csv')}'`)).toEqual(['a2.csv']);
    expect((await sql('SELECT id FROM a WHERE id >= 6 ORDER BY id')).data).toEqual([['6'], ['7']]);
    // Same size, new content: the modification time tells the versions apart.
    write('a2.csv', '8,sixx\n9,seven\n');
    utimesSync(path.join(src, 'a2.csv'), new Date(), new Date(Date.now() + 5_000));
    expect(await copyFiles(`COPY INTO a FROM '${file('a*.csv')}'`)).toEqual(['a2.csv']);
    expect((await sql('SELECT id FROM a WHERE id >= 6 ORDER BY id')).data).toEqual([['6'], ['7'], ['8'], ['9']]);
  });

  it('records nothing for a failed COPY, so the retry after fixing the file loads every file', async () => {
    await sql('CREATE TABLE strict (id INT, amount NUMBER(6,2))');
    write('s_good.csv', '1,1.00\n2,2.00\n');
    write('s_bad.csv', '3,3.00\n4,abc\n');
    const f = await expectFailure(server.url, `COPY INTO strict FROM '${file('s_*.csv')}' ON_ERROR = ABORT_STATEMENT`);
    expect(f.code).toBe('100038');
    expect((await sql(`${HISTORY} WHERE TABLE_NAME = 'STRICT'`)).data).toEqual([]);
    write('s_bad.csv', '3,3.00\n4,4.00\n');
    expect(await copyFiles(`COPY INTO strict FROM '${file('s_*.csv')}'`)).toEqual(['s_bad.csv', 's_good.csv']);
    expect(await count('strict')).toBe('4');
    expect((await sql(`COPY INTO strict FROM '${file('s_*.csv')}'`)).data).toEqual(NOTHING_LEFT);
  });

  it('never loads a file twice when two COPYs of it race', async () => {
    await sql('CREATE TABLE raced (id INT, name VARCHAR)');
    write('r.csv', Array.from({ length: 2000 }, (_, i) => `${i},n${i}`).join('\n') + '\n');
    const copy = `COPY INTO raced FROM '${file('r.csv')}'`;
    const outcomes = await Promise.allSettled([sql(copy), sql(copy), sql(copy)]);
    const loadedBy = outcomes.filter((o) => o.status === 'fulfilled' && o.value.data[0][1] === 'LOADED');
    expect(loadedBy).toHaveLength(1);
    for (const o of outcomes) {
      if (o === loadedBy[0]) continue;
      // Either it saw the history and skipped the file, or it lost the commit to the other COPY.
      if (o.status === 'fulfilled') expect(o.value.data).toEqual(NOTHING_LEFT);
      else expect((o.reason as StatementFailure).code).toBe('390501');
    }
    expect(await count('raced')).toBe('2000');
    expect((await sql(`${HISTORY} WHERE TABLE_NAME = 'RACED'`)).data).toHaveLength(1);
  });

  it('shows the history in INFORMATION_SCHEMA.LOAD_HISTORY with Snowflake\'s columns, types and values', async () => {
    await sql('CREATE TABLE partial (id INT, amount NUMBER(6,2))');
    write('p.csv', 'id,amount\n1,1.00\n2,x\n3,3.00\n');
    const before = Date.now();
    await sql(`COPY INTO partial FROM '${file('p.csv')}' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1) ON_ERROR = CONTINUE`);
    const after = Date.now();
    const r = await sql(`SELECT * FROM firn.information_schema.load_history WHERE table_name = 'PARTIAL'`);
    expect(r.resultSetMetaData.rowType.map((c) => [c.name, c.type, c.precision, c.scale])).toEqual([
      ['SCHEMA_NAME', 'text', null, null],
      ['FILE_NAME', 'text', null, null],
      ['TABLE_NAME', 'text', null, null],
      ['LAST_LOAD_TIME', 'timestamp_ntz', 0, 9],
      ['STATUS', 'text', null, null],
      ['ROW_COUNT', 'fixed', 38, 0],
      ['ROW_PARSED', 'fixed', 38, 0],
      ['FIRST_ERROR_MESSAGE', 'text', null, null],
      ['FIRST_ERROR_LINE_NUMBER', 'fixed', 38, 0],
      ['FIRST_ERROR_CHARACTER_POSITION', 'fixed', 38, 0],
      ['FIRST_ERROR_COL_NAME', 'text', null, null],
      ['ERROR_COUNT', 'fixed', 38, 0],
      ['ERROR_LIMIT', 'fixed', 38, 0],
    ]);
    expect(r.data).toHaveLength(1);
    const [schema, fileName, table, time, status, rows, parsed, message, line, character, column, errors, limit] = r.data[0];
    expect([schema, fileName, table, status, rows, parsed, line, character, column, errors, limit]).toEqual([
      'PUBLIC', file('p.csv'), 'PARTIAL', 'PARTIALLY_LOADED', '2', '3', '3', '3', '"PARTIAL"["AMOUNT":2]', '1', '3',
    ]);
    expect(message).toContain("'x'");
    const ms = Number(time) * 1000;
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
    // The COPY result and the history agree on the error fields.
    const all = await sql(`${HISTORY} ORDER BY TABLE_NAME, FILE_NAME`);
    const rowsOf = (t: string) => all.data.filter((row) => row[0] === t).map((row) => [path.basename(row[1]!), ...row.slice(2)]);
    expect(rowsOf('STRICT')).toEqual([
      ['s_bad.csv', 'LOADED', '2', '2', '0', '1'],
      ['s_good.csv', 'LOADED', '2', '2', '0', '1'],
    ]);
    expect(rowsOf('A_COPY')).toEqual([['a1.csv', 'LOADED', '2', '2', '0', '1']]);
    // a1 and a3 loaded twice (once forced), a2 in three versions plus the forced load.
    expect(rowsOf('A').map((row) => row[0])).toEqual(['a1.csv', 'a1.csv', 'a2.csv', 'a2.csv', 'a2.csv', 'a2.csv', 'a3.csv', 'a3.csv']);
    const agg = await sql(`SELECT COUNT(*), SUM(ROW_COUNT) FROM INFORMATION_SCHEMA.LOAD_HISTORY h WHERE h.TABLE_NAME = 'A'`);
    expect(agg.data).toEqual([['8', '14']]);
  });

  it('answers TABLE(INFORMATION_SCHEMA.COPY_HISTORY(...)) for one table over a time range, with Snowflake\'s columns', async () => {
    const r = await sql(`SELECT FILE_NAME, STAGE_LOCATION, LAST_LOAD_TIME, ROW_COUNT, ROW_PARSED, FILE_SIZE, FIRST_ERROR_LINE_NUMBER, FIRST_ERROR_CHARACTER_POS,
        FIRST_ERROR_COLUMN_NAME, ERROR_COUNT, ERROR_LIMIT, STATUS, TABLE_CATALOG_NAME, TABLE_SCHEMA_NAME, TABLE_NAME, PIPE_NAME
      FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'partial', START_TIME => DATEADD(hour, -1, CURRENT_TIMESTAMP())))`);
    expect(r.resultSetMetaData.rowType.map((c) => c.type)).toEqual([
      'text', 'text', 'timestamp_ltz', 'fixed', 'fixed', 'fixed', 'fixed', 'fixed', 'text', 'fixed', 'fixed', 'text', 'text', 'text', 'text', 'text',
    ]);
    const [name, stage, time, ...rest] = r.data[0];
    expect(r.data).toHaveLength(1);
    expect([name, stage]).toEqual([file('p.csv'), null]);
    // The same instant as LOAD_HISTORY's LAST_LOAD_TIME (jsonv2 sends LTZ as epoch seconds and the zone's offset index); the file is 28 bytes.
    const view = await sql("SELECT LAST_LOAD_TIME FROM INFORMATION_SCHEMA.LOAD_HISTORY WHERE TABLE_NAME = 'PARTIAL'");
    expect(time!.split(' ')[0]).toBe(view.data[0][0]);
    expect(rest).toEqual(['2', '3', '28', '3', '3', '"PARTIAL"["AMOUNT":2]', '1', '3', 'Partially loaded', 'FIRN', 'PUBLIC', 'PARTIAL', null]);
    const none = await sql("SELECT COUNT(*) FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY('partial', DATEADD(hour, -1, CURRENT_TIMESTAMP()), DATEADD(hour, -1, CURRENT_TIMESTAMP())))");
    expect(none.data).toEqual([['0']]);
    const missing = await expectFailure(server.url, "SELECT * FROM TABLE(INFORMATION_SCHEMA.COPY_HISTORY(TABLE_NAME => 'nope', START_TIME => CURRENT_TIMESTAMP()))");
    expect([missing.code, missing.message]).toEqual(['002003', "SQL compilation error: Object 'FIRN.PUBLIC.NOPE' does not exist or not authorized."]);
  });

  it('is per database, needs an existing database, and reserves INFORMATION_SCHEMA', async () => {
    await sql('CREATE DATABASE other');
    const inOther = { database: 'OTHER', schema: 'PUBLIC' };
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM INFORMATION_SCHEMA.LOAD_HISTORY', inOther)).data).toEqual([['0']]);
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM FIRN.INFORMATION_SCHEMA.LOAD_HISTORY', inOther)).data).toEqual([['13']]);
    expect((await sql('SELECT COUNT(*) FROM INFORMATION_SCHEMA.LOAD_HISTORY')).data).toEqual([['13']]);
    expect((await expectFailure(server.url, 'SELECT * FROM nope.INFORMATION_SCHEMA.LOAD_HISTORY')).code).toBe('002003');
    expect((await expectFailure(server.url, 'SELECT * FROM INFORMATION_SCHEMA.NO_SUCH_VIEW')).code).toBe('002003');
    const reserved = await expectFailure(server.url, 'CREATE SCHEMA information_schema');
    expect([reserved.code, reserved.message]).toEqual(['002002', "SQL compilation error: Object 'INFORMATION_SCHEMA' already exists."]);
  });

  it('keeps the history across a server restart', async () => {
    const before = (await sql(`${HISTORY} ORDER BY TABLE_NAME, FILE_NAME, ROW_COUNT`)).data;
    await server.stop();
    server = await startFirnProcess({ home: home(), env: { FIRN_LOAD_ROOTS: dir } });
    expect((await sql(`${HISTORY} ORDER BY TABLE_NAME, FILE_NAME, ROW_COUNT`)).data).toEqual(before);
    expect((await sql(`COPY INTO a FROM '${file('a*.csv')}'`)).data).toEqual(NOTHING_LEFT);
    expect(await count('a')).toBe('14');
  });
});
