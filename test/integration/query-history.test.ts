/**
 * Query history and metering on the real server over HTTP: every statement (answered, failed
 * at parse or bind) appears in SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY and
 * TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) with Snowflake's columns and exact fields, the
 * history survives a restart, and SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY bills a
 * warehouse that ran at least its 60 s minimum at its size's rate.
 */
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, TEST_ADMIN_TOKEN, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { expectFailure, postRaw } from '../support/statement-http.js';

const FIELDS = `QUERY_TEXT, DATABASE_NAME, SCHEMA_NAME, USER_NAME, ROLE_NAME, WAREHOUSE_NAME, WAREHOUSE_SIZE, CLUSTER_NUMBER, EXECUTION_STATUS, ERROR_CODE,
  ERROR_MESSAGE, ROWS_PRODUCED, PARTITIONS_SCANNED, PARTITIONS_TOTAL, QUEUED_OVERLOAD_TIME, BYTES_SPILLED, BYTES_SPILLED_TO_LOCAL_STORAGE`;
const MINE = "(QUERY_TEXT LIKE '%qh_t%' OR QUERY_TEXT LIKE 'SELEC %' OR QUERY_TEXT LIKE '%qh_missing%') AND QUERY_TEXT NOT LIKE '%QUERY_HISTORY%'";
const HISTORY = `SELECT ${FIELDS} FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE ${MINE} ORDER BY START_TIME, QUERY_TEXT`;

