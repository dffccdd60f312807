/**
 * The official snowflake-sdk driver, unmodified, against a real Firn server: connecting with a
 * password and with a programmatic access token, the session's context across requests,
 * heartbeat, session expiry (the driver renews its token with the master token), destroy(),
 * errors carrying Firn's code and SQLSTATE, and a statement that outlasts FIRN_ASYNC_AFTER_MS
 * (answered "in progress", then polled by the driver).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { createTestUser, type TestUser } from '../support/test-users.js';
import { connectDriver, destroy, execute, heartbeat } from '../support/snowflake-driver.js';

/** Sessions idle out after this many seconds on the test server. */
const IDLE_SECONDS = 2;
/** Statements still running after this long answer 333333 and the driver polls for the result. */
const ASYNC_AFTER_MS = 100;

describe('snowflake-sdk sessions', () => {
  let dir: string;
  let server: FirnProcess;
  let alice: TestUser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-sdk-session-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_SESSION_IDLE_SECONDS: String(IDLE_SECONDS), FIRN_ASYNC_AFTER_MS: String(ASYNC_AFTER_MS) } });
    alice = await createTestUser(server.url, 'alice', "PASSWORD = 'alice-pass-1' DEFAULT_ROLE = SYSADMIN");
    await postStatement(server.url, 'CREATE DATABASE sales');
    await postStatement(server.url, 'CREATE SCHEMA sales.q1');
    await postStatement(server.url, 'CREATE TABLE sales.q1.orders (id INTEGER)');
    await postStatement(server.url, 'INSERT INTO sales.q1.orders VALUES (1), (2)');
    await postStatement(server.url, 'GRANT USAGE ON DATABASE sales TO ROLE SYSADMIN');
    await postStatement(server.url, 'GRANT USAGE ON SCHEMA sales.q1 TO ROLE SYSADMIN');
    await postStatement(server.url, 'GRANT SELECT ON TABLE sales.q1.orders TO ROLE SYSADMIN');
    await postStatement(server.url, 'CREATE TABLE sales.q1.k (x INTEGER)');
    await postStatement(server.url, `INSERT INTO sales.q1.k VALUES ${Array.from({ length: 1000 }, (_, i) => `(${i})`).join(', ')}`);
    await postStatement(server.url, 'GRANT SELECT ON TABLE sales.q1.k TO ROLE SYSADMIN');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects with a password, runs statements as its user, and keeps USE across requests', async () => {
    const conn = await connectDriver(server.url, { username: 'alice', password: 'alice-pass-1' });
    const { rows } = await execute(conn, 'SELECT 1 AS one');
    expect(rows).toEqual([{ ONE: 1 }]);
    await execute(conn, 'USE SCHEMA sales.q1');
    expect((await execute(conn, 'SELECT COUNT(*) AS n FROM orders')).rows).toEqual([{ N: 2 }]);
    await destroy(conn);
  });

  it('connects with a programmatic access token (PROGRAMMATIC_ACCESS_TOKEN authenticator)', async () => {
    const conn = await connectDriver(server.url, { username: 'alice', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: alice.token, database: 'SALES', schema: 'Q1' });
    expect((await execute(conn, 'SELECT COUNT(*) AS n FROM orders')).rows).toEqual([{ N: 2 }]);
    await destroy(conn);
    await expect(connectDriver(server.url, { username: 'alice', authenticator: 'PROGRAMMATIC_ACCESS_TOKEN', token: 'not-a-token' })).rejects.toMatchObject({ code: '390100' });
  });

  it('refuses a wrong password with 390100', async () => {
    await expect(connectDriver(server.url, { username: 'alice', password: 'wrong' })).rejects.toMatchObject({
      code: '390100',
      message: 'Incorrect username or password was specified.',
    });
  });

  it("answers failed statements with Firn's code and SQLSTATE, and the statement's query id", async () => {
    const conn = await connectDriver(server.url, { username: 'alice', password: 'alice-pass-1' });
    const err = await execute(conn, 'SELECT * FROM no_such_table').then(
      () => null,
      (e: { code: string; sqlState: string; message: string; data: { queryId: string } }) => e,
    );
    expect(err).toMatchObject({ code: '002003', sqlState: '02000' });
    expect(err!.message).toMatch(/NO_SUCH_TABLE/);
    expect(err!.data.queryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    await expect(execute(conn, 'SELEC 1')).rejects.toMatchObject({ code: '001003', sqlState: '42000' });
    await destroy(conn);
  });

  it('heartbeats while the session lives; after destroy() the token no longer works', async () => {
    const conn = await connectDriver(server.url, { username: 'alice', password: 'alice-pass-1' });
    await expect(heartbeat(conn)).resolves.toEqual([{ 1: 1 }]);
    expect(await conn.isValidAsync()).toBe(true);
    await destroy(conn);
    expect(conn.isUp()).toBe(false);
    expect(await conn.isValidAsync()).toBe(false);
  });

  it('an idle session expires; the driver renews its token with the master token and goes on', async () => {
    const conn = await connectDriver(server.url, { username: 'alice', password: 'alice-pass-1' });
    await execute(conn, 'USE SCHEMA sales.q1');
    await new Promise((resolve) => setTimeout(resolve, (IDLE_SECONDS + 1) * 1000));
    // The expired token answers 390112; the driver renews it and repeats the statement in the same session.
    expect((await execute(conn, 'SELECT COUNT(*) AS n FROM orders')).rows).toEqual([{ N: 2 }]);
    await destroy(conn);
  });

  it('a heartbeat keeps a session from idling out', async () => {
    const conn = await connectDriver(server.url, { username: 'alice', password: 'alice-pass-1' });
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, (IDLE_SECONDS * 1000) / 2));
      await heartbeat(conn);
    }
    expect(await conn.isValidAsync()).toBe(true);
    await destroy(conn);
  });

  it('a statement running past FIRN_ASYNC_AFTER_MS answers "in progress"; the driver polls its result URL until it is done', async () => {
    const conn = await connectDriver(server.url, { username: 'alice', password: 'alice-pass-1', database: 'SALES', schema: 'Q1' });
    // 50M candidate triples: far longer than ASYNC_AFTER_MS on any machine.
    const { rows } = await execute(conn, 'SELECT COUNT(*) AS n FROM k a, k b, (SELECT x FROM k WHERE x < 50) c WHERE a.x + b.x + c.x = 5');
    expect(rows).toEqual([{ N: 21 }]);
    await destroy(conn);
  }, 60_000);
});
