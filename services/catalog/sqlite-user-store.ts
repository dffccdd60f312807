/**
 * UserStore (user-store.ts) over the catalog's SQLite connection: the tables users and
 * access_tokens of catalog migration 8. Every write is one IMMEDIATE transaction; reads are
 * single prepared statements (authentication runs one per request).
 */
import type { Database, Statement } from 'better-sqlite3';
import { clipValue } from '../../storage/errors/clip-value.js';
import { CompilationError } from '../../storage/errors/firn-error.js';
import type { AccessTokenInfo, NewAccessToken, NewUser, UserChanges, UserInfo, UserStore } from './user-store.js';

type UserRow = {
  id: number;
  name: string;
  password_hash: string | null;
  default_role: string | null;
  default_warehouse: string | null;
  default_namespace: string | null;
  disabled: number;
  comment: string | null;
  owner: string | null;
  created_at: number;
  last_login_at: number | null;
};

type TokenRow = {
  user_name: string;
  name: string;
  secret_hash: string;
  role_restriction: string | null;
  comment: string | null;
  created_at: number;
  created_by: string;
  expires_at: number;
};

const TOKEN_COLUMNS = 'u.name AS user_name, t.name, t.secret_hash, t.role_restriction, t.comment, t.created_at, t.created_by, t.expires_at';

export class SqliteUserStore implements UserStore {
  private readonly s: Record<
    'insert' | 'byName' | 'list' | 'update' | 'drop' | 'login' | 'tokenInsert' | 'tokenByName' | 'tokenDelete' | 'tokens' | 'tokenByHash',
    Statement
  >;

  constructor(private readonly db: Database) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO users (name, password_hash, default_role, default_warehouse, default_namespace, disabled, comment, owner, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      byName: db.prepare('SELECT * FROM users WHERE name = ?'),
      list: db.prepare('SELECT * FROM users ORDER BY name'),
      update: db.prepare(
        `UPDATE users SET password_hash = ?, default_role = ?, default_warehouse = ?, default_namespace = ?, disabled = ?, comment = ?
          WHERE id = ?`,
      ),
      drop: db.prepare('DELETE FROM users WHERE id = ?'),
      login: db.prepare('UPDATE users SET last_login_at = ? WHERE name = ?'),
      tokenInsert: db.prepare(
        `INSERT INTO access_tokens (user_id, name, secret_hash, role_restriction, comment, created_at, created_by, expires_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      tokenByName: db.prepare('SELECT id FROM access_tokens WHERE user_id = ? AND name = ?'),
      tokenDelete: db.prepare('DELETE FROM access_tokens WHERE user_id = ? AND name = ?'),
      tokens: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM access_tokens t JOIN users u ON u.id = t.user_id WHERE u.id = ? ORDER BY t.name`),
      tokenByHash: db.prepare(`SELECT ${TOKEN_COLUMNS} FROM access_tokens t JOIN users u ON u.id = t.user_id WHERE t.secret_hash = ?`),
    };
  }

  createUser(user: NewUser, opts: { ifNotExists?: boolean; orReplace?: boolean } = {}): 'created' | 'exists' {
    if (opts.ifNotExists && opts.orReplace) throw new CompilationError('SYNTAX', 'OR REPLACE and IF NOT EXISTS are incompatible.');
    return this.db.transaction((): 'created' | 'exists' => {
      const old = this.s.byName.get(user.name) as UserRow | undefined;
      if (old) {
        if (opts.ifNotExists) return 'exists';
        if (!opts.orReplace) throw new CompilationError('OBJECT_EXISTS', `Object '${clipValue(user.name)}' already exists.`);
        this.s.drop.run(old.id);
      }
      this.s.insert.run(
        user.name, user.passwordHash, user.defaultRole, user.defaultWarehouse, user.defaultNamespace, user.disabled ? 1 : 0,
        user.comment, user.owner, user.createdAt,
      );
      return 'created';
    }).immediate();
  }

  getUser(name: string): UserInfo | null {
    const row = this.s.byName.get(name) as UserRow | undefined;
    return row ? userInfo(row) : null;
  }

  listUsers(): UserInfo[] {
    return (this.s.list.all() as UserRow[]).map(userInfo);
  }

  updateUser(name: string, changes: UserChanges): UserInfo {
    return this.db.transaction((): UserInfo => {
      const u = userInfo(this.row(name));
      const next: UserInfo = { ...u, ...changes };
      this.s.update.run(next.passwordHash, next.defaultRole, next.defaultWarehouse, next.defaultNamespace, next.disabled ? 1 : 0, next.comment, u.id);
      return next;
    }).immediate();
  }

  dropUser(name: string, opts: { ifExists?: boolean } = {}): boolean {
    return this.db.transaction((): boolean => {
      const row = this.s.byName.get(name) as UserRow | undefined;
      if (!row) {
        if (opts.ifExists) return false;
        throw noSuchUser(name);
      }
      // access_tokens rows go with it (ON DELETE CASCADE).
      this.s.drop.run(row.id);
      return true;
    }).immediate();
  }

  recordLogin(name: string, at: number): void {
    this.s.login.run(at, name);
  }

  addToken(userName: string, token: NewAccessToken, opts: { ifNotExists?: boolean } = {}): 'created' | 'exists' {
    return this.db.transaction((): 'created' | 'exists' => {
      const user = this.row(userName);
      if (this.s.tokenByName.get(user.id, token.name)) {
        if (opts.ifNotExists) return 'exists';
        throw new CompilationError('OBJECT_EXISTS', `Programmatic access token '${clipValue(token.name)}' already exists for user '${clipValue(userName)}'.`);
      }
      this.s.tokenInsert.run(user.id, token.name, token.secretHash, token.roleRestriction, token.comment, token.createdAt, token.createdBy, token.expiresAt);
      return 'created';
    }).immediate();
  }

  removeToken(userName: string, tokenName: string): void {
    this.db.transaction(() => {
      const user = this.row(userName);
      if (this.s.tokenDelete.run(user.id, tokenName).changes === 0) {
        throw new CompilationError('OBJECT_NOT_FOUND', `Programmatic access token '${clipValue(tokenName)}' does not exist or not authorized.`);
      }
    }).immediate();
  }

  tokens(userName: string): AccessTokenInfo[] {
    return (this.s.tokens.all(this.row(userName).id) as TokenRow[]).map(tokenInfo);
  }

  tokenBySecretHash(secretHash: string): AccessTokenInfo | null {
    const row = this.s.tokenByHash.get(secretHash) as TokenRow | undefined;
    return row ? tokenInfo(row) : null;
  }

  private row(name: string): UserRow {
    const row = this.s.byName.get(name) as UserRow | undefined;
    if (!row) throw noSuchUser(name);
    return row;
  }
}

function noSuchUser(name: string): CompilationError {
  return new CompilationError('OBJECT_NOT_FOUND', `User '${clipValue(name)}' does not exist or not authorized.`);
}

function userInfo(r: UserRow): UserInfo {
  return {
    id: r.id,
    name: r.name,
    passwordHash: r.password_hash,
    defaultRole: r.default_role,
    defaultWarehouse: r.default_warehouse,
    defaultNamespace: r.default_namespace,
    disabled: r.disabled === 1,
    comment: r.comment,
    owner: r.owner,
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
  };
}

function tokenInfo(r: TokenRow): AccessTokenInfo {
  return {
    userName: r.user_name,
    name: r.name,
    secretHash: r.secret_hash,
    roleRestriction: r.role_restriction,
    comment: r.comment,
    createdAt: r.created_at,
    createdBy: r.created_by,
    expiresAt: r.expires_at,
  };
}
