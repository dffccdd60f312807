/**
 * GRANT and REVOKE of privileges (services/sql/front/grant.ts): on the account, a database,
 * schema, table, warehouse, stage or file format, every table of a schema (ALL TABLES IN SCHEMA:
 * those there now), the tables a schema will get (FUTURE TABLES IN SCHEMA), and OWNERSHIP, which
 * transfers.
 *
 * Who may (services/access/access-check.ts): MANAGE GRANTS (SECURITYADMIN and above), the
 * object's owner, or a role holding the privilege WITH GRANT OPTION (granting only); future
 * grants need MANAGE GRANTS, as in Snowflake. ALL [PRIVILEGES] is every privilege of the kind
 * (privilege-names.ts), of a stage those of its type. A statement over several objects checks
 * all of them before it changes anything, and changes them in one transaction. A stage takes
 * only the privileges of its type, WRITE only with READ (checkStageGrant). Answers Snowflake's
 * "Statement executed successfully."; revoking what was not granted is no error.
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { canSeeSchema, canSeeTable, hasAccount, requireGrantAuthority, requireRoleAuthority, type AccessContext, type GrantObject } from '../access/access-check.js';
import { containerNotFound, insufficientPrivileges, privilegeOrderViolation, roleNotFound } from '../access/access-errors.js';
import { OBJECT_PRIVILEGES, OWNERSHIP, type OwnableKind } from '../access/privilege-names.js';
import type { ObjectName, Statement } from '../sql/ast.js';
import { status, type Answer } from './answer.js';
import type { EngineEnv } from './engine-env.js';
import { resolveGrantObject, schemaName } from './grant-objects.js';
import type { SessionContext } from './statement-result.js';

type GrantStatement = Extract<Statement, { kind: 'grant_privileges' }>;

const DONE = 'Statement executed successfully.';

export function runGrantPrivileges(env: EngineEnv, st: GrantStatement, session: SessionContext): Answer {
  const ctx: AccessContext = { catalog: env.catalog, session };
  const grants = env.catalog.grants;
  if (grants.getRole(st.role) === null) throw roleNotFound(st.role);
  const on = st.on;
  if (on.kind === 'ROLE') {
    if (st.revoke) throw new NotSupportedError('REVOKE OWNERSHIP (ownership moves with GRANT OWNERSHIP)');
    if (grants.getRole(on.name) === null) throw roleNotFound(on.name);
    requireRoleAuthority(ctx, on.name);
    grants.setRoleOwner(on.name, st.role);
    return status(DONE);
  }
  if (on.kind === 'FUTURE_TABLES') return futureTables(ctx, st, on.schema);
  const kind = on.kind === 'ALL_TABLES' ? 'TABLE' : on.kind;
  const objects = on.kind === 'ALL_TABLES' ? allTables(ctx, on.schema) : [resolveGrantObject(ctx, on)];
  const privileges = st.privileges ?? objects[0]?.privileges ?? OBJECT_PRIVILEGES[kind];
  for (const obj of objects) for (const p of privileges) requireGrantAuthority(ctx, obj, p, !st.revoke);
  if (kind === 'STAGE') checkStageGrant(env, st, objects[0], privileges);
  grants.atomically(() => {
    for (const obj of objects) for (const p of privileges) apply(env, st, obj, p, session);
  });
  return status(DONE);
}

/** One privilege on one object, granted, revoked or (OWNERSHIP) transferred. */
function apply(env: EngineEnv, st: GrantStatement, obj: GrantObject, privilege: string, session: SessionContext): void {
  const grants = env.catalog.grants;
  const ref = { kind: obj.kind, objectId: obj.id };
  if (privilege === OWNERSHIP) {
    if (st.revoke) throw new NotSupportedError('REVOKE OWNERSHIP (ownership moves with GRANT OWNERSHIP)');
    grants.setOwner(obj.kind as OwnableKind, obj.id, st.role, session.role ?? null);
    if (st.currentGrants === 'REVOKE') grants.revokeAllOn(ref);
    return;
  }
  if (st.revoke) grants.revokePrivilege(ref, privilege, st.role, st.grantOption);
  else grants.grantPrivilege({ ...ref, privilege, role: st.role, grantOption: st.grantOption, grantedBy: session.role ?? null });
}

