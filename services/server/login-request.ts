/**
 * POST /session/v1/login-request: the password login of Snowflake's drivers (snowflake-sdk's
 * GS v1 protocol; /work/shared/notes/snowflake-protocol.md A2, A5), answered with a session
 * token the client then sends as `Authorization: Snowflake Token="<token>"`.
 *
 * Contract:
 * - Request: JSON (plain, or gzip, recognised by its magic bytes as the driver may send it
 *   without Content-Encoding) {"data": {"LOGIN_NAME", "PASSWORD", "AUTHENTICATOR"?}}; the query
 *   string's roleName, databaseName, schemaName, warehouse pick the session's role and context
 *   (identifiers as the SQL API reads them). AUTHENTICATOR SNOWFLAKE (the default) logs in with
 *   the password; PROGRAMMATIC_ACCESS_TOKEN with the programmatic access token in "TOKEN" (or,
 *   as the driver sends it when given as a password, "PASSWORD"), the session then being the
 *   token's user's (a LOGIN_NAME that names another user fails as a wrong password does; a
 *   refused token without a LOGIN_NAME fails with 390303, as a refused bearer token does).
 *   Any other AUTHENTICATOR is NOT_SUPPORTED.
 * - Success, HTTP 200: {"data": {token, validityInSeconds, masterToken, masterValidityInSeconds,
 *   sessionId, displayUserName, firstLogin, healthCheckInterval, parameters (the heartbeat
 *   frequency, and a CLIENT_STAGE_ARRAY_BINDING_THRESHOLD no request reaches: Firn binds
 *   inline only), sessionInfo},
 *   "code": null, "message": null, "success": true}.
 * - Failure, HTTP 200 as the drivers expect: {"data": {"nextAction": "RETRY_LOGIN",
 *   "authnMethod": "USERNAME_PASSWORD"}, "code", "message", "success": false} with 390100
 *   (wrong name or password), 390102 (locked), 390189 (role not granted); throttled per
 *   address: HTTP 429 with Retry-After and code 390505. A malformed body: HTTP 400 BAD_REQUEST.
 */
import { gunzipSync } from 'node:zlib';
import type { Authenticator, LoginResult } from '../access/authenticator.js';
import type { SessionContextDefaults } from '../access/session-store.js';
import { contextName } from './context-name.js';
import { AuthenticationError, NotSupportedError, RequestError, asFirnError } from '../../storage/errors/firn-error.js';

export type LoginAnswer = { status: number; body: unknown; headers: Record<string, string> };

/** How often (s) the driver should send a heartbeat when CLIENT_SESSION_KEEP_ALIVE is on (Snowflake's default). */
const HEARTBEAT_FREQUENCY_S = 3600;
/** More bind values than any request body can carry: the driver never switches to stage binding. */
const NO_STAGE_BINDING = 2 ** 31 - 1;

