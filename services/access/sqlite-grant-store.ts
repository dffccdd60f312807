/**
 * GrantStore (grant-store.ts) over the catalog's SQLite connection: the tables roles,
 * role_grants, privilege_grants, future_grants and object_owners of catalog migration 9. Every
 * method is one IMMEDIATE transaction, nested as a savepoint when the caller (or the catalog)
 * has one open, so a CREATE and the ownership of what it created commit together.
 */
import type Sqlite from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { catalogError } from '../catalog/catalog-error.js';
import type {
  FutureGrantRecord,
  GrantFilter,
  GrantStore,
  GranteeKind,
  ObjectRef,
  OwnerRecord,
  PrivilegeGrantRecord,
  RoleGrantRecord,
  RoleRecord,
} from './grant-store.js';
import { OWNERSHIP, type OwnableKind, type SecurableKind } from './privilege-names.js';

type RoleRow = { name: string; comment: string | null; owner: string | null; created_at: number };
type RoleGrantRow = { role: string; grantee_kind: GranteeKind; grantee: string; granted_by: string | null; created_at: number };
type PrivilegeRow = {
  object_kind: SecurableKind;
  object_id: number;
  privilege: string;
  role: string;
  grant_option: number;
  granted_by: string | null;
  created_at: number;
};
type FutureRow = { schema_id: number; object_kind: 'TABLE'; privilege: string; role: string; grant_option: number; granted_by: string | null; created_at: number };
type OwnerRow = { object_kind: OwnableKind; object_id: number; owner: string; granted_by: string | null; created_at: number };

function prepare(db: Database) {
  return {
    role: db.prepare<[string], RoleRow>('SELECT name, comment, owner, created_at FROM roles WHERE name = ?'),
    roles: db.prepare<[], RoleRow>('SELECT name, comment, owner, created_at FROM roles ORDER BY name'),
    roleInsert: db.prepare<[string, string | null, string | null, number]>('INSERT INTO roles (name, comment, owner, created_at) VALUES (?, ?, ?, ?)'),
    roleDelete: db.prepare<[string]>('DELETE FROM roles WHERE name = ?'),
    roleOwner: db.prepare<[string, string]>('UPDATE roles SET owner = ? WHERE name = ?'),
    rolesInherit: db.prepare<[string, string]>('UPDATE roles SET owner = ? WHERE owner = ?'),
    objectsInherit: db.prepare<[string, string]>('UPDATE object_owners SET owner = ? WHERE owner = ?'),
    grantsToRoleDelete: db.prepare<[string]>("DELETE FROM role_grants WHERE grantee_kind = 'ROLE' AND grantee = ?"),
    userGrantsDelete: db.prepare<[string]>("DELETE FROM role_grants WHERE grantee_kind = 'USER' AND grantee = ?"),
    roleGrants: db.prepare<[], RoleGrantRow>('SELECT role, grantee_kind, grantee, granted_by, created_at FROM role_grants ORDER BY role, grantee_kind, grantee'),
    roleGrantInsert: db.prepare<[string, GranteeKind, string, string | null, number]>(
      'INSERT OR IGNORE INTO role_grants (role, grantee_kind, grantee, granted_by, created_at) VALUES (?, ?, ?, ?, ?)',
    ),
    roleGrantDelete: db.prepare<[string, GranteeKind, string]>('DELETE FROM role_grants WHERE role = ? AND grantee_kind = ? AND grantee = ?'),
    privilegeUpsert: db.prepare<[SecurableKind, number, string, string, number, string | null, number]>(
      `INSERT INTO privilege_grants (object_kind, object_id, privilege, role, grant_option, granted_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (object_kind, object_id, privilege, role) DO UPDATE SET grant_option = max(grant_option, excluded.grant_option)`,
    ),
    privilegeDelete: db.prepare<[SecurableKind, number, string, string]>(
      'DELETE FROM privilege_grants WHERE object_kind = ? AND object_id = ? AND privilege = ? AND role = ?',
    ),
    privilegeDropOption: db.prepare<[SecurableKind, number, string, string]>(
      'UPDATE privilege_grants SET grant_option = 0 WHERE object_kind = ? AND object_id = ? AND privilege = ? AND role = ?',
    ),
    privilegesOnDelete: db.prepare<[SecurableKind, number]>('DELETE FROM privilege_grants WHERE object_kind = ? AND object_id = ?'),
    owner: db.prepare<[OwnableKind, number], OwnerRow>('SELECT object_kind, object_id, owner, granted_by, created_at FROM object_owners WHERE object_kind = ? AND object_id = ?'),
    ownerUpsert: db.prepare<[OwnableKind, number, string, string | null, number]>(
      `INSERT INTO object_owners (object_kind, object_id, owner, granted_by, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (object_kind, object_id) DO UPDATE SET owner = excluded.owner, granted_by = excluded.granted_by, created_at = excluded.created_at`,
    ),
    futureUpsert: db.prepare<[number, 'TABLE', string, string, number, string | null, number]>(
      `INSERT INTO future_grants (schema_id, object_kind, privilege, role, grant_option, granted_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (schema_id, object_kind, privilege, role) DO UPDATE SET grant_option = max(grant_option, excluded.grant_option)`,
    ),
    futureDelete: db.prepare<[number, 'TABLE', string, string]>('DELETE FROM future_grants WHERE schema_id = ? AND object_kind = ? AND privilege = ? AND role = ?'),
    futureOf: db.prepare<[number], FutureRow>(
      "SELECT schema_id, object_kind, privilege, role, grant_option, granted_by, created_at FROM future_grants WHERE schema_id = ? AND object_kind = 'TABLE' ORDER BY privilege, role",
    ),
  } satisfies Record<string, Statement<unknown[], unknown>>;
}

