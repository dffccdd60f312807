/**
 * The privileges of a statement's role: attached once per statement to the statement's session
 * (SessionContext.privileges) by the engine, then asked in memory by every check
 * (access-check.ts) — no catalog query per table, none per row. They are read from the grant
 * store only when it changed since they were last read for that user and role (`forSession`).
 *
 * Contract: a role holds what is granted to it and to every role it inherits (role-hierarchy.ts),
 * PUBLIC included. Owning an object (its owner is one of those roles) holds every privilege on
 * it, with the grant option. Account privileges (CREATE DATABASE, MANAGE GRANTS, ...) are grants
 * on ('ACCOUNT', 0). `forSession` refuses (003013) a role the user may not activate: one neither
 * granted to the user, nor inherited by a role granted to the user, nor PUBLIC; or one that no
 * longer exists. ACCOUNTADMIN has no bypass: it holds what its hierarchy (SYSADMIN, which owns
 * the bootstrap objects, and SECURITYADMIN, which holds MANAGE GRANTS) holds.
 */
import type { GrantStore } from './grant-store.js';
import { roleNotGranted } from './access-errors.js';
import { ACCOUNT_ID, type OwnableKind, type SecurableKind } from './privilege-names.js';
import { RoleHierarchy, roleAvailable } from './role-hierarchy.js';

const key = (kind: SecurableKind, id: number): string => `${kind}:${id}`;

/** At most this many (user, role) privilege sets are kept per store between grant changes. */
const MAX_KEPT = 1_000;
/** Per store, the privilege sets computed since its last change. */
const SESSIONS = new WeakMap<GrantStore, { generation: number; byIdentity: Map<string, RolePrivileges> }>();

export class RolePrivileges {
  private constructor(
    readonly user: string,
    readonly role: string,
    /** The role, every role it inherits, and PUBLIC. */
    readonly roles: ReadonlySet<string>,
    /** Per object, its privileges held, each with whether the grant option comes with it. */
    private readonly held: ReadonlyMap<string, ReadonlyMap<string, boolean>>,
    private readonly owned: ReadonlySet<string>,
    private readonly ownedRoles: ReadonlySet<string>,
  ) {}

  /**
   * The privileges of `role` for a statement of `user` (see the module comment), read from the
   * store, or the same object as the last statement's while the store has not changed since
   * (GrantStore.generation): a statement pays for the read only after a grant, a CREATE or a
   * role change, not per statement.
   */
  static forSession(store: GrantStore, user: string, role: string): RolePrivileges {
    let cache = SESSIONS.get(store);
    if (!cache || cache.generation !== store.generation()) {
      cache = { generation: store.generation(), byIdentity: new Map() };
      SESSIONS.set(store, cache);
    }
    const id = JSON.stringify([user, role]);
    const kept = cache.byIdentity.get(id);
    if (kept) return kept;
    const hierarchy = RoleHierarchy.load(store);
    if (!roleAvailable(store, hierarchy, user, role)) throw roleNotGranted(role);
    const fresh = RolePrivileges.of(store, hierarchy, user, role);
    if (cache.byIdentity.size >= MAX_KEPT) cache.byIdentity.clear();
    cache.byIdentity.set(id, fresh);
    return fresh;
  }

  /**
   * The privileges of `role` as the owner of an object that acts with its owner's rights (a
   * view's query binds with its owner's privileges, not its reader's): no user, so no check that
   * anyone may activate the role. Cached as forSession's are.
   */
  static forOwner(store: GrantStore, role: string): RolePrivileges {
    let cache = SESSIONS.get(store);
    if (!cache || cache.generation !== store.generation()) {
      cache = { generation: store.generation(), byIdentity: new Map() };
      SESSIONS.set(store, cache);
    }
    const id = JSON.stringify(['', role, 'owner']);
    const kept = cache.byIdentity.get(id);
    if (kept) return kept;
    const fresh = RolePrivileges.of(store, RoleHierarchy.load(store), '', role);
    if (cache.byIdentity.size >= MAX_KEPT) cache.byIdentity.clear();
    cache.byIdentity.set(id, fresh);
    return fresh;
  }

  /** The privileges of `role`, whoever uses it (no check that `user` holds it). */
  static of(store: GrantStore, hierarchy: RoleHierarchy, user: string, role: string): RolePrivileges {
    const roles = hierarchy.closure(role);
    const list = [...roles];
    const held = new Map<string, Map<string, boolean>>();
    for (const g of store.privilegeGrants({ roles: list })) {
      const k = key(g.kind, g.objectId);
      let m = held.get(k);
      if (!m) held.set(k, (m = new Map()));
      m.set(g.privilege, (m.get(g.privilege) ?? false) || g.grantOption);
    }
    const owned = new Set(store.owners({ roles: list }).map((o) => key(o.kind, o.objectId)));
    const ownedRoles = new Set(store.listRoles().filter((r) => r.owner !== null && roles.has(r.owner)).map((r) => r.name));
    return new RolePrivileges(user, role, roles, held, owned, ownedRoles);
  }

  /** Whether the role owns the object (through its hierarchy). */
  owns(kind: OwnableKind, id: number): boolean {
    return this.owned.has(key(kind, id));
  }

  /** Whether the role holds `privilege` on the object, or owns it. */
  has(kind: SecurableKind, id: number, privilege: string): boolean {
    const k = key(kind, id);
    return this.owned.has(k) || (this.held.get(k)?.has(privilege) ?? false);
  }

  /** Whether the role holds any privilege on the object (what makes it visible), ownership included. */
  holdsAny(kind: SecurableKind, id: number): boolean {
    const k = key(kind, id);
    return this.owned.has(k) || this.held.has(k);
  }

  /** Whether the role may grant `privilege` on the object onward: it owns it, or holds the privilege WITH GRANT OPTION. */
  grantable(kind: SecurableKind, id: number, privilege: string): boolean {
    const k = key(kind, id);
    return this.owned.has(k) || this.held.get(k)?.get(privilege) === true;
  }

  /** An account privilege: CREATE DATABASE, CREATE WAREHOUSE, CREATE ROLE, CREATE USER, MANAGE GRANTS. */
  account(privilege: string): boolean {
    return this.held.get(key('ACCOUNT', ACCOUNT_ID))?.has(privilege) ?? false;
  }

  /** Whether the role is `role` or inherits it. */
  inherits(role: string): boolean {
    return this.roles.has(role);
  }

  /** Whether the role owns role `name` (through its hierarchy). */
  ownsRole(name: string): boolean {
    return this.ownedRoles.has(name);
  }
}
