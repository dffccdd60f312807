/**
 * Firn's HTTP API: Snowflake's SQL API v2 over HTTP or HTTPS (listener.ts), in front of a
 * StatementRunner.
 *
 * Contract:
 * - Authentication (authenticate.ts): every route but GET /healthz and the login needs
 *   credentials, checked before anything else is read: `Authorization: Bearer <programmatic
 *   access token>` (X-Snowflake-Authorization-Token-Type PROGRAMMATIC_ACCESS_TOKEN, or none) or
 *   `Authorization: Snowflake Token="<session token>"`. Without valid ones the answer is 401
 *   {code, sqlState, message} (390303, or 390112 for a session) with WWW-Authenticate. The
 *   statements run as the authenticated user (StatementRequest.identity) with the body's
 *   `role` when it is one the user may use (403 ROLE_NOT_GRANTED otherwise: request-session.ts).
 * - POST /session/v1/login-request: password login of Snowflake's drivers (login-request.ts);
 *   the snowflake-sdk driver's other routes (query-request, result, chunks, abort, heartbeat,
 *   token renewal, logout, telemetry) are served by driver/driver-routes.ts, which answers
 *   their failures the driver's way (HTTP 200, success false).
 * - GET /healthz -> 200 {"status":"ok"} once the server is ready; with `startingUp`, 503
 *   {"status":"starting"} until `markReady()` (the process still bootstraps ADMIN, whose
 *   token FIRN_ADMIN_TOKEN stands for, after it listens: main.ts).
 * - POST /api/v2/statements {statement, database?, schema?, warehouse?, timeout?, bindings?,
 *   parameters?, async?} (of `parameters`, the session parameters Firn has (session-parameters.ts)
 *   and multi_statement_count (statement-result.ts) are read)
 *   -> 200 with the jsonv2 ResultSet (encode-jsonv2.ts) plus Firn's `stats` and `context`.
 *   Context names follow Snowflake identifier rules: plain names are upper-cased, "quoted"
 *   names kept verbatim; absent ones are passed as null so the runner applies its defaults.
 *   A request on a login session's token (`Snowflake Token=…`, as the CLI sends) runs in that
 *   session, shared with the driver's query-requests (driver/driver-sessions.ts): absent
 *   context names are the session's, and its transaction (BEGIN in one request, COMMIT in a
 *   later one), USE, USE ROLE, ALTER SESSION, SET variables and LAST_QUERY_ID carry over; a
 *   bearer token's request is its own session, as in Snowflake's SQL API.
 * - GET / and /page/*: the notebook page (page-routes.ts; public, it has its own login form).
 * - /api/firn/notebooks[/{id}]: the page's saved notebooks, the caller's own (notebook-routes.ts).
 * - PUT | GET /api/v2/stages/files?location=@stage/file: the CLI's upload and download of a
 *   stage file (stage-file-routes.ts), after the same checks as the statements endpoint.
 * - Statements run in the statement store (services/statements: startStatement), detached
 *   from the request: POST /api/v2/statements answers 202 QueryStatus (code 333334,
 *   statementStatusUrl) at once with `async=true` (query parameter, as Snowflake) or
 *   `"async": true` in the body, and as soon as the statement has run `asyncAfterMs`
 *   (FIRN_ASYNC_AFTER_MS, Snowflake's 45 s) without settling; otherwise it waits and answers
 *   the outcome (stored-statement-answer.ts): the ResultSet's partition 0, or the failure.
 * - GET /api/v2/statements/{handle}[?partition=N] polls: 202 with `stats` progress while it
 *   runs, the ResultSet (or partition N) once it succeeded, its failure once it failed or was
 *   canceled; only to the user who ran it (anyone else gets the same 404 as for an unknown
 *   handle). Result partitions are gzip-compressed when Accept-Encoding allows;
 *   `nullable=false` answers SQL NULL as "null".
 * - POST /api/v2/statements/{handle}/cancel cancels a running statement: 200 {code 000604,
 *   sqlState 57014, "SQL execution canceled"} once it stopped (or after CANCEL_WAIT_MS); a
 *   statement already finished answers 200 "Identified SQL statement is not currently
 *   executing."; an unknown handle (or another user's) 422 000709 "Statement … not found".
 * - Idempotent retries: `requestId` with `retry=true` answers the statement first submitted
 *   with that requestId by the same user (running, succeeded or failed) and never runs it
 *   again, while the store keeps it (24 h, the last FIRN_KEPT_STATEMENTS statements). Without
 *   `retry=true` a request is always a new statement.
 * - A multi-statement request's answer lists `statementHandles`; each is a statement of the
 *   store, fetched by its handle; the request's own handle answers its last statement's rows.
 * - Failures answer JSON {code, sqlState, message[, statementHandle]}: a FirnError from the
 *   runner -> 422 (408 for a statement timeout, 500 when it is INTERNAL, i.e. a bug or a
 *   non-Firn exception: http-request-error.ts); malformed
 *   requests -> 400, oversized bodies (over `maxBodyBytes`, 16 MiB) -> 413, unknown routes ->
 *   404, wrong method -> 405, all with the BAD_REQUEST code. No request can crash the process.
 * - Cross-site requests: a browser page may only drive the API from the server's own origin
 *   (`url` exactly, as it listens: 127.0.0.1 and localhost are different origins) or one in
 *   `allowedOrigins` (FIRN_ALLOWED_ORIGINS). A request carrying any other `Origin` answers 403
 *   ORIGIN_NOT_ALLOWED before anything runs; a POST to /api/v2/statements whose content type
 *   is not application/json answers 415 UNSUPPORTED_MEDIA_TYPE (so no "simple" cross-site
 *   form or text/plain POST can run a statement without a CORS preflight). OPTIONS answers
 *   204 with CORS headers for allowed origins only. Requests without `Origin` (curl, the CLI,
 *   drivers) are not browser requests and pass. A server listening on loopback also refuses
 *   (403) a request whose Host header names another host (DNS rebinding).
 * - Every answer carries the security headers (nosniff, no framing, a CSP, no referrer, no-store,
 *   same-origin resources, HSTS over TLS) and requests are bounded in header size and time
 *   (listener.ts). With `tls` the server speaks HTTPS and its `url` is https://.
 * - Each user runs at most `maxStatementsPerUser` statements at once; past it the answer is
 *   429 TOO_MANY_STATEMENTS (390429 / 53400) with Retry-After (user-statement-limit.ts), keyed
 *   by the request's identity's user.
 * - `timeout` (seconds, 0 = none) is passed to the runner, which stops a statement past it
 *   with STATEMENT_TIMEOUT (000630 / 57014) and commits nothing (services/session/deadline.ts).
 * - A client that disconnects before its answer (while it waits for a statement that was not
 *   asynchronous) cancels the statement: its work stops, it commits nothing, and it is logged
 *   and kept as canceled with CANCELED (000604 / 57014, "SQL execution canceled"). A statement
 *   answered 202 runs on without its client.
 * - Each user's statement slot (maxStatementsPerUser) is held from the request's arrival until
 *   its statement settles (or, when none started, until the response closes).
 * - `Accept: application/vnd.apache.arrow.stream` answers a result as an Arrow IPC stream
 *   (answer-arrow.ts: stats and context in X-Firn-* headers); 202s and errors stay JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, FirnError, asFirnError } from '../../storage/errors/firn-error.js';
import type { Authenticator, Principal } from '../access/authenticator.js';
import { requestSession } from '../access/request-session.js';
import { LOGIN_PATH, authenticateRequest, isPublicRoute } from './authenticate.js';
import { contextName } from './context-name.js';
import { answerLoginRequest } from './login-request.js';
import type { RequestParameters, StatementRunner } from '../session/statement-request.js';
import { PARAMETERS, readParameterValue } from '../session/session-parameters.js';
import { statementStatusUrl } from '../result/encode-jsonv2.js';
import { DEFAULT_ASYNC_AFTER_MS, DEFAULT_RESULT_PARTITION_BYTES } from '../config.js';
import { startStatement } from '../statements/start-statement.js';
import { bindStatement } from '../session/statement-bindings.js';
import { StatementStates, StatementStore, type StoredStatement } from '../statements/statement-store.js';
import { readBody } from './read-body.js';
import { HttpRequestError, httpStatusOf } from './http-request-error.js';
import { failureOf, sendStoredStatement } from './stored-statement-answer.js';
import { sendJson } from './send-json.js';
import { createListener, type ServerLimits } from './listener.js';
import { isLoopbackHost } from './loopback-host.js';
import type { TlsCredentials } from './tls-credentials.js';
import { DEFAULT_MAX_STATEMENTS_PER_USER, RETRY_AFTER_SECONDS, UserStatementLimit } from './user-statement-limit.js';
import { handleStageFiles, STAGE_FILES_PATH, type StageFileRouteOptions } from './stage-file-routes.js';
import { createDriverRoutes } from './driver/driver-routes.js';
import { DriverSessions } from './driver/driver-sessions.js';
import { ABSOLUTE_TIMEOUT_MS } from '../access/session-store.js';
import { wantsArrow } from './answer-arrow.js';
import { handleNotebooks, NOTEBOOKS_PATH, type NotebookRouteOptions } from './notebook-routes.js';
import { isPagePath, PageFiles, servePage, type PageRouteOptions } from './page-routes.js';

export type HttpServerOptions = {
  runner: StatementRunner;
  /** Checks every request's credentials and password logins (services/access/firn-authenticator.ts). */
  authenticator: Authenticator;
  host: string;
  port: number;
  onReady?: (info: { url: string; port: number }) => void;
  /** /healthz answers 503 until `markReady()` (default false: ready once listening). */
  startingUp?: boolean;
  /** Largest accepted request body (default 16 MiB). */
  maxBodyBytes?: number;
  /**
   * Where statements run and their results are kept (the engine's: services/statements);
   * absent, the server keeps its own in a temporary directory, removed on close.
   */
  statements?: StatementStore;
  /** A statement still running this long after its POST answers 202 (default 45,000 ms). */
  asyncAfterMs?: number;
  /** Receives one line per unexpected (500) failure. */
  log?: (line: string) => void;
  /** Browser origins besides the server's own that may call the API (normalized, e.g. https://app.example.com). */
  allowedOrigins?: readonly string[];
  /** Serve HTTPS with this certificate and key (listener.ts); plain HTTP when absent. */
  tls?: TlsCredentials | null;
  /** Most statements one user runs at once (default 64); past it 429 (user-statement-limit.ts). */
  maxStatementsPerUser?: number;
  /** Header size and request timeouts, over listener.ts's defaults (tests shorten them). */
  limits?: Partial<ServerLimits>;
  /** The stage file endpoint (PUT and GET of the CLI: stage-file-routes.ts); absent: not served. */
  stageFiles?: StageFileRouteOptions;
  /** The notebook page's static files (page-routes.ts); absent: not served. */
  page?: PageRouteOptions;
  /** The notebooks endpoint (notebook-routes.ts); absent: not served. */
  notebooks?: Omit<NotebookRouteOptions, 'maxBodyBytes'>;
};

