/**
 * Whether a session may create, alter and drop other users and manage their tokens: its
 * current role is ACCOUNTADMIN, SECURITYADMIN or USERADMIN (the system roles that administer
 * users in Snowflake). A user manages its own password and tokens without it (run-user.ts).
 * Callers answer a false with InsufficientPrivilegesError (003001). The grants work routes
 * this through the role hierarchy (a custom role granted CREATE USER); its callers stay.
 */
import type { SessionContext } from '../session/statement-result.js';

const USER_ADMIN_ROLES = new Set(['ACCOUNTADMIN', 'SECURITYADMIN', 'USERADMIN']);

export function canManageUsers(session: SessionContext): boolean {
  return session.role !== undefined && USER_ADMIN_ROLES.has(session.role);
}