describe('query history and metering', () => {
  let dir: string;
  let server: FirnProcess;
  const home = () => path.join(dir, 'home');
  const sql = (text: string, warehouse?: string) => postStatement(server.url, text, { warehouse });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-qhist-'));
    server = await startFirnProcess({ home: home() });
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records every statement with its status, error code, rows and partitions', async () => {
    await sql('CREATE TABLE qh_t (a INT)');
    await sql('INSERT INTO qh_t VALUES (1), (2)');
    await sql('INSERT INTO qh_t VALUES (10), (11)');
    expect((await sql('SELECT a FROM qh_t WHERE a >= 10 ORDER BY a')).data).toEqual([['10'], ['11']]);
    expect((await sql('DELETE FROM qh_t WHERE a = 1')).data).toEqual([['1']]);
    const parse = await expectFailure(server.url, 'SELEC 1');
    const bind = await expectFailure(server.url, 'SELECT * FROM qh_missing');
    expect([parse.code, bind.code]).toEqual(['001003', '002003']);

    const r = await sql(HISTORY);
    const ok = (text: string, rows: string, scanned: string, total: string, warehouse: string | null) => [
      text, 'FIRN', 'PUBLIC', 'ADMIN', 'ACCOUNTADMIN', warehouse, warehouse ? 'XSMALL' : null, warehouse ? '1' : null, 'SUCCESS', null, null, rows, scanned, total, '0', '0', '0',
    ];
    const fail = (text: string, code: string, message: string) => [text, 'FIRN', 'PUBLIC', 'ADMIN', 'ACCOUNTADMIN', null, null, null, 'FAIL', code, message, '0', '0', '0', '0', '0', '0'];
    expect(r.data).toEqual([
      ok('CREATE TABLE qh_t (a INT)', '1', '0', '0', null),
      ok('INSERT INTO qh_t VALUES (1), (2)', '2', '0', '0', 'COMPUTE_WH'),
      ok('INSERT INTO qh_t VALUES (10), (11)', '2', '0', '0', 'COMPUTE_WH'),
      ok('SELECT a FROM qh_t WHERE a >= 10 ORDER BY a', '2', '1', '2', 'COMPUTE_WH'),
      ok('DELETE FROM qh_t WHERE a = 1', '1', '1', '2', 'COMPUTE_WH'),
      fail('SELEC 1', '001003', parse.message),
      fail('SELECT * FROM qh_missing', '002003', bind.message),
    ]);
    // Snowflake's types: VARCHAR, NUMBER, TIMESTAMP_LTZ, FLOAT.
    const types = await sql(`SELECT QUERY_ID, CLUSTER_NUMBER, START_TIME, TOTAL_ELAPSED_TIME, PERCENTAGE_SCANNED_FROM_CACHE, BYTES_SCANNED
      FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY LIMIT 1`);
    expect(types.resultSetMetaData.rowType.map((c) => [c.name, c.type])).toEqual([
      ['QUERY_ID', 'text'], ['CLUSTER_NUMBER', 'fixed'], ['START_TIME', 'timestamp_ltz'], ['TOTAL_ELAPSED_TIME', 'fixed'],
      ['PERCENTAGE_SCANNED_FROM_CACHE', 'real'], ['BYTES_SCANNED', 'fixed'],
    ]);
  });

  it('answers TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(...)): newest first, RESULT_LIMIT, END_TIME_RANGE_*', async () => {
    const newest = await sql('SELECT QUERY_TEXT, EXECUTION_STATUS FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 2)) h');
    expect(newest.data.map((row) => row[1])).toEqual(['SUCCESS', 'SUCCESS']);
    expect(newest.data[0][0]).toContain('SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY LIMIT 1');
    const mine = await sql(`SELECT QUERY_TEXT, ERROR_CODE FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(
        END_TIME_RANGE_START => DATEADD(hour, -1, CURRENT_TIMESTAMP()), RESULT_LIMIT => 1000)) WHERE ${MINE} AND EXECUTION_STATUS = 'FAIL'`);
    expect(mine.data).toEqual([['SELECT * FROM qh_missing', '002003'], ['SELEC 1', '001003']]);
    const none = await sql("SELECT COUNT(*) FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(END_TIME_RANGE_END => '2000-01-01'::TIMESTAMP))");
    expect(none.data).toEqual([['0']]);
    const bad = await expectFailure(server.url, 'SELECT * FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY(RESULT_LIMIT => 0))');
    expect([bad.code, bad.message]).toEqual(['001044', 'SQL compilation error: argument RESULT_LIMIT of function QUERY_HISTORY must be between 1 and 10000']);
    expect((await expectFailure(server.url, 'SELECT * FROM TABLE(no_such_fn())')).code).toBe('002140');
  });

  it('records the user who ran each statement and the role it ran as', async () => {
    await sql('CREATE USER qh_user DEFAULT_ROLE = SYSADMIN');
    await sql('GRANT ROLE SYSADMIN TO USER qh_user');
    const token = (await sql('ALTER USER qh_user ADD PAT qh_pat')).data[0][1] as string;
    const as = async (statement: string, role?: string) =>
      (
        await fetch(`${server.url}/api/v2/statements`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify(role === undefined ? { statement } : { statement, role }),
        })
      ).status;
    expect(await as("SELECT 'qh_by_default'")).toBe(200);
    expect(await as("SELECT 'qh_by_public'", 'public')).toBe(200);
    const h = await sql(`SELECT QUERY_TEXT, USER_NAME, ROLE_NAME FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY()) WHERE QUERY_TEXT LIKE 'SELECT ''qh_by_%' ORDER BY QUERY_TEXT`);
    expect(h.data).toEqual([
      ["SELECT 'qh_by_default'", 'QH_USER', 'SYSADMIN'],
      ["SELECT 'qh_by_public'", 'QH_USER', 'PUBLIC'],
    ]);
  });

  it('answers QUERY_HISTORY_BY_SESSION / _BY_USER / _BY_WAREHOUSE: a login session keeps its id across requests, CURRENT_SESSION() is it', async () => {
    const login = async (): Promise<string> => {
      const res = await fetch(`${server.url}/session/v1/login-request`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: { LOGIN_NAME: 'ADMIN', AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', TOKEN: TEST_ADMIN_TOKEN } }),
      });
      return ((await res.json()) as { data: { token: string } }).data.token;
    };
    const inSession = async (token: string, statement: string): Promise<(string | null)[][]> => {
      const res = await fetch(`${server.url}/api/v2/statements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Snowflake Token="${token}"` },
        body: JSON.stringify({ statement, warehouse: 'QH_BY_WH' }),
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { data: (string | null)[][] }).data;
    };
    await sql('CREATE WAREHOUSE qh_by_wh WAREHOUSE_SIZE = XSMALL');
    const token = await login();
    const [[id]] = await inSession(token, 'SELECT CURRENT_SESSION()');
    expect(id).toMatch(/^[0-9]+$/);
    await inSession(token, "SELECT 'qh_by_1'");
    await inSession(token, "SELECT 'qh_by_2' FROM qh_t LIMIT 1");
    // Another request with an access token is another session.
    const [[other]] = (await sql('SELECT CURRENT_SESSION()')).data;
    expect(other).not.toBe(id);
    const mine = await inSession(token, 'SELECT QUERY_TEXT, SESSION_ID FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION()) ORDER BY START_TIME');
    expect(mine).toEqual([['SELECT CURRENT_SESSION()', id], ["SELECT 'qh_by_1'", id], ["SELECT 'qh_by_2' FROM qh_t LIMIT 1", id]]);
    const byId = await sql(`SELECT COUNT(*) FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_SESSION(SESSION_ID => ${id}))`);
    expect(byId.data).toEqual([['4']]);
    const byWarehouse = await sql(`SELECT QUERY_TEXT FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_WAREHOUSE(WAREHOUSE_NAME => 'qh_by_wh'))
      WHERE QUERY_TEXT LIKE '%''qh_by_%' ORDER BY START_TIME`);
    expect(byWarehouse.data).toEqual([["SELECT 'qh_by_2' FROM qh_t LIMIT 1"]]);
    const byUser = await sql(`SELECT COUNT(*) FROM TABLE(INFORMATION_SCHEMA.QUERY_HISTORY_BY_USER(USER_NAME => 'qh_user', RESULT_LIMIT => 10))`);
    expect(byUser.data).toEqual([['2']]);
  });

  it('bills a warehouse that ran at least its 60 s minimum, per hour, with no cloud services', async () => {
    await sql('CREATE WAREHOUSE qh_wh WAREHOUSE_SIZE = SMALL');
    await sql('SELECT COUNT(*) FROM qh_t', 'QH_WH');
    const m = await sql(`SELECT WAREHOUSE_NAME, SUM(CREDITS_USED), SUM(CREDITS_USED_COMPUTE), SUM(CREDITS_USED_CLOUD_SERVICES), COUNT(*),
        MIN(DATEDIFF(second, START_TIME, END_TIME)) FROM SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY
        WHERE WAREHOUSE_NAME = 'QH_WH' GROUP BY 1`);
    expect(m.data).toHaveLength(1);
    const [name, used, compute, cloud, , hour] = m.data[0];
    expect([name, cloud, hour, compute]).toEqual(['QH_WH', '0.000000000', '3600', used]);
    // SMALL is 2 credits per hour: at least 60 s of it, and less than the test's own duration.
    expect(Number(used)).toBeGreaterThanOrEqual(0.033333333);
    expect(Number(used)).toBeLessThan(2 * (10 * 60) / 3600);
  });

  it('answers INFORMATION_SCHEMA.WAREHOUSE_METERING_HISTORY(...) with the view\'s credits', async () => {
    // The range ends two days ahead, not now (the default): QH_WH's 60 s minimum is billed from
    // its start on, so when it started less than a minute before a clock hour, part of it lies in
    // the next hour, which a range ending now leaves out (that is how CI once saw 13.6 s of it).
    const fn = await sql(`SELECT WAREHOUSE_NAME, SUM(CREDITS_USED) FROM TABLE(INFORMATION_SCHEMA.WAREHOUSE_METERING_HISTORY(
        DATE_RANGE_START => DATEADD(day, -1, CURRENT_DATE()), DATE_RANGE_END => DATEADD(day, 2, CURRENT_DATE()), WAREHOUSE_NAME => 'qh_wh')) GROUP BY 1`);
    const view = await sql("SELECT WAREHOUSE_NAME, SUM(CREDITS_USED) FROM SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY WHERE WAREHOUSE_NAME = 'QH_WH' GROUP BY 1");
    expect(fn.data).toHaveLength(1);
    expect(fn.data[0][0]).toBe('QH_WH');
    // Both read the same segments; the view's statement ran later, so it may bill a little more.
    expect(Number(view.data[0][1])).toBeGreaterThanOrEqual(Number(fn.data[0][1]));
    expect(Number(fn.data[0][1])).toBeGreaterThanOrEqual(0.033333333);
    const types = await sql("SELECT * FROM TABLE(INFORMATION_SCHEMA.WAREHOUSE_METERING_HISTORY('2000-01-01'::DATE, '2000-01-02'::DATE))");
    expect(types.resultSetMetaData.rowType.map((c) => [c.name, c.type])).toEqual([
      ['START_TIME', 'timestamp_ltz'], ['END_TIME', 'timestamp_ltz'], ['WAREHOUSE_NAME', 'text'],
      ['CREDITS_USED', 'fixed'], ['CREDITS_USED_COMPUTE', 'fixed'], ['CREDITS_USED_CLOUD_SERVICES', 'fixed'],
    ]);
    expect(types.data).toEqual([]);
  });

  it('records each statement of a multi-statement request under its own handle and text', async () => {
    await sql('CREATE TABLE qh_m (a INT)');
    const r = await postRaw(server.url, 'INSERT INTO qh_m VALUES (1), (2);\n  SELECT a FROM qh_m ORDER BY a -- last\n', undefined, { MULTI_STATEMENT_COUNT: 2 });
    expect(r.status).toBe(200);
    const [insert, select] = r.body.statementHandles as string[];
    const h = await sql(`SELECT QUERY_ID, QUERY_TEXT, EXECUTION_STATUS, ROWS_PRODUCED FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY
      WHERE QUERY_ID IN ('${insert}', '${select}') ORDER BY START_TIME, QUERY_TEXT`);
    expect(h.data).toEqual([
      [insert, 'INSERT INTO qh_m VALUES (1), (2)', 'SUCCESS', '2'],
      [select, 'SELECT a FROM qh_m ORDER BY a', 'SUCCESS', '2'],
    ]);
  });

  it('keeps the history and the metering across a server restart', async () => {
    const before = (await sql(HISTORY)).data;
    const credits = async () => Number((await sql("SELECT SUM(CREDITS_USED) FROM SNOWFLAKE.ACCOUNT_USAGE.WAREHOUSE_METERING_HISTORY WHERE WAREHOUSE_NAME = 'QH_WH'")).data[0][0]);
    const billed = await credits();
    await server.stop();
    server = await startFirnProcess({ home: home() });
    expect((await sql(HISTORY)).data).toEqual(before);
    // QH_WH stopped with the server: its credits stand still from now on.
    const after = await credits();
    expect(after).toBeGreaterThanOrEqual(billed);
    expect(await credits()).toBe(after);
  });

  it('after kill -9, ends the metering left open at the last moment the cluster is known to have run', async () => {
    const q = await sql('SELECT SUM(a) FROM qh_t', 'QH_WH');
    // Reading the history writes its pending batch: the statement's row is in the catalog.
    const row = await sql(`SELECT EXECUTION_STATUS, WAREHOUSE_NAME, CLUSTER_NUMBER FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_ID = '${q.statementHandle}'`);
    expect(row.data).toEqual([['SUCCESS', 'QH_WH', '1']]);
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    const catalogFile = path.join(home(), 'catalog.sqlite');
    const segment = (id?: number) => {
      const db = openSqliteDatabase(catalogFile, { readonly: true });
      try {
        const sql = "SELECT id, started_at, ended_at, last_seen_at FROM cluster_segments WHERE warehouse_name = 'QH_WH'";
        const row = id === undefined ? db.prepare(`${sql} ORDER BY id DESC LIMIT 1`).get() : db.prepare(`${sql} AND id = ?`).get(id);
        return row as { id: number; started_at: number; ended_at: number | null; last_seen_at: number };
      } finally {
        db.close();
      }
    };
    const open = segment();
    expect(open.ended_at).toBeNull();
    // The restarted server starts QH_WH again (it was STARTED): a new segment; the killed one is closed.
    server = await startFirnProcess({ home: home() });
    const db = openSqliteDatabase(catalogFile, { readonly: true });
    const end = (db.prepare('SELECT end_time FROM query_history WHERE query_id = ?').get(q.statementHandle) as { end_time: number }).end_time;
    db.close();
    const seg = segment(open.id);
    // The later of the statement's end and the last heartbeat; never past the kill.
    expect(seg.ended_at).toBe(Math.max(end, seg.last_seen_at));
    expect(seg.ended_at).toBeLessThanOrEqual(killedAt);
  });
});