export type HttpServer = { url: string; port: number; close(): Promise<void>; /** /healthz answers 200 from now on. */ markReady(): void };

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
const STATEMENTS_PATH = '/api/v2/statements';
/** How long a cancel waits for the statement to stop before it answers anyway. */
export const CANCEL_WAIT_MS = 5000;
/** The server's own statement store's budgets, when it is given none. */
const OWN_STORE_MEMORY_BYTES = 64 * 2 ** 20;
const OWN_STORE_DISK_BYTES = 2 ** 30;

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const ownHome = opts.statements ? null : mkdtempSync(join(os.tmpdir(), 'firn-statements-'));
  const store =
    opts.statements ??
    new StatementStore({ home: ownHome!, memoryBytes: OWN_STORE_MEMORY_BYTES, diskBytes: OWN_STORE_DISK_BYTES, partitionBytes: DEFAULT_RESULT_PARTITION_BYTES });
  const asyncAfterMs = opts.asyncAfterMs ?? DEFAULT_ASYNC_AFTER_MS;
  const log = opts.log ?? (() => {});
  const pageFiles = opts.page ? new PageFiles(opts.page.dir) : null;
  let ready = !opts.startingUp;
  const statementLimit = new UserStatementLimit(opts.maxStatementsPerUser ?? DEFAULT_MAX_STATEMENTS_PER_USER);
  const sessions = new DriverSessions(ABSOLUTE_TIMEOUT_MS);
  const driverRoutes = createDriverRoutes({ runner: opts.runner, statements: store, authenticator: opts.authenticator, log, maxBodyBytes: maxBody, syncWaitMs: asyncAfterMs, statementLimit, sessions });
  /** The server's own origin plus the allowed ones; the own one is known once listening. */
  const origins = new Set<string>(opts.allowedOrigins ?? []);
  /**
   * DNS rebinding: a page of evil.example whose name later resolves to 127.0.0.1 sends its
   * requests with `Host: evil.example`. A server listening on loopback only answers requests
   * addressed to a loopback name or to its own host (and its allowed origins' hosts).
   */
  const loopbackOnly = isLoopbackHost(opts.host);
  const hosts = new Set<string>([opts.host.toLowerCase(), 'localhost', '127.0.0.1', '[::1]']);
  for (const o of opts.allowedOrigins ?? []) hosts.add(new URL(o).hostname.toLowerCase());
  const hostAllowed = (header: string | undefined): boolean => {
    if (!loopbackOnly) return true;
    if (header === undefined) return false;
    const name = header.toLowerCase().replace(/:\d+$/, '');
    return hosts.has(name) || (name.startsWith('127.') && /^127(\.\d{1,3}){3}$/.test(name));
  };

  const server = createListener(
    (req, res) => {
      res.on('error', (err) => log(`response error: ${err.message}`));
      route(req, res).catch((err: unknown) => {
        log(`unhandled request failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        const fe = asFirnError(err);
        sendJson(res, 500, { code: fe.code, sqlState: fe.sqlState, message: fe.message });
      });
    },
    { tls: opts.tls ?? null, limits: opts.limits },
  );

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://firn.invalid');
    const path = url.pathname.length > 1 && url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
    const method = req.method ?? 'GET';
    if (!hostAllowed(req.headers.host)) {
      req.resume();
      return sendFailure(res, new HttpRequestError(403, `requests for host '${clip(req.headers.host ?? '(none)')}' are not allowed: this server listens on loopback`, 'ORIGIN_NOT_ALLOWED'));
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!origins.has(origin)) {
        req.resume();
        return sendFailure(res, new HttpRequestError(403, `requests from origin '${clip(origin)}' are not allowed (add it to FIRN_ALLOWED_ORIGINS)`, 'ORIGIN_NOT_ALLOWED'));
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Vary', 'Origin');
    }
    if (method === 'OPTIONS') {
      req.resume();
      const allow =
        path === '/healthz' ? 'GET, HEAD' : path === STATEMENTS_PATH || path === LOGIN_PATH || isCancelPath(path) ? 'POST' : path.startsWith(`${STATEMENTS_PATH}/`) ? 'GET' : null;
      if (allow === null) return sendFailure(res, new HttpRequestError(404, `no such endpoint: ${method} ${path}`));
      res.setHeader('Allow', `${allow}, OPTIONS`);
      if (origin !== undefined) {
        res.setHeader('Access-Control-Allow-Methods', allow);
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Accept, Authorization, X-Snowflake-Authorization-Token-Type');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.writeHead(204).end();
      return;
    }
    // Public routes answer before authentication (authenticate.ts); every other request authenticates first.
    if (isPublicRoute(method, path)) {
      if (path === LOGIN_PATH) return login(req, res, url);
      if (path === '/healthz') return ready ? sendJson(res, 200, { status: 'ok' }, method === 'HEAD') : sendJson(res, 503, { status: 'starting' }, method === 'HEAD');
      if (pageFiles && isPagePath(path)) return servePage(req, res, path, pageFiles, Boolean(opts.tls));
    }
    // The snowflake-sdk driver's routes authenticate (and answer failures) the driver's way.
    if (await driverRoutes(req, res, url, path, method)) return;
    let principal: Principal;
    try {
      principal = authenticateRequest(req, opts.authenticator);
    } catch (err) {
      req.resume();
      return sendFailure(res, asFirnError(err));
    }
    if (path === '/healthz') return methodNotAllowed(req, res, 'GET, HEAD');
    if (path === LOGIN_PATH) return methodNotAllowed(req, res, 'POST');
    if (path === STATEMENTS_PATH) {
      if (method !== 'POST') return methodNotAllowed(req, res, 'POST');
      if (!isJsonContentType(req.headers['content-type'])) {
        req.resume();
        res.setHeader('Connection', 'close');
        return sendFailure(
          res,
          new HttpRequestError(415, `POST ${STATEMENTS_PATH} needs content-type application/json, got '${clip(req.headers['content-type'] ?? '(none)')}'`, 'UNSUPPORTED_MEDIA_TYPE'),
        );
      }
      return executeStatement(req, res, url, principal);
    }
    if (opts.notebooks && (path === NOTEBOOKS_PATH || path.startsWith(`${NOTEBOOKS_PATH}/`))) {
      return handleNotebooks(req, res, path, principal.user, { ...opts.notebooks, maxBodyBytes: maxBody });
    }
    if (path === STAGE_FILES_PATH && opts.stageFiles) {
      // As the authenticated user, in the role its credentials start with (request-session.ts).
      const { identity } = requestSession(opts.authenticator, principal, { role: null, database: null, schema: null, warehouse: null });
      return handleStageFiles(req, res, url, identity, opts.stageFiles);
    }
    if (isCancelPath(path)) {
      if (method !== 'POST') return methodNotAllowed(req, res, 'POST');
      req.resume();
      return cancelStatement(res, safeDecode(path.slice(STATEMENTS_PATH.length + 1, -CANCEL_SUFFIX.length)), url, principal);
    }
    if (path.startsWith(`${STATEMENTS_PATH}/`)) {
      if (method !== 'GET') return methodNotAllowed(req, res, 'GET');
      return getStatement(req, res, safeDecode(path.slice(STATEMENTS_PATH.length + 1)), url, principal);
    }
    req.resume();
    sendFailure(res, new HttpRequestError(404, `no such endpoint: ${method} ${path}`));
  }

  async function executeStatement(req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal): Promise<void> {
    // The user's slot is held from the request's arrival until its statement settles (or, when
    // none starts, until the response closes).
    const release = statementLimit.tryAcquire(principal.user);
    if (release === null) {
      req.resume();
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.setHeader('Connection', 'close');
      return sendFailure(res, statementLimit.refusal(principal.user));
    }
    let handedOver = false;
    res.once('close', () => {
      if (!handedOver) release();
    });
    const givenRequestId = url.searchParams.get('requestId');
    const requestId = givenRequestId || randomUUID();
    const user = principal.user;
    let body: StatementBody;
    let session: ReturnType<typeof requestSession>;
    let asyncRun: boolean;
    // A request on a login session's token (the CLI's) runs in that session, as the driver's
    // query-requests do: its transaction, USE and LAST_QUERY_ID carry over to the next request.
    // A bearer token's request is its own session, as in Snowflake's SQL API.
    const login = principal.sessionId === undefined ? null : sessions.of(principal);
    try {
      body = parseStatementBody(await readBody(req, maxBody));
      asyncRun = body.async || booleanParam(url, 'async');
      const { database, schema, warehouse } = body.context;
      session = requestSession(
        opts.authenticator,
        principal,
        login
          ? { role: body.role ?? login.role, database: database ?? login.database, schema: schema ?? login.schema, warehouse: warehouse ?? login.warehouse }
          : { role: body.role, ...body.context },
      );
    } catch (err) {
      if (err instanceof HttpRequestError && err.status === 413) res.setHeader('Connection', 'close');
      return sendFailure(res, asFirnError(err));
    }
    const answer = { requestId, gzip: acceptsGzip(req), nullText: url.searchParams.get('nullable') === 'false' };
    // A retry of a request already submitted answers its statement: it never runs twice.
    if (givenRequestId && booleanParam(url, 'retry')) {
      const original = store.byRequestId(user, givenRequestId);
      if (original) return answerWhenSettled(req, res, original, asyncRun, answer, false);
    }
    const queryId = randomUUID();
    let st: StoredStatement;
    // `bindings` bound into the text (statement-bindings.ts); a bad one fails the statement it names.
    let sql: string | null = null;
    let bindFailure: unknown = null;
    try {
      sql = bindStatement(body.sql, body.bindings);
    } catch (err) {
      bindFailure = err;
    }
    if (sql === null) {
      st = store.begin({ queryId, user, requestId });
      await store.settle(st, { error: bindFailure });
    } else {
      // In a session, the body's parameters apply over the session's for this request only.
      const { multiStatementCount, ...given } = body.parameters;
      const inSession = login
        ? {
            context: { ...session.context, history: login.history, variables: login.variables },
            transaction: login.transaction,
            parameters: { multiStatementCount },
            sessionParameters: Object.keys(given).length === 0 ? login.parameters : { ...login.parameters, ...given },
          }
        : { context: session.context, parameters: body.parameters };
      st = startStatement(store, opts.runner, {
        request: { sql, identity: session.identity, queryId, timeout: body.timeout, ...inSession },
        user,
        requestId,
        log,
      });
      if (login) {
        const started = st;
        void started.settled.then(() => {
          if (started.state === StatementStates.SUCCEEDED && started.context) sessions.update(login, started.context);
        });
      }
    }
    handedOver = true;
    void st.settled.then(release);
    return answerWhenSettled(req, res, st, asyncRun, answer, true);
  }

  /**
   * Answers `st` once it settled, or 202 at once (`asyncRun`) or after asyncAfterMs. A client
   * that goes away meanwhile cancels it when `cancelOnDisconnect` (its own request started it).
   */
  async function answerWhenSettled(req: IncomingMessage, res: ServerResponse, st: StoredStatement, asyncRun: boolean, answer: { requestId: string; gzip: boolean; nullText: boolean }, cancelOnDisconnect: boolean): Promise<void> {
    if (st.running && !asyncRun) {
      let timer: NodeJS.Timeout | undefined;
      let onClose: (() => void) | undefined;
      const gone = await Promise.race([
        st.settled.then(() => false),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), asyncAfterMs))),
        new Promise<true>((resolve) => {
          onClose = () => {
            if (!res.writableFinished) resolve(true);
          };
          res.once('close', onClose);
          if (req.socket.destroyed) resolve(true);
        }),
      ]);
      clearTimeout(timer);
      res.off('close', onClose!);
      if (gone) {
        if (cancelOnDisconnect && st.running) {
          store.cancel(st.queryId, st.user);
          await st.settled;
          if (st.error) log(`statement ${st.queryId} canceled: the client disconnected (${st.error.code} ${st.error.message})`);
        }
        return;
      }
    }
    await sendStoredStatement(res, st, { ...answer, partition: 0, ...(wantsArrow(req.headers.accept) ? { arrow: { wholeResult: true } } : {}) });
  }

  async function getStatement(req: IncomingMessage, res: ServerResponse, handle: string, url: URL, principal: Principal): Promise<void> {
    req.resume();
    // Another user's handle answers exactly as an unknown one: no oracle of which handles exist.
    const st = store.get(handle, principal.user);
    if (!st) return sendFailure(res, new HttpRequestError(404, `no recent statement with handle '${handle}'`));
    const raw = url.searchParams.get('partition');
    const partition = raw === null ? 0 : Number(raw);
    if (!Number.isInteger(partition) || partition < 0 || (raw !== null && !/^\d+$/.test(raw))) {
      return sendFailure(res, new HttpRequestError(400, `"partition" must be a partition number (0, 1, ...), got '${clip(raw ?? '')}'`));
    }
    const requestId = url.searchParams.get('requestId') || st.requestId || st.queryId;
    const arrow = wantsArrow(req.headers.accept) ? { arrow: { wholeResult: raw === null } } : {};
    await sendStoredStatement(res, st, { requestId, partition, gzip: acceptsGzip(req), nullText: url.searchParams.get('nullable') === 'false', ...arrow });
  }

  async function cancelStatement(res: ServerResponse, handle: string, url: URL, principal: Principal): Promise<void> {
    const wasRunning = store.get(handle, principal.user)?.running === true;
    const st = store.cancel(handle, principal.user);
    if (!st) {
      return sendJson(res, 422, { code: ErrorCodes.STATEMENT_NOT_FOUND.code, sqlState: ErrorCodes.STATEMENT_NOT_FOUND.sqlState, message: `Statement ${clip(handle)} not found`, statementHandle: handle });
    }
    const requestId = url.searchParams.get('requestId') || st.requestId || st.queryId;
    const statusUrl = statementStatusUrl(st.queryId, requestId);
    if (!wasRunning) return sendJson(res, 200, { message: 'Identified SQL statement is not currently executing.', statementHandle: st.queryId, statementStatusUrl: statusUrl });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([st.settled, new Promise<void>((resolve) => (timer = setTimeout(resolve, CANCEL_WAIT_MS)))]);
    clearTimeout(timer);
    if (st.running || st.state === 'canceled') {
      return sendJson(res, 200, { code: ErrorCodes.CANCELED.code, sqlState: ErrorCodes.CANCELED.sqlState, message: 'SQL execution canceled', statementHandle: st.queryId, statementStatusUrl: statusUrl });
    }
    // It finished (or failed) before the cancel reached it: its outcome stands.
    if (st.error) {
      const failed = failureOf(st, st.error, requestId);
      return sendJson(res, failed.status, failed.body);
    }
    sendJson(res, 200, { message: 'Identified SQL statement is not currently executing.', statementHandle: st.queryId, statementStatusUrl: statusUrl });
  }

  async function login(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!isJsonContentType(req.headers['content-type'])) {
      req.resume();
      res.setHeader('Connection', 'close');
      return sendFailure(res, new HttpRequestError(415, `POST ${LOGIN_PATH} needs content-type application/json, got '${clip(req.headers['content-type'] ?? '(none)')}'`, 'UNSUPPORTED_MEDIA_TYPE'));
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, maxBody);
    } catch (err) {
      if (err instanceof HttpRequestError && err.status === 413) res.setHeader('Connection', 'close');
      return sendFailure(res, asFirnError(err));
    }
    const answer = await answerLoginRequest(opts.authenticator, raw, url.searchParams, req.socket.remoteAddress ?? 'unknown', maxBody);
    for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    sendJson(res, answer.status, answer.body);
  }

  try {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        reject(new FirnError('STORAGE_IO', `cannot listen on ${opts.host}:${opts.port}: ${err.code ?? err.message}`));
      };
      server.once('error', onError);
      server.listen(opts.port, opts.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
  } catch (err) {
    // Nothing will close this server: its own statement store goes now.
    if (ownHome !== null) {
      await store.close();
      rmSync(ownHome, { recursive: true, force: true });
    }
    throw err;
  }
  server.on('error', (err) => log(`server error: ${err.message}`));

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const hostPart = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `${opts.tls ? 'https' : 'http'}://${hostPart}:${port}`;
  origins.add(url);
  opts.onReady?.({ url, port });
  return {
    url,
    port,
    markReady: () => {
      ready = true;
    },
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      });
      if (ownHome !== null) {
        await store.close();
        rmSync(ownHome, { recursive: true, force: true });
      }
    },
  };
}

const CANCEL_SUFFIX = '/cancel';

/** POST /api/v2/statements/{handle}/cancel. */
function isCancelPath(path: string): boolean {
  return path.startsWith(`${STATEMENTS_PATH}/`) && path.endsWith(CANCEL_SUFFIX) && path.length > STATEMENTS_PATH.length + 1 + CANCEL_SUFFIX.length;
}

/** A query parameter that is `true` (any case). */
function booleanParam(url: URL, name: string): boolean {
  return (url.searchParams.get(name) ?? '').toLowerCase() === 'true';
}

/** Whether the request's Accept-Encoding allows gzip (listed, and not with q=0). */
function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name !== 'gzip' && name !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** `application/json`, with or without parameters such as charset (media types are case-insensitive). */
function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

/** A header value quoted in an error message: at most 100 characters. */
function clip(s: string): string {
  return s.length > 100 ? `${s.slice(0, 100)}…` : s;
}

type StatementBody = {
  sql: string;
  context: { database: string | null; schema: string | null; warehouse: string | null };
  /** The role the request asks to run as (null: its credentials' role). */
  role: string | null;
  /** The request's `bindings` as sent (statement-bindings.ts reads them). */
  bindings: unknown;
  timeout: number | null;
  parameters: RequestParameters;
  /** `"async": true`: answer 202 at once (as the `async=true` query parameter). */
  async: boolean;
};

function parseStatementBody(raw: Buffer): StatementBody {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new HttpRequestError(400, `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpRequestError(400, 'request body must be a JSON object with a "statement" field');
  }
  const b = body as Record<string, unknown>;
  if (typeof b.statement !== 'string' || b.statement.trim() === '') {
    throw new HttpRequestError(400, 'request body must have a non-empty string "statement"');
  }
  if (b.timeout !== undefined && b.timeout !== null && (typeof b.timeout !== 'number' || !(b.timeout >= 0))) {
    throw new HttpRequestError(400, '"timeout" must be a non-negative number of seconds');
  }
  if (b.async !== undefined && b.async !== null && typeof b.async !== 'boolean') {
    throw new HttpRequestError(400, '"async" must be true or false');
  }
  return {
    sql: b.statement,
    bindings: b.bindings,
    async: b.async === true,
    timeout: typeof b.timeout === 'number' ? b.timeout : null,
    parameters: sessionParameters(b.parameters),
    role: bodyName(b.role, 'role'),
    context: {
      database: bodyName(b.database, 'database'),
      schema: bodyName(b.schema, 'schema'),
      warehouse: bodyName(b.warehouse, 'warehouse'),
    },
  };
}

/**
 * The body's `parameters` the session starts with, keys in any case: MULTI_STATEMENT_COUNT (a
 * non-negative integer or its string; absent: 1, as Snowflake), and every session parameter
 * Firn has (session-parameters.ts: TIMEZONE, QUERY_TAG, BINARY_OUTPUT_FORMAT, DATE_OUTPUT_FORMAT,
 * USE_CACHED_RESULT, ...), its value a string, number or boolean, checked as ALTER SESSION checks
 * it (an invalid one is 400). Snowflake's other parameters are ignored.
 */
function sessionParameters(v: unknown): RequestParameters {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new HttpRequestError(400, '"parameters" must be an object');
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    const name = key.toLowerCase();
    if (name === 'multi_statement_count') {
      const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new HttpRequestError(400, '"parameters.multi_statement_count" must be a non-negative integer');
      out.multiStatementCount = n;
      continue;
    }
    const spec = PARAMETERS.find((p) => p.name === name.toUpperCase());
    if (!spec) continue;
    const text = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
    let read: unknown = null;
    try {
      if (text !== null) read = readParameterValue(spec, text);
    } catch {
      read = null;
    }
    if (read === null) throw new HttpRequestError(400, PARAMETER_MESSAGES[spec.name] ?? `"parameters.${name}" is not a valid ${spec.name}`);
    out[spec.key] = read;
  }
  return out as RequestParameters;
}

const PARAMETER_MESSAGES: Record<string, string> = {
  TIMEZONE: '"parameters.timezone" must name a time zone',
  USE_CACHED_RESULT: '"parameters.use_cached_result" must be true or false',
};

/** A context field (or `role`) as a resolved identifier (context-name.ts). */
function bodyName(v: unknown, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new HttpRequestError(400, `"${field}" must be a string`);
  return contextName(v, field, (message) => new HttpRequestError(400, message));
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function methodNotAllowed(req: IncomingMessage, res: ServerResponse, allow: string): void {
  req.resume();
  res.setHeader('Allow', allow);
  sendFailure(res, new HttpRequestError(405, `method ${req.method} is not allowed here (allowed: ${allow})`));
}

function sendFailure(res: ServerResponse, e: FirnError): void {
  const status = httpStatusOf(e);
  if (status === 401 && !res.headersSent) res.setHeader('WWW-Authenticate', 'Bearer realm="firn"');
  sendJson(res, status, { code: e.code, sqlState: e.sqlState, message: e.message });
}
