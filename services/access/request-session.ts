/**
 * What one request's statements run as and where: the Identity (identity.ts) of the
 * authenticated user with the role the request names (the SQL API body's `role`) or else the
 * one its credentials start with (a token's ROLE_RESTRICTION, a session's role, the user's
 * default role when it is granted to the user, else PUBLIC), and the database / schema / warehouse it names or else the
 * credentials' defaults (a session's, the user's DEFAULT_NAMESPACE and DEFAULT_WAREHOUSE).
 *
 * Contract: a named role must be one the user may use (Authenticator.mayUseRole) and, for a token with
 * a ROLE_RESTRICTION, that very role; otherwise AuthenticationError ROLE_NOT_GRANTED (390189),
 * and nothing runs. A request that names a database takes no default schema (the engine then
 * uses the database's PUBLIC); what stays null is the engine's to default. The context carries
 * the login session's id, or a new session id for a request outside a login session (session-id.ts).
 */
import { AuthenticationError } from '../../storage/errors/firn-error.js';
import type { SessionContext } from '../session/statement-result.js';
import type { Authenticator, Principal } from './authenticator.js';
import type { Identity } from './identity.js';
import { nextSessionId } from './session-id.js';

export type RequestedSession = { role: string | null; database: string | null; schema: string | null; warehouse: string | null };

export function requestSession(authenticator: Authenticator, principal: Principal, requested: RequestedSession): { identity: Identity; context: SessionContext } {
  const fallback = principal.defaultRole !== null && authenticator.mayUseRole(principal.user, principal.defaultRole) ? principal.defaultRole : 'PUBLIC';
  const role = requested.role ?? principal.role ?? fallback;
  const allowed = principal.roleRestricted ? role === principal.role : authenticator.mayUseRole(principal.user, role);
  if (!allowed) {
    const shown = role.length > 100 ? `${role.slice(0, 100)}…` : role;
    throw new AuthenticationError('ROLE_NOT_GRANTED', `Role '${shown}' specified in the request is not granted to this user.`);
  }
  const defaults = principal.context;
  return {
    identity: { user: principal.user, role },
    context: {
      database: requested.database ?? defaults.database,
      schema: requested.schema ?? (requested.database === null ? defaults.schema : null),
      warehouse: requested.warehouse ?? defaults.warehouse,
      // A login session's id, or a new one: a request outside a login session is its own session.
      sessionId: principal.sessionId ?? nextSessionId(),
    },
  };
}
