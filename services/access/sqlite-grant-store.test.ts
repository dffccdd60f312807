import { openSqliteDatabase } from '../catalog/open-sqlite-database.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogMigrations, migrateCatalog } from '../catalog/migrations.js';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { CompilationError, FirnError } from '../../storage/errors/firn-error.js';

const COL = [{ name: 'A', type: { kind: 'FLOAT' as const }, nullable: true }];

let home: string;
let catalog: SqliteCatalog;
beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), 'firn-grants-'));
  catalog = new SqliteCatalog(home);
});
afterEach(() => {
  catalog.close();
  rmSync(home, { recursive: true, force: true });
});

describe('SqliteGrantStore seed (catalog migration 9)', () => {
  it('has the system roles, their hierarchy, ADMIN holding ACCOUNTADMIN and the account privileges of each', () => {
    const g = catalog.grants;
    expect(g.listRoles().map((r) => [r.name, r.owner])).toEqual([
      ['ACCOUNTADMIN', null],
      ['PUBLIC', null],
      ['SECURITYADMIN', null],
      ['SYSADMIN', null],
      ['USERADMIN', null],
    ]);
    expect(g.roleGrants().map((r) => [r.role, r.granteeKind, r.grantee])).toEqual([
      ['ACCOUNTADMIN', 'USER', 'ADMIN'],
      ['SECURITYADMIN', 'ROLE', 'ACCOUNTADMIN'],
      ['SYSADMIN', 'ROLE', 'ACCOUNTADMIN'],
      ['USERADMIN', 'ROLE', 'SECURITYADMIN'],
    ]);
    expect(g.privilegeGrants().map((p) => [p.kind, p.objectId, p.privilege, p.role, p.grantOption])).toEqual([
      ['ACCOUNT', 0, 'CREATE DATABASE', 'SYSADMIN', false],
      ['ACCOUNT', 0, 'CREATE ROLE', 'USERADMIN', false],
      ['ACCOUNT', 0, 'CREATE USER', 'USERADMIN', false],
      ['ACCOUNT', 0, 'CREATE WAREHOUSE', 'SYSADMIN', false],
      ['ACCOUNT', 0, 'MANAGE GRANTS', 'SECURITYADMIN', false],
    ]);
  });

  it('gives every object of an upgraded catalog, dropped ones included, to SYSADMIN', () => {
    const file = path.join(home, 'old', 'catalog.sqlite');
    const old = new SqliteCatalog(path.join(home, 'old'));
    old.close();
    // Rebuild the file as a version-7 catalog with objects, then let the current code upgrade it.
    rmSync(file);
    const raw = openSqliteDatabase(file);
    migrateCatalog(raw, catalogMigrations.slice(0, 7));
    raw.exec(`INSERT INTO databases (name, created_at) VALUES ('DB', 1);
      INSERT INTO schemas (database_id, name, created_at) VALUES (1, 'S', 1);
      INSERT INTO tables (schema_id, name, created_at) VALUES (1, 'T', 1), (1, 'GONE', 1);
      UPDATE tables SET dropped_at = 2 WHERE name = 'GONE';
      INSERT INTO warehouses (name, size, state, created_at) VALUES ('W', 'XSMALL', 'SUSPENDED', 1);`);
    raw.close();
    const upgraded = new SqliteCatalog(path.join(home, 'old'));
    try {
      expect(upgraded.grants.owners().map((o) => [o.kind, o.objectId, o.owner])).toEqual([
        ['DATABASE', 1, 'SYSADMIN'],
        ['SCHEMA', 1, 'SYSADMIN'],
        ['TABLE', 1, 'SYSADMIN'],
        ['TABLE', 2, 'SYSADMIN'],
        ['WAREHOUSE', 1, 'SYSADMIN'],
      ]);
    } finally {
      upgraded.close();
    }
  });
});

