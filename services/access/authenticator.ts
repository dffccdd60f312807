/**
 * What the HTTP layer asks of authentication: who a request's credentials stand for, and a
 * password login that opens a session. The implementation is firn-authenticator.ts; tests of
 * other parts of the HTTP layer may pass a double.
 *
 * Contract:
 * - `authenticate` reads the request's Authorization header (and its token type header) and
 *   answers the Principal, or throws AuthenticationError: INVALID_ACCESS_TOKEN (390303) for a
 *   missing, malformed, unknown, expired or removed bearer token or one of a dropped or
 *   disabled user; SESSION_EXPIRED (390112) for a session token that is unknown, expired or
 *   whose user is gone. Accepted forms: `Bearer <programmatic access token>` (token type
 *   PROGRAMMATIC_ACCESS_TOKEN or none) and `Snowflake Token="<session token>"`.
 * - `login` checks a user name and password and opens a session, or throws
 *   AuthenticationError: INCORRECT_CREDENTIALS (390100, also for a disabled or unknown user),
 *   USER_LOCKED (390102) or TOO_MANY_REQUESTS (390505, with retryAfterSeconds) when throttled,
 *   ROLE_NOT_GRANTED (390189) for a role the user may not use.
 * - `loginWithToken` opens a session for the user of a programmatic access token (the
 *   driver's PROGRAMMATIC_ACCESS_TOKEN authenticator), with the token's role restriction as
 *   the session's role when it has one; INVALID_ACCESS_TOKEN otherwise as `authenticate`.
 * - `renewSession` gives the session of a master token a new session token (the old one stops
 *   working): SESSION_EXPIRED (390112) when the session is gone, MASTER_TOKEN_EXPIRED (390114)
 *   past its absolute lifetime. `closeSession` ends the session of a session token (a no-op
 *   when it is unknown).
 */
import type { LoginSession, SessionContextDefaults } from './session-store.js';

export type RequestCredentials = {
  /** The Authorization header as sent (undefined when absent). */
  authorization: string | undefined;
  /** X-Snowflake-Authorization-Token-Type as sent. */
  tokenType: string | undefined;
};

export type Principal = {
  user: string;
  /** The user's default role (null: PUBLIC). */
  defaultRole: string | null;
  /** The role requests start with when they name none (a token's ROLE_RESTRICTION, a session's role); null: the default role. */
  role: string | null;
  /** A token with a ROLE_RESTRICTION: its requests may name no other role. */
  roleRestricted: boolean;
  /** Where statements run when the request does not say: the session's, else the user's defaults. */
  context: SessionContextDefaults;
  /** The login session the credentials are (absent for access tokens): the driver keeps per-session state by it. */
  sessionId?: number;
};

export type LoginRequest = {
  loginName: string;
  password: string;
  /** The client's address (throttling). */
  address: string;
  /** The role asked for (roleName); null: the user's default role. */
  role: string | null;
  context: SessionContextDefaults;
};

export type LoginResult = {
  token: string;
  masterToken: string;
  session: LoginSession;
  /** How long the session token stays valid without use, and the session at most (ms). */
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
};

export type TokenLoginRequest = {
  /** The programmatic access token. */
  token: string;
  role: string | null;
  context: SessionContextDefaults;
};

export type RenewedSession = { token: string; session: LoginSession; idleTimeoutMs: number };

export interface Authenticator {
  authenticate(credentials: RequestCredentials): Principal;
  login(request: LoginRequest): Promise<LoginResult>;
  loginWithToken(request: TokenLoginRequest): LoginResult;
  renewSession(masterToken: string): RenewedSession;
  closeSession(sessionToken: string): void;
  /** Whether `user` may use `role`: it is granted to the user, directly or through the role hierarchy, or is PUBLIC. */
  mayUseRole(user: string, role: string): boolean;
}
