/**
 * Where access control lives in the catalog: roles, which roles are granted to which users and
 * roles, which privileges each role holds on which object, the future grants of schemas, and
 * the owner of every database, schema, table and warehouse. Apart from catalog.ts so the
 * catalog interface grows by one member (`catalog.grants`); the SQLite implementation is
 * sqlite-grant-store.ts, over the catalog's own connection (catalog migration 9).
 *
 * Contract:
 * - Objects are named by (kind, id) — the catalog's ids, never names — so RENAME keeps their
 *   grants and owner, UNDROP finds them again, and CREATE OR REPLACE (a new id) starts clean.
 * - Names are resolved identifiers, compared exactly. Users are names only: whether a user
 *   exists is the users table's business (another store). PUBLIC is granted to every user and
 *   inherited by every role implicitly: it never appears as a role grant row.
 * - OWNERSHIP is kept apart from the other privileges: one owner per object (`setOwner`
 *   replaces it); it implies every privilege of the object (role-privileges.ts).
 * - Every write is one transaction; `atomically(fn)` runs several (and catalog writes, which
 *   share the connection) as one, nested in a caller's transaction if there is one.
 * - `dropRole` hands what the role owned (objects and roles) to `heir`, as Snowflake gives them
 *   to the role that drops it, and removes every grant of and to it.
 */
import type { OwnableKind, SecurableKind } from './privilege-names.js';

export type RoleRecord = { name: string; comment: string | null; owner: string | null; createdAt: Date };
export type GranteeKind = 'USER' | 'ROLE';
/** `role` is granted to the user or role `grantee`. */
export type RoleGrantRecord = { role: string; granteeKind: GranteeKind; grantee: string; grantedBy: string | null; createdAt: Date };
export type PrivilegeGrantRecord = {
  kind: SecurableKind;
  objectId: number;
  privilege: string;
  role: string;
  grantOption: boolean;
  grantedBy: string | null;
  createdAt: Date;
};
/** A grant every table created in `schemaId` gets; `privilege` may be OWNERSHIP (the new table's owner). */
export type FutureGrantRecord = {
  schemaId: number;
  kind: 'TABLE';
  privilege: string;
  role: string;
  grantOption: boolean;
  grantedBy: string | null;
  createdAt: Date;
};
export type OwnerRecord = { kind: OwnableKind; objectId: number; owner: string; grantedBy: string | null; createdAt: Date };
export type ObjectRef = { kind: SecurableKind; objectId: number };
/** Which grants a listing returns: those held by any of `roles`, or those on one object (both: both hold). */
export type GrantFilter = { roles?: readonly string[]; object?: ObjectRef };

export interface GrantStore {
  /** Runs `fn` in one write transaction (a savepoint inside an open one); anything it throws undoes all of it. */
  atomically<T>(fn: () => T): T;
  /**
   * A number that changes after every write (also one that was undone), so what was read
   * from the store can be kept until it changes (role-privileges.ts). This process is the
   * only writer: FIRN_HOME is locked to it.
   */
  generation(): number;

  getRole(name: string): RoleRecord | null;
  /** Every role, by name. */
  listRoles(): RoleRecord[];
  /** A new role; OBJECT_EXISTS when the name is taken. */
  createRole(role: { name: string; comment: string | null; owner: string | null }): RoleRecord;
  /** Removes the role and every grant of it and to it; what it owned passes to `heir`. OBJECT_NOT_FOUND when missing. */
  dropRole(name: string, heir: string): void;
  /** OWNERSHIP of a role (the role that may grant it, besides MANAGE GRANTS). */
  setRoleOwner(name: string, owner: string): void;

  /** Every role grant (the hierarchy is small: it is read whole). */
  roleGrants(): RoleGrantRecord[];
  /** False when the grant existed already (nothing changes then). */
  grantRole(role: string, granteeKind: GranteeKind, grantee: string, grantedBy: string | null): boolean;
  /** False when there was no such grant. */
  revokeRole(role: string, granteeKind: GranteeKind, grantee: string): boolean;

  privilegeGrants(filter?: GrantFilter): PrivilegeGrantRecord[];
  /** Grants (again: the grant option is kept if either grant had it). */
  grantPrivilege(grant: Omit<PrivilegeGrantRecord, 'createdAt'>): void;
  /** `grantOptionOnly`: REVOKE GRANT OPTION FOR (the privilege stays). False when there was no such grant. */
  revokePrivilege(object: ObjectRef, privilege: string, role: string, grantOptionOnly: boolean): boolean;
  /** Removes every grant on the object (GRANT OWNERSHIP ... REVOKE CURRENT GRANTS); returns how many. */
  revokeAllOn(object: ObjectRef): number;
  /** Removes every role grant to the user (DROP USER); returns how many. */
  dropUserGrants(user: string): number;

  /** Owner rows: of objects owned by any of `roles`, or of one object. */
  owners(filter?: GrantFilter): OwnerRecord[];
  ownerOf(kind: OwnableKind, objectId: number): string | null;
  setOwner(kind: OwnableKind, objectId: number, owner: string, grantedBy: string | null): void;

  futureGrants(filter?: { schemaId?: number; roles?: readonly string[] }): FutureGrantRecord[];
  grantFuture(grant: Omit<FutureGrantRecord, 'createdAt'>): void;
  revokeFuture(schemaId: number, kind: 'TABLE', privilege: string, role: string): boolean;
  /**
   * A table was created in `schemaId` (CREATE, CTAS, CLONE, OR REPLACE): its owner is the role a
   * future OWNERSHIP grant of the schema names, else `creator`; the schema's other future grants
   * become grants on it. Returns the owner.
   */
  tableCreated(tableId: number, schemaId: number, creator: string): string;
}
