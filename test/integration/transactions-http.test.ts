/**
 * Transactions and MULTI_STATEMENT_COUNT over the SQL API v2, on the real server (issue 12): a
 * request is the session, so BEGIN ... COMMIT | ROLLBACK in one request makes its statements
 * atomic and a request ending with its transaction open rolls it back; a request must hold
 * exactly MULTI_STATEMENT_COUNT statements (`parameters`, a number or its string; default 1) or
 * it fails with Snowflake's 000008 before anything runs. A request on a login session's token
 * (as the CLI sends) runs in that session instead: a transaction, USE and LAST_QUERY_ID carry
 * over to its next request, and logging out rolls back what it left open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, TEST_ADMIN_TOKEN, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { postRaw } from '../support/statement-http.js';

describe('transactions over the SQL API v2', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-txn-http-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    await postStatement(server.url, 'CREATE TABLE t (x INTEGER); CREATE TABLE u (x INTEGER)');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const values = async (table: string) => (await postStatement(server.url, `SELECT x FROM ${table} ORDER BY x`)).data;
  const post = (sql: string, count: number | string = 0) => postRaw(server.url, sql, undefined, { MULTI_STATEMENT_COUNT: count });

  it('refuses a request whose statement count is not MULTI_STATEMENT_COUNT with 000008, running none of it', async () => {
    const none = await postRaw(server.url, 'INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)');
    expect([none.status, none.body.code, none.body.sqlState, none.body.message]).toEqual([
      422,
      '000008',
      '0A000',
      'Actual statement count 2 did not match the desired statement count 1.',
    ]);
    const three = await post('INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)', '3');
    expect([three.status, three.body.code, three.body.message]).toEqual([422, '000008', 'Actual statement count 2 did not match the desired statement count 3.']);
    expect(await values('t')).toEqual([]);
    const bad = await post('SELECT 1', -1);
    expect([bad.status, bad.body.message]).toEqual([400, '"parameters.multi_statement_count" must be a non-negative integer']);
    const two = await post('SELECT 1; SELECT 2', '2');
    expect([two.status, two.body.data]).toEqual([200, [['2']]]);
  });

  it('commits BEGIN ... COMMIT as one unit, and discards BEGIN ... ROLLBACK', async () => {
    const committed = await post('BEGIN TRANSACTION; INSERT INTO t VALUES (1); INSERT INTO u VALUES (10); INSERT INTO t VALUES (2); COMMIT');
    expect(committed.status).toBe(200);
    expect(committed.body.statementHandles).toHaveLength(5);
    expect(committed.body.data).toEqual([['Statement executed successfully.']]);
    expect(await values('t')).toEqual([['1'], ['2']]);
    expect(await values('u')).toEqual([['10']]);
    const versions = await postStatement(server.url, 'SHOW VERSIONS IN TABLE t');
    expect(versions.data.length).toBe(2);

    const rolledBack = await post('START TRANSACTION; DELETE FROM t; INSERT INTO u VALUES (11); SELECT COUNT(*) FROM t; ROLLBACK');
    expect(rolledBack.status).toBe(200);
    expect(await values('t')).toEqual([['1'], ['2']]);
    expect(await values('u')).toEqual([['10']]);
  });

  it('refuses BEGIN, COMMIT or ROLLBACK alone in a request, which could not hold a transaction for the next one', async () => {
    for (const sql of ['BEGIN', 'START TRANSACTION', 'COMMIT', 'ROLLBACK']) {
      const r = await postRaw(server.url, sql);
      expect([r.status, r.body.code, r.body.sqlState]).toEqual([422, '390201', '0A000']);
      expect(r.body.message).toMatch(
        /^(BEGIN|COMMIT|ROLLBACK) in a request of its own \(a request on a bearer token is its own session: send the transaction's statements in one request, with MULTI_STATEMENT_COUNT, or send them on a login session's token\) is not supported$/,
      );
    }
  });

  it('rolls back the transaction a request leaves open, and reads its own writes before that', async () => {
    const open = await post('BEGIN; INSERT INTO u VALUES (12), (13); SELECT COUNT(*) FROM u');
    expect([open.status, open.body.data]).toEqual([200, [['3']]]);
    expect(await values('u')).toEqual([['10']]);
  });

  it('fails a request at its failing statement with that statement\'s error; an autocommitted statement before it stays', async () => {
    const failed = await post('INSERT INTO u VALUES (20); BEGIN; INSERT INTO u VALUES (21); SELECT 1 / 0; COMMIT');
    expect([failed.status, failed.body.code, failed.body.sqlState, failed.body.message]).toEqual([422, '100051', '22012', 'Division by zero']);
    // The answer names which statements ran (and whether they committed) and which did not run.
    const body = failed.body as unknown as { failed: { index: number; handle: string }; ran: { index: number; handle: string; state: string }[]; notRun: number[]; summary: string };
    expect(body.failed.index).toBe(4);
    expect(body.ran.map((r) => [r.index, r.state])).toEqual([[1, 'committed'], [2, 'rolled_back'], [3, 'rolled_back']]);
    expect(body.notRun).toEqual([5]);
    expect(body.summary).toMatch(/^Statement 4 of 5 \(.+\) failed; statements ran: 1 \(.+, committed\), 2 \(.+, rolled back\), 3 \(.+, rolled back\); not run: 5\.$/);
    expect(await values('u')).toEqual([['10'], ['20']]);
  });

  describe("on a login session's token", () => {
    const login = async (): Promise<string> => {
      const res = await fetch(`${server.url}/session/v1/login-request`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: { LOGIN_NAME: 'ADMIN', AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', TOKEN: TEST_ADMIN_TOKEN } }),
      });
      const json = (await res.json()) as { success: boolean; data: { token: string } };
      expect(json.success).toBe(true);
      return json.data.token;
    };
    const inSession = async (token: string, statement: string, extra: Record<string, unknown> = {}) => {
      const res = await fetch(`${server.url}/api/v2/statements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Snowflake Token="${token}"` },
        body: JSON.stringify({ statement, ...extra }),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };

    it('holds a transaction across requests: its writes are seen only by it until COMMIT, and ROLLBACK discards them', async () => {
      await postStatement(server.url, 'CREATE TABLE s (x INTEGER)');
      const token = await login();
      expect((await inSession(token, 'BEGIN')).status).toBe(200);
      expect((await inSession(token, 'INSERT INTO s VALUES (1), (2)')).status).toBe(200);
      expect((await inSession(token, 'SELECT COUNT(*) FROM s')).body.data).toEqual([['2']]);
      expect(await values('s')).toEqual([]);
      expect((await inSession(token, 'COMMIT')).status).toBe(200);
      expect(await values('s')).toEqual([['1'], ['2']]);

      expect((await inSession(token, 'BEGIN')).status).toBe(200);
      expect((await inSession(token, 'DELETE FROM s')).status).toBe(200);
      expect((await inSession(token, 'ROLLBACK')).status).toBe(200);
      expect(await values('s')).toEqual([['1'], ['2']]);
    });

    it('keeps USE and LAST_QUERY_ID for the next request; another session sees neither', async () => {
      await postStatement(server.url, 'CREATE DATABASE other_db');
      const token = await login();
      const used = await inSession(token, 'USE DATABASE other_db');
      expect(used.status).toBe(200);
      expect((await inSession(token, 'SELECT CURRENT_DATABASE()')).body.data).toEqual([['OTHER_DB']]);
      // A name in the body still wins over the session's.
      expect((await inSession(token, 'SELECT CURRENT_DATABASE()', { database: 'FIRN' })).body.data).toEqual([['FIRN']]);
      const first = await inSession(token, 'SELECT 1');
      const last = await inSession(token, 'SELECT LAST_QUERY_ID()');
      expect(last.body.data).toEqual([[first.body.statementHandle]]);
      const other = await login();
      expect((await inSession(other, 'SELECT CURRENT_DATABASE(), LAST_QUERY_ID()')).body.data).toEqual([['FIRN', null]]);
    });

    it('rolls back the transaction a session leaves open when it logs out', async () => {
      await postStatement(server.url, 'CREATE TABLE w (x INTEGER)');
      const token = await login();
      expect((await inSession(token, 'BEGIN')).status).toBe(200);
      expect((await inSession(token, 'INSERT INTO w VALUES (7)')).status).toBe(200);
      const out = await fetch(`${server.url}/session?delete=true`, { method: 'POST', headers: { authorization: `Snowflake Token="${token}"` } });
      expect(out.status).toBe(200);
      expect(await values('w')).toEqual([]);
      expect((await postStatement(server.url, 'INSERT INTO w VALUES (8)')).data).toEqual([['1']]);
      expect(await values('w')).toEqual([['8']]);
    });
  });
});
