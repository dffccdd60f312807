/**
 * Temporary tables and views against a real server, as Snowflake has them: the session that
 * creates one sees it (before a permanent object of the same name), in its later requests too
 * (a login session over the SQL API, and the snowflake-sdk driver); no other session sees or
 * lists it; it is dropped for good (retention 0, so GC reclaims its data) when the session ends:
 * at logout, at the end of a bearer token's request (which is its own session), and, for what a
 * crash left behind, when the server starts again. What was dropped is read from the catalog
 * file itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, TEST_ADMIN_TOKEN, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { connectDriver, destroy, execute } from '../support/snowflake-driver.js';

type Body = { data?: (string | null)[][]; code?: string; message?: string };

describe('temporary tables and views', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-temporary-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    await postStatement(server.url, 'CREATE TABLE items (id INTEGER)');
    await postStatement(server.url, 'INSERT INTO items VALUES (1), (2)');
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
    return ((await res.json()) as { data: { token: string } }).data.token;
  };
  const logout = async (token: string): Promise<void> => {
    const res = await fetch(`${server.url}/session?delete=true`, { method: 'POST', headers: { authorization: `Snowflake Token="${token}"` } });
    expect(res.status).toBe(200);
  };
  const inSession = async (token: string, statement: string): Promise<Body> => {
    const res = await fetch(`${server.url}/api/v2/statements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Snowflake Token="${token}"` },
      body: JSON.stringify({ statement, parameters: { MULTI_STATEMENT_COUNT: '0' } }),
    });
    return (await res.json()) as Body;
  };
  /** The catalog's rows of temporary objects: [name, dropped, retention days] and view names. */
  const stored = (): { tables: [string, number, number | null][]; views: string[] } => {
    const db = new Database(path.join(server.home, 'catalog.sqlite'), { readonly: true });
    try {
      const tables = db.prepare("SELECT name, dropped_at IS NOT NULL AS dropped, retention_days FROM tables WHERE name LIKE '$TMP$%' ORDER BY id").raw().all() as [string, number, number | null][];
      const views = (db.prepare("SELECT name FROM views WHERE name LIKE '$TMP$%' ORDER BY id").raw().all() as [string][]).map((r) => r[0]);
      return { tables: tables.map(([n, d, r]) => [n.replace(/^\$TMP\$\w+\$/, ''), d, r]), views: views.map((n) => n.replace(/^\$TMP\$\w+\$/, '')) };
    } finally {
      db.close();
    }
  };

  it("a login session's temporary table and view last across its requests, come before a permanent table, and go at logout", async () => {
    const a = await login();
    const b = await login();
    await inSession(a, 'CREATE TEMPORARY TABLE items (id INTEGER, note VARCHAR)');
    await inSession(a, "INSERT INTO items VALUES (10, 'mine')");
    await inSession(a, 'CREATE OR REPLACE TEMP VIEW item_notes AS SELECT note FROM items');
    expect((await inSession(a, 'SELECT id, note FROM items')).data).toEqual([['10', 'mine']]);
    expect((await inSession(a, 'SELECT note FROM item_notes')).data).toEqual([['mine']]);
    expect((await inSession(a, "SHOW TABLES LIKE 'ITEMS'; SELECT \"name\", \"kind\" FROM TABLE(RESULT_SCAN(LAST_QUERY_ID())) ORDER BY 2")).data).toEqual([
      ['ITEMS', 'TABLE'],
      ['ITEMS', 'TEMPORARY'],
    ]);
    expect((await inSession(a, "SELECT table_name, table_type, is_temporary FROM information_schema.tables WHERE table_schema = 'PUBLIC' AND table_name = 'ITEMS' ORDER BY 2")).data).toEqual([
      ['ITEMS', 'BASE TABLE', 'NO'],
      ['ITEMS', 'TEMPORARY TABLE', 'YES'],
    ]);
    // Another session sees the permanent table only, and nothing of the temporary view.
    expect((await inSession(b, 'SELECT id FROM items ORDER BY id')).data).toEqual([['1'], ['2']]);
    expect(await inSession(b, 'SELECT * FROM item_notes')).toMatchObject({ code: '002003' });
    expect((await inSession(b, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name IN ('ITEMS', 'ITEM_NOTES')")).data).toEqual([['1']]);
    expect(stored()).toEqual({ tables: [['ITEMS', 0, null]], views: ['ITEM_NOTES'] });
    await logout(a);
    expect(stored()).toEqual({ tables: [['ITEMS', 1, 0]], views: [] });
    expect((await inSession(b, 'SELECT COUNT(*) FROM items')).data).toEqual([['2']]);
    await logout(b);
  });

  it('DROP TABLE of a temporary table drops it for good, and the permanent one of that name is seen again', async () => {
    const s = await login();
    await inSession(s, 'CREATE TEMPORARY TABLE items AS SELECT 99 AS id');
    expect((await inSession(s, 'SELECT id FROM items')).data).toEqual([['99']]);
    expect((await inSession(s, 'DROP TABLE items')).data).toEqual([['ITEMS successfully dropped.']]);
    expect((await inSession(s, 'SELECT COUNT(*) FROM items')).data).toEqual([['2']]);
    expect(stored().tables.at(-1)).toEqual(['ITEMS', 1, 0]);
    await logout(s);
  });

  it("a bearer token's request is its own session: its temporary table lives for the request only", async () => {
    const r = await postStatement(server.url, 'CREATE TEMPORARY TABLE scratch (x INTEGER); INSERT INTO scratch VALUES (5); SELECT x * 2 FROM scratch');
    expect(r.data).toEqual([['10']]);
    await expect(postStatement(server.url, 'SELECT * FROM scratch')).rejects.toMatchObject({ code: '002003' });
    expect(stored().tables.at(-1)).toEqual(['SCRATCH', 1, 0]);
  });

  it('the snowflake-sdk driver keeps its temporary table across executes, and loses it with the connection', async () => {
    const conn = await connectDriver(server.url, { username: 'ADMIN', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: TEST_ADMIN_TOKEN });
    await execute(conn, 'CREATE TEMPORARY TABLE staging (v VARCHAR)');
    await execute(conn, "INSERT INTO staging VALUES ('a'), ('b')");
    expect((await execute(conn, 'SELECT COUNT(*) AS N FROM staging')).rows).toEqual([{ N: 2 }]);
    await destroy(conn);
    expect(stored().tables.at(-1)).toEqual(['STAGING', 1, 0]);
  });

  it('what a crash left behind is dropped when the server starts again', async () => {
    const s = await login();
    await inSession(s, 'CREATE TEMPORARY TABLE orphan (x INTEGER)');
    await inSession(s, 'CREATE TEMPORARY VIEW orphan_view AS SELECT x FROM orphan');
    expect(stored().tables.at(-1)).toEqual(['ORPHAN', 0, null]);
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server.child.once('exit', resolve));
    server = await startFirnProcess({ home: server.home });
    expect(stored().tables.at(-1)).toEqual(['ORPHAN', 1, 0]);
    expect(stored().views).toEqual([]);
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM items')).data).toEqual([['2']]);
  });
});
