/**
 * Attempts to run statements or read results without valid credentials, against the real
 * server over raw HTTP: each is refused with 401 and Snowflake's error shape, and nothing runs
 * (the victim table is still there and query history holds no statement of the attacker).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { rawRequest, type RawResponse } from '../support/raw-http.js';
import { createTestUser } from '../support/test-users.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const DROP = JSON.stringify({ statement: 'DROP TABLE victim' });

describe('authentication bypass', () => {
  let dir: string;
  let server: FirnProcess;
  let handle: string;

  /** 401 in Snowflake's SQL API shape, with a Bearer challenge. */
  const expectRefused = (r: RawResponse, what: string) => {
    expect(r.status, what).toBe(401);
    expect(r.headers['www-authenticate'], what).toBe('Bearer realm="firn"');
    const body = JSON.parse(r.body) as Record<string, unknown>;
    expect(Object.keys(body).sort(), what).toEqual(['code', 'message', 'sqlState']);
    expect([body.code, body.sqlState], what).toEqual(['390303', '08001']);
  };
  const victimIntact = async () => {
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM victim')).data).toEqual([['1']]);
    const ran = await postStatement(server.url, "SELECT COUNT(*) FROM SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY WHERE QUERY_TEXT LIKE 'DROP TABLE victim%'");
    expect(ran.data).toEqual([['0']]);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-bypass-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    const made = await postStatement(server.url, 'CREATE TABLE victim (x INT); INSERT INTO victim VALUES (1)');
    handle = made.statementHandle;
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a request without an Authorization header runs nothing, reads nothing and maps no route', async () => {
    expectRefused(await rawRequest(server.url, 'POST', '/api/v2/statements', JSON_TYPE, DROP), 'POST statements');
    expectRefused(await rawRequest(server.url, 'GET', `/api/v2/statements/${handle}`), 'GET handle');
    expectRefused(await rawRequest(server.url, 'GET', '/no/such/route'), 'unknown route');
    expectRefused(await rawRequest(server.url, 'DELETE', '/api/v2/statements'), 'wrong method');
    await victimIntact();
  });

  it('a malformed Authorization header is refused', async () => {
    for (const authorization of ['', 'Bearer', 'Bearer ', 'Basic QURNSU46eA==', `Token ${'a'.repeat(43)}`, 'Snowflake Token=abc', 'Snowflake Token=""', 'Bearer a b', `Bearer ${'x'.repeat(10_000)}`]) {
      expectRefused(await rawRequest(server.url, 'POST', '/api/v2/statements', { ...JSON_TYPE, authorization }, DROP), `Authorization: ${authorization.slice(0, 40)}`);
    }
    await victimIntact();
  });

  it('a valid token sent as another token type (OAUTH, KEYPAIR_JWT) is refused', async () => {
    for (const type of ['OAUTH', 'KEYPAIR_JWT', 'SESSION']) {
      const r = await rawRequest(server.url, 'POST', '/api/v2/statements', { ...JSON_TYPE, ...ADMIN_AUTH_HEADERS, 'x-snowflake-authorization-token-type': type }, DROP);
      expectRefused(r, type);
    }
    // The same token as a session token is no session either.
    const asSession = await rawRequest(server.url, 'POST', '/api/v2/statements', { ...JSON_TYPE, authorization: `Snowflake Token="${ADMIN_AUTH_HEADERS.Authorization.slice(7)}"` }, DROP);
    expect([asSession.status, JSON.parse(asSession.body).code]).toEqual([401, '390112']);
    await victimIntact();
  });

  it('the token of a dropped user, and of a disabled user, is refused at once', async () => {
    const gone = await createTestUser(server.url, 'bypass_gone', "DEFAULT_ROLE = SYSADMIN");
    const off = await createTestUser(server.url, 'bypass_off', "DEFAULT_ROLE = SYSADMIN PASSWORD = 'off-pass-1'");
    for (const u of [gone, off]) expect((await rawRequest(server.url, 'POST', '/api/v2/statements', { ...JSON_TYPE, ...u.headers }, JSON.stringify({ statement: 'SELECT 1' }))).status).toBe(200);
    await postStatement(server.url, 'DROP USER bypass_gone');
    await postStatement(server.url, 'ALTER USER bypass_off SET DISABLED = TRUE');
    expectRefused(await rawRequest(server.url, 'POST', '/api/v2/statements', { ...JSON_TYPE, ...gone.headers }, DROP), 'dropped user');
    expectRefused(await rawRequest(server.url, 'POST', '/api/v2/statements', { ...JSON_TYPE, ...off.headers }, DROP), 'disabled user');
    const login = await rawRequest(server.url, 'POST', '/session/v1/login-request', JSON_TYPE, JSON.stringify({ data: { LOGIN_NAME: 'bypass_off', PASSWORD: 'off-pass-1' } }));
    expect(JSON.parse(login.body)).toMatchObject({ success: false, code: '390100' });
    // A new user of the dropped name does not bring the old token back.
    await postStatement(server.url, 'CREATE USER bypass_gone DEFAULT_ROLE = SYSADMIN');
    expectRefused(await rawRequest(server.url, 'POST', '/api/v2/statements', { ...JSON_TYPE, ...gone.headers }, DROP), 'recreated user');
    await victimIntact();
  });

  it('SQL-injection-like user names neither log in nor alter the catalog', async () => {
    for (const name of ["ADMIN' --", "' OR '1'='1", 'ADMIN"; DROP TABLE users; --', 'ADMIN\u0000', '%', '*']) {
      const r = await rawRequest(server.url, 'POST', '/session/v1/login-request', JSON_TYPE, JSON.stringify({ data: { LOGIN_NAME: name, PASSWORD: "' OR '1'='1" } }));
      expect(JSON.parse(r.body), name).toMatchObject({ success: false, code: '390100' });
    }
    // A user whose quoted name looks like SQL is just a name: stored and shown verbatim.
    await postStatement(server.url, `CREATE USER "x'); DROP USER ADMIN; --" DEFAULT_ROLE = PUBLIC`);
    const shown = await postStatement(server.url, "SHOW USERS LIKE 'x''%'");
    expect(shown.data.map((row) => row[0])).toEqual(["x'); DROP USER ADMIN; --"]);
    expect((await postStatement(server.url, "SHOW USERS LIKE 'ADMIN'")).data.map((row) => row[0])).toEqual(['ADMIN']);
  });

  it('path tricks (//, dot segments, encoded slashes, a trailing slash, /healthz/..) do not skip authentication', async () => {
    const paths = [
      '//api/v2/statements',
      '/api/v2/statements/',
      '/api/v2/./statements',
      '/api/v2/x/../statements',
      '/healthz/../api/v2/statements',
      '/api%2Fv2%2Fstatements',
      '/API/V2/STATEMENTS',
      '/api/v2/statements?x=/healthz',
      '/healthz%2F..%2Fapi/v2/statements',
    ];
    for (const p of paths) expectRefused(await rawRequest(server.url, 'POST', p, JSON_TYPE, DROP), `POST ${p}`);
    for (const p of [`/api/v2/statements/${handle}/`, `//api/v2/statements/${handle}`, `/healthz/../api/v2/statements/${handle}`]) {
      expectRefused(await rawRequest(server.url, 'GET', p), `GET ${p}`);
    }
    expect((await rawRequest(server.url, 'GET', '/healthz')).status).toBe(200);
    await victimIntact();
  });

  it('HEAD and OPTIONS neither run a statement nor read a result without credentials', async () => {
    const head = await rawRequest(server.url, 'HEAD', `/api/v2/statements/${handle}`);
    expect(head.status).toBe(401);
    expect(head.body).toBe('');
    const headPost = await rawRequest(server.url, 'HEAD', '/api/v2/statements', JSON_TYPE, DROP);
    expect(headPost.status).toBe(401);
    const options = await rawRequest(server.url, 'OPTIONS', `/api/v2/statements/${handle}`, JSON_TYPE, DROP);
    expect(options.status).toBe(204);
    expect(options.body).toBe('');
    await victimIntact();
  });

  it('the v1 query endpoints of the drivers answer 401 without a session token', async () => {
    const query = JSON.stringify({ sqlText: 'DROP TABLE victim' });
    for (const p of ['/queries/v1/query-request?requestId=1', `/queries/${handle}/result`, '/session?delete=true', '/session/heartbeat', '/session/token-request']) {
      expectRefused(await rawRequest(server.url, 'POST', p, JSON_TYPE, query), p);
    }
    await victimIntact();
  });
});
