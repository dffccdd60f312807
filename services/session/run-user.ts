/**
 * User statements: CREATE | ALTER | DROP USER, ALTER USER ... ADD | REMOVE PROGRAMMATIC ACCESS
 * TOKEN, SHOW USERS and SHOW USER PROGRAMMATIC ACCESS TOKENS, over the catalog's user store
 * (services/catalog/user-store.ts). Each answers like Snowflake: a one-row `status` for DDL,
 * `token_name`, `token_secret` for a new token (the only time its secret is shown), a table
 * for SHOW.
 *
 * Who may do what (InsufficientPrivilegesError, 003001, otherwise):
 * - Creating, altering and dropping users, and another user's tokens: a role with the account
 *   privilege CREATE USER (USERADMIN and the roles above it), and only users whose default role
 *   its own role includes (a USERADMIN cannot reset ADMIN's password), giving only default
 *   roles and role restrictions its role includes (no one hands out a role above their own).
 * - DROP USER also drops the user's role grants (catalog.grants.dropUserGrants).
 * - A user's own password and tokens: the user itself, whatever its role. A token's
 *   ROLE_RESTRICTION must be a role the token's user may use (ROLE_NOT_GRANTED otherwise).
 * - SHOW USERS lists every user to a session that may manage users, else only its own user.
 *
 * Passwords are stored as scrypt hashes (services/access/password-hash.ts), at most
 * MAX_PASSWORD_CHARS characters; a token's secret only as its SHA-256. A token lives
 * DAYS_TO_EXPIRY days (default DEFAULT_TOKEN_DAYS_TO_EXPIRY, 15, at most 365: Snowflake's).
 */
