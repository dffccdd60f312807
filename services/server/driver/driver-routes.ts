/**
 * The snowflake-sdk driver's protocol (Snowflake's GS "v1" REST endpoints), so the unmodified
 * official Node.js driver works against Firn (/work/shared/notes/snowflake-protocol.md, part A).
 * The login itself is POST /session/v1/login-request (login-request.ts); http-server.ts hands
 * every request to the DriverRoutes function before its own authentication, which answers
 * whether it served it. Statements run in the statement store (services/statements/), as the
 * SQL API's do: their state, results (columnar, spilled to disk past a budget) and cancel
 * signal live there, owned by the user who ran them.
 *
 * Routes (all answers JSON, HTTP 200 unless said otherwise):
 * - POST /queries/v1/query-request?requestId=…  {sqlText, bindings?, parameters?, asyncExec?}
 *   runs the statement as the session's user, role and context (driver-sessions.ts: a USE or
 *   ALTER SESSION lasts for the session). Bindings: services/session/statement-bindings.ts.
 *   `parameters.MULTI_STATEMENT_COUNT` (default 1; 0 = any number) must match the number of
 *   statements, else 000008. Answers `data` {queryId (a UUID), statementTypeId, rowtype,
 *   rowset, total, returned (always set), chunks?, parameters, finalDatabaseName, …}: the first
 *   `firstChunkRows` rows inline, the rest as chunks of `chunkRows` rows the driver GETs. A
 *   multi-statement request answers `resultIds` (its statements' ids; each fetched by the
 *   driver from /queries/{id}/result). `asyncExec: true` answers at once with code 333334; a
 *   statement still running after `syncWaitMs` (45 s) answers 333333 with getResultUrl, which
 *   the driver polls. `describeOnly: true` and `bindStage` are NOT_SUPPORTED (refused, never
 *   run; the login tells the driver to send binds inline). A requestId
 *   the user already sent (the driver repeats a request it got no answer to) answers that
 *   statement again: it never runs twice.
 * - GET /queries/{id}/result: the same answer again (waiting up to `syncWaitMs` while it runs,
 *   then 333333 again); GET /monitoring/queries/{id}: {queries: [{id, status, errorMessage?}]}
 *   with status RUNNING, SUCCESS, FAILED_WITH_ERROR or ABORTED (an unknown id: an empty list).
 * - POST /queries/v1/abort-request {requestId} and POST /queries/{id}/abort-request cancel a
 *   running statement (it fails with 000604, commits nothing); an abort by requestId that
 *   overtakes its query request cancels that statement as it arrives; a finished one answers
 *   success as well (nothing to cancel).
 * - GET /queries/v1/chunk/{id}/{n}?s=<secret>: a chunk's rows, unauthenticated as the driver
 *   sends no token for chunks: the secret, unguessable and per statement, is the credential.
 *   Content-Type application/octet-stream (the driver parses the text itself).
 * - POST /session/heartbeat: success while the session token is valid (it also keeps the
 *   session from idling out). POST /session/token-request (Authorization: the master token,
 *   body {requestType: "RENEW"}): a new session token. POST /session?delete=true: logout.
 *   POST /telemetry/send: accepted and dropped.
 * A user runs at most `statementLimit` statements at once with the SQL API's (a slot held until
 * the statement ends); past it a query request answers HTTP 429 with Retry-After, which the
 * driver waits out and retries.
 * Failures are HTTP 200 {success: false, code, message, data: {errorCode, sqlState, queryId,
 * …}}: the driver only reads errors from 200 answers and retries 5xx answers for a long time.
 * Credentials are checked as for the SQL API (authenticate.ts): a request without valid ones is
 * left to http-server.ts, which answers 401 as for every route, except an expired (or closed)
 * session's token, answered 390112 the driver's way so it renews its token with the master
 * token (POST /session/token-request without a session token is left to the 401 too).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { randomBytes, randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { FirnError, NotSupportedError, RequestError, ResourceError, asFirnError } from '../../../storage/errors/firn-error.js';
import type { Authenticator, Principal } from '../../access/authenticator.js';
import { requestSession } from '../../access/request-session.js';
import { ABSOLUTE_TIMEOUT_MS } from '../../access/session-store.js';
import { bindStatement } from '../../session/statement-bindings.js';
import type { StatementRequest, StatementRunner } from '../../session/statement-request.js';
import { statementTexts } from '../../sql/statement-texts.js';
import { driverRowtype, encodeChunkPieces, encodeDriverRows } from '../../result/encode-driver-rowset.js';
import { authenticateRequest } from '../authenticate.js';
import { RETRY_AFTER_SECONDS, type UserStatementLimit } from '../user-statement-limit.js';
import { DriverSessions, type DriverSession } from './driver-sessions.js';
import { SELECT_STATEMENT_TYPE_ID, statementTypeId } from './statement-type-id.js';
import { DEFAULT_MAX_STATEMENTS, StatementStates, type StatementStore, type StoredStatement } from '../../statements/statement-store.js';
import { startStatement } from '../../statements/start-statement.js';
import { drained } from '../drained.js';
import { DEFAULT_SESSION_PARAMETERS, driverResultParameters, type SessionParameters } from '../../session/session-parameters.js';

export type DriverRouteOptions = {
  runner: StatementRunner;
  /** Where statements run and their results are kept (services/statements/statement-store.ts), shared with the SQL API. */
  statements: StatementStore;
  authenticator: Authenticator;
  log: (line: string) => void;
  maxBodyBytes: number;
  /** How long a query-request (or result GET) waits for its statement before answering 333333 (default 45 s). */
  syncWaitMs?: number;
  /** Statements one user runs at once, shared with the SQL API (user-statement-limit.ts); absent: no limit. */
  statementLimit?: UserStatementLimit;
  /** The login sessions' state, shared with the SQL API's requests on a session token (default: its own). */
  sessions?: DriverSessions;
  /** Rows answered inline before chunks (default 1000), and rows per chunk (default 100,000). */
  firstChunkRows?: number;
  chunkRows?: number;
};

