import { describe, expect, it } from 'vitest';
import { SYSTEM_HIERARCHY } from './privilege-names.js';
import { RoleHierarchy } from './role-hierarchy.js';

const toRole = (role: string, grantee: string) => ({ role, granteeKind: 'ROLE' as const, grantee });
const toUser = (role: string, grantee: string) => ({ role, granteeKind: 'USER' as const, grantee });
const system = SYSTEM_HIERARCHY.map(([role, grantee]) => toRole(role, grantee));
const sorted = (s: Set<string>) => [...s].sort();

describe('RoleHierarchy over the system roles', () => {
  const h = new RoleHierarchy([...system, toUser('ACCOUNTADMIN', 'ADMIN')]);

  it('ACCOUNTADMIN inherits SECURITYADMIN and SYSADMIN, SECURITYADMIN inherits USERADMIN, every role PUBLIC', () => {
    expect(sorted(h.closure('ACCOUNTADMIN'))).toEqual(['ACCOUNTADMIN', 'PUBLIC', 'SECURITYADMIN', 'SYSADMIN', 'USERADMIN']);
    expect(sorted(h.closure('SECURITYADMIN'))).toEqual(['PUBLIC', 'SECURITYADMIN', 'USERADMIN']);
    expect(sorted(h.closure('SYSADMIN'))).toEqual(['PUBLIC', 'SYSADMIN']);
    expect(sorted(h.closure('USERADMIN'))).toEqual(['PUBLIC', 'USERADMIN']);
    expect(sorted(h.closure('PUBLIC'))).toEqual(['PUBLIC']);
  });

  it('inherits() reads the closure: down the hierarchy only', () => {
    expect(h.inherits('ACCOUNTADMIN', 'USERADMIN')).toBe(true);
    expect(h.inherits('SECURITYADMIN', 'SYSADMIN')).toBe(false);
    expect(h.inherits('SYSADMIN', 'ACCOUNTADMIN')).toBe(false);
    expect(h.inherits('USERADMIN', 'USERADMIN')).toBe(true);
    expect(h.inherits('ANYONE', 'PUBLIC')).toBe(true);
  });

  it('a user may use the roles granted to it, what they inherit, and PUBLIC', () => {
    expect(sorted(h.available('ADMIN'))).toEqual(['ACCOUNTADMIN', 'PUBLIC', 'SECURITYADMIN', 'SYSADMIN', 'USERADMIN']);
    expect(sorted(h.available('NOBODY'))).toEqual(['PUBLIC']);
    expect(h.grantedTo('ADMIN')).toEqual(['ACCOUNTADMIN']);
  });
});

describe('RoleHierarchy over custom roles', () => {
  // ANALYST -> READER, WRITER -> READER, LEAD inherits both; SYSADMIN inherits LEAD.
  const h = new RoleHierarchy([...system, toRole('READER', 'ANALYST'), toRole('READER', 'WRITER'), toRole('ANALYST', 'LEAD'), toRole('WRITER', 'LEAD'), toRole('LEAD', 'SYSADMIN'), toUser('ANALYST', 'ALICE')]);

  it('inheritance is transitive and a diamond is visited once', () => {
    expect(sorted(h.closure('LEAD'))).toEqual(['ANALYST', 'LEAD', 'PUBLIC', 'READER', 'WRITER']);
    expect(h.inherits('ACCOUNTADMIN', 'READER')).toBe(true);
    expect(sorted(h.available('ALICE'))).toEqual(['ANALYST', 'PUBLIC', 'READER']);
  });

  it('refuses grants that would close a cycle, directly, transitively or onto itself, and allows the rest', () => {
    expect(h.wouldCycle('LEAD', 'READER')).toBe(true);
    expect(h.wouldCycle('ACCOUNTADMIN', 'READER')).toBe(true);
    expect(h.wouldCycle('SYSADMIN', 'ANALYST')).toBe(true);
    expect(h.wouldCycle('WRITER', 'WRITER')).toBe(true);
    // Granting anything to PUBLIC: every role inherits PUBLIC already.
    expect(h.wouldCycle('READER', 'PUBLIC')).toBe(true);
    expect(h.wouldCycle('READER', 'ALICE_ROLE')).toBe(false);
    expect(h.wouldCycle('WRITER', 'ANALYST')).toBe(false);
  });

  it('terminates on rows that do form a cycle', () => {
    const broken = new RoleHierarchy([toRole('A', 'B'), toRole('B', 'C'), toRole('C', 'A')]);
    expect(sorted(broken.closure('A'))).toEqual(['A', 'B', 'C', 'PUBLIC']);
  });
});
