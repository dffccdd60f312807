/**
 * The snowflake-sdk protocol on the wire, for what the driver does not show: a repeated
 * requestId answers the original statement (an INSERT never runs twice), gzip request bodies,
 * result chunks open only with their statement's secret, statements are visible only to the
 * user who ran them, an abort that overtakes its query request still cancels it, and the
 * per-user limit of running statements.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { createTestUser } from '../support/test-users.js';

/** Statements one user runs at once on the test server. */
const MAX_STATEMENTS = 2;
const LONG = 'SELECT COUNT(*) FROM k a, k b, k c WHERE a.x + b.x + c.x = 5';

type DriverBody = { success: boolean; code: string | null; message: string | null; data: Record<string, unknown> };

describe('snowflake-sdk protocol', () => {
  let dir: string;
  let server: FirnProcess;
  let alice: string;
  let bob: string;

  async function login(user: string, password: string): Promise<string> {
    const r = await fetch(`${server.url}/session/v1/login-request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { LOGIN_NAME: user, PASSWORD: password } }),
    });
    const body = (await r.json()) as DriverBody;
    expect(body.success).toBe(true);
    return body.data.token as string;
  }

  async function call(token: string, method: string, pathAndQuery: string, body?: unknown, gzip = false): Promise<DriverBody> {
    const json = body === undefined ? undefined : JSON.stringify(body);
    const r = await fetch(`${server.url}${pathAndQuery}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/snowflake', authorization: `Snowflake Token="${token}"` },
      body: json === undefined ? undefined : gzip ? gzipSync(json) : json,
    });
    expect(r.status).toBe(200);
    return (await r.json()) as DriverBody;
  }

  const query = (token: string, sqlText: string, requestId = randomUUID(), extra: Record<string, unknown> = {}) =>
    call(token, 'POST', `/queries/v1/query-request?requestId=${requestId}`, { sqlText, ...extra });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-sdk-protocol-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_MAX_STATEMENTS_PER_USER: String(MAX_STATEMENTS) } });
    await createTestUser(server.url, 'alice', "PASSWORD = 'alice-pass-1' DEFAULT_ROLE = SYSADMIN");
    await createTestUser(server.url, 'bob', "PASSWORD = 'bob-pass-1' DEFAULT_ROLE = SYSADMIN");
    await postStatement(server.url, 'GRANT USAGE ON DATABASE firn TO ROLE SYSADMIN');
    await postStatement(server.url, 'GRANT USAGE ON SCHEMA firn.public TO ROLE SYSADMIN');
    await postStatement(server.url, 'GRANT CREATE TABLE ON SCHEMA firn.public TO ROLE SYSADMIN');
    alice = await login('alice', 'alice-pass-1');
    bob = await login('bob', 'bob-pass-1');
    await query(alice, 'CREATE TABLE k (x INTEGER)');
    const keys = { '1': { type: 'FIXED', value: Array.from({ length: 1000 }, (_, i) => String(i)) } };
    expect((await query(alice, 'INSERT INTO k VALUES (?)', randomUUID(), { bindings: keys })).data.rowset).toEqual([['1000']]);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a repeated requestId with the original statement: the INSERT runs once', async () => {
    await query(alice, 'CREATE TABLE once (v INTEGER)');
    const requestId = randomUUID();
    const first = await query(alice, 'INSERT INTO once VALUES (1)', requestId);
    const again = await query(alice, 'INSERT INTO once VALUES (1)', requestId);
    expect(again.data.queryId).toBe(first.data.queryId);
    expect(again.data.rowset).toEqual([['1']]);
    expect((await query(alice, 'SELECT COUNT(*) FROM once')).data.rowset).toEqual([['1']]);
  });

  it('refuses describeOnly rather than run the statement', async () => {
    await query(alice, 'CREATE TABLE kept (v INTEGER)');
    await query(alice, 'INSERT INTO kept VALUES (1)');
    expect(await query(alice, 'DELETE FROM kept', randomUUID(), { describeOnly: true })).toMatchObject({ success: false, code: '390201', data: { sqlState: '0A000' } });
    expect((await query(alice, 'SELECT COUNT(*) FROM kept')).data.rowset).toEqual([['1']]);
  });

  it('reads a gzip request body (the driver may compress without saying so)', async () => {
    const r = await call(alice, 'POST', `/queries/v1/query-request?requestId=${randomUUID()}`, { sqlText: 'SELECT 41 + 1 AS answer' }, true);
    expect(r.data.rowset).toEqual([['42']]);
    expect((r.data.rowtype as { name: string; type: string }[]).map((t) => [t.name, t.type])).toEqual([['ANSWER', 'fixed']]);
  });

  it("serves a large result's chunks only with their statement's secret", async () => {
    const r = await query(alice, 'SELECT a.x * 1000 + b.x AS v FROM k a, k b WHERE b.x < 150 ORDER BY v');
    expect(r.data).toMatchObject({ total: 150_000, returned: 150_000 });
    expect((r.data.rowset as unknown[]).length).toBe(1000);
    const chunks = r.data.chunks as { url: string; rowCount: number }[];
    expect(chunks.map((c) => c.rowCount)).toEqual([100_000, 49_000]);
    const first = await fetch(chunks[0]!.url);
    expect(first.headers.get('content-type')).toBe('application/octet-stream');
    const rows = JSON.parse(`[${await first.text()}]`) as string[][];
    expect(rows.length).toBe(100_000);
    expect(rows[0]).toEqual([String(6 * 1000 + 100)]);
    const wrongSecret = chunks[1]!.url.replace(/s=[^&]+/, 's=guess');
    expect((await fetch(wrongSecret)).status).toBe(404);
    const noSecret = chunks[1]!.url.replace(/\?.*$/, '');
    expect((await fetch(noSecret)).status).toBe(404);
  });

  it('shows a statement only to the user who ran it', async () => {
    const r = await query(alice, 'SELECT 7 AS seven');
    const queryId = r.data.queryId as string;
    expect((await call(alice, 'GET', `/queries/${queryId}/result`)).data.rowset).toEqual([['7']]);
    expect(await call(bob, 'GET', `/queries/${queryId}/result`)).toMatchObject({ success: false, code: '000709' });
    expect((await call(bob, 'GET', `/monitoring/queries/${queryId}`)).data).toEqual({ queries: [] });
    expect(((await call(alice, 'GET', `/monitoring/queries/${queryId}`)).data.queries as { status: string }[])[0]!.status).toBe('SUCCESS');
  });

  it('an abort by requestId that arrives before its query request cancels the statement as it arrives', async () => {
    const requestId = randomUUID();
    expect((await call(alice, 'POST', '/queries/v1/abort-request', { requestId })).success).toBe(true);
    const r = await query(alice, LONG, requestId);
    expect(r).toMatchObject({ success: false, code: '000604', data: { sqlState: '57014' } });
    // Another user's abort of the same requestId does not touch alice's statements.
    const mine = randomUUID();
    await call(bob, 'POST', '/queries/v1/abort-request', { requestId: mine });
    expect((await query(alice, 'SELECT COUNT(*) FROM k', mine)).data.rowset).toEqual([['1000']]);
  }, 60_000);

  it('answers an expired or logged-out session with 390112, and refuses the token afterwards', async () => {
    const token = await login('bob', 'bob-pass-1');
    expect((await call(token, 'POST', '/session/heartbeat')).success).toBe(true);
    expect((await call(token, 'POST', '/session?delete=true')).success).toBe(true);
    expect(await call(token, 'POST', '/session/heartbeat')).toMatchObject({ success: false, code: '390112', data: { sqlState: '08001' } });
  });

  it('holds a user to FIRN_MAX_STATEMENTS_PER_USER running statements: past it 429 with Retry-After, which the driver retries', async () => {
    const running: string[] = [];
    for (let i = 0; i < MAX_STATEMENTS; i++) {
      const r = await query(alice, LONG, randomUUID(), { asyncExec: true });
      expect(r.code).toBe('333334');
      running.push(r.data.queryId as string);
    }
    const refused = await fetch(`${server.url}/queries/v1/query-request?requestId=${randomUUID()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Snowflake Token="${alice}"` },
      body: JSON.stringify({ sqlText: 'SELECT 1' }),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ code: '390429', sqlState: '53400' });
    // Another user is not held back by alice's statements.
    expect((await query(bob, 'SELECT 2')).data.rowset).toEqual([['2']]);
    for (const id of running) expect((await call(alice, 'POST', `/queries/${id}/abort-request`)).success).toBe(true);
    for (const id of running) expect(await call(alice, 'GET', `/queries/${id}/result`)).toMatchObject({ success: false, code: '000604' });
    expect((await query(alice, 'SELECT 3')).data.rowset).toEqual([['3']]);
  }, 60_000);
});