const roleNotFound = (name: string) => new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Role '${clipValue(name)}' does not exist or not authorized.`);

export class SqliteGrantStore implements GrantStore {
  private readonly s: ReturnType<typeof prepare>;
  private readonly tx: Sqlite.Transaction<(fn: () => unknown) => unknown>;
  private writes = 0;

  constructor(private readonly db: Database) {
    this.s = prepare(db);
    this.tx = db.transaction((fn: () => unknown) => fn());
  }

  atomically<T>(fn: () => T): T {
    try {
      return this.tx.immediate(fn) as T;
    } catch (err) {
      throw catalogError(err, 'access control change failed');
    } finally {
      // After the transaction, committed or not: nothing read inside it outlives it.
      this.writes++;
    }
  }

  generation(): number {
    return this.writes;
  }

  getRole(name: string): RoleRecord | null {
    const row = this.read(() => this.s.role.get(name));
    return row ? roleRecord(row) : null;
  }

  listRoles(): RoleRecord[] {
    return this.read(() => this.s.roles.all().map(roleRecord));
  }

  createRole(role: { name: string; comment: string | null; owner: string | null }): RoleRecord {
    return this.atomically(() => {
      if (this.s.role.get(role.name)) throw new CompilationError('OBJECT_EXISTS', `SQL compilation error: Object '${clipValue(role.name)}' already exists.`);
      const now = Date.now();
      this.s.roleInsert.run(role.name, role.comment, role.owner, now);
      return { ...role, createdAt: new Date(now) };
    });
  }

  dropRole(name: string, heir: string): void {
    this.atomically(() => {
      if (!this.s.role.get(name)) throw roleNotFound(name);
      this.s.rolesInherit.run(heir, name);
      this.s.objectsInherit.run(heir, name);
      this.s.grantsToRoleDelete.run(name);
      // Grants of the role, its privileges and future grants go with it (ON DELETE CASCADE).
      this.s.roleDelete.run(name);
    });
  }

  setRoleOwner(name: string, owner: string): void {
    this.atomically(() => {
      if (this.s.roleOwner.run(owner, name).changes === 0) throw roleNotFound(name);
    });
  }

  roleGrants(): RoleGrantRecord[] {
    return this.read(() =>
      this.s.roleGrants.all().map((r) => ({ role: r.role, granteeKind: r.grantee_kind, grantee: r.grantee, grantedBy: r.granted_by, createdAt: new Date(r.created_at) })),
    );
  }

  grantRole(role: string, granteeKind: GranteeKind, grantee: string, grantedBy: string | null): boolean {
    return this.atomically(() => this.s.roleGrantInsert.run(role, granteeKind, grantee, grantedBy, Date.now()).changes > 0);
  }

  revokeRole(role: string, granteeKind: GranteeKind, grantee: string): boolean {
    return this.atomically(() => this.s.roleGrantDelete.run(role, granteeKind, grantee).changes > 0);
  }

  privilegeGrants(filter: GrantFilter = {}): PrivilegeGrantRecord[] {
    const { where, args } = filterSql(filter, 'role');
    return this.read(() =>
      (this.db
        .prepare(`SELECT object_kind, object_id, privilege, role, grant_option, granted_by, created_at FROM privilege_grants${where} ORDER BY object_kind, object_id, privilege, role`)
        .all(...args) as PrivilegeRow[]).map((r) => ({
        kind: r.object_kind,
        objectId: r.object_id,
        privilege: r.privilege,
        role: r.role,
        grantOption: r.grant_option === 1,
        grantedBy: r.granted_by,
        createdAt: new Date(r.created_at),
      })),
    );
  }

  grantPrivilege(g: Omit<PrivilegeGrantRecord, 'createdAt'>): void {
    this.atomically(() => {
      this.s.privilegeUpsert.run(g.kind, g.objectId, g.privilege, g.role, g.grantOption ? 1 : 0, g.grantedBy, Date.now());
    });
  }

  revokePrivilege(object: ObjectRef, privilege: string, role: string, grantOptionOnly: boolean): boolean {
    const stmt = grantOptionOnly ? this.s.privilegeDropOption : this.s.privilegeDelete;
    return this.atomically(() => stmt.run(object.kind, object.objectId, privilege, role).changes > 0);
  }

  revokeAllOn(object: ObjectRef): number {
    return this.atomically(() => this.s.privilegesOnDelete.run(object.kind, object.objectId).changes);
  }

  dropUserGrants(user: string): number {
    return this.atomically(() => this.s.userGrantsDelete.run(user).changes);
  }

  owners(filter: GrantFilter = {}): OwnerRecord[] {
    const { where, args } = filterSql(filter, 'owner');
    return this.read(() =>
      (this.db.prepare(`SELECT object_kind, object_id, owner, granted_by, created_at FROM object_owners${where} ORDER BY object_kind, object_id`).all(...args) as OwnerRow[]).map(ownerRecord),
    );
  }

  ownerOf(kind: OwnableKind, objectId: number): string | null {
    return this.read(() => this.s.owner.get(kind, objectId)?.owner ?? null);
  }

  setOwner(kind: OwnableKind, objectId: number, owner: string, grantedBy: string | null): void {
    this.atomically(() => {
      this.s.ownerUpsert.run(kind, objectId, owner, grantedBy, Date.now());
    });
  }

  futureGrants(filter: { schemaId?: number; roles?: readonly string[] } = {}): FutureGrantRecord[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.schemaId !== undefined) {
      where.push('schema_id = ?');
      args.push(filter.schemaId);
    }
    if (filter.roles) {
      where.push('role IN (SELECT value FROM json_each(?))');
      args.push(JSON.stringify(filter.roles));
    }
    const clause = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    return this.read(() =>
      (this.db.prepare(`SELECT schema_id, object_kind, privilege, role, grant_option, granted_by, created_at FROM future_grants${clause} ORDER BY schema_id, privilege, role`).all(...args) as FutureRow[]).map(
        futureRecord,
      ),
    );
  }

  grantFuture(g: Omit<FutureGrantRecord, 'createdAt'>): void {
    this.atomically(() => {
      this.s.futureUpsert.run(g.schemaId, g.kind, g.privilege, g.role, g.grantOption ? 1 : 0, g.grantedBy, Date.now());
    });
  }

  revokeFuture(schemaId: number, kind: 'TABLE', privilege: string, role: string): boolean {
    return this.atomically(() => this.s.futureDelete.run(schemaId, kind, privilege, role).changes > 0);
  }

  tableCreated(tableId: number, schemaId: number, creator: string): string {
    return this.atomically(() => {
      const future = this.s.futureOf.all(schemaId);
      const owner = future.find((f) => f.privilege === OWNERSHIP)?.role ?? creator;
      const now = Date.now();
      this.s.ownerUpsert.run('TABLE', tableId, owner, creator, now);
      for (const f of future) {
        if (f.privilege !== OWNERSHIP) this.s.privilegeUpsert.run('TABLE', tableId, f.privilege, f.role, f.grant_option, f.granted_by, now);
      }
      return owner;
    });
  }

  /** One read transaction (a snapshot), errors mapped as the catalog's are. */
  private read<T>(fn: () => T): T {
    try {
      return this.tx.deferred(fn) as T;
    } catch (err) {
      throw catalogError(err, 'access control lookup failed');
    }
  }
}

/** WHERE over a grant or owner listing: held by any of `roles` (column `roleColumn`), on `object`. */
function filterSql(filter: GrantFilter, roleColumn: 'role' | 'owner'): { where: string; args: (string | number)[] } {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.roles) {
    // One bound JSON array rather than a placeholder per role: one SQL text whatever the count.
    where.push(`${roleColumn} IN (SELECT value FROM json_each(?))`);
    args.push(JSON.stringify(filter.roles));
  }
  if (filter.object) {
    where.push('object_kind = ? AND object_id = ?');
    args.push(filter.object.kind, filter.object.objectId);
  }
  return { where: where.length ? ` WHERE ${where.join(' AND ')}` : '', args };
}

function roleRecord(r: RoleRow): RoleRecord {
  return { name: r.name, comment: r.comment, owner: r.owner, createdAt: new Date(r.created_at) };
}

function ownerRecord(r: OwnerRow): OwnerRecord {
  return { kind: r.object_kind, objectId: r.object_id, owner: r.owner, grantedBy: r.granted_by, createdAt: new Date(r.created_at) };
}

function futureRecord(r: FutureRow): FutureGrantRecord {
  return { schemaId: r.schema_id, kind: r.object_kind, privilege: r.privilege, role: r.role, grantOption: r.grant_option === 1, grantedBy: r.granted_by, createdAt: new Date(r.created_at) };
}