describe('SqliteGrantStore', () => {
  it('creates roles once; dropping one hands what it owned to the heir and removes every grant of and to it', () => {
    const g = catalog.grants;
    g.createRole({ name: 'ANALYST', comment: 'reads', owner: 'USERADMIN' });
    expect(() => g.createRole({ name: 'ANALYST', comment: null, owner: null })).toThrow(/Object 'ANALYST' already exists/);
    g.createRole({ name: 'SUB', comment: null, owner: 'ANALYST' });
    g.createRole({ name: 'LEAD', comment: null, owner: 'USERADMIN' });
    g.grantRole('SUB', 'ROLE', 'ANALYST', 'USERADMIN');
    g.grantRole('ANALYST', 'ROLE', 'LEAD', 'USERADMIN');
    g.grantRole('ANALYST', 'USER', 'ALICE', 'USERADMIN');
    g.grantPrivilege({ kind: 'TABLE', objectId: 7, privilege: 'SELECT', role: 'ANALYST', grantOption: false, grantedBy: 'SYSADMIN' });
    g.grantFuture({ schemaId: 3, kind: 'TABLE', privilege: 'SELECT', role: 'ANALYST', grantOption: false, grantedBy: 'SECURITYADMIN' });
    g.setOwner('TABLE', 8, 'ANALYST', 'ANALYST');

    g.dropRole('ANALYST', 'SECURITYADMIN');
    expect(g.getRole('ANALYST')).toBeNull();
    expect(g.getRole('SUB')!.owner).toBe('SECURITYADMIN');
    expect(g.ownerOf('TABLE', 8)).toBe('SECURITYADMIN');
    expect(g.roleGrants().filter((r) => r.role === 'ANALYST' || r.grantee === 'ANALYST')).toEqual([]);
    expect(g.privilegeGrants({ roles: ['ANALYST'] })).toEqual([]);
    expect(g.futureGrants({ schemaId: 3 })).toEqual([]);
    expect(() => g.dropRole('ANALYST', 'SYSADMIN')).toThrow(CompilationError);
  });

  it('grants once per (object, privilege, role), keeping the grant option of either grant; revokes the option alone or the grant', () => {
    const g = catalog.grants;
    g.createRole({ name: 'R', comment: null, owner: null });
    const base = { kind: 'TABLE' as const, objectId: 5, privilege: 'SELECT', role: 'R', grantedBy: 'SYSADMIN' };
    g.grantPrivilege({ ...base, grantOption: true });
    g.grantPrivilege({ ...base, grantOption: false });
    expect(g.privilegeGrants({ object: { kind: 'TABLE', objectId: 5 } }).map((p) => [p.privilege, p.grantOption])).toEqual([['SELECT', true]]);
    expect(g.revokePrivilege({ kind: 'TABLE', objectId: 5 }, 'SELECT', 'R', true)).toBe(true);
    expect(g.privilegeGrants({ object: { kind: 'TABLE', objectId: 5 } }).map((p) => [p.privilege, p.grantOption])).toEqual([['SELECT', false]]);
    expect(g.revokePrivilege({ kind: 'TABLE', objectId: 5 }, 'SELECT', 'R', false)).toBe(true);
    expect(g.revokePrivilege({ kind: 'TABLE', objectId: 5 }, 'SELECT', 'R', false)).toBe(false);
    expect(g.privilegeGrants({ object: { kind: 'TABLE', objectId: 5 } })).toEqual([]);
  });

  it('keeps grants and owner by table id: RENAME keeps them, UNDROP finds them again, CREATE OR REPLACE starts clean', () => {
    const g = catalog.grants;
    g.createRole({ name: 'R', comment: null, owner: null });
    catalog.createDatabase('DB', { schema: 'S' });
    const t = catalog.createTable('DB', 'S', 'T', COL, { queryId: 'q1' });
    g.tableCreated(t.id, t.schemaId, 'SYSADMIN');
    g.grantPrivilege({ kind: 'TABLE', objectId: t.id, privilege: 'SELECT', role: 'R', grantOption: false, grantedBy: 'SYSADMIN' });
    catalog.renameTable(t.id, { database: 'DB', schema: 'S', name: 'U' });
    catalog.dropTable('DB', 'S', 'U');
    const back = catalog.undropTable('DB', 'S', 'U', { nowMs: Date.now(), defaultRetentionDays: 1 });
    expect(back.id).toBe(t.id);
    expect(g.ownerOf('TABLE', back.id)).toBe('SYSADMIN');
    expect(g.privilegeGrants({ object: { kind: 'TABLE', objectId: back.id } }).map((p) => p.role)).toEqual(['R']);
    const replaced = catalog.createTable('DB', 'S', 'U', COL, { queryId: 'q2', orReplace: true });
    expect(g.ownerOf('TABLE', replaced.id)).toBeNull();
    expect(g.privilegeGrants({ object: { kind: 'TABLE', objectId: replaced.id } })).toEqual([]);
  });

  it('gives a new table its schema future grants and future owner, and nothing of another schema', () => {
    const g = catalog.grants;
    g.createRole({ name: 'READER', comment: null, owner: null });
    g.createRole({ name: 'KEEPER', comment: null, owner: null });
    g.grantFuture({ schemaId: 1, kind: 'TABLE', privilege: 'SELECT', role: 'READER', grantOption: true, grantedBy: 'SECURITYADMIN' });
    g.grantFuture({ schemaId: 1, kind: 'TABLE', privilege: 'OWNERSHIP', role: 'KEEPER', grantOption: false, grantedBy: 'SECURITYADMIN' });
    expect(g.tableCreated(10, 1, 'SYSADMIN')).toBe('KEEPER');
    expect(g.ownerOf('TABLE', 10)).toBe('KEEPER');
    expect(g.privilegeGrants({ object: { kind: 'TABLE', objectId: 10 } }).map((p) => [p.privilege, p.role, p.grantOption])).toEqual([['SELECT', 'READER', true]]);
    expect(g.tableCreated(11, 2, 'SYSADMIN')).toBe('SYSADMIN');
    expect(g.privilegeGrants({ object: { kind: 'TABLE', objectId: 11 } })).toEqual([]);
  });

  it('undoes everything atomically ran when it throws, catalog writes included', () => {
    const g = catalog.grants;
    expect(() =>
      g.atomically(() => {
        const db = catalog.createDatabase('DB');
        g.setOwner('DATABASE', db.id, 'SYSADMIN', null);
        g.createRole({ name: 'R', comment: null, owner: null });
        throw new FirnError('INTERNAL', 'stop');
      }),
    ).toThrow('stop');
    expect(catalog.getDatabase('DB')).toBeNull();
    expect(g.getRole('R')).toBeNull();
    expect(g.owners({ object: { kind: 'DATABASE', objectId: 1 } })).toEqual([]);
  });

  it("forgets a dropped user's role grants, and only that user's", () => {
    const g = catalog.grants;
    g.createRole({ name: 'R', comment: null, owner: null });
    g.grantRole('R', 'USER', 'ALICE', null);
    g.grantRole('R', 'USER', 'BOB', null);
    g.grantRole('R', 'ROLE', 'SYSADMIN', null);
    expect(g.dropUserGrants('ALICE')).toBe(1);
    expect(g.roleGrants().filter((r) => r.role === 'R').map((r) => [r.granteeKind, r.grantee])).toEqual([
      ['ROLE', 'SYSADMIN'],
      ['USER', 'BOB'],
    ]);
  });

  it('refuses an owner that is no role (the foreign key holds)', () => {
    expect(() => catalog.grants.setOwner('TABLE', 1, 'NO_SUCH_ROLE', null)).toThrow(FirnError);
    expect(catalog.grants.ownerOf('TABLE', 1)).toBeNull();
  });
});
