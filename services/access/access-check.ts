/**
 * Every privilege check of Firn, in one module the binder and the statement runners call: what
 * the statement's role (its RolePrivileges, computed once per statement) may see and do.
 *
 * Snowflake's rules, as Firn enforces them:
 * - Names resolve through a database and a schema only with USAGE on both (ownership implies
 *   USAGE). A table is visible with that and any privilege on it; a database, schema or
 *   warehouse with any privilege on it. What the role cannot see reads exactly as what does not
 *   exist: "... does not exist or not authorized." (002003), so a role learns nothing of it.
 * - On what it can see, a missing privilege is 003001 "SQL access control error: Insufficient
 *   privileges to operate on <kind> '<name>'".
 * - Stages and file formats follow the same rules, with their own privileges: stage-access.ts.
 * - Owning an object (through the role hierarchy) holds every privilege on it; account
 *   privileges (CREATE DATABASE, CREATE WAREHOUSE, CREATE ROLE, MANAGE GRANTS) come from grants
 *   on the account, which the system roles hold.
 *
 * Contract: every check takes the statement's context ({catalog, session}). A session without a
 * role is the system's own (maintenance, unit tests of other modules): nothing is checked. The
 * engine always sets the role and attaches the privileges; a session with a role but without
 * them (one a runner built anew) gets them computed here, so no path escapes the checks. The
 * `can*` predicates never throw; the `require*` checks throw the errors above.
 */
import type { Catalog, DatabaseInfo, SchemaInfo, TableInfo, WarehouseInfo } from '../catalog/catalog.js';
import type { SessionContext } from '../session/statement-result.js';
import { containerNotFound, insufficientPrivileges, tableNotFound } from './access-errors.js';
import { ACCOUNT_NAME, OWNERSHIP, type OwnableKind, type SecurableKind } from './privilege-names.js';
import type { FirnError } from '../../storage/errors/firn-error.js';
import { RolePrivileges } from './role-privileges.js';

export type AccessContext = { catalog: Catalog; session: SessionContext };

/** The privileges a statement on a table may need. */
export type TablePrivilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE' | typeof OWNERSHIP;

/** The statement's privilege set (see the module comment); null: the system itself, unchecked. */
export function privilegesOf(ctx: AccessContext): RolePrivileges | null {
  const s = ctx.session;
  if (s.privileges) return s.privileges;
  if (s.role === undefined) return null;
  return RolePrivileges.forSession(ctx.catalog.grants, s.user ?? '', s.role);
}

/**
 * The session with its role's privileges attached: the engine calls this once at the start of
 * each statement (a USE ROLE or GRANT before it is then seen). 003013 when the session's role
 * is not the user's to use. A session without a role is returned as it is.
 */
export function withPrivileges(catalog: Catalog, session: SessionContext): SessionContext {
  if (session.role === undefined) return session;
  return { ...session, privileges: RolePrivileges.forSession(catalog.grants, session.user ?? '', session.role) };
}

/** `privilege` on the object, OWNERSHIP meaning ownership itself. */
function holds(p: RolePrivileges, kind: OwnableKind, id: number, privilege: string): boolean {
  return privilege === OWNERSHIP ? p.owns(kind, id) : p.has(kind, id, privilege);
}

// ---- databases ----

/** Whether the role may resolve names through the database (USAGE or ownership). */
export function canUseDatabase(ctx: AccessContext, db: DatabaseInfo): boolean {
  const p = privilegesOf(ctx);
  return p === null || p.has('DATABASE', db.id, 'USAGE');
}

/** Whether the database is visible to the role (any privilege on it: SHOW DATABASES). */
export function canSeeDatabase(ctx: AccessContext, db: DatabaseInfo): boolean {
  const p = privilegesOf(ctx);
  return p === null || p.holdsAny('DATABASE', db.id);
}

/** `privilege` (or OWNERSHIP) on a database: 002003 when the role cannot see it, 003001 when it lacks the privilege. */
export function requireDatabase(ctx: AccessContext, db: DatabaseInfo, privilege: string): void {
  const p = privilegesOf(ctx);
  if (p === null || holds(p, 'DATABASE', db.id, privilege)) return;
  if (!p.holdsAny('DATABASE', db.id)) throw containerNotFound('DATABASE', db.name);
  throw insufficientPrivileges('DATABASE', db.name);
}

/** CREATE SCHEMA (also CLONE) in a database: CREATE SCHEMA on it (or ownership); 002003 when the role cannot see it. */
export function requireCreateSchema(ctx: AccessContext, db: DatabaseInfo): void {
  requireDatabase(ctx, db, 'CREATE SCHEMA');
}

// ---- schemas ----

/** The schema and its database, if both exist. */
function schemaOf(ctx: AccessContext, database: string, schema: string): SchemaInfo | null {
  return ctx.catalog.getSchema(database, schema);
}

