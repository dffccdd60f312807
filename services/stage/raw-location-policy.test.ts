import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AccessError } from '../../storage/errors/firn-error.js';
import { RolePrivileges } from '../access/role-privileges.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { checkLocalPaths, checkRawLocationRole, localPathPolicy, mayUseRawLocation } from './raw-location-policy.js';

describe('raw location policy', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-raw-policy-'));
  const root = path.join(dir, 'root');
  const home = path.join(root, 'home');
  mkdirSync(path.join(home, 'data'), { recursive: true });
  mkdirSync(path.join(dir, 'other'));
  writeFileSync(path.join(root, 'ok.csv'), 'x');
  writeFileSync(path.join(dir, 'other', 'secret.csv'), 'secret');
  symlinkSync(path.join(dir, 'other'), path.join(root, 'link-out'));
  symlinkSync(path.join(dir, 'other', 'secret.csv'), path.join(root, 'file-out.csv'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const policy = localPathPolicy({ loadRoots: [root], home, storageUrl: pathToFileURL(path.join(home, 'data')).href });

  it('lets only ACCOUNTADMIN (and roles that inherit it) use raw locations, naming the policy otherwise', () => {
    const catalog = new SqliteCatalog(':memory:');
    const as = (role: string) => ({ database: null, schema: null, warehouse: null, user: 'ADMIN', role, privileges: RolePrivileges.forSession(catalog.grants, 'ADMIN', role) });
    expect(mayUseRawLocation(as('ACCOUNTADMIN'))).toBe(true);
    expect(mayUseRawLocation(as('SYSADMIN'))).toBe(false);
    catalog.grants.createRole({ name: 'OPS', comment: null, owner: 'ACCOUNTADMIN' });
    catalog.grants.grantRole('ACCOUNTADMIN', 'ROLE', 'OPS', 'ACCOUNTADMIN');
    catalog.grants.grantRole('OPS', 'USER', 'ADMIN', 'ACCOUNTADMIN');
    expect(mayUseRawLocation(as('OPS'))).toBe(true);
    expect(mayUseRawLocation({ database: null, schema: null, warehouse: null, role: 'ACCOUNTADMIN' })).toBe(false);
    catalog.close();
    const session = { database: null, schema: null, warehouse: null, role: 'PUBLIC' };
    expect(() => checkRawLocationRole(session, 'file:///etc/passwd')).toThrow(AccessError);
    expect(() => checkRawLocationRole(session, 'file:///etc/passwd')).toThrow(/only for the role ACCOUNTADMIN \(the current role is PUBLIC\)/);
    try {
      checkRawLocationRole(session, 's3://bucket/x');
    } catch (err) {
      expect([(err as AccessError).code, (err as AccessError).sqlState]).toEqual(['003001', '42501']);
    }
  });

  it('allows files and folders under a load root', async () => {
    await checkLocalPaths([root, path.join(root, 'ok.csv'), path.join(root, 'not-yet', 'x.csv')], policy);
  });

  it.each([
    ['a path outside every root', () => '/etc/passwd', /outside FIRN_LOAD_ROOTS/],
    ['a symlinked folder leading out', () => path.join(root, 'link-out', 'secret.csv'), /through a symbolic link/],
    ['a symlinked file leading out', () => path.join(root, 'file-out.csv'), /through a symbolic link/],
    ["Firn's own catalog under FIRN_HOME", () => path.join(home, 'catalog.sqlite'), /FIRN_HOME/],
    ["FIRN_HOME's data directory", () => path.join(home, 'data', 't1', 'x.parquet'), /FIRN_HOME/],
    ['a traversal that normalizes out of the root', () => `${root}/../other/secret.csv`, /outside FIRN_LOAD_ROOTS/],
  ])('refuses %s with LOCATION_NOT_ALLOWED (390105 / 42501)', async (_what, target, why) => {
    const err = await checkLocalPaths([target()], policy).then(() => null, (e: unknown) => e as AccessError);
    expect(err).toBeInstanceOf(AccessError);
    expect([err!.code, err!.sqlState]).toEqual(['390105', '42501']);
    expect(err!.message).toMatch(why);
  });

  it('refuses every local path when no root is set (the default)', async () => {
    await expect(checkLocalPaths([path.join(root, 'ok.csv')], { loadRoots: [], protectedDirs: [home] })).rejects.toThrow(/none are set/);
  });
});
