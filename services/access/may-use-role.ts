/**
 * Which roles a user may run statements as: what a request's `role` field (SQL API) and the
 * login's roleName are checked against, and what ALTER USER checks before it gives a user a
 * default role or a token a role restriction.
 *
 * Contract (until roles can be granted): a user may use its default role (PUBLIC when it has
 * none), every system role that role inherits in Snowflake's hierarchy (ACCOUNTADMIN inherits
 * SECURITYADMIN and SYSADMIN, SECURITYADMIN inherits USERADMIN), and PUBLIC. So ADMIN
 * (ACCOUNTADMIN) may use every system role, a user whose default role is ANALYST only ANALYST
 * and PUBLIC. Role names are resolved identifiers, compared exactly. The grants work replaces
 * this file with a walk of the granted role hierarchy; its callers stay.
 */
export const SYSTEM_ROLES = ['ACCOUNTADMIN', 'SECURITYADMIN', 'USERADMIN', 'SYSADMIN', 'PUBLIC'] as const;

const INHERITS: Readonly<Record<string, readonly string[]>> = {
  ACCOUNTADMIN: ['SECURITYADMIN', 'SYSADMIN'],
  SECURITYADMIN: ['USERADMIN'],
};

/** Whether holding `held` lets one act as `role`: itself, PUBLIC, or a system role it inherits. */
export function roleIncludes(held: string, role: string): boolean {
  if (role === held || role === 'PUBLIC') return true;
  return (INHERITS[held] ?? []).some((inner) => roleIncludes(inner, role));
}

export function mayUseRole(user: { defaultRole: string | null }, role: string): boolean {
  return roleIncludes(user.defaultRole ?? 'PUBLIC', role);
}
