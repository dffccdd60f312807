import { describe, expect, it } from 'vitest';
import { mayUseRole, roleIncludes, SYSTEM_ROLES } from './may-use-role.js';

describe('mayUseRole', () => {
  it('lets ACCOUNTADMIN use every system role, and follows Snowflake\'s hierarchy below it', () => {
    expect(SYSTEM_ROLES.filter((r) => mayUseRole({ defaultRole: 'ACCOUNTADMIN' }, r))).toEqual([...SYSTEM_ROLES]);
    expect(SYSTEM_ROLES.filter((r) => mayUseRole({ defaultRole: 'SECURITYADMIN' }, r))).toEqual(['SECURITYADMIN', 'USERADMIN', 'PUBLIC']);
    expect(SYSTEM_ROLES.filter((r) => mayUseRole({ defaultRole: 'SYSADMIN' }, r))).toEqual(['SYSADMIN', 'PUBLIC']);
    expect(SYSTEM_ROLES.filter((r) => mayUseRole({ defaultRole: 'USERADMIN' }, r))).toEqual(['USERADMIN', 'PUBLIC']);
  });

  it('lets any other user use its default role (PUBLIC when none) and PUBLIC only', () => {
    expect(['ANALYST', 'PUBLIC', 'SYSADMIN', 'analyst'].map((r) => mayUseRole({ defaultRole: 'ANALYST' }, r))).toEqual([true, true, false, false]);
    expect(['PUBLIC', 'SYSADMIN'].map((r) => mayUseRole({ defaultRole: null }, r))).toEqual([true, false]);
    expect(roleIncludes('USERADMIN', 'ACCOUNTADMIN')).toBe(false);
  });
});
