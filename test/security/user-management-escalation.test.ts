/**
 * Privilege escalation through user management: only a session whose role is ACCOUNTADMIN,
 * SECURITYADMIN or USERADMIN manages other users (Snowflake's 003001 otherwise), and none of
 * them hands out or takes over a role above its own: a USERADMIN cannot create an
 * ACCOUNTADMIN, reset ADMIN's password or mint ADMIN a token. A user manages its own password
 * and tokens but cannot raise its own default role, restrict a token to a role it may not use,
 * or pick such a role for a request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, StatementFailure } from '../support/post-statement.js';
import { createTestUser, type TestUser } from '../support/test-users.js';

describe('privilege escalation through user management', () => {
  let dir: string;
  let server: FirnProcess;
  let plain: TestUser;
  let useradmin: TestUser;

  const as = (u: TestUser, sql: string) => postStatement(server.url, sql, {}, u.credentials);
  /** The failure `sql` run as `u` ends in: [code, sqlState, message]. */
  const refused = async (u: TestUser, sql: string): Promise<[string, string, string]> => {
    try {
      await as(u, sql);
    } catch (err) {
      if (err instanceof StatementFailure) return [err.code, err.sqlState, err.message];
      throw err;
    }
    throw new Error(`expected ${sql} to fail`);
  };
  const denied = (object: string): [string, string, string] => ['003001', '42501', `SQL access control error: Insufficient privileges to operate on ${object}`];
  const users = async () => (await postStatement(server.url, 'SHOW USERS')).data.map((row) => row[0]);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-escalation-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    plain = await createTestUser(server.url, 'plain', "PASSWORD = 'plain-pass-1' DEFAULT_ROLE = SYSADMIN");
    useradmin = await createTestUser(server.url, 'uadmin', 'DEFAULT_ROLE = USERADMIN');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a user without a user-administration role cannot create, alter or drop users, nor list or mint their tokens', async () => {
    const before = await users();
    expect(await refused(plain, "CREATE USER sneaky PASSWORD = 'x'")).toEqual(denied('account'));
    expect(await refused(plain, "ALTER USER admin SET PASSWORD = 'owned'")).toEqual(denied("user 'ADMIN'"));
    expect(await refused(plain, 'ALTER USER admin SET DISABLED = TRUE')).toEqual(denied("user 'ADMIN'"));
    expect(await refused(plain, 'ALTER USER admin ADD PAT mine')).toEqual(denied("user 'ADMIN'"));
    expect(await refused(plain, 'ALTER USER admin REMOVE PAT FIRN_CREDENTIALS_FILE')).toEqual(denied("user 'ADMIN'"));
    expect(await refused(plain, 'SHOW USER PATS FOR USER admin')).toEqual(denied("user 'ADMIN'"));
    expect(await refused(plain, 'DROP USER uadmin')).toEqual(denied("user 'UADMIN'"));
    expect(await refused(plain, 'DROP USER no_such_user')).toEqual(denied("user 'NO_SUCH_USER'"));
    // IF EXISTS answers the same whether the user exists or not: no way to learn user names.
    expect(await refused(plain, "ALTER USER IF EXISTS no_such_user SET COMMENT = 'x'")).toEqual(denied("user 'NO_SUCH_USER'"));
    expect(await refused(plain, "ALTER USER IF EXISTS uadmin SET COMMENT = 'x'")).toEqual(denied("user 'UADMIN'"));
    expect(await users()).toEqual(before);
    // SHOW USERS shows such a user only itself.
    expect((await as(plain, 'SHOW USERS')).data.map((row) => row[0])).toEqual(['PLAIN']);
  });

  it('a user cannot raise its own default role, nor run as or restrict a token to a role it may not use', async () => {
    expect(await refused(plain, 'ALTER USER plain SET DEFAULT_ROLE = ACCOUNTADMIN')).toEqual(denied("user 'PLAIN'"));
    expect(await refused(plain, 'ALTER USER plain SET DISABLED = FALSE')).toEqual(denied("user 'PLAIN'"));
    const [code, , message] = await refused(plain, "ALTER USER plain ADD PAT up ROLE_RESTRICTION = 'ACCOUNTADMIN'");
    expect([code, message]).toEqual(['390189', "Role 'ACCOUNTADMIN' is not granted to user 'PLAIN': it cannot be the token's ROLE_RESTRICTION."]);
    const res = await fetch(`${server.url}/api/v2/statements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...plain.headers },
      body: JSON.stringify({ statement: "CREATE USER via_role PASSWORD = 'x'", role: 'ACCOUNTADMIN' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: '390189', sqlState: '08001', message: "Role 'ACCOUNTADMIN' specified in the request is not granted to this user." });
    expect(await users()).not.toContain('VIA_ROLE');
    expect((await postStatement(server.url, 'SHOW USERS LIKE \'plain\'')).data[0][8]).toBe('SYSADMIN');
  });

  it('a user manages its own password and tokens', async () => {
    await as(plain, "ALTER USER plain SET PASSWORD = 'plain-pass-2'");
    const added = await as(plain, "ALTER USER ADD PAT own ROLE_RESTRICTION = 'PUBLIC' DAYS_TO_EXPIRY = 2 COMMENT = 'mine'");
    expect(added.resultSetMetaData.rowType.map((c) => c.name)).toEqual(['token_name', 'token_secret']);
    expect(added.data[0][0]).toBe('OWN');
    const mine = await as(plain, 'SHOW USER PATS');
    expect(mine.resultSetMetaData.rowType.map((c) => c.name)).toEqual(['name', 'user_name', 'role_restriction', 'expires_at', 'status', 'comment', 'created_on', 'created_by']);
    expect(mine.data.map((row) => [row[0], row[1], row[2], row[4], row[5], row[7]])).toEqual([
      ['OWN', 'PLAIN', 'PUBLIC', 'ACTIVE', 'mine', 'PLAIN'],
      ['PLAIN_TOKEN', 'PLAIN', null, 'ACTIVE', null, 'ADMIN'],
    ]);
    await as(plain, 'ALTER USER plain REMOVE PAT own');
    expect((await as(plain, 'SHOW USER PATS')).data.map((row) => row[0])).toEqual(['PLAIN_TOKEN']);
  });

  it('a USERADMIN manages users below it but cannot create an administrator or take over ADMIN', async () => {
    await as(useradmin, "CREATE USER hired PASSWORD = 'hired-pass-1' DEFAULT_ROLE = PUBLIC COMMENT = 'new'");
    await as(useradmin, 'ALTER USER hired ADD PAT hired_pat');
    await as(useradmin, "ALTER USER hired SET DEFAULT_ROLE = USERADMIN");
    expect(await refused(useradmin, 'CREATE USER boss DEFAULT_ROLE = ACCOUNTADMIN')).toEqual(denied("role 'ACCOUNTADMIN'"));
    expect(await refused(useradmin, 'ALTER USER hired SET DEFAULT_ROLE = SECURITYADMIN')).toEqual(denied("role 'SECURITYADMIN'"));
    expect(await refused(useradmin, "ALTER USER admin SET PASSWORD = 'owned'")).toEqual(denied("user 'ADMIN'"));
    expect(await refused(useradmin, 'ALTER USER admin ADD PAT takeover')).toEqual(denied("user 'ADMIN'"));
    expect(await refused(useradmin, 'DROP USER admin')).toEqual(denied("user 'ADMIN'"));
    expect(await refused(useradmin, 'SHOW USER PATS FOR USER admin')).toEqual(denied("user 'ADMIN'"));
    expect(await refused(useradmin, "CREATE OR REPLACE USER admin PASSWORD = 'owned'")).toEqual(denied("user 'ADMIN'"));
    expect(await users()).toContain('ADMIN');
    await as(useradmin, 'DROP USER hired');
    expect(await users()).not.toContain('HIRED');
  });

  it('ADMIN (ACCOUNTADMIN) manages every user, and SHOW USERS lists them with Snowflake\'s columns', async () => {
    await postStatement(server.url, "CREATE USER IF NOT EXISTS listed PASSWORD = 'l-pass-1' DEFAULT_ROLE = SECURITYADMIN DEFAULT_WAREHOUSE = compute_wh DEFAULT_NAMESPACE = firn.public COMMENT = 'c'");
    const again = await postStatement(server.url, "CREATE USER IF NOT EXISTS listed PASSWORD = 'other'");
    expect(again.data).toEqual([['LISTED already exists, statement succeeded.']]);
    const r = await postStatement(server.url, "SHOW USERS LIKE 'LIST%'");
    expect(r.resultSetMetaData.rowType.map((c) => c.name)).toEqual([
      'name', 'created_on', 'login_name', 'display_name', 'comment', 'disabled', 'default_warehouse', 'default_namespace', 'default_role', 'owner',
      'last_success_login', 'has_password', 'has_pat',
    ]);
    const [row] = r.data;
    expect([row[0], row[2], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10], row[11], row[12]]).toEqual([
      'LISTED', 'LISTED', 'LISTED', 'c', 'false', 'COMPUTE_WH', 'FIRN.PUBLIC', 'SECURITYADMIN', 'ACCOUNTADMIN', null, 'true', 'false',
    ]);
    expect((await postStatement(server.url, 'DROP USER IF EXISTS listed')).data).toEqual([['LISTED successfully dropped.']]);
    expect((await postStatement(server.url, 'DROP USER IF EXISTS listed')).data).toEqual([['Drop statement executed successfully (LISTED already dropped).']]);
  });
});