/** Whether the role may resolve names through `database.schema` (USAGE on both, or ownership). */
export function canUseSchema(ctx: AccessContext, s: SchemaInfo): boolean {
  const p = privilegesOf(ctx);
  return p === null || (p.has('DATABASE', s.databaseId, 'USAGE') && p.has('SCHEMA', s.id, 'USAGE'));
}

/** Whether the schema is visible to the role: USAGE on its database and any privilege on it (SHOW SCHEMAS). */
export function canSeeSchema(ctx: AccessContext, s: SchemaInfo): boolean {
  const p = privilegesOf(ctx);
  return p === null || (p.has('DATABASE', s.databaseId, 'USAGE') && p.holdsAny('SCHEMA', s.id));
}

/** The schema when it exists and the role may use it; else null (missing and hidden alike). */
export function usableSchema(ctx: AccessContext, database: string, schema: string): SchemaInfo | null {
  const s = schemaOf(ctx, database, schema);
  return s && canUseSchema(ctx, s) ? s : null;
}

/**
 * `privilege` (or OWNERSHIP) on schema `database.schema`, which exists: the schema reads as
 * missing (002003) without USAGE on its database or any privilege on it, else 003001 without
 * the privilege. Returns the schema.
 */
export function requireSchema(ctx: AccessContext, database: string, schema: string, privilege: string): SchemaInfo | null {
  const s = schemaOf(ctx, database, schema);
  const p = privilegesOf(ctx);
  if (s === null || p === null) return s;
  if (!canSeeSchema(ctx, s)) throw containerNotFound('SCHEMA', `${database}.${schema}`);
  if (privilege !== 'USAGE' && !holds(p, 'SCHEMA', s.id, 'USAGE')) throw containerNotFound('SCHEMA', `${database}.${schema}`);
  if (!holds(p, 'SCHEMA', s.id, privilege)) throw insufficientPrivileges('SCHEMA', schema);
  return s;
}

// ---- tables ----

/** Whether the role sees the table: USAGE on its database and schema and any privilege on it. */
export function canSeeTable(ctx: AccessContext, t: Pick<TableInfo, 'id' | 'database' | 'schema'>): boolean {
  const p = privilegesOf(ctx);
  if (p === null) return true;
  const s = schemaOf(ctx, t.database, t.schema);
  return s !== null && canUseSchema(ctx, s) && p.holdsAny('TABLE', t.id);
}

/**
 * A table the statement names: it must be visible (else it reads as missing: 002003 with the
 * binder's wording) and the role must hold every privilege in `need` on it (003001).
 */
export function requireTable(ctx: AccessContext, t: Pick<TableInfo, 'id' | 'database' | 'schema' | 'name'>, need: readonly TablePrivilege[]): void {
  const p = privilegesOf(ctx);
  if (p === null) return;
  if (!canSeeTable(ctx, t)) throw tableNotFound(`${t.database}.${t.schema}.${t.name}`);
  for (const privilege of need) if (!holds(p, 'TABLE', t.id, privilege)) throw insufficientPrivileges('TABLE', t.name);
}

/**
 * CREATE TABLE (also AS SELECT, CLONE) of `database.schema.table`: CREATE TABLE on the schema
 * (requireSchema); with OR REPLACE of a live table, ownership of it too (003001 on the table, or
 * 002003 if the role cannot see it).
 */
export function requireCreateTable(ctx: AccessContext, n: { database: string; schema: string; table: string }, orReplace: boolean): void {
  const p = privilegesOf(ctx);
  if (p === null) return;
  requireSchema(ctx, n.database, n.schema, 'CREATE TABLE');
  if (!orReplace) return;
  const old = ctx.catalog.getTable(n.database, n.schema, n.table);
  if (old !== null) requireTable(ctx, old, [OWNERSHIP]);
}

/** Whether the role holds every privilege in `need` on a table it sees (the result cache's check before serving). */
export function canReadTable(ctx: AccessContext, t: Pick<TableInfo, 'id' | 'database' | 'schema'>, need: readonly TablePrivilege[] = ['SELECT']): boolean {
  const p = privilegesOf(ctx);
  if (p === null) return true;
  return canSeeTable(ctx, t) && need.every((privilege) => holds(p, 'TABLE', t.id, privilege));
}

/**
 * SELECT on every table of `tableIds` (a cached result's sources): 002003 for one the role cannot
 * see (a dropped one included), 003001 for one it sees without SELECT.
 */
export function requireReadable(ctx: AccessContext, tableIds: Iterable<number>): void {
  if (privilegesOf(ctx) === null) return;
  for (const id of tableIds) {
    const t = ctx.catalog.getTableById(id);
    if (t === null) throw tableNotFound(String(id));
    requireTable(ctx, t, ['SELECT']);
  }
}

// ---- warehouses ----

