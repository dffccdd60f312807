/**
 * SHOW ROLES, SHOW GRANTS and SHOW FUTURE GRANTS with Snowflake's columns:
 * - SHOW ROLES: created_on, name, is_current, is_inherited, assigned_to_users, granted_to_roles,
 *   granted_roles, owner, comment — every role of the account (names are no secret).
 * - SHOW GRANTS TO ROLE r and ON <object>: created_on, privilege, granted_on, name, granted_to,
 *   grantee_name, grant_option, granted_by. TO ROLE lists the role's own grants (not inherited
 *   ones): its privileges, OWNERSHIP of what it owns (granted_by: the owner), and USAGE on each
 *   role granted to it. ON lists every grant on the object, its OWNERSHIP among them.
 * - SHOW GRANTS OF ROLE r and TO USER u (bare SHOW GRANTS: the current user): created_on, role,
 *   granted_to, grantee_name, granted_by.
 * - SHOW FUTURE GRANTS IN SCHEMA s: created_on, privilege, grant_on, name, grant_to,
 *   grantee_name, grant_option.
 * Rows are ordered by granted_on, name, privilege (grantee last). Grants on dropped objects stay
 * stored (UNDROP restores them) but are not shown.
 *
 * Who may look: a role's grants by a role that is or inherits it, owns it, or holds MANAGE GRANTS;
 * grants on an object by a role that sees it; a user's by that user or MANAGE GRANTS; future
 * grants of a schema by a role that sees the schema or holds MANAGE GRANTS.
 */
import { likeFilter } from './like-filter.js';
import { Types } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import { canSeeRoleGrants, canSeeSchema, hasAccount, type AccessContext } from '../access/access-check.js';
import { containerNotFound, insufficientPrivileges, roleNotFound } from '../access/access-errors.js';
import { OWNERSHIP } from '../access/privilege-names.js';
import type { PrivilegeGrantRecord } from '../access/grant-store.js';
import { RoleHierarchy } from '../access/role-hierarchy.js';
import type { ObjectName, ShowGrantsOf, Statement } from '../sql/ast.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { Answer } from './answer.js';
import type { EngineEnv } from './engine-env.js';
import { ObjectNames, resolveGrantObject, schemaName } from './grant-objects.js';
import type { SessionContext } from './statement-result.js';

type ShowStatement = Extract<Statement, { kind: 'show_roles' | 'show_grants' | 'show_future_grants' }>;
type Kind = 'v' | 'n' | 't';

const GRANT_COLUMNS: [string, Kind][] = [
  ['created_on', 't'], ['privilege', 'v'], ['granted_on', 'v'], ['name', 'v'], ['granted_to', 'v'], ['grantee_name', 'v'], ['grant_option', 'v'], ['granted_by', 'v'],
];
const ROLE_GRANT_COLUMNS: [string, Kind][] = [['created_on', 't'], ['role', 'v'], ['granted_to', 'v'], ['grantee_name', 'v'], ['granted_by', 'v']];

export function runShowAccess(env: EngineEnv, st: ShowStatement, session: SessionContext): Answer {
  const ctx: AccessContext = { catalog: env.catalog, session };
  switch (st.kind) {
    case 'show_roles':
      return showRoles(ctx, st.like);
    case 'show_future_grants':
      return showFutureGrants(ctx, st.schema);
    case 'show_grants': {
      const of = st.of;
      switch (of.kind) {
        case 'TO_ROLE':
          requireRoleGrantsVisible(ctx, of.role);
          return grantTable(toRole(ctx, of.role));
        case 'ON':
          return grantTable(onObject(ctx, of.target));
        case 'OF_ROLE':
          requireRoleGrantsVisible(ctx, of.role);
          return roleGrantTable(ctx.catalog.grants.roleGrants().filter((g) => g.role === of.role));
        case 'TO_USER':
        case 'CURRENT_USER': {
          const user = of.kind === 'TO_USER' ? of.user : (session.user ?? '');
          if (user !== session.user && !hasAccount(ctx, 'MANAGE GRANTS')) throw insufficientPrivileges('USER', user);
          return roleGrantTable(ctx.catalog.grants.roleGrants().filter((g) => g.granteeKind === 'USER' && g.grantee === user));
        }
      }
    }
  }
}

function requireRoleGrantsVisible(ctx: AccessContext, role: string): void {
  if (ctx.catalog.grants.getRole(role) === null) throw roleNotFound(role);
  if (!canSeeRoleGrants(ctx, role)) throw insufficientPrivileges('ROLE', role);
}

type GrantRow = { createdAt: Date; privilege: string; grantedOn: string; name: string; grantee: string; grantOption: boolean; grantedBy: string | null };

/** The role's own grants: privileges, ownerships (of objects and roles), and the roles granted to it. */
function toRole(ctx: AccessContext, role: string): GrantRow[] {
  const grants = ctx.catalog.grants;
  const names = new ObjectNames(ctx.catalog);
  const rows: GrantRow[] = [];
  for (const g of grants.privilegeGrants({ roles: [role] })) {
    const name = names.name(g.kind, g.objectId);
    if (name !== null) rows.push(privilegeRow(g, name));
  }
  for (const o of grants.owners({ roles: [role] })) {
    const name = names.name(o.kind, o.objectId);
    if (name !== null) rows.push({ createdAt: o.createdAt, privilege: OWNERSHIP, grantedOn: o.kind, name, grantee: role, grantOption: true, grantedBy: role });
  }
  for (const r of grants.listRoles()) {
    if (r.owner === role) rows.push({ createdAt: r.createdAt, privilege: OWNERSHIP, grantedOn: 'ROLE', name: r.name, grantee: role, grantOption: true, grantedBy: role });
  }
  for (const g of grants.roleGrants()) {
    if (g.granteeKind === 'ROLE' && g.grantee === role) rows.push({ createdAt: g.createdAt, privilege: 'USAGE', grantedOn: 'ROLE', name: g.role, grantee: role, grantOption: false, grantedBy: g.grantedBy });
  }
  return rows;
}

