/**
 * The role hierarchy: which roles a role inherits (Snowflake's privilege inheritance) and which
 * roles a user may activate. Granting role A to role B makes B inherit A and everything A
 * inherits; every role inherits PUBLIC, and every user holds PUBLIC, without a grant.
 *
 * Contract: built from the role grant rows once (they are few: `RoleHierarchy.load` reads them
 * all); `closure(role)` is the role, every role it inherits transitively, and PUBLIC; a user's
 * `available` roles are the closures of the roles granted to the user plus PUBLIC (USE ROLE may
 * activate any of them). The hierarchy is acyclic — GRANT ROLE refuses a grant that
 * `wouldCycle` — so closures terminate; they are computed with a visited set regardless.
 */
import type { GrantStore, RoleGrantRecord } from './grant-store.js';
import { SystemRoles } from './privilege-names.js';

export class RoleHierarchy {
  /** Per role, the roles granted to it (it inherits them). */
  private readonly children = new Map<string, string[]>();
  /** Per user, the roles granted to the user. */
  private readonly userRoles = new Map<string, string[]>();

  constructor(grants: readonly Pick<RoleGrantRecord, 'role' | 'granteeKind' | 'grantee'>[]) {
    for (const g of grants) {
      const into = g.granteeKind === 'ROLE' ? this.children : this.userRoles;
      const list = into.get(g.grantee);
      if (list) list.push(g.role);
      else into.set(g.grantee, [g.role]);
    }
  }

  static load(store: GrantStore): RoleHierarchy {
    return new RoleHierarchy(store.roleGrants());
  }

  /** `role`, every role it inherits, and PUBLIC. */
  closure(role: string): Set<string> {
    const out = new Set<string>([role]);
    const stack = [role];
    while (stack.length > 0) {
      for (const c of this.children.get(stack.pop()!) ?? []) {
        if (out.has(c)) continue;
        out.add(c);
        stack.push(c);
      }
    }
    out.add(SystemRoles.PUBLIC);
    return out;
  }

  /** Whether `role` is `target` or inherits it: `inherits('ACCOUNTADMIN', 'USERADMIN')` is true. */
  inherits(role: string, target: string): boolean {
    return this.closure(role).has(target);
  }

  /** The roles `user` may use: those granted to the user, what they inherit, and PUBLIC. */
  available(user: string): Set<string> {
    const out = new Set<string>([SystemRoles.PUBLIC]);
    for (const r of this.userRoles.get(user) ?? []) for (const x of this.closure(r)) out.add(x);
    return out;
  }

  /** The roles granted to `user` directly (without PUBLIC). */
  grantedTo(user: string): readonly string[] {
    return this.userRoles.get(user) ?? [];
  }

  /** The roles granted to `role` directly. */
  childrenOf(role: string): readonly string[] {
    return this.children.get(role) ?? [];
  }

  /** Whether granting `role` to role `grantee` would close a cycle: `role` is `grantee` or already inherits it. */
  wouldCycle(role: string, grantee: string): boolean {
    return role === grantee || this.inherits(role, grantee);
  }
}

/**
 * Whether `role` is `target` or inherits it, read from the store now. For checks outside a
 * statement's privilege set, e.g. whether a role may manage users:
 * `inheritsRole(catalog.grants, role, 'USERADMIN')`.
 */
export function inheritsRole(store: GrantStore, role: string, target: string): boolean {
  return RoleHierarchy.load(store).inherits(role, target);
}

/**
 * Whether `user` may activate `role` (USE ROLE, a session's starting role): it exists and is
 * granted to the user, directly or through the hierarchy, or is PUBLIC.
 */
export function roleAvailable(store: GrantStore, hierarchy: RoleHierarchy, user: string, role: string): boolean {
  return hierarchy.available(user).has(role) && store.getRole(role) !== null;
}

/** Whether `user` may activate `role` now, read from the store (a login's default role, USE ROLE). */
export function userMayUseRole(store: GrantStore, user: string, role: string): boolean {
  return roleAvailable(store, RoleHierarchy.load(store), user, role);
}
