/**
 * A stand-in for services/access/firn-authenticator.ts in in-process HTTP server tests that are
 * about routing, encoding or limits, not authentication: each bearer token of `users` stands
 * for that user (default role SYSADMIN, which with PUBLIC is the roles it may use); anything else is refused as the real one refuses it.
 */
import type { Authenticator, Principal, RequestCredentials } from '../../services/access/authenticator.js';
import { AuthenticationError } from '../../storage/errors/firn-error.js';

/** `users`: bearer token -> user name. */
export function fixtureAuthenticator(users: Record<string, string>): Authenticator {
  return {
    authenticate(credentials: RequestCredentials): Principal {
      const token = credentials.authorization?.startsWith('Bearer ') ? credentials.authorization.slice('Bearer '.length) : null;
      const user = token !== null && Object.hasOwn(users, token) ? users[token] : null;
      if (user === null) throw new AuthenticationError('INVALID_ACCESS_TOKEN', 'Invalid or expired programmatic access token.');
      return { user, defaultRole: 'SYSADMIN', role: null, roleRestricted: false, context: { database: null, schema: null, warehouse: null } };
    },
    mayUseRole: (_user: string, role: string) => role === 'SYSADMIN' || role === 'PUBLIC',
    login: () => Promise.reject(new AuthenticationError('INCORRECT_CREDENTIALS', 'Incorrect username or password was specified.')),
    loginWithToken: () => {
      throw new AuthenticationError('INVALID_ACCESS_TOKEN', 'Invalid or expired programmatic access token.');
    },
    renewSession: () => {
      throw new AuthenticationError('SESSION_EXPIRED', 'Your session has expired. Please login again.');
    },
    closeSession: () => {},
  };
}

/** The Authorization header of a fixture token. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
