/**
 * The catalog's users and their programmatic access tokens (catalog migration 8): what
 * authentication (services/access/) reads on every request and CREATE | ALTER | DROP USER
 * write. Apart from catalog.ts so the shared interface grows by one member; the SQLite
 * implementation is sqlite-user-store.ts.
 *
 * Contract:
 * - Names are resolved identifiers (the parser upper-cases unquoted ones) and compared
 *   exactly. A user has at most one password hash (services/access/password-hash.ts, never
 *   the password) and any number of tokens, each named uniquely per user.
 * - A token is stored as the SHA-256 of its secret (services/access/token-secret.ts), which
 *   is also how it is found (`tokenBySecretHash`); the secret itself is never stored.
 * - Dropping a user deletes its tokens in the same transaction: they fail at once.
 * - Errors: OBJECT_EXISTS (002002) for a user or token name that is taken, OBJECT_NOT_FOUND
 *   (002003) for one that does not exist, both as CompilationError. Times are epoch ms.
 */

/** Snowflake's default lifetime of a programmatic access token (ALTER USER ... ADD PAT ... DAYS_TO_EXPIRY). */
export const DEFAULT_TOKEN_DAYS_TO_EXPIRY = 15;
/** The longest lifetime a token may be given (Snowflake's default maximum, 365 days). */
export const MAX_TOKEN_DAYS_TO_EXPIRY = 365;

export type UserInfo = {
  id: number;
  name: string;
  /** null: the user cannot log in with a password (tokens only). */
  passwordHash: string | null;
  /** null: PUBLIC. */
  defaultRole: string | null;
  defaultWarehouse: string | null;
  /** `database` or `database.schema`, as written. */
  defaultNamespace: string | null;
  disabled: boolean;
  comment: string | null;
  /** The role that created the user (null for the bootstrap ADMIN). */
  owner: string | null;
  createdAt: number;
  lastLoginAt: number | null;
};

export type NewUser = Omit<UserInfo, 'id' | 'lastLoginAt'>;

export type UserChanges = Partial<Pick<UserInfo, 'passwordHash' | 'defaultRole' | 'defaultWarehouse' | 'defaultNamespace' | 'disabled' | 'comment'>>;

export type AccessTokenInfo = {
  userName: string;
  name: string;
  secretHash: string;
  /** The role the token's requests run as; null: the user's default role. */
  roleRestriction: string | null;
  comment: string | null;
  createdAt: number;
  createdBy: string;
  expiresAt: number;
};

export type NewAccessToken = Omit<AccessTokenInfo, 'userName'>;

export interface UserStore {
  /** 'exists' (nothing changed) when `ifNotExists` and the name is taken; `orReplace` drops the old user and its tokens first. */
  createUser(user: NewUser, opts?: { ifNotExists?: boolean; orReplace?: boolean }): 'created' | 'exists';
  getUser(name: string): UserInfo | null;
  /** Every user, by name. */
  listUsers(): UserInfo[];
  updateUser(name: string, changes: UserChanges): UserInfo;
  /** false when `ifExists` and there is no such user. */
  dropUser(name: string, opts?: { ifExists?: boolean }): boolean;
  recordLogin(name: string, at: number): void;
  /** 'exists' (nothing changed) when `ifNotExists` and the user has a token of that name. */
  addToken(userName: string, token: NewAccessToken, opts?: { ifNotExists?: boolean }): 'created' | 'exists';
  removeToken(userName: string, tokenName: string): void;
  /** The user's tokens, by name (expired ones included). */
  tokens(userName: string): AccessTokenInfo[];
  tokenBySecretHash(secretHash: string): AccessTokenInfo | null;
}
