/**
 * Firn's Authenticator (authenticator.ts): programmatic access tokens from the catalog's user
 * store, the FIRN_ADMIN_TOKEN of the environment, login sessions in memory (session-store.ts),
 * password logins against scrypt hashes (password-hash.ts), throttled per user and address
 * (login-throttle.ts).
 *
 * Contract (beyond the interface's):
 * - Every request looks its user up again: a token or session of a user dropped or disabled
 *   since fails at once, as does a token past its expiry or removed. A session belongs to the
 *   user's catalog id: a user dropped and created again under the same name does not inherit
 *   it (tokens go with their user: user-store.ts).
 * - `adminToken` (FIRN_ADMIN_TOKEN) is a programmatic access token of ADMIN for the life of
 *   this process, kept only as its SHA-256, valid while ADMIN exists and is enabled.
 * - A login's role must be granted to the user (role-hierarchy.ts userMayUseRole, over the
 *   catalog's grants); its context fills what it does not name from
 *   the user's defaults. The login name matches a user name exactly or, failing that,
 *   upper-cased (Snowflake's login names are case-insensitive).
 * - Failures say as little as Snowflake's: an unknown user, a wrong password and a disabled
 *   user are the same INCORRECT_CREDENTIALS, checked in the same time (DUMMY_HASH).
 * - All times come from `clock` (epoch ms), so expiry is tested without waiting.
 */
import { timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '../../storage/errors/firn-error.js';
import type { UserInfo, UserStore } from '../catalog/user-store.js';
import type { Authenticator, LoginRequest, LoginResult, Principal, RenewedSession, RequestCredentials, TokenLoginRequest } from './authenticator.js';
import { LoginThrottle } from './login-throttle.js';
import type { GrantStore } from './grant-store.js';
import { userMayUseRole } from './role-hierarchy.js';
import { DUMMY_HASH, verifyPassword } from './password-hash.js';
import { SessionStore } from './session-store.js';
import { secretHash } from './token-secret.js';
import { userContext } from './user-defaults.js';

/** The user FIRN_ADMIN_TOKEN stands for, created on first start (bootstrap-admin.ts). */
export const ADMIN_USER = 'ADMIN';
/** Snowflake's longest password: a longer one is refused before it is hashed. */
export const MAX_PASSWORD_CHARS = 256;
export const PAT_TOKEN_TYPE = 'PROGRAMMATIC_ACCESS_TOKEN';

const BEARER = /^Bearer[ \t]+([!-~]+)[ \t]*$/i;
const SNOWFLAKE_TOKEN = /^Snowflake[ \t]+Token="([!#-~]+)"[ \t]*$/i;

export type FirnAuthenticatorOptions = {
  users: UserStore;
  /** The roles granted to users (catalog.grants): which role a user may use. */
  grants: GrantStore;
  /** FIRN_ADMIN_TOKEN, when set. */
  adminToken?: string | null;
  clock?: () => number;
  sessions?: SessionStore;
  throttle?: LoginThrottle;
};

export class FirnAuthenticator implements Authenticator {
  private readonly users: UserStore;
  private readonly grants: GrantStore;
  private readonly adminTokenHash: Buffer | null;
  private readonly clock: () => number;
  readonly sessions: SessionStore;
  private readonly throttle: LoginThrottle;

  constructor(opts: FirnAuthenticatorOptions) {
    this.users = opts.users;
    this.grants = opts.grants;
    this.clock = opts.clock ?? Date.now;
    this.adminTokenHash = opts.adminToken ? Buffer.from(secretHash(opts.adminToken), 'hex') : null;
    this.sessions = opts.sessions ?? new SessionStore({ clock: this.clock });
    this.throttle = opts.throttle ?? new LoginThrottle(this.clock);
  }

  authenticate(credentials: RequestCredentials): Principal {
    const header = credentials.authorization;
    if (header === undefined || header.trim() === '') {
      throw invalidToken('Authentication required: send Authorization: Bearer <programmatic access token> with X-Snowflake-Authorization-Token-Type: PROGRAMMATIC_ACCESS_TOKEN, or log in at /session/v1/login-request.');
    }
    const bearer = BEARER.exec(header);
    if (bearer) {
      const type = credentials.tokenType?.trim().toUpperCase();
      if (type !== undefined && type !== '' && type !== PAT_TOKEN_TYPE) {
        throw invalidToken(`Unsupported token type '${clip(credentials.tokenType!)}': Firn accepts ${PAT_TOKEN_TYPE} bearer tokens.`);
      }
      return this.byAccessToken(bearer[1]);
    }
    const session = SNOWFLAKE_TOKEN.exec(header);
    if (session) return this.bySession(session[1]);
    throw invalidToken('Malformed Authorization header: expected Bearer <token> or Snowflake Token="<token>".');
  }

  async login(request: LoginRequest): Promise<LoginResult> {
    const user = this.loginUser(request.loginName);
    const key = user?.name ?? request.loginName;
    const refusal = this.throttle.check(key, request.address);
    if (refusal) {
      const seconds = Math.ceil(refusal.retryAfterMs / 1000);
      if (refusal.by === 'address') throw new AuthenticationError('TOO_MANY_REQUESTS', 'Too many requests.', seconds);
      throw new AuthenticationError(
        'USER_LOCKED',
        `Your user account has been temporarily locked due to too many failed attempts. Try again after ${Math.ceil(seconds / 60)} minutes or contact your account administrator for assistance.`,
        seconds,
      );
    }
    const password = request.password.length <= MAX_PASSWORD_CHARS ? request.password : '';
    const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !matches || user.disabled || password === '') {
      this.throttle.failed(key, request.address);
      throw new AuthenticationError('INCORRECT_CREDENTIALS', 'Incorrect username or password was specified.');
    }
    // Without a role asked for, the user's default role when it is granted, else PUBLIC (as in Snowflake).
    const role = request.role ?? (user.defaultRole !== null && this.mayUseRole(user.name, user.defaultRole) ? user.defaultRole : 'PUBLIC');
    if (!this.mayUseRole(user.name, role)) {
      throw new AuthenticationError(
        'ROLE_NOT_GRANTED',
        `Role '${clip(role)}' specified in the connect string is not granted to this user. Contact your local administrator, or attempt to login with another role, e.g. PUBLIC.`,
      );
    }
    this.throttle.succeeded(key);
    const now = this.clock();
    this.users.recordLogin(user.name, now);
    const defaults = userContext(user);
    const context = {
      database: request.context.database ?? defaults.database,
      schema: request.context.schema ?? (request.context.database === null ? defaults.schema : null),
      warehouse: request.context.warehouse ?? defaults.warehouse,
    };
    const opened = this.sessions.open(user, role, context);
    return { ...opened, idleTimeoutMs: this.sessions.idleMs, absoluteTimeoutMs: this.sessions.absoluteMs };
  }

  loginWithToken(request: TokenLoginRequest): LoginResult {
    const p = this.byAccessToken(request.token);
    const user = this.activeUser(p.user)!;
    const fallback = user.defaultRole !== null && this.mayUseRole(user.name, user.defaultRole) ? user.defaultRole : 'PUBLIC';
    const role = request.role ?? p.role ?? fallback;
    if ((p.roleRestricted && role !== p.role) || !this.mayUseRole(user.name, role)) {
      throw new AuthenticationError('ROLE_NOT_GRANTED', `Role '${clip(role)}' specified in the connect string is not granted to this user. Contact your local administrator, or attempt to login with another role, e.g. PUBLIC.`);
    }
    this.users.recordLogin(user.name, this.clock());
    const opened = this.sessions.open(user, role, {
      database: request.context.database ?? p.context.database,
      schema: request.context.schema ?? (request.context.database === null ? p.context.schema : null),
      warehouse: request.context.warehouse ?? p.context.warehouse,
    });
    return { ...opened, idleTimeoutMs: this.sessions.idleMs, absoluteTimeoutMs: this.sessions.absoluteMs };
  }

  renewSession(masterToken: string): RenewedSession {
    if (!this.sessions.knowsMaster(masterToken)) throw new AuthenticationError('SESSION_EXPIRED', 'Your session has expired. Please login again.');
    const renewed = this.sessions.renew(masterToken);
    if (!renewed) throw new AuthenticationError('MASTER_TOKEN_EXPIRED', 'Master token has expired. Please login again.');
    return { ...renewed, idleTimeoutMs: this.sessions.idleMs };
  }

  closeSession(sessionToken: string): void {
    this.sessions.close(sessionToken);
  }

  mayUseRole(user: string, role: string): boolean {
    return userMayUseRole(this.grants, user, role);
  }

  private byAccessToken(secret: string): Principal {
    const hash = secretHash(secret);
    if (this.adminTokenHash && timingSafeEqual(Buffer.from(hash, 'hex'), this.adminTokenHash)) {
      const admin = this.activeUser(ADMIN_USER);
      if (admin) return principal(admin, null, false, userContext(admin));
      throw invalidToken('Invalid or expired programmatic access token.');
    }
    const token = this.users.tokenBySecretHash(hash);
    const user = token && token.expiresAt > this.clock() ? this.activeUser(token.userName) : null;
    if (!token || !user || (token.roleRestriction !== null && !this.mayUseRole(user.name, token.roleRestriction))) {
      throw invalidToken('Invalid or expired programmatic access token.');
    }
    return principal(user, token.roleRestriction, token.roleRestriction !== null, userContext(user));
  }

  private bySession(token: string): Principal {
    const session = this.sessions.touch(token);
    const user = session ? this.activeUser(session.user) : null;
    if (!session || !user || user.id !== session.userId || !this.mayUseRole(user.name, session.role)) {
      // A session whose user is gone (dropped, even if created again), disabled or no longer
      // allowed its role ends for good.
      if (session) this.sessions.close(token);
      throw new AuthenticationError('SESSION_EXPIRED', 'Your session has expired. Please login again.');
    }
    return { ...principal(user, session.role, false, session.context), sessionId: session.id };
  }

  private activeUser(name: string): UserInfo | null {
    const user = this.users.getUser(name);
    return user && !user.disabled ? user : null;
  }

  private loginUser(loginName: string): UserInfo | null {
    if (loginName === '') return null;
    return this.users.getUser(loginName) ?? this.users.getUser(loginName.toUpperCase());
  }
}

function principal(user: UserInfo, role: string | null, roleRestricted: boolean, context: Principal['context']): Principal {
  return { user: user.name, defaultRole: user.defaultRole, role, roleRestricted, context };
}

function invalidToken(message: string): AuthenticationError {
  return new AuthenticationError('INVALID_ACCESS_TOKEN', message);
}

function clip(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}
