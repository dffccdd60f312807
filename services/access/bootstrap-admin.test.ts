import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { BOOTSTRAP_TOKEN_NAME, bootstrapAdmin } from './bootstrap-admin.js';
import { readCredentialsFile } from './credentials-file.js';
import { FirnAuthenticator } from './firn-authenticator.js';
import { verifyPassword } from './password-hash.js';

let home: string;
let catalog: SqliteCatalog;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'firn-bootstrap-'));
  catalog = new SqliteCatalog(':memory:');
});
afterEach(() => {
  catalog.close();
  rmSync(home, { recursive: true, force: true });
});

describe('bootstrapAdmin', () => {
  it('creates ADMIN (ACCOUNTADMIN) with generated credentials in $FIRN_HOME/credentials, mode 0600, that authenticate', async () => {
    const r = await bootstrapAdmin({ users: catalog.users, home, url: 'http://127.0.0.1:8080' });
    const file = path.join(home, 'credentials');
    expect(r).toEqual({ created: true, credentialsFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = readCredentialsFile(file)!;
    expect(Object.keys(saved)).toEqual(['url', 'user', 'password', 'token']);
    expect(saved).toMatchObject({ url: 'http://127.0.0.1:8080', user: 'ADMIN' });
    const admin = catalog.users.getUser('ADMIN')!;
    expect(admin.defaultRole).toBe('ACCOUNTADMIN');
    expect(admin.passwordHash).not.toContain(saved.password!);
    expect(await verifyPassword(saved.password!, admin.passwordHash!)).toBe(true);
    expect(catalog.users.tokens('ADMIN').map((t) => t.name)).toEqual([BOOTSTRAP_TOKEN_NAME]);
    expect(JSON.stringify(catalog.users.tokens('ADMIN'))).not.toContain(saved.token!);
    const auth = new FirnAuthenticator({ users: catalog.users, grants: catalog.grants });
    expect(auth.authenticate({ authorization: `Bearer ${saved.token}`, tokenType: undefined }).user).toBe('ADMIN');
    expect((await auth.login({ loginName: 'ADMIN', password: saved.password!, address: 'x', role: null, context: { database: null, schema: null, warehouse: null } })).session.role).toBe('ACCOUNTADMIN');
    // A later start changes nothing and says where the file is.
    const before = readFileSync(file, 'utf8');
    expect(await bootstrapAdmin({ users: catalog.users, home, url: 'http://127.0.0.1:9' })).toEqual({ created: false, credentialsFile: file });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('takes FIRN_ADMIN_PASSWORD as the password and writes no file', async () => {
    expect(await bootstrapAdmin({ users: catalog.users, home, url: 'http://x', adminPassword: 'from-the-env' })).toEqual({ created: true, credentialsFile: null });
    expect(await verifyPassword('from-the-env', catalog.users.getUser('ADMIN')!.passwordHash!)).toBe(true);
    expect(catalog.users.tokens('ADMIN')).toEqual([]);
    expect(readCredentialsFile(path.join(home, 'credentials'))).toBeNull();
  });

  it('creates no ADMIN when the credentials file cannot be written', async () => {
    await expect(bootstrapAdmin({ users: catalog.users, home: path.join(home, 'missing', 'dir'), url: 'http://x' })).rejects.toThrow(/ENOENT/);
    expect(catalog.users.getUser('ADMIN')).toBeNull();
  });
});
