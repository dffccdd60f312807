import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { FirnError } from '../../storage/errors/firn-error.js';
import { RolePrivileges } from './role-privileges.js';
import { inheritsRole, userMayUseRole } from './role-hierarchy.js';

let catalog: SqliteCatalog;
beforeEach(() => {
  catalog = new SqliteCatalog(':memory:');
  const g = catalog.grants;
  g.createRole({ name: 'READER', comment: null, owner: 'USERADMIN' });
  g.createRole({ name: 'LEAD', comment: null, owner: 'USERADMIN' });
  g.grantRole('READER', 'ROLE', 'LEAD', 'USERADMIN');
  g.grantRole('LEAD', 'USER', 'ALICE', 'USERADMIN');
  g.grantPrivilege({ kind: 'TABLE', objectId: 1, privilege: 'SELECT', role: 'READER', grantOption: false, grantedBy: 'SYSADMIN' });
  g.grantPrivilege({ kind: 'TABLE', objectId: 2, privilege: 'INSERT', role: 'LEAD', grantOption: true, grantedBy: 'SYSADMIN' });
  g.setOwner('DATABASE', 9, 'SYSADMIN', null);
  g.setOwner('TABLE', 3, 'READER', 'READER');
});
afterEach(() => catalog.close());

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return (err as FirnError).code;
  }
  return 'no error';
};

describe('RolePrivileges', () => {
  it('holds what the role and every role it inherits hold; ownership holds every privilege with the grant option', () => {
    const lead = RolePrivileges.forSession(catalog.grants, 'ALICE', 'LEAD');
    expect(lead.has('TABLE', 1, 'SELECT')).toBe(true);
    expect(lead.has('TABLE', 1, 'INSERT')).toBe(false);
    expect(lead.grantable('TABLE', 1, 'SELECT')).toBe(false);
    expect(lead.grantable('TABLE', 2, 'INSERT')).toBe(true);
    expect(lead.owns('TABLE', 3)).toBe(true);
    expect(lead.has('TABLE', 3, 'DELETE')).toBe(true);
    expect(lead.grantable('TABLE', 3, 'TRUNCATE')).toBe(true);
    expect(lead.holdsAny('TABLE', 4)).toBe(false);
    expect(lead.ownsRole('READER')).toBe(false);

    const reader = RolePrivileges.forSession(catalog.grants, 'ALICE', 'READER');
    expect(reader.has('TABLE', 2, 'INSERT')).toBe(false);
    expect(reader.inherits('LEAD')).toBe(false);
    expect(reader.inherits('PUBLIC')).toBe(true);
  });

  it('gives ACCOUNTADMIN what its hierarchy holds and no more: MANAGE GRANTS, CREATE DATABASE, SYSADMIN-owned objects, the roles USERADMIN owns', () => {
    const admin = RolePrivileges.forSession(catalog.grants, 'ADMIN', 'ACCOUNTADMIN');
    expect(admin.account('MANAGE GRANTS')).toBe(true);
    expect(admin.account('CREATE DATABASE')).toBe(true);
    expect(admin.account('CREATE ROLE')).toBe(true);
    expect(admin.owns('DATABASE', 9)).toBe(true);
    expect(admin.ownsRole('READER')).toBe(true);
    // A table owned by a custom role that no system role inherits: not ACCOUNTADMIN's.
    expect(admin.holdsAny('TABLE', 3)).toBe(false);
    const sysadmin = RolePrivileges.forSession(catalog.grants, 'ADMIN', 'SYSADMIN');
    expect(sysadmin.account('MANAGE GRANTS')).toBe(false);
    expect(sysadmin.account('CREATE WAREHOUSE')).toBe(true);
  });

  it('refuses (003013) a role the user does not hold, a role only inherited by others, and a missing one; PUBLIC is everyone\'s', () => {
    expect(code(() => RolePrivileges.forSession(catalog.grants, 'BOB', 'READER'))).toBe('003013');
    expect(code(() => RolePrivileges.forSession(catalog.grants, 'ALICE', 'SYSADMIN'))).toBe('003013');
    expect(code(() => RolePrivileges.forSession(catalog.grants, 'ADMIN', 'NO_SUCH_ROLE'))).toBe('003013');
    expect(RolePrivileges.forSession(catalog.grants, 'BOB', 'PUBLIC').roles).toEqual(new Set(['PUBLIC']));
  });

  it('is computed once while the store is unchanged, and afresh after any write to it, an undone one included', () => {
    const g = catalog.grants;
    const first = RolePrivileges.forSession(g, 'ALICE', 'LEAD');
    expect(RolePrivileges.forSession(g, 'ALICE', 'LEAD')).toBe(first);
    expect(first.has('TABLE', 4, 'SELECT')).toBe(false);
    g.grantPrivilege({ kind: 'TABLE', objectId: 4, privilege: 'SELECT', role: 'READER', grantOption: false, grantedBy: 'SYSADMIN' });
    const second = RolePrivileges.forSession(g, 'ALICE', 'LEAD');
    expect(second).not.toBe(first);
    expect(second.has('TABLE', 4, 'SELECT')).toBe(true);
    expect(() => g.atomically(() => {
      g.revokeRole('LEAD', 'USER', 'ALICE');
      throw new FirnError('INTERNAL', 'undo');
    })).toThrow('undo');
    expect(RolePrivileges.forSession(g, 'ALICE', 'LEAD')).not.toBe(second);
    g.revokeRole('LEAD', 'USER', 'ALICE');
    expect(code(() => RolePrivileges.forSession(g, 'ALICE', 'LEAD'))).toBe('003013');
  });

  it('answers the store-level questions other modules ask: may a user use a role, does a role inherit another', () => {
    const g = catalog.grants;
    expect([userMayUseRole(g, 'ALICE', 'LEAD'), userMayUseRole(g, 'ALICE', 'READER'), userMayUseRole(g, 'ALICE', 'PUBLIC')]).toEqual([true, true, true]);
    expect([userMayUseRole(g, 'ALICE', 'SYSADMIN'), userMayUseRole(g, 'ALICE', 'NO_SUCH_ROLE'), userMayUseRole(g, 'BOB', 'LEAD')]).toEqual([false, false, false]);
    expect([inheritsRole(g, 'ACCOUNTADMIN', 'USERADMIN'), inheritsRole(g, 'SECURITYADMIN', 'USERADMIN'), inheritsRole(g, 'SYSADMIN', 'USERADMIN')]).toEqual([true, true, false]);
  });
});