/** Answers whether it served the request (false: not a driver route, left to the caller). */
export type DriverRoutes = (req: IncomingMessage, res: ServerResponse, url: URL, path: string, method: string) => Promise<boolean>;

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const RESULT_PATH = new RegExp(`^/queries/(${UUID})/result$`);
const ABORT_PATH = new RegExp(`^/queries/(${UUID})/abort-request$`);
const MONITORING_PATH = new RegExp(`^/monitoring/queries/(${UUID})$`);
const CHUNK_PATH = new RegExp(`^/queries/v1/chunk/(${UUID})/(\\d{1,9})$`);

const IN_PROGRESS = { code: '333333', message: 'Query execution in progress. Use the provided URL to get the result.' };
const IN_PROGRESS_ASYNC = { code: '333334', message: 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.' };

/**
 * The formats the driver renders values with (read from each answer's `parameters`): the
 * session's (driverResultParameters: TIME and TIMESTAMP_NTZ show all 9 fraction digits unless the
 * session set their formats, so the values the driver hands out are exactly the ones Firn holds).
 */
const DEFAULT_RESULT_PARAMETERS = driverResultParameters(DEFAULT_SESSION_PARAMETERS);

export function createDriverRoutes(opts: DriverRouteOptions): DriverRoutes {
  const sessions = opts.sessions ?? new DriverSessions(ABSOLUTE_TIMEOUT_MS);
  const store = opts.statements;
  const syncWaitMs = opts.syncWaitMs ?? 45_000;
  const firstChunkRows = opts.firstChunkRows ?? 1000;
  const chunkRows = opts.chunkRows ?? 100_000;
  /** Per statement the driver ran: its statementTypeId, owner and chunk secret (newest DEFAULT_MAX_STATEMENTS). */
  const infos = new Map<string, StatementInfo>();
  /** Aborts by requestId that came before their statement: user + requestId, oldest first. */
  const earlyAborts = new Set<string>();

  const remember = (queryId: string, info: StatementInfo): StatementInfo => {
    infos.set(queryId, info);
    if (infos.size > DEFAULT_MAX_STATEMENTS) infos.delete(infos.keys().next().value as string);
    return info;
  };
  /** A statement's info; one the map no longer holds (a store keeping more statements) is made anew, typed as a query. */
  const infoOf = (st: StoredStatement): StatementInfo =>
    infos.get(st.queryId) ?? remember(st.queryId, { typeId: SELECT_STATEMENT_TYPE_ID, user: st.user, chunkSecret: newSecret() });

  return async (req, res, url, path, method) => {
    if (method === 'GET') {
      const chunk = CHUNK_PATH.exec(path);
      if (chunk) {
        await sendChunk(req, res, chunk[1]!.toLowerCase(), Number(chunk[2]), url.searchParams.get('s') ?? '');
        return true;
      }
    }
    const route = routeOf(path, method, url);
    if (route === null) return false;
    // Without a session token (none, malformed, a bearer token that fails) the caller answers 401 as for any route.
    if (route.kind === 'token-request') {
      if (sessionToken(req) === null) return false;
      await renew(req, res);
      return true;
    }
    let principal: Principal;
    try {
      principal = authenticateRequest(req, opts.authenticator);
    } catch (err) {
      const fe = asFirnError(err);
      if (fe.codeName !== 'SESSION_EXPIRED') return false;
      // An expired session answers the driver's way, so it renews its token with the master token.
      req.resume();
      sendJson(res, failureBody(fe, null));
      return true;
    }
    switch (route.kind) {
      case 'query':
        await query(req, res, url, principal);
        break;
      case 'result':
        req.resume();
        await resultOf(req, res, route.queryId, principal);
        break;
      case 'monitoring':
        req.resume();
        monitoring(res, route.queryId, principal);
        break;
      case 'abort':
        await abort(req, res, route.queryId, principal);
        break;
      case 'heartbeat':
        req.resume();
        sendJson(res, { data: null, code: null, message: null, success: true });
        break;
      case 'logout': {
        req.resume();
        const token = sessionToken(req);
        if (token !== null) opts.authenticator.closeSession(token);
        // The answer comes once the session's temporary objects are gone (session-transaction.ts).
        await sessions.close(principal.sessionId);
        sendJson(res, { data: null, code: null, message: null, success: true });
        break;
      }
      case 'telemetry':
        req.resume();
        sendJson(res, { data: null, code: null, message: null, success: true });
        break;
    }
    return true;
  };

  async function query(req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal): Promise<void> {
    const requestId = url.searchParams.get('requestId') || randomUUID();
    const user = principal.user;
    // The user's slot is held from the request's arrival until its statement settles (or, when none starts, until the answer).
    const release = opts.statementLimit ? opts.statementLimit.tryAcquire(user) : () => {};
    if (release === null) {
      req.resume();
      const refusal = opts.statementLimit!.refusal(user);
      // HTTP 429: the driver waits and sends the request again, as for Snowflake's throttling.
      res.writeHead(429, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': String(RETRY_AFTER_SECONDS) });
      res.end(JSON.stringify({ code: refusal.code, sqlState: refusal.sqlState, message: refusal.message }));
      return;
    }
    let handedOver = false;
    try {
      handedOver = await startQuery(req, res, requestId, principal, release);
    } finally {
      if (!handedOver) release();
    }
  }

  /** Runs the query request's statement; answers whether the statement took over `release`. */
  async function startQuery(req: IncomingMessage, res: ServerResponse, requestId: string, principal: Principal, release: () => void): Promise<boolean> {
    const user = principal.user;
    const queryId = randomUUID();
    let body: Record<string, unknown>;
    let state: DriverSession;
    let request: Omit<StatementRequest, 'signal'>;
    try {
      body = await readJsonBody(req, opts.maxBodyBytes);
      // The driver repeats a request it got no answer to with the same requestId: it is answered, never run twice.
      const repeated = store.byRequestId(user, requestId);
      if (repeated) {
        await wait(repeated, syncWaitMs);
        sendJson(res, await answerOf(req, repeated));
        return false;
      }
      if (typeof body.sqlText !== 'string' || body.sqlText.trim() === '') throw new RequestError('BAD_REQUEST', 'the query request needs a non-empty string "sqlText"');
      // Describing a statement without running it is not implemented: refused rather than run.
      if (body.describeOnly === true) throw new NotSupportedError('describeOnly (describing a statement without running it)');
      if (body.bindStage !== undefined && body.bindStage !== null) throw new NotSupportedError('bindStage (binds uploaded to a stage)');
      const sql = bindStatement(body.sqlText, body.bindings);
      const multiStatementCount = statementCountOf(body.parameters);
      state = sessions.of(principal);
      const session = requestSession(opts.authenticator, principal, { role: state.role, database: state.database, schema: state.schema, warehouse: state.warehouse });
      request = { sql, context: { ...session.context, history: state.history, variables: state.variables }, identity: session.identity, queryId, parameters: { multiStatementCount }, sessionParameters: state.parameters, transaction: state.transaction };
    } catch (err) {
      sendJson(res, failureBody(asFirnError(err), queryId));
      return false;
    }
    const st = startStatement(store, opts.runner, { request, user, requestId, log: opts.log });
    void st.settled.then(release);
    remember(queryId, { typeId: statementTypeId(request.sql), user, chunkSecret: newSecret(), parameters: state.parameters });
    if (earlyAborts.delete(requestKey(user, requestId))) store.cancel(queryId, user);
    // Once it ends: the session takes its USE / USE ROLE, and a multi-statement request's statements their types.
    void st.settled.then(() => settled(st, request.sql, state));
    if (body.asyncExec === true) {
      sendJson(res, { ...IN_PROGRESS_ASYNC, success: true, data: { queryId, getResultUrl: resultUrl(queryId) } });
      return true;
    }
    await wait(st, syncWaitMs);
    sendJson(res, await answerOf(req, st));
    return true;
  }

  function settled(st: StoredStatement, sql: string, state: DriverSession): void {
    if (st.state !== StatementStates.SUCCEEDED) return;
    if (st.context) sessions.update(state, st.context);
    const handles = st.statementHandles;
    if (!handles) return;
    const info = infos.get(st.queryId);
    if (info) info.typeId = SELECT_STATEMENT_TYPE_ID;
    const texts = statementTexts(sql);
    handles.forEach((id, i) => remember(id, { typeId: statementTypeId(texts[i] ?? ''), user: st.user, chunkSecret: newSecret(), parameters: state.parameters }));
  }

  async function resultOf(req: IncomingMessage, res: ServerResponse, queryId: string, principal: Principal): Promise<void> {
    const st = store.get(queryId.toLowerCase(), principal.user);
    if (!st) {
      sendJson(res, failureBody(notFound(queryId), queryId));
      return;
    }
    await wait(st, syncWaitMs);
    sendJson(res, await answerOf(req, st));
  }

  function monitoring(res: ServerResponse, queryId: string, principal: Principal): void {
    const st = store.get(queryId.toLowerCase(), principal.user);
    if (!st) {
      sendJson(res, { success: true, code: null, message: null, data: { queries: [] } });
      return;
    }
    const status = MONITORING_STATUS[st.state];
    const entry: Record<string, unknown> = { id: st.queryId, status, startTime: st.createdOn, ...(st.endedAt !== null ? { endTime: st.endedAt } : {}) };
    const error = st.error;
    if (error) {
      entry.errorCode = error.code;
      entry.errorMessage = error.message;
    }
    sendJson(res, {
      success: true,
      code: error?.code ?? null,
      message: error ? '' : null,
      data: { queries: [entry], ...(error ? { sqlState: error.sqlState } : {}) },
    });
  }

  async function abort(req: IncomingMessage, res: ServerResponse, queryId: string | null, principal: Principal): Promise<void> {
    try {
      if (queryId !== null) {
        req.resume();
        store.cancel(queryId.toLowerCase(), principal.user);
      } else {
        const body = await readJsonBody(req, opts.maxBodyBytes);
        if (typeof body.requestId !== 'string' || body.requestId === '') throw new RequestError('BAD_REQUEST', 'the abort request needs a string "requestId"');
        const st = store.byRequestId(principal.user, body.requestId);
        if (st) store.cancel(st.queryId, principal.user);
        else {
          earlyAborts.add(requestKey(principal.user, body.requestId));
          if (earlyAborts.size > MAX_EARLY_ABORTS) earlyAborts.delete(earlyAborts.values().next().value as string);
        }
      }
    } catch (err) {
      sendJson(res, failureBody(asFirnError(err), queryId));
      return;
    }
    sendJson(res, { data: null, code: null, message: null, success: true });
  }

  async function renew(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const master = sessionToken(req);
      await readJsonBody(req, opts.maxBodyBytes);
      if (master === null) throw new RequestError('BAD_REQUEST', 'the token request needs Authorization: Snowflake Token="<master token>"');
      const renewed = opts.authenticator.renewSession(master);
      sendJson(res, {
        success: true,
        code: null,
        message: null,
        // The master token stays the session's: the driver keeps the one it is given back.
        data: { sessionToken: renewed.token, validityInSecondsST: Math.floor(renewed.idleTimeoutMs / 1000), masterToken: master, sessionId: renewed.session.id },
      });
    } catch (err) {
      sendJson(res, failureBody(asFirnError(err), null));
    }
  }

  async function sendChunk(req: IncomingMessage, res: ServerResponse, queryId: string, index: number, secret: string): Promise<void> {
    req.resume();
    const info = infos.get(queryId);
    const st = info && info.chunkSecret === secret ? store.get(queryId, info.user) : undefined;
    const result = st?.state === StatementStates.SUCCEEDED ? st.result : null;
    const from = firstChunkRows + index * chunkRows;
    if (!result?.available || from >= result.numRows) {
      res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify({ code: '390107', message: 'no such result chunk' }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    try {
      for await (const piece of encodeChunkPieces(result.columns, result.read(from, Math.min(result.numRows, from + chunkRows)))) {
        if (res.destroyed) return;
        if (!res.write(piece)) await drained(res);
      }
      res.end();
    } catch (err) {
      opts.log(`result chunk ${index} of ${queryId} failed: ${err instanceof Error ? err.message : String(err)}`);
      res.destroy();
    }
  }

  /** The query-request answer of a statement: its result, its failure, or "still running". */
  async function answerOf(req: IncomingMessage, st: StoredStatement): Promise<unknown> {
    if (st.running) return { ...IN_PROGRESS, success: true, data: { queryId: st.queryId, getResultUrl: resultUrl(st.queryId) } };
    if (st.error) return failureBody(st.error, st.queryId);
    const result = st.result;
    const info = infoOf(st);
    if (!result?.available || !st.context) return failureBody(new ResourceError('RESULT_NOT_AVAILABLE', `The result of statement ${st.queryId} is no longer available`), st.queryId);
    const multi = st.statementHandles;
    const rows = multi ? 0 : result.numRows;
    const inline = Math.min(rows, firstChunkRows);
    const rowset: unknown[] = [];
    for await (const b of result.read(0, inline)) for (const row of encodeDriverRows(result.columns, b)) rowset.push(row);
    const chunks = [];
    const base = baseUrl(req);
    for (let from = inline, i = 0; from < rows; from += chunkRows, i++) {
      const rowCount = Math.min(chunkRows, rows - from);
      const size = rowCount * Math.max(1, result.columns.length) * 12;
      chunks.push({ url: `${base}/queries/v1/chunk/${st.queryId}/${i}?s=${info.chunkSecret}`, rowCount, uncompressedSize: size, compressedSize: size });
    }
    return {
      success: true,
      code: null,
      message: null,
      data: {
        queryId: st.queryId,
        statementTypeId: info.typeId,
        version: 1,
        queryResultFormat: 'json',
        parameters: info.parameters ? driverResultParameters(info.parameters) : DEFAULT_RESULT_PARAMETERS,
        rowtype: multi ? [] : driverRowtype(result.columns),
        rowset,
        total: rows,
        returned: rows,
        ...(multi ? { resultIds: multi.join(',') } : {}),
        ...(chunks.length > 0 ? { chunks, chunkHeaders: {} } : {}),
        finalDatabaseName: st.context.database,
        finalSchemaName: st.context.schema,
        finalWarehouseName: st.context.warehouse,
        finalRoleName: st.context.role ?? null,
        stats: st.stats,
      },
    };
  }
}

/** An unguessable chunk secret. */
function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** `parameters`: the session's, whose formats the answer tells the driver to render values with (absent: the defaults). */
type StatementInfo = { typeId: number; user: string; chunkSecret: string; parameters?: SessionParameters };

const MAX_EARLY_ABORTS = 1000;

const MONITORING_STATUS: Readonly<Record<StoredStatement['state'], string>> = {
  running: 'RUNNING',
  succeeded: 'SUCCESS',
  failed: 'FAILED_WITH_ERROR',
  canceled: 'ABORTED',
};

function requestKey(user: string, requestId: string): string {
  return `${user}\u0000${requestId}`;
}

/** Resolves when the statement ends or after `ms`, whichever comes first. */
async function wait(st: StoredStatement, ms: number): Promise<void> {
  if (!st.running) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([st.settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Absolute base URL of the server as the client reached it (chunk URLs must be absolute). */
function baseUrl(req: IncomingMessage): string {
  const tls = (req.socket as TLSSocket).encrypted === true;
  return `${tls ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}`;
}

type Route =
  | { kind: 'query' | 'heartbeat' | 'token-request' | 'logout' | 'telemetry' }
  | { kind: 'result' | 'monitoring'; queryId: string }
  | { kind: 'abort'; queryId: string | null };

function routeOf(path: string, method: string, url: URL): Route | null {
  if (method === 'POST') {
    if (path === '/queries/v1/query-request') return { kind: 'query' };
    if (path === '/queries/v1/abort-request') return { kind: 'abort', queryId: null };
    if (path === '/session/heartbeat') return { kind: 'heartbeat' };
    if (path === '/session/token-request') return { kind: 'token-request' };
    if (path === '/session' && url.searchParams.get('delete') === 'true') return { kind: 'logout' };
    if (path === '/telemetry/send') return { kind: 'telemetry' };
    const abort = ABORT_PATH.exec(path);
    if (abort) return { kind: 'abort', queryId: abort[1]! };
  }
  if (method === 'GET') {
    const result = RESULT_PATH.exec(path);
    if (result) return { kind: 'result', queryId: result[1]! };
    const monitoring = MONITORING_PATH.exec(path);
    if (monitoring) return { kind: 'monitoring', queryId: monitoring[1]! };
  }
  return null;
}

function resultUrl(queryId: string): string {
  return `/queries/${queryId}/result`;
}

/**
 * The request's MULTI_STATEMENT_COUNT (a number or its string; absent: undefined, which the
 * engine reads as 1; 0 = any number): the engine checks it against the text (000008).
 */
function statementCountOf(parameters: unknown): number | undefined {
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) return undefined;
  let desired: number | undefined;
  for (const [key, value] of Object.entries(parameters as Record<string, unknown>)) {
    if (key.toUpperCase() !== 'MULTI_STATEMENT_COUNT') continue;
    const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < 0) throw new RequestError('BAD_REQUEST', 'MULTI_STATEMENT_COUNT must be a non-negative integer');
    desired = n;
  }
  return desired;
}

function notFound(queryId: string): FirnError {
  return new ResourceError('STATEMENT_NOT_FOUND', `Statement ${queryId.slice(0, 36)} not found`);
}

/** The driver's error shape (see the module comment). */
function failureBody(e: FirnError, queryId: string | null): unknown {
  return {
    success: false,
    code: e.code,
    message: e.message,
    headers: null,
    data: { internalError: e.codeName === 'INTERNAL', errorCode: e.code, age: 0, sqlState: e.sqlState, queryId, line: -1, pos: -1 },
  };
}

/** The `Snowflake Token="…"` of the Authorization header (null when absent or of another form). */
function sessionToken(req: IncomingMessage): string | null {
  const m = /^Snowflake[ \t]+Token="([!#-~]+)"[ \t]*$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]! : null;
}

/** The request body as a JSON object (plain or gzip, recognised by its magic bytes); {} when empty. */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > limit) throw new RequestError('BAD_REQUEST', `request body exceeds the limit of ${limit} bytes`);
    chunks.push(chunk);
  }
  let raw = Buffer.concat(chunks);
  if (raw.length === 0) return {};
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      raw = gunzipSync(raw, { maxOutputLength: limit });
    } catch {
      throw new RequestError('BAD_REQUEST', 'the request body is not valid gzip (or too large once inflated)');
    }
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new RequestError('BAD_REQUEST', 'the request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new RequestError('BAD_REQUEST', 'the request body must be a JSON object');
  return body as Record<string, unknown>;
}

function sendJson(res: ServerResponse, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