/** Every grant on one object, its owner's among them; the object must be visible to the role. */
function onObject(ctx: AccessContext, target: Extract<ShowGrantsOf, { kind: 'ON' }>['target']): GrantRow[] {
  const grants = ctx.catalog.grants;
  if (target.kind === 'ROLE') {
    const r = grants.getRole(target.name);
    if (r === null) throw roleNotFound(target.name);
    const rows: GrantRow[] = [];
    if (r.owner !== null) rows.push({ createdAt: r.createdAt, privilege: OWNERSHIP, grantedOn: 'ROLE', name: r.name, grantee: r.owner, grantOption: true, grantedBy: r.owner });
    return rows;
  }
  const obj = resolveGrantObject(ctx, target);
  if (!obj.visible) throw obj.hidden();
  const name = new ObjectNames(ctx.catalog).name(obj.kind, obj.id) ?? obj.label;
  const rows = grants.privilegeGrants({ object: { kind: obj.kind, objectId: obj.id } }).map((g) => privilegeRow(g, name));
  if (obj.kind !== 'ACCOUNT') {
    for (const o of grants.owners({ object: { kind: obj.kind, objectId: obj.id } })) {
      rows.push({ createdAt: o.createdAt, privilege: OWNERSHIP, grantedOn: o.kind, name, grantee: o.owner, grantOption: true, grantedBy: o.owner });
    }
  }
  return rows;
}

function privilegeRow(g: PrivilegeGrantRecord, name: string): GrantRow {
  return { createdAt: g.createdAt, privilege: g.privilege, grantedOn: g.kind, name, grantee: g.role, grantOption: g.grantOption, grantedBy: g.grantedBy };
}

function grantTable(rows: GrantRow[]): Answer {
  rows.sort((a, b) => cmp(a.grantedOn, b.grantedOn) || cmp(a.name, b.name) || cmp(a.privilege, b.privilege) || cmp(a.grantee, b.grantee));
  return table(
    GRANT_COLUMNS,
    rows.map((r) => [nanos(r.createdAt), r.privilege, r.grantedOn, r.name, 'ROLE', r.grantee, r.grantOption ? 'true' : 'false', r.grantedBy ?? '']),
  );
}

function roleGrantTable(rows: { role: string; granteeKind: string; grantee: string; grantedBy: string | null; createdAt: Date }[]): Answer {
  const sorted = [...rows].sort((a, b) => cmp(a.role, b.role) || cmp(a.granteeKind, b.granteeKind) || cmp(a.grantee, b.grantee));
  return table(ROLE_GRANT_COLUMNS, sorted.map((g) => [nanos(g.createdAt), g.role, g.granteeKind, g.grantee, g.grantedBy ?? '']));
}

function showRoles(ctx: AccessContext, like: string | null): Answer {
  const grants = ctx.catalog.grants;
  const edges = grants.roleGrants();
  const current = ctx.session.role;
  const inherited = current === undefined ? new Set<string>() : new RoleHierarchy(edges).closure(current);
  const match = likeFilter(like);
  const count = (pred: (g: (typeof edges)[number]) => boolean) => BigInt(edges.filter(pred).length);
  const rows = grants
    .listRoles()
    .filter((r) => match(r.name))
    .map((r): Scalar[] => [
      nanos(r.createdAt),
      r.name,
      r.name === current ? 'Y' : 'N',
      r.name !== current && inherited.has(r.name) ? 'Y' : 'N',
      count((g) => g.role === r.name && g.granteeKind === 'USER'),
      count((g) => g.role === r.name && g.granteeKind === 'ROLE'),
      count((g) => g.granteeKind === 'ROLE' && g.grantee === r.name),
      r.owner ?? '',
      r.comment ?? '',
    ]);
  return table(
    [['created_on', 't'], ['name', 'v'], ['is_current', 'v'], ['is_inherited', 'v'], ['assigned_to_users', 'n'], ['granted_to_roles', 'n'], ['granted_roles', 'n'], ['owner', 'v'], ['comment', 'v']],
    rows,
  );
}

function showFutureGrants(ctx: AccessContext, name: ObjectName): Answer {
  const n = schemaName(name, ctx.session);
  const s = ctx.catalog.getSchema(n.database, n.schema);
  if (!s || (!canSeeSchema(ctx, s) && !hasAccount(ctx, 'MANAGE GRANTS'))) throw containerNotFound('SCHEMA', `${n.database}.${n.schema}`);
  const rows = ctx.catalog.grants
    .futureGrants({ schemaId: s.id })
    .map((f): Scalar[] => [nanos(f.createdAt), f.privilege, f.kind, `${n.database}.${n.schema}.<TABLE>`, 'ROLE', f.role, f.grantOption ? 'true' : 'false']);
  return table([['created_on', 't'], ['privilege', 'v'], ['grant_on', 'v'], ['name', 'v'], ['grant_to', 'v'], ['grantee_name', 'v'], ['grant_option', 'v']], rows);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function nanos(d: Date): bigint {
  return BigInt(d.getTime()) * 1_000_000n;
}

function table(columns: [string, Kind][], rows: Scalar[][]): Answer {
  const cols: Column[] = columns.map(([name, k]) => ({ name, type: k === 'v' ? Types.varchar : k === 'n' ? Types.number(38, 0) : Types.timestampNtz, nullable: true }));
  return { columns: cols, batch: rowsToBatch(cols, rows) };
}
