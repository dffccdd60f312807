import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../storage/errors/firn-error.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import type { UserStore } from '../catalog/user-store.js';
import type { RequestCredentials } from './authenticator.js';
import { FirnAuthenticator } from './firn-authenticator.js';
import { hashPassword } from './password-hash.js';
import { secretHash } from './token-secret.js';

const DAY = 86_400_000;
const NONE = { database: null, schema: null, warehouse: null };

let catalog: SqliteCatalog;
let users: UserStore;
let now: number;
let auth: FirnAuthenticator;

const bearer = (token: string, tokenType?: string): RequestCredentials => ({ authorization: `Bearer ${token}`, tokenType });
const failure = (fn: () => unknown): [string, string] => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AuthenticationError) return [err.code, err.message];
    throw err;
  }
  throw new Error('expected an AuthenticationError');
};

/** A user, granted its default role (as an administrator would: GRANT ROLE ... TO USER). */
function addUser(name: string, opts: { defaultRole?: string | null; passwordHash?: string | null; disabled?: boolean; namespace?: string | null } = {}): void {
  users.createUser({
    name, passwordHash: opts.passwordHash ?? null, defaultRole: opts.defaultRole ?? null, defaultWarehouse: null, defaultNamespace: opts.namespace ?? null,
    disabled: opts.disabled ?? false, comment: null, owner: 'USERADMIN', createdAt: now,
  });
  if (opts.defaultRole) catalog.grants.grantRole(opts.defaultRole, 'USER', name, 'USERADMIN');
}

function addToken(user: string, name: string, secret: string, days: number, roleRestriction: string | null = null): void {
  users.addToken(user, { name, secretHash: secretHash(secret), roleRestriction, comment: null, createdAt: now, createdBy: user, expiresAt: now + days * DAY });
}

beforeEach(() => {
  catalog = new SqliteCatalog(':memory:');
  users = catalog.users;
  now = Date.UTC(2026, 0, 1);
  auth = new FirnAuthenticator({ users, grants: catalog.grants, adminToken: 'env-admin-token', clock: () => now });
});
afterEach(() => catalog.close());

describe('FirnAuthenticator: programmatic access tokens', () => {
  it('accepts a token with the PAT type or none, and answers its user, default role and default context', () => {
    addUser('ALICE', { defaultRole: 'SYSADMIN', namespace: 'SALES."Q1"' });
    addToken('ALICE', 'T1', 'alice-secret', 15);
    const expected = { user: 'ALICE', defaultRole: 'SYSADMIN', role: null, roleRestricted: false, context: { database: 'SALES', schema: 'Q1', warehouse: null } };
    expect(auth.authenticate(bearer('alice-secret'))).toEqual(expected);
    expect(auth.authenticate(bearer('alice-secret', 'programmatic_access_token'))).toEqual(expected);
    expect(auth.authenticate({ authorization: 'bearer   alice-secret ', tokenType: undefined })).toEqual(expected);
    expect(failure(() => auth.authenticate(bearer('alice-secret', 'OAUTH')))).toEqual(['390303', "Unsupported token type 'OAUTH': Firn accepts PROGRAMMATIC_ACCESS_TOKEN bearer tokens."]);
  });

  it('refuses a token once expired, removed, or its user dropped or disabled', () => {
    addUser('BOB');
    addToken('BOB', 'SHORT', 'short-lived', 1);
    addToken('BOB', 'LONG', 'long-lived', 30);
    const invalid = ['390303', 'Invalid or expired programmatic access token.'];
    now += DAY - 1;
    expect(auth.authenticate(bearer('short-lived')).user).toBe('BOB');
    now += 1;
    expect(failure(() => auth.authenticate(bearer('short-lived')))).toEqual(invalid);
    users.updateUser('BOB', { disabled: true });
    expect(failure(() => auth.authenticate(bearer('long-lived')))).toEqual(invalid);
    users.updateUser('BOB', { disabled: false });
    expect(auth.authenticate(bearer('long-lived')).user).toBe('BOB');
    users.removeToken('BOB', 'LONG');
    expect(failure(() => auth.authenticate(bearer('long-lived')))).toEqual(invalid);
    addToken('BOB', 'AGAIN', 'again', 30);
    users.dropUser('BOB');
    addUser('BOB');
    expect(failure(() => auth.authenticate(bearer('again')))).toEqual(invalid);
  });

  it('runs a token with a ROLE_RESTRICTION as that role only, and refuses it once the user may not use the role', () => {
    addUser('CAROL', { defaultRole: 'SECURITYADMIN' });
    addToken('CAROL', 'UA', 'carol-ua', 5, 'USERADMIN');
    expect(auth.authenticate(bearer('carol-ua'))).toMatchObject({ user: 'CAROL', role: 'USERADMIN', roleRestricted: true });
    catalog.grants.revokeRole('SECURITYADMIN', 'USER', 'CAROL');
    expect(failure(() => auth.authenticate(bearer('carol-ua')))[0]).toBe('390303');
  });

  it('takes FIRN_ADMIN_TOKEN as a token of ADMIN while ADMIN exists and is enabled', () => {
    expect(failure(() => auth.authenticate(bearer('env-admin-token')))[0]).toBe('390303');
    addUser('ADMIN', { defaultRole: 'ACCOUNTADMIN' });
    expect(auth.authenticate(bearer('env-admin-token'))).toMatchObject({ user: 'ADMIN', defaultRole: 'ACCOUNTADMIN', role: null });
    users.updateUser('ADMIN', { disabled: true });
    expect(failure(() => auth.authenticate(bearer('env-admin-token')))[0]).toBe('390303');
  });

  it('refuses a missing, empty or malformed Authorization header', () => {
    for (const authorization of [undefined, '', '   ', 'Bearer', 'Bearer ', 'Basic YWRtaW46eA==', 'Token abc', 'Snowflake Token=abc', 'Bearer two words']) {
      expect(failure(() => auth.authenticate({ authorization, tokenType: undefined }))[0], String(authorization)).toBe('390303');
    }
  });
});