import { AuthenticationError, CompilationError, InsufficientPrivilegesError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { Types } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import { MAX_PASSWORD_CHARS } from '../access/firn-authenticator.js';
import { userMayUseRole } from '../access/role-hierarchy.js';
import { hashPassword } from '../access/password-hash.js';
import { newSecret, secretHash } from '../access/token-secret.js';
import { formatNamespace } from '../access/user-defaults.js';
import { DEFAULT_TOKEN_DAYS_TO_EXPIRY, MAX_TOKEN_DAYS_TO_EXPIRY, type UserChanges, type UserInfo, type UserStore } from '../catalog/user-store.js';
import type { AlterUserAction, Statement, UserProperties } from '../sql/ast.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import { status, type Answer } from './answer.js';
import type { EngineEnv } from './engine-env.js';
import { likeFilter } from './like-filter.js';
import type { SessionContext } from './statement-result.js';

export type UserStatement = Extract<Statement, { kind: 'create_user' | 'alter_user' | 'drop_user' | 'show_users' | 'show_user_tokens' }>;

const DAY_MS = 86_400_000;

export async function runUserStatement(env: EngineEnv, st: UserStatement, session: SessionContext): Promise<Answer> {
  const users = env.catalog.users;
  switch (st.kind) {
    case 'create_user': {
      requireManager(session, 'account');
      const replaced = st.orReplace ? users.getUser(st.name) : null;
      if (replaced) requireAbove(session, replaced);
      const changes = await userChanges(st.properties, session);
      const created = users.createUser(
        {
          name: st.name,
          passwordHash: changes.passwordHash ?? null,
          defaultRole: changes.defaultRole ?? null,
          defaultWarehouse: changes.defaultWarehouse ?? null,
          defaultNamespace: changes.defaultNamespace ?? null,
          disabled: changes.disabled ?? false,
          comment: changes.comment ?? null,
          owner: session.role ?? null,
          createdAt: Date.now(),
        },
        { ifNotExists: st.ifNotExists, orReplace: st.orReplace },
      );
      if (created === 'exists') return status(`${st.name} already exists, statement succeeded.`);
      return status(`User ${st.name} successfully created.`);
    }
    case 'alter_user': {
      const name = st.name ?? sessionUser(session);
      // Before IF EXISTS: whether another user exists is not for everyone to learn.
      if (name !== session.user) requireManager(session, `user '${clipValue(name)}'`);
      if (st.ifExists && !users.getUser(name)) return status('Statement executed successfully.');
      return alterUser(env, name, st.action, session);
    }
    case 'drop_user': {
      requireManager(session, `user '${clipValue(st.name)}'`);
      const target = users.getUser(st.name);
      if (target) requireAbove(session, target);
      if (!users.dropUser(st.name, { ifExists: st.ifExists })) return status(`Drop statement executed successfully (${st.name} already dropped).`);
      env.catalog.grants.dropUserGrants(st.name);
      return status(`${st.name} successfully dropped.`);
    }
    case 'show_users': {
      const like = likeFilter(st.like);
      const all = canManageUsers(session) ? users.listUsers() : users.listUsers().filter((u) => u.name === session.user);
      return table(SHOW_USERS, all.filter((u) => like(u.name)).map((u) => userRow(users, u)));
    }
    case 'show_user_tokens': {
      const name = st.user ?? sessionUser(session);
      const user = name === session.user ? users.getUser(name) : tokenOwner(users, name, session);
      const now = Date.now();
      // Snowflake lists tokens that expired within the past 30 days.
      const tokens = users.tokens(name).filter((t) => t.expiresAt > now - 30 * DAY_MS);
      return table(
        SHOW_TOKENS,
        tokens.map((t) => [
          t.name, t.userName, t.roleRestriction, nanos(t.expiresAt),
          user?.disabled ? 'DISABLED' : t.expiresAt <= now ? 'EXPIRED' : 'ACTIVE',
          t.comment, nanos(t.createdAt), t.createdBy,
        ]),
      );
    }
  }
}

async function alterUser(env: EngineEnv, name: string, action: AlterUserAction, session: SessionContext): Promise<Answer> {
  const users = env.catalog.users;
  const self = name === session.user;
  const what = `user '${clipValue(name)}'`;
  switch (action.kind) {
    case 'set': {
      // A user changes its own password; anything else is an administrator's.
      const ownPassword = self && Object.keys(action.properties).every((k) => k === 'password');
      if (!ownPassword) {
        requireManager(session, what);
        const target = users.getUser(name);
        if (target && !self) requireAbove(session, target);
      }
      users.updateUser(name, await userChanges(action.properties, session));
      return status('Statement executed successfully.');
    }
    case 'add_token': {
      const user = tokenOwner(users, name, session);
      const days = action.daysToExpiry ?? DEFAULT_TOKEN_DAYS_TO_EXPIRY;
      if (days < 1 || days > MAX_TOKEN_DAYS_TO_EXPIRY) {
        throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: DAYS_TO_EXPIRY must be between 1 and ${MAX_TOKEN_DAYS_TO_EXPIRY}, got ${days}`);
      }
      const role = action.roleRestriction;
      if (role !== null && (!userMayUseRole(env.catalog.grants, user.name, role) || (!self && !includesRole(session, role)))) {
        throw new AuthenticationError('ROLE_NOT_GRANTED', `Role '${clipValue(role)}' is not granted to user '${clipValue(name)}': it cannot be the token's ROLE_RESTRICTION.`);
      }
      const secret = newSecret();
      const now = Date.now();
      const added = users.addToken(
        name,
        { name: action.token, secretHash: secretHash(secret), roleRestriction: role, comment: action.comment, createdAt: now, createdBy: sessionUser(session), expiresAt: now + days * DAY_MS },
        { ifNotExists: action.ifNotExists },
      );
      if (added === 'exists') return status(`${action.token} already exists, statement succeeded.`);
      return table(ADD_TOKEN, [[action.token, secret]]);
    }
    case 'remove_token':
      tokenOwner(users, name, session);
      users.removeToken(name, action.token);
      return status('Statement executed successfully.');
  }
}

/** The user whose tokens a session manages: itself, or one it may manage. */
function tokenOwner(users: UserStore, name: string, session: SessionContext): UserInfo {
  if (name !== session.user) requireManager(session, `user '${clipValue(name)}'`);
  const user = users.getUser(name);
  if (!user) throw new CompilationError('OBJECT_NOT_FOUND', `User '${clipValue(name)}' does not exist or not authorized.`);
  if (name !== session.user) requireAbove(session, user);
  return user;
}

/** Properties as the store keeps them: the password hashed, the namespace as text; checks the default role is the session's to give. */
async function userChanges(p: UserProperties, session: SessionContext): Promise<UserChanges> {
  const out: UserChanges = {};
  if (p.password !== undefined) {
    if (p.password !== null && (p.password.length === 0 || p.password.length > MAX_PASSWORD_CHARS)) {
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: a password must have 1 to ${MAX_PASSWORD_CHARS} characters`);
    }
    out.passwordHash = p.password === null ? null : await hashPassword(p.password);
  }
  if (p.defaultRole !== undefined) {
    if (p.defaultRole !== null && !includesRole(session, p.defaultRole) && isSystemRoleAbovePublic(p.defaultRole)) {
      throw denied(`role '${clipValue(p.defaultRole)}'`);
    }
    out.defaultRole = p.defaultRole;
  }
  if (p.defaultWarehouse !== undefined) out.defaultWarehouse = p.defaultWarehouse;
  if (p.defaultNamespace !== undefined) out.defaultNamespace = p.defaultNamespace === null ? null : formatNamespace(p.defaultNamespace);
  if (p.disabled !== undefined) out.disabled = p.disabled;
  if (p.comment !== undefined) out.comment = p.comment;
  return out;
}

/** A system role other than PUBLIC: until roles can be granted, these are the ones with powers a default role hands out. */
function isSystemRoleAbovePublic(role: string): boolean {
  return role === 'ACCOUNTADMIN' || role === 'SECURITYADMIN' || role === 'USERADMIN' || role === 'SYSADMIN';
}

/** 003001 on `object` ("user 'BOB'", "account"), in Snowflake's words. */
function denied(object: string): InsufficientPrivilegesError {
  return new InsufficientPrivilegesError(`SQL access control error: Insufficient privileges to operate on ${object}`);
}

/** A role that may manage users: it holds the account privilege CREATE USER (USERADMIN does). */
function canManageUsers(session: SessionContext): boolean {
  return session.privileges?.account('CREATE USER') ?? false;
}

/** Whether the session's role is `role` or inherits it. */
function includesRole(session: SessionContext, role: string): boolean {
  return role === 'PUBLIC' || (session.privileges?.inherits(role) ?? false);
}

function requireManager(session: SessionContext, object: string): void {
  if (!canManageUsers(session)) throw denied(object);
}

/** The session's role must include the target user's default role: no one manages a user above them. */
function requireAbove(session: SessionContext, target: UserInfo): void {
  const role = target.defaultRole ?? 'PUBLIC';
  if (isSystemRoleAbovePublic(role) && !includesRole(session, role)) {
    throw denied(`user '${clipValue(target.name)}'`);
  }
}

function sessionUser(session: SessionContext): string {
  if (session.user === undefined) throw denied('user (no user in this session)');
  return session.user;
}

const SHOW_USERS: [string, Kind][] = [
  ['name', 'v'], ['created_on', 't'], ['login_name', 'v'], ['display_name', 'v'], ['comment', 'v'], ['disabled', 'v'],
  ['default_warehouse', 'v'], ['default_namespace', 'v'], ['default_role', 'v'], ['owner', 'v'], ['last_success_login', 't'],
  ['has_password', 'v'], ['has_pat', 'v'],
];

function userRow(users: UserStore, u: UserInfo): Scalar[] {
  return [
    u.name, nanos(u.createdAt), u.name, u.name, u.comment, String(u.disabled),
    u.defaultWarehouse, u.defaultNamespace, u.defaultRole, u.owner, u.lastLoginAt === null ? null : nanos(u.lastLoginAt),
    String(u.passwordHash !== null), String(users.tokens(u.name).length > 0),
  ];
}

const SHOW_TOKENS: [string, Kind][] = [
  ['name', 'v'], ['user_name', 'v'], ['role_restriction', 'v'], ['expires_at', 't'], ['status', 'v'], ['comment', 'v'], ['created_on', 't'], ['created_by', 'v'],
];

const ADD_TOKEN: [string, Kind][] = [
  ['token_name', 'v'], ['token_secret', 'v'],
];

type Kind = 'v' | 't';

function table(columns: [string, Kind][], rows: Scalar[][]): Answer {
  const cols: Column[] = columns.map(([name, k]) => ({ name, type: k === 'v' ? Types.varchar : Types.timestampNtz, nullable: true }));
  return { columns: cols, batch: rowsToBatch(cols, rows) };
}

function nanos(ms: number): bigint {
  return BigInt(ms) * 1_000_000n;
}
