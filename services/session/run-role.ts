/**
 * Roles: CREATE [OR REPLACE] ROLE, DROP ROLE, GRANT | REVOKE ROLE ... TO | FROM {ROLE | USER},
 * and USE ROLE. Snowflake's rules:
 * - CREATE ROLE needs the account privilege CREATE ROLE (USERADMIN and the roles above it); the
 *   creating role owns the new role. OR REPLACE and DROP need ownership of the old one; what a
 *   dropped role owned passes to the role that drops it. The system roles have no owner, so
 *   nobody drops them.
 * - GRANT and REVOKE ROLE need ownership of the role granted, or MANAGE GRANTS. A grant that would
 *   close a cycle (the role granted already inherits the grantee, or is it) is refused
 *   (ROLE_GRANT_CYCLE), so the hierarchy stays acyclic and no role can make itself inherit a role
 *   above it. The system hierarchy (privilege-names.ts) cannot be revoked, nor ACCOUNTADMIN from
 *   the last user holding it.
 * - USE ROLE activates a role granted to the session's user, directly or through the hierarchy,
 *   or PUBLIC; else 003013. The new role holds for the rest of the request, as USE DATABASE does;
 *   the engine computes its privileges for the next statement.
 * Users are names here: whether a user exists is the users table's business.
 */
import { CompilationError, FirnError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { requireAccount, requireRoleAuthority, requireRoleOwnership, type AccessContext } from '../access/access-check.js';
import { roleNotFound, roleNotGranted } from '../access/access-errors.js';
import { SYSTEM_HIERARCHY, SystemRoles } from '../access/privilege-names.js';
import { RoleHierarchy, roleAvailable } from '../access/role-hierarchy.js';
import type { Statement } from '../sql/ast.js';
import { status, type Answer } from './answer.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';

type RoleStatement = Extract<Statement, { kind: 'create_role' | 'drop_role' | 'grant_role' | 'use_role' }>;

const DONE = 'Statement executed successfully.';

export function runRoleStatement(env: EngineEnv, st: RoleStatement, session: SessionContext): Answer {
  const ctx: AccessContext = { catalog: env.catalog, session };
  const grants = env.catalog.grants;
  switch (st.kind) {
    case 'create_role': {
      requireAccount(ctx, 'CREATE ROLE');
      const existing = grants.getRole(st.name);
      if (existing && st.ifNotExists) return status(`${st.name} already exists, statement succeeded.`);
      grants.atomically(() => {
        if (existing && st.orReplace) {
          requireRoleOwnership(ctx, st.name);
          grants.dropRole(st.name, heirOf(session));
        }
        grants.createRole({ name: st.name, comment: st.comment, owner: session.role ?? null });
      });
      return status(`Role ${st.name} successfully created.`);
    }
    case 'drop_role': {
      if (grants.getRole(st.name) === null) {
        if (st.ifExists) return status(`${st.name} successfully dropped.`);
        throw roleNotFound(st.name);
      }
      requireRoleOwnership(ctx, st.name);
      grants.dropRole(st.name, heirOf(session));
      return status(`${st.name} successfully dropped.`);
    }
    case 'grant_role':
      return grantRole(ctx, st);
    case 'use_role': {
      if (!roleAvailable(grants, RoleHierarchy.load(grants), session.user ?? '', st.name)) throw roleNotGranted(st.name);
      return { ...status(DONE), context: { ...session, role: st.name, privileges: undefined } };
    }
  }
}

function grantRole(ctx: AccessContext, st: Extract<Statement, { kind: 'grant_role' }>): Answer {
  const grants = ctx.catalog.grants;
  if (grants.getRole(st.role) === null) throw roleNotFound(st.role);
  const { kind, name } = st.grantee;
  if (kind === 'ROLE' && grants.getRole(name) === null) throw roleNotFound(name);
  if (kind === 'USER' && !st.revoke && ctx.catalog.users.getUser(name) === null) {
    throw new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: User '${clipValue(name)}' does not exist or not authorized.`);
  }
  requireRoleAuthority(ctx, st.role);
  if (st.revoke) {
    if (kind === 'ROLE' && SYSTEM_HIERARCHY.some(([r, g]) => r === st.role && g === name)) {
      throw new NotSupportedError(`Revoking the system role ${st.role} from ${name}`);
    }
    // Someone must be able to administer the account: its last ACCOUNTADMIN user keeps the role.
    if (st.role === SystemRoles.ACCOUNTADMIN && kind === 'USER') {
      const holders = grants.roleGrants().filter((g) => g.role === st.role && g.granteeKind === 'USER');
      if (holders.length === 1 && holders[0].grantee === name) throw new NotSupportedError(`Revoking ${st.role} from its last user ${name}`);
    }
    grants.revokeRole(st.role, kind, name);
    return status(DONE);
  }
  // PUBLIC is every user's and every role's already.
  if (st.role === SystemRoles.PUBLIC) return status(DONE);
  grants.atomically(() => {
    if (kind === 'ROLE' && RoleHierarchy.load(grants).wouldCycle(st.role, name)) throw cycle(st.role, name);
    grants.grantRole(st.role, kind, name, ctx.session.role ?? null);
  });
  return status(DONE);
}

/** Who takes over what a dropped role owned: the role dropping it. */
function heirOf(session: SessionContext): string {
  return session.role ?? SystemRoles.ACCOUNTADMIN;
}

function cycle(role: string, grantee: string): FirnError {
  const why = role === grantee ? `a role cannot be granted to itself` : `'${clipValue(role)}' already inherits '${clipValue(grantee)}'`;
  return new FirnError('ROLE_GRANT_CYCLE', `SQL execution error: Granting role '${clipValue(role)}' to role '${clipValue(grantee)}' would create a cycle in the role hierarchy: ${why}.`);
}
