/**
 * Authentication at the door of the HTTP API: which routes are public, and the Principal of
 * every other request, read from its Authorization headers by the Authenticator
 * (services/access/authenticator.ts).
 *
 * Contract: `isPublicRoute` holds only for GET | HEAD /healthz, POST /session/v1/login-request
 * (the login itself) and GET | HEAD of the notebook page's static files (page-routes.ts
 * PAGE_FILES: the page shows its own login form); every other method and path, including
 * unknown ones (so unauthenticated callers cannot map the API), needs credentials. Paths are
 * compared exactly (/HEALTHZ is not public) after the server's normalization (URL parsing
 * resolves dot segments, a trailing / is dropped), so they name the same endpoint the router
 * serves. `authenticateRequest` answers the Principal or throws AuthenticationError
 * (answered 401 by the server).
 */
import type { IncomingMessage } from 'node:http';
import type { Authenticator, Principal } from '../access/authenticator.js';
import { PAGE_FILES } from './page-routes.js';

export const LOGIN_PATH = '/session/v1/login-request';

/** method -> the paths anyone may call with it. */
const PUBLIC_ROUTES: Readonly<Record<string, readonly string[]>> = {
  GET: ['/healthz', ...Object.keys(PAGE_FILES)],
  HEAD: ['/healthz', ...Object.keys(PAGE_FILES)],
  POST: [LOGIN_PATH],
};

export function isPublicRoute(method: string, path: string): boolean {
  return PUBLIC_ROUTES[method]?.includes(path) ?? false;
}

export function authenticateRequest(req: IncomingMessage, authenticator: Authenticator): Principal {
  const type = req.headers['x-snowflake-authorization-token-type'];
  return authenticator.authenticate({
    authorization: req.headers.authorization,
    tokenType: Array.isArray(type) ? type.join(',') : type,
  });
}