/**
 * A grant on a stage, as Snowflake takes it: only the privileges of the stage's type (READ and
 * WRITE internal, USAGE external); WRITE only to a role that holds READ on it or gets it in the
 * same statement (003511); READ not revoked from a role that keeps WRITE (003512).
 */
function checkStageGrant(env: EngineEnv, st: GrantStatement, stage: GrantObject, privileges: readonly string[]): void {
  const applicable = stage.privileges ?? [];
  if (!st.revoke) {
    const wrong = privileges.find((p) => p !== OWNERSHIP && !applicable.includes(p));
    if (wrong) throw new CompilationError('SYNTAX', `SQL compilation error: Invalid privilege ${clipValue(wrong)} on ${applicable.includes('USAGE') ? 'external' : 'internal'} stage '${clipValue(stage.label)}'.`);
  }
  if (st.revoke && st.grantOption) return;
  const held = new Set(env.catalog.grants.privilegeGrants({ roles: [st.role], object: { kind: 'STAGE', objectId: stage.id } }).map((g) => g.privilege));
  if (!st.revoke && privileges.includes('WRITE') && !privileges.includes('READ') && !held.has('READ')) throw privilegeOrderViolation(true);
  if (st.revoke && privileges.includes('READ') && !privileges.includes('WRITE') && held.has('WRITE')) throw privilegeOrderViolation(false);
}

/** The tables of a schema now, as grant objects (ALL TABLES IN SCHEMA). */
function allTables(ctx: AccessContext, name: ObjectName): GrantObject[] {
  const n = schemaName(name, ctx.session);
  const s = ctx.catalog.getSchema(n.database, n.schema);
  if (!s || (!hasAccount(ctx, 'MANAGE GRANTS') && !canSeeSchema(ctx, s))) throw containerNotFound('SCHEMA', `${n.database}.${n.schema}`);
  return ctx.catalog.listTables(n.database, n.schema).map((t) => ({
    kind: 'TABLE',
    id: t.id,
    label: t.name,
    visible: canSeeTable(ctx, t),
    hidden: () => insufficientPrivileges('SCHEMA', n.schema),
  }));
}

/** GRANT | REVOKE ... ON FUTURE TABLES IN SCHEMA s: MANAGE GRANTS only; one future owner per schema. */
function futureTables(ctx: AccessContext, st: GrantStatement, name: ObjectName): Answer {
  const n = schemaName(name, ctx.session);
  const s = ctx.catalog.getSchema(n.database, n.schema);
  if (!s) throw containerNotFound('SCHEMA', `${n.database}.${n.schema}`);
  if (!hasAccount(ctx, 'MANAGE GRANTS')) {
    if (!canSeeSchema(ctx, s)) throw containerNotFound('SCHEMA', `${n.database}.${n.schema}`);
    throw insufficientPrivileges('SCHEMA', n.schema);
  }
  const grants = ctx.catalog.grants;
  const privileges = st.privileges ?? OBJECT_PRIVILEGES.TABLE;
  grants.atomically(() => {
    for (const privilege of privileges) {
      if (st.revoke) {
        grants.revokeFuture(s.id, 'TABLE', privilege, st.role);
        continue;
      }
      // A schema's future tables have one owner: a new future OWNERSHIP grant replaces the old one.
      if (privilege === OWNERSHIP) {
        for (const f of grants.futureGrants({ schemaId: s.id })) if (f.privilege === OWNERSHIP) grants.revokeFuture(s.id, 'TABLE', OWNERSHIP, f.role);
      }
      grants.grantFuture({ schemaId: s.id, kind: 'TABLE', privilege, role: st.role, grantOption: st.grantOption, grantedBy: ctx.session.role ?? null });
    }
  });
  return status(DONE);
}