/** Whether the warehouse is visible to the role (any privilege on it: SHOW WAREHOUSES). */
export function canSeeWarehouse(ctx: AccessContext, w: WarehouseInfo): boolean {
  const p = privilegesOf(ctx);
  return p === null || p.holdsAny('WAREHOUSE', w.id);
}

/** `privilege` (or OWNERSHIP) on a warehouse: 002003 when the role cannot see it, 003001 when it lacks the privilege. */
export function requireWarehouse(ctx: AccessContext, w: WarehouseInfo, privilege: string): void {
  const p = privilegesOf(ctx);
  if (p === null || holds(p, 'WAREHOUSE', w.id, privilege)) return;
  if (!p.holdsAny('WAREHOUSE', w.id)) throw containerNotFound('WAREHOUSE', w.name);
  throw insufficientPrivileges('WAREHOUSE', w.name);
}

/**
 * Running a statement on the session's warehouse `name` needs USAGE on it (or ownership): 002003
 * when the role cannot see it, 003001 when it sees it without USAGE. A missing warehouse (or
 * none) is left to the registry, which reports it.
 */
export function requireWarehouseUse(ctx: AccessContext, name: string | null): void {
  if (name === null || privilegesOf(ctx) === null) return;
  const w = ctx.catalog.getWarehouse(name);
  if (w !== null) requireWarehouse(ctx, w, 'USAGE');
}

/** Whether the role may run statements on the warehouse (USAGE, or ownership). */
export function canUseWarehouse(ctx: AccessContext, w: WarehouseInfo): boolean {
  const p = privilegesOf(ctx);
  return p === null || p.has('WAREHOUSE', w.id, 'USAGE');
}

// ---- the account ----

/** An account privilege (CREATE DATABASE, CREATE WAREHOUSE, CREATE ROLE, MANAGE GRANTS): 003001 on the account without it. */
export function requireAccount(ctx: AccessContext, privilege: string): void {
  const p = privilegesOf(ctx);
  if (p === null || p.account(privilege)) return;
  throw insufficientPrivileges('ACCOUNT', ACCOUNT_NAME);
}

/** Whether the role holds an account privilege. */
export function hasAccount(ctx: AccessContext, privilege: string): boolean {
  const p = privilegesOf(ctx);
  return p === null || p.account(privilege);
}

/** Whether the statement's role is `role` or inherits it (the system is every role). */
export function hasRole(ctx: AccessContext, role: string): boolean {
  const p = privilegesOf(ctx);
  return p === null || p.inherits(role);
}

// ---- grants ----

/**
 * An object GRANT and REVOKE name: its kind and id, how messages name it, and the error that
 * says it is missing (thrown when the role cannot see it, so it reads as missing).
 */
export type GrantObject = {
  kind: SecurableKind;
  id: number;
  label: string;
  visible: boolean;
  hidden: () => FirnError;
  /** The privileges this object takes when they depend on more than its kind (a stage's type); else its kind's. */
  privileges?: readonly string[];
};

/**
 * Whether the role may grant or revoke `privilege` (OWNERSHIP: transfer it) on the object:
 * MANAGE GRANTS, ownership, or (granting anything but OWNERSHIP) the privilege held WITH GRANT
 * OPTION. Else 002003 for an object it cannot see, 003001 for one it can.
 */
export function requireGrantAuthority(ctx: AccessContext, obj: GrantObject, privilege: string, granting: boolean): void {
  const p = privilegesOf(ctx);
  if (p === null || p.account('MANAGE GRANTS')) return;
  if (obj.kind !== 'ACCOUNT' && p.owns(obj.kind, obj.id)) return;
  if (granting && privilege !== OWNERSHIP && p.grantable(obj.kind, obj.id, privilege)) return;
  if (!obj.visible) throw obj.hidden();
  throw insufficientPrivileges(obj.kind, obj.label);
}

/** Granting, revoking or transferring a role: its owner (through the hierarchy) or MANAGE GRANTS; else 003001 on the role. */
export function requireRoleAuthority(ctx: AccessContext, role: string): void {
  const p = privilegesOf(ctx);
  if (p === null || p.account('MANAGE GRANTS') || p.ownsRole(role)) return;
  throw insufficientPrivileges('ROLE', role);
}

/** Replacing or dropping a role: its owner (through the hierarchy) only; else 003001 on the role. */
export function requireRoleOwnership(ctx: AccessContext, role: string): void {
  const p = privilegesOf(ctx);
  if (p === null || p.ownsRole(role)) return;
  throw insufficientPrivileges('ROLE', role);
}

/** Whether the role may see the grants of role `role`: it is or inherits it, owns it, or holds MANAGE GRANTS. */
export function canSeeRoleGrants(ctx: AccessContext, role: string): boolean {
  const p = privilegesOf(ctx);
  return p === null || p.inherits(role) || p.ownsRole(role) || p.account('MANAGE GRANTS');
}
