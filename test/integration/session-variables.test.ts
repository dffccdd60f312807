/**
 * Session variables across requests of one session, against a real server: SET in one request,
 * `$name` in the next, on a login session's token over the SQL API and through the official
 * snowflake-sdk driver (whose every execute() is a request of its own); another session, and a
 * request on a bearer token, see none of them. The server runs with the result cache on, so a
 * repeated `SELECT $x` after x changed shows the cache is keyed on the value.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESULT_CACHE_BYTES } from '../../services/config.js';
import { startFirnProcess, TEST_ADMIN_TOKEN, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';
import { connectDriver, destroy, execute } from '../support/snowflake-driver.js';

type Body = { data?: (string | null)[][]; code?: string; sqlState?: string; message?: string; stats?: { fromResultCache: boolean } };

describe('session variables across requests', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-session-variables-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_RESULT_CACHE_BYTES: String(DEFAULT_RESULT_CACHE_BYTES) } });
    await postStatement(server.url, 'CREATE TABLE items (id INTEGER, name VARCHAR)');
    await postStatement(server.url, "INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

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

  const inSession = async (token: string, statement: string): Promise<{ status: number; body: Body }> => {
    const res = await fetch(`${server.url}/api/v2/statements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Snowflake Token="${token}"` },
      body: JSON.stringify({ statement }),
    });
    return { status: res.status, body: (await res.json()) as Body };
  };

  it("keeps SET for the session's later SQL API requests; UNSET ends it; other sessions see nothing", async () => {
    const token = await login();
    expect((await inSession(token, 'SET (lo, name) = (2, $$tw$$)')).status).toBe(200);
    expect((await inSession(token, "SET t = 'items'")).status).toBe(200);
    const read = await inSession(token, "SELECT id, name FROM IDENTIFIER($t) WHERE id >= $lo AND name LIKE $name || '%'");
    expect([read.status, read.body.data]).toEqual([200, [['2', 'two']]]);
    // SET evaluated its value when it ran: changing lo later changes only what later statements read.
    expect((await inSession(token, 'SET hi = $lo + 1')).status).toBe(200);
    expect((await inSession(token, 'SET lo = 1')).status).toBe(200);
    expect((await inSession(token, 'SELECT $lo, $hi')).body.data).toEqual([['1', '3']]);

    const other = await login();
    const missing = await inSession(other, 'SELECT $lo');
    expect([missing.status, missing.body.code, missing.body.sqlState, missing.body.message]).toEqual([422, '002211', '02000', "SQL compilation error: error line 1 at position 8\nSession variable '$LO' does not exist"]);
    // A bearer token's request is a session of its own.
    await expect(postStatement(server.url, 'SELECT $lo')).rejects.toMatchObject({ code: '002211' } satisfies Partial<StatementFailure>);

    expect((await inSession(token, 'UNSET (lo, hi)')).status).toBe(200);
    expect((await inSession(token, 'SELECT $lo')).body.code).toBe('002211');
    expect((await inSession(token, 'SELECT $name')).body.data).toEqual([['tw']]);
  });

  it('keeps a failed SET from changing any variable', async () => {
    const token = await login();
    expect((await inSession(token, 'SET (x, y) = (1, 2)')).status).toBe(200);
    expect((await inSession(token, 'SET (y, x) = (SELECT id, name FROM items)')).body.code).toBe('090150');
    expect((await inSession(token, 'SET (y, x) = (5, $nope)')).body.code).toBe('002211');
    expect((await inSession(token, 'SELECT $x, $y')).body.data).toEqual([['1', '2']]);
  });

  it('answers a repeated SELECT $x from the result cache only while x keeps its value', async () => {
    const token = await login();
    await inSession(token, 'SET x = 7');
    const first = await inSession(token, 'SELECT COUNT(*) + $x FROM items');
    const second = await inSession(token, 'SELECT COUNT(*) + $x FROM items');
    expect([first.body.data, first.body.stats?.fromResultCache, second.body.data, second.body.stats?.fromResultCache]).toEqual([[['10']], false, [['10']], true]);
    await inSession(token, 'SET x = 8');
    const third = await inSession(token, 'SELECT COUNT(*) + $x FROM items');
    expect([third.body.data, third.body.stats?.fromResultCache]).toEqual([[['11']], false]);
  });

  it("keeps SET across the snowflake-sdk driver's execute() calls, with SHOW VARIABLES", async () => {
    const conn = await connectDriver(server.url, { username: 'ADMIN', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: TEST_ADMIN_TOKEN });
    try {
      await execute(conn, 'SET (k, label) = (3, $$three$$)');
      expect((await execute(conn, 'SELECT name FROM items WHERE id = $k')).rows).toEqual([{ NAME: 'three' }]);
      expect((await execute(conn, 'SELECT $label = name AS same FROM items WHERE id = $k')).rows).toEqual([{ SAME: true }]);
      const shown = (await execute(conn, "SHOW VARIABLES LIKE 'k'")).rows;
      expect(shown.map((r) => [r.session_id, r.name, r.value, r.type, r.comment])).toEqual([[null, 'K', '3', 'fixed', null]]);
      expect(shown[0]!.created_on).toBeInstanceOf(Date);
      await execute(conn, 'UNSET k');
      await expect(execute(conn, 'SELECT $k')).rejects.toMatchObject({ code: '002211', sqlState: '02000' });
    } finally {
      await destroy(conn);
    }
  });
});
