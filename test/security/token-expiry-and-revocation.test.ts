/**
 * Credentials that must stop working: tokens past their DAYS_TO_EXPIRY, sessions past their
 * idle or absolute timeout, tokens removed with REMOVE PROGRAMMATIC ACCESS TOKEN, and every
 * token and session of a dropped user, each refused at once. The engine (real SQLite catalog)
 * and the HTTP server run in this process so the authenticator's clock can be moved forward
 * instead of waiting days; requests go over real HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirnAuthenticator } from '../../services/access/firn-authenticator.js';
import { bootstrapAdmin } from '../../services/access/bootstrap-admin.js';
import { loadConfig } from '../../services/config.js';
import { startHttpServer, type HttpServer } from '../../services/server/http-server.js';
import { FirnEngine } from '../../services/session/firn-engine.js';
import { ADMIN_CREDENTIALS, postStatement } from '../support/post-statement.js';
import { TEST_ADMIN_TOKEN } from '../support/firn-process.js';
import { createTestUser, tokenAuth } from '../support/test-users.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('token expiry and revocation', () => {
  let dir: string;
  let engine: FirnEngine;
  let server: HttpServer;
  /** How far the authenticator's clock is ahead of the real one. */
  let ahead = 0;

  /** The HTTP status and error code of `SELECT 1` sent with `headers`. */
  const attempt = async (headers: Record<string, string>): Promise<[number, string | null]> => {
    const res = await fetch(`${server.url}/api/v2/statements`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ statement: 'SELECT 1' }) });
    const body = (await res.json()) as { code?: string };
    return [res.status, res.status === 200 ? null : (body.code ?? null)];
  };
  const login = async (user: string, password: string): Promise<Record<string, string>> => {
    const res = await fetch(`${server.url}/session/v1/login-request`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: { LOGIN_NAME: user, PASSWORD: password } }) });
    const body = (await res.json()) as { success: boolean; data: { token: string } };
    expect(body.success).toBe(true);
    return { Authorization: `Snowflake Token="${body.data.token}"` };
  };
  const admin = (sql: string) => postStatement(server.url, sql, {}, ADMIN_CREDENTIALS);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-expiry-'));
    const config = loadConfig({ FIRN_HOME: dir, FIRN_PORT: '0', FIRN_GC_INTERVAL_SECONDS: '0', FIRN_COMPACT_INTERVAL_SECONDS: '0' });
    engine = await FirnEngine.open(config);
    const authenticator = new FirnAuthenticator({ users: engine.users, grants: engine.grants, adminToken: TEST_ADMIN_TOKEN, clock: () => Date.now() + ahead });
    server = await startHttpServer({ runner: engine, authenticator, host: '127.0.0.1', port: 0 });
    await bootstrapAdmin({ users: engine.users, home: dir, url: server.url, adminPassword: 'admin-pass-1' });
  });

  afterAll(async () => {
    await server?.close();
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a token stops working when its DAYS_TO_EXPIRY have passed (15 days by default)', async () => {
    ahead = 0;
    await admin("CREATE USER exp_user PASSWORD = 'exp-pass-1'");
    const oneDay = (await admin('ALTER USER exp_user ADD PAT one_day DAYS_TO_EXPIRY = 1')).data[0][1] as string;
    const byDefault = (await admin('ALTER USER exp_user ADD PAT by_default')).data[0][1] as string;
    const shown = await admin('SHOW USER PATS FOR USER exp_user');
    const expires = Object.fromEntries(shown.data.map((row) => [row[0], Number(row[3]) * 1000 - Number(row[6]) * 1000]));
    expect(expires).toEqual({ BY_DEFAULT: 15 * DAY, ONE_DAY: DAY });
    expect(await attempt(tokenAuth(oneDay, 'one_day').headers)).toEqual([200, null]);
    ahead = DAY - 60_000;
    expect(await attempt(tokenAuth(oneDay, 'one_day').headers)).toEqual([200, null]);
    ahead = DAY + 1;
    expect(await attempt(tokenAuth(oneDay, 'one_day').headers)).toEqual([401, '390303']);
    expect(await attempt(tokenAuth(byDefault, 'by_default').headers)).toEqual([200, null]);
    ahead = 15 * DAY + 1;
    expect(await attempt(tokenAuth(byDefault, 'by_default').headers)).toEqual([401, '390303']);
    ahead = 0;
    const status = await admin('SHOW USER PATS FOR USER exp_user');
    expect(status.data.map((row) => [row[0], row[4]])).toEqual([['BY_DEFAULT', 'ACTIVE'], ['ONE_DAY', 'ACTIVE']]);
  });

  it('DAYS_TO_EXPIRY outside 1..365 creates no token', async () => {
    for (const days of [0, 366]) {
      await expect(admin(`ALTER USER exp_user ADD PAT bad_${days} DAYS_TO_EXPIRY = ${days}`)).rejects.toThrow(`DAYS_TO_EXPIRY must be between 1 and 365, got ${days}`);
    }
    expect((await admin('SHOW USER PATS FOR USER exp_user')).data.map((row) => row[0])).toEqual(['BY_DEFAULT', 'ONE_DAY']);
  });

  it('a login session ends after 4 hours idle, and after 24 hours even when in use', async () => {
    ahead = 0;
    const idle = await login('exp_user', 'exp-pass-1');
    const busy = await login('exp_user', 'exp-pass-1');
    expect(await attempt(idle)).toEqual([200, null]);
    for (let h = 3; h < 24; h += 3) {
      ahead = h * HOUR;
      expect(await attempt(busy), `hour ${h}`).toEqual([200, null]);
    }
    expect(await attempt(idle)).toEqual([401, '390112']);
    ahead = 24 * HOUR;
    expect(await attempt(busy)).toEqual([401, '390112']);
    ahead = 0;
  });

  it('REMOVE PROGRAMMATIC ACCESS TOKEN revokes the token at once, and only that one', async () => {
    const u = await createTestUser(server.url, 'rev_user', "PASSWORD = 'rev-pass-1'");
    const other = (await admin('ALTER USER rev_user ADD PAT other')).data[0][1] as string;
    expect(await attempt(u.headers)).toEqual([200, null]);
    await postStatement(server.url, 'ALTER USER REMOVE PAT rev_user_token', {}, u.credentials);
    expect(await attempt(u.headers)).toEqual([401, '390303']);
    expect(await attempt(tokenAuth(other, 'other').headers)).toEqual([200, null]);
  });

  it('DROP USER revokes all its tokens and sessions at once; recreating the name revives none', async () => {
    const u = await createTestUser(server.url, 'drop_user', "PASSWORD = 'drop-pass-1'");
    const session = await login('drop_user', 'drop-pass-1');
    expect([await attempt(u.headers), await attempt(session)]).toEqual([[200, null], [200, null]]);
    await admin('DROP USER drop_user');
    expect([await attempt(u.headers), await attempt(session)]).toEqual([[401, '390303'], [401, '390112']]);
    await admin("CREATE USER drop_user PASSWORD = 'drop-pass-1'");
    expect([await attempt(u.headers), await attempt(session)]).toEqual([[401, '390303'], [401, '390112']]);
  });

  it('disabling a user stops its tokens and sessions; enabling it again restores its tokens', async () => {
    const u = await createTestUser(server.url, 'off_user', "PASSWORD = 'off-pass-1'");
    const session = await login('off_user', 'off-pass-1');
    await admin('ALTER USER off_user SET DISABLED = TRUE');
    expect([await attempt(u.headers), await attempt(session)]).toEqual([[401, '390303'], [401, '390112']]);
    await admin('ALTER USER off_user UNSET DISABLED');
    expect(await attempt(u.headers)).toEqual([200, null]);
  });
});
