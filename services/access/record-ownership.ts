/**
 * Who owns what a statement creates: the statement's role, as in Snowflake (CREATE DATABASE,
 * SCHEMA, TABLE, WAREHOUSE, STAGE, FILE FORMAT, CTAS, CLONE, CREATE OR REPLACE). A new table also gets the future
 * grants of its schema, and belongs to the schema's future owner if one is set
 * (grant-store.ts `tableCreated`).
 *
 * Contract: call inside the same `catalog.grants.atomically` as the catalog write that created
 * the object, so the object never exists without its owner. A session without a role (the
 * system's own) records no owner; the engine's bootstrap objects are given to SYSADMIN
 * (`ownBootstrapObject`).
 */
import type { AccessContext } from './access-check.js';
import type { GrantStore } from './grant-store.js';
import { SystemRoles, type OwnableKind } from './privilege-names.js';

/** The statement's role owns the new database, schema, warehouse, stage or file format. */
export function ownCreated(ctx: AccessContext, kind: Exclude<OwnableKind, 'TABLE'>, id: number): void {
  const role = ctx.session.role;
  if (role !== undefined) ctx.catalog.grants.setOwner(kind, id, role, role);
}

/** The statement's role (or the schema's future owner) owns the new table, which gets the schema's future grants. */
export function ownCreatedTable(ctx: AccessContext, table: { id: number; schemaId: number }): void {
  const role = ctx.session.role;
  if (role !== undefined) ctx.catalog.grants.tableCreated(table.id, table.schemaId, role);
}

/** The engine's embedded defaults (database FIRN, its PUBLIC schema, COMPUTE_WH) belong to SYSADMIN unless someone owns them. */
export function ownBootstrapObject(grants: GrantStore, kind: OwnableKind, id: number): void {
  if (grants.ownerOf(kind, id) === null) grants.setOwner(kind, id, SystemRoles.SYSADMIN, null);
}