describe('FirnAuthenticator: password logins and sessions', () => {
  beforeEach(async () => {
    addUser('DAVE', { defaultRole: 'SYSADMIN', passwordHash: await hashPassword('dave-pass') });
  });

  const login = (loginName: string, password: string, role: string | null = null, address = '127.0.0.1') =>
    auth.login({ loginName, password, address, role, context: NONE });
  const loginFailure = async (p: Promise<unknown>): Promise<[string, string]> => {
    try {
      await p;
    } catch (err) {
      if (err instanceof AuthenticationError) return [err.code, err.message];
      throw err;
    }
    throw new Error('expected the login to fail');
  };

  it('opens a session for the right password (login names are case-insensitive) that authenticates as Snowflake Token="..."', async () => {
    const r = await login('dave', 'dave-pass');
    expect(r.session).toMatchObject({ user: 'DAVE', role: 'SYSADMIN' });
    expect(auth.authenticate({ authorization: `Snowflake Token="${r.token}"`, tokenType: undefined })).toEqual({
      user: 'DAVE', defaultRole: 'SYSADMIN', role: 'SYSADMIN', roleRestricted: false, context: NONE, sessionId: r.session.id,
    });
    expect(users.getUser('DAVE')!.lastLoginAt).toBe(now);
    now += 4 * 3_600_000;
    expect(failure(() => auth.authenticate({ authorization: `Snowflake Token="${r.token}"`, tokenType: undefined }))).toEqual(['390112', 'Your session has expired. Please login again.']);
  });

  it('starts a login without a role in the default role only while it is granted, else in PUBLIC; a role asked for must be granted', async () => {
    catalog.grants.revokeRole('SYSADMIN', 'USER', 'DAVE');
    expect((await login('DAVE', 'dave-pass')).session.role).toBe('PUBLIC');
    expect((await loginFailure(login('DAVE', 'dave-pass', 'SYSADMIN')))[0]).toBe('390189');
    catalog.grants.grantRole('SYSADMIN', 'USER', 'DAVE', 'USERADMIN');
    expect((await login('DAVE', 'dave-pass')).session.role).toBe('SYSADMIN');
  });

  it('ends the session of a user dropped and created again under the same name', async () => {
    const r = await login('DAVE', 'dave-pass');
    users.dropUser('DAVE');
    addUser('DAVE', { defaultRole: 'SYSADMIN', passwordHash: await hashPassword('dave-pass') });
    const header = { authorization: `Snowflake Token="${r.token}"`, tokenType: undefined };
    expect(failure(() => auth.authenticate(header))[0]).toBe('390112');
    expect(auth.sessions.size).toBe(0);
  });

  it('answers a wrong password, an unknown user and a disabled user alike', async () => {
    const wrong = ['390100', 'Incorrect username or password was specified.'];
    expect(await loginFailure(login('DAVE', 'nope'))).toEqual(wrong);
    expect(await loginFailure(login('NOBODY', 'dave-pass'))).toEqual(wrong);
    expect(await loginFailure(login('DAVE', ''))).toEqual(wrong);
    users.updateUser('DAVE', { disabled: true });
    expect(await loginFailure(login('DAVE', 'dave-pass'))).toEqual(wrong);
  });

  it('refuses a role the user may not use', async () => {
    expect((await login('DAVE', 'dave-pass', 'PUBLIC')).session.role).toBe('PUBLIC');
    expect(await loginFailure(login('DAVE', 'dave-pass', 'ACCOUNTADMIN'))).toEqual([
      '390189',
      "Role 'ACCOUNTADMIN' specified in the connect string is not granted to this user. Contact your local administrator, or attempt to login with another role, e.g. PUBLIC.",
    ]);
  });

  it('locks the user after 5 failures, even for the right password, until 15 minutes have passed', async () => {
    for (let i = 0; i < 5; i++) await loginFailure(login('DAVE', `guess-${i}`, null, `10.0.0.${i}`));
    const [code, message] = await loginFailure(login('DAVE', 'dave-pass'));
    expect(code).toBe('390102');
    expect(message).toBe('Your user account has been temporarily locked due to too many failed attempts. Try again after 15 minutes or contact your account administrator for assistance.');
    now += 15 * 60_000;
    expect((await login('DAVE', 'dave-pass')).session.user).toBe('DAVE');
  });
});