export async function answerLoginRequest(authenticator: Authenticator, raw: Buffer, query: URLSearchParams, address: string, maxBytes: number): Promise<LoginAnswer> {
  try {
    const data = loginData(raw, maxBytes);
    const authenticatorName = typeof data.AUTHENTICATOR === 'string' ? data.AUTHENTICATOR.toUpperCase() : 'SNOWFLAKE';
    if (authenticatorName !== 'SNOWFLAKE' && authenticatorName !== PAT_AUTHENTICATOR) throw new NotSupportedError(`AUTHENTICATOR ${authenticatorName.slice(0, 100)}`);
    const context = {
      database: identifier(query.get('databaseName'), 'databaseName'),
      schema: identifier(query.get('schemaName'), 'schemaName'),
      warehouse: identifier(query.get('warehouse'), 'warehouse'),
    };
    const role = identifier(query.get('roleName'), 'roleName');
    const loginName = typeof data.LOGIN_NAME === 'string' ? data.LOGIN_NAME : '';
    const result =
      authenticatorName === PAT_AUTHENTICATOR
        ? tokenLogin(authenticator, typeof data.TOKEN === 'string' ? data.TOKEN : typeof data.PASSWORD === 'string' ? data.PASSWORD : '', loginName, role, context)
        : await authenticator.login({ loginName, password: typeof data.PASSWORD === 'string' ? data.PASSWORD : '', address, role, context });
    const s = result.session;
    return {
      status: 200,
      headers: {},
      body: {
        data: {
          token: result.token,
          validityInSeconds: Math.floor(result.idleTimeoutMs / 1000),
          masterToken: result.masterToken,
          masterValidityInSeconds: Math.floor(result.absoluteTimeoutMs / 1000),
          sessionId: s.id,
          displayUserName: s.user,
          firstLogin: false,
          healthCheckInterval: 45,
          parameters: [
            { name: 'CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY', value: HEARTBEAT_FREQUENCY_S },
            // Firn has no stage binding (a PUT of the binds to a temporary stage): the driver sends every bind inline.
            { name: 'CLIENT_STAGE_ARRAY_BINDING_THRESHOLD', value: NO_STAGE_BINDING },
          ],
          sessionInfo: { databaseName: s.context.database, schemaName: s.context.schema, warehouseName: s.context.warehouse, roleName: s.role },
        },
        code: null,
        message: null,
        success: true,
      },
    };
  } catch (err) {
    const fe = asFirnError(err);
    const throttled = fe instanceof AuthenticationError && fe.codeName === 'TOO_MANY_REQUESTS';
    const headers: Record<string, string> = {};
    if (fe instanceof AuthenticationError && fe.retryAfterSeconds !== null) headers['Retry-After'] = String(fe.retryAfterSeconds);
    const status = throttled ? 429 : fe instanceof RequestError ? 400 : fe instanceof AuthenticationError || fe.codeName === 'NOT_SUPPORTED' ? 200 : 500;
    return {
      status,
      headers,
      body: { data: { nextAction: 'RETRY_LOGIN', authnMethod: 'USERNAME_PASSWORD', sqlState: fe.sqlState }, code: fe.code, message: fe.message, success: false },
    };
  }
}

const PAT_AUTHENTICATOR = 'PROGRAMMATIC_ACCESS_TOKEN';

/** A session for the user of a programmatic access token, who must be `loginName` when one is given. */
function tokenLogin(authenticator: Authenticator, token: string, loginName: string, role: string | null, context: SessionContextDefaults): LoginResult {
  let result: LoginResult;
  try {
    result = authenticator.loginWithToken({ token, role, context });
  } catch (err) {
    // With a name, said as a wrong password is: nothing tells which of name and token was
    // wrong. Without one (Firn's CLI), the token is all there is, and the answer says so.
    if (err instanceof AuthenticationError && err.codeName === 'INVALID_ACCESS_TOKEN' && loginName !== '') throw incorrect();
    throw err;
  }
  if (loginName !== '' && loginName !== result.session.user && loginName.toUpperCase() !== result.session.user) {
    authenticator.closeSession(result.token);
    throw incorrect();
  }
  return result;
}

function incorrect(): AuthenticationError {
  return new AuthenticationError('INCORRECT_CREDENTIALS', 'Incorrect username or password was specified.');
}

/** The body's `data` object (see the module comment). */
function loginData(raw: Buffer, maxBytes: number): Record<string, unknown> {
  let bytes = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw, { maxOutputLength: maxBytes });
    } catch {
      throw badRequest('the login request body is not valid gzip (or too large once inflated)');
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw badRequest('the login request body is not valid JSON');
  }
  const data = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).data : undefined;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw badRequest('the login request body must be {"data": {"LOGIN_NAME": ..., "PASSWORD": ...}}');
  return data as Record<string, unknown>;
}

/** A query-string name, resolved as the SQL API resolves context names. */
function identifier(v: string | null, field: string): string | null {
  return v === null ? null : contextName(v, field, badRequest);
}

function badRequest(message: string): RequestError {
  return new RequestError('BAD_REQUEST', message);
}
