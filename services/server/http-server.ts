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
 * - POST /session/v1/login-request: password login of Snowflake's drivers (login-request.ts).
 * - GET /healthz -> 200 {"status":"ok"}.
 * - POST /api/v2/statements {statement, database?, schema?, warehouse?, timeout?, bindings?,
 *   parameters?} (of `parameters`, use_cached_result (session-parameters.ts) and
 *   multi_statement_count (statement-result.ts) are read)
 *   -> 200 with the jsonv2 ResultSet (encode-jsonv2.ts) plus Firn's `stats` and `context`.
 *   Context names follow Snowflake identifier rules: plain names are upper-cased, "quoted"
 *   names kept verbatim; absent ones are passed as null so the runner applies its defaults.
 * - PUT | GET /api/v2/stages/files?location=@stage/file: the CLI's upload and download of a
 *   stage file (stage-file-routes.ts), after the same checks as the statements endpoint.
 * - GET /api/v2/statements/{handle} -> the same body (and status) again while the statement
 *   is among the most recent ones kept in memory (bounded by count and bytes), 404 otherwise;
 *   only to the user who ran it (anyone else gets the same 404 as for an unknown handle).
 *   A multi-statement request's answer lists `statementHandles`; each is kept the same way.
 * - Failures answer JSON {code, sqlState, message[, statementHandle]}: a FirnError from the
 *   runner -> 422 (500 when it is INTERNAL, i.e. a bug or a non-Firn exception); malformed
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
 * - Each user runs at most `maxStatementsPerUser` statements at once: counted from a POST's
 *   arrival until its response closes (answered, streamed body included, failed, or the client
 *   gone); past it the answer is 429 TOO_MANY_STATEMENTS (390429 / 53400) with Retry-After
 *   (user-statement-limit.ts), keyed by the request's identity's user.
 * - `timeout` (seconds, 0 = none) is passed to the runner, which stops a statement past it
 *   with STATEMENT_TIMEOUT (000630 / 57014) and commits nothing (services/session/deadline.ts).
 * - A client that disconnects before its answer cancels the statement (the runner's
 *   `signal`): its work stops, it commits nothing, and it is logged and kept among the recent
 *   results as failed with CANCELED (000604 / 57014, "SQL execution canceled").
 * - A query's rows stream (encode-jsonv2-stream.ts): the body is written chunked, piece by
 *   piece as batches arrive, waiting for the socket to drain (so a slow client slows the
 *   warehouse through the result credits, not services' memory). The answer's first
 *   STREAM_AFTER_BYTES of text (or the whole answer, when smaller: most answers) are computed
 *   before the status line is sent, so a failure up to then (compile errors, a failing scan,
 *   a value error in any row of a small result, a timeout before the first rows) still answers
 *   a proper 4xx/5xx JSON error. A failure after the first bytes were sent cannot change the status any more: the
 *   response is aborted (the connection is destroyed without the terminating chunk, so the
 *   client sees an incomplete body, never a well-formed partial answer), the failure is
 *   logged, and GET /api/v2/statements/{handle} answers the failure. A streamed answer is kept
 *   for that GET only while its text fits the recent results' byte budget.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import {
  AuthenticationError,
  FirnError,
  NotSupportedError,
  RequestError,
  ResourceError,
  asFirnError,
} from '../../storage/errors/firn-error.js';
import type { Authenticator, Principal } from '../access/authenticator.js';
import { requestSession } from '../access/request-session.js';
import { LOGIN_PATH, authenticateRequest, isPublicRoute } from './authenticate.js';
import { contextName } from './context-name.js';
import { answerLoginRequest } from './login-request.js';
import type { StatementRunner } from '../session/statement-result.js';
import { encodeJsonV2, statementStatusUrl, type JsonV2Failure } from '../result/encode-jsonv2.js';
import { encodeJsonV2Stream } from '../result/encode-jsonv2-stream.js';
import { createListener, type ServerLimits } from './listener.js';
import { isLoopbackHost } from './loopback-host.js';
import type { TlsCredentials } from './tls-credentials.js';
import { DEFAULT_MAX_STATEMENTS_PER_USER, RETRY_AFTER_SECONDS, UserStatementLimit } from './user-statement-limit.js';
import { handleStageFiles, STAGE_FILES_PATH, type StageFileRouteOptions } from './stage-file-routes.js';

export type HttpServerOptions = {
  runner: StatementRunner;
  /** Checks every request's credentials and password logins (services/access/firn-authenticator.ts). */
  authenticator: Authenticator;
  host: string;
  port: number;
  onReady?: (info: { url: string; port: number }) => void;
  /** Largest accepted request body (default 16 MiB). */
  maxBodyBytes?: number;
  /** How many recent statement results GET /api/v2/statements/{handle} can return (default 100). */
  resultCacheEntries?: number;
  /** Total size of the kept result bodies (default 64 MiB). */
  resultCacheBytes?: number;
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
};

export type HttpServer = { url: string; port: number; close(): Promise<void> };

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;
/**
 * A streamed answer is held until this much of its text is computed (or it is complete)
 * before its status line is sent: a failure until then still answers a proper error.
 */
export const STREAM_AFTER_BYTES = 256 * 1024;
const STATEMENTS_PATH = '/api/v2/statements';

/** A malformed request; carries the HTTP status it answers with. */
class HttpRequestError extends RequestError {
  readonly status: number;
  constructor(status: number, message: string, codeName: 'BAD_REQUEST' | 'UNSUPPORTED_MEDIA_TYPE' | 'ORIGIN_NOT_ALLOWED' = 'BAD_REQUEST') {
    super(codeName, message);
    this.status = status;
  }
}

/** An answer kept for GET /api/v2/statements/{handle}, readable only by `user`, who ran it. */
type Stored = { status: number; text: string; user: string };

/** The last N answered statements, oldest evicted first, bounded by count and bytes. */
class RecentResults {
  private readonly entries = new Map<string, Stored>();
  private bytes = 0;
  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}
  get(handle: string): Stored | undefined {
    return this.entries.get(handle);
  }
  put(handle: string, stored: Stored): void {
    const size = stored.text.length * 2;
    if (this.maxEntries <= 0 || size > this.maxBytes) return;
    const old = this.entries.get(handle);
    if (old) {
      this.entries.delete(handle);
      this.bytes -= old.text.length * 2;
    }
    this.entries.set(handle, stored);
    this.bytes += size;
    for (const [key, value] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.entries.delete(key);
      this.bytes -= value.text.length * 2;
    }
  }
}

export async function startHttpServer(opts: HttpServerOptions): Promise<HttpServer> {
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const recent = new RecentResults(opts.resultCacheEntries ?? 100, opts.resultCacheBytes ?? 64 * 1024 * 1024);
  const log = opts.log ?? (() => {});
  const statementLimit = new UserStatementLimit(opts.maxStatementsPerUser ?? DEFAULT_MAX_STATEMENTS_PER_USER);
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
      const allow = path === '/healthz' ? 'GET, HEAD' : path === STATEMENTS_PATH || path === LOGIN_PATH ? 'POST' : path.startsWith(`${STATEMENTS_PATH}/`) ? 'GET' : null;
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
      if (path === '/healthz') return sendJson(res, 200, { status: 'ok' }, method === 'HEAD');
    }
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
    if (path === STAGE_FILES_PATH && opts.stageFiles) {
      // As the authenticated user, in the role its credentials start with (request-session.ts).
      const { identity } = requestSession(opts.authenticator, principal, { role: null, database: null, schema: null, warehouse: null });
      return handleStageFiles(req, res, url, identity, opts.stageFiles);
    }
    if (path.startsWith(`${STATEMENTS_PATH}/`)) {
      if (method !== 'GET') return methodNotAllowed(req, res, 'GET');
      return getStatement(res, safeDecode(path.slice(STATEMENTS_PATH.length + 1)), url, principal);
    }
    req.resume();
    sendFailure(res, new HttpRequestError(404, `no such endpoint: ${method} ${path}`));
  }

  async function executeStatement(req: IncomingMessage, res: ServerResponse, url: URL, principal: Principal): Promise<void> {
    // The user's slot is held from the request's arrival until its response closes: answered
    // (a streamed body included), failed, or the client gone.
    const release = statementLimit.tryAcquire(principal.user);
    if (release === null) {
      req.resume();
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.setHeader('Connection', 'close');
      return sendFailure(res, statementLimit.refusal(principal.user));
    }
    res.once('close', release);
    const createdOn = Date.now();
    const requestId = url.searchParams.get('requestId') || randomUUID();
    const user = principal.user;
    let body: StatementBody;
    let session: ReturnType<typeof requestSession>;
    try {
      body = parseStatementBody(await readBody(req, maxBody));
      session = requestSession(opts.authenticator, principal, { role: body.role, ...body.context });
    } catch (err) {
      if (err instanceof HttpRequestError && err.status === 413) res.setHeader('Connection', 'close');
      return sendFailure(res, asFirnError(err));
    }
    const queryId = randomUUID();
    let status: number;
    let text: string;
    let handle: string = queryId;
    // The connection closing before the answer is written means nobody waits for it any more.
    const disconnected = new AbortController();
    const onClose = () => {
      if (!res.writableFinished) disconnected.abort();
    };
    res.once('close', onClose);
    if (req.socket.destroyed) disconnected.abort();
    const failureText = (err: unknown): { status: number; text: string } => {
      const fe = asFirnError(err);
      const failed = httpStatusOf(fe);
      if (failed === 500) log(`statement ${handle} failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      const failure: JsonV2Failure = {
        code: fe.code,
        sqlState: fe.sqlState,
        message: fe.message,
        statementHandle: handle,
        statementStatusUrl: statementStatusUrl(handle, requestId),
        createdOn,
      };
      if (disconnected.signal.aborted) log(`statement ${handle} canceled: the client disconnected (${fe.code} ${fe.message})`);
      return { status: failed, text: JSON.stringify(failure) };
    };
    let pieces: AsyncGenerator<string> | null = null;
    let first = '';
    try {
      if (body.hasBindings) throw new NotSupportedError('bind variables ("bindings" in the request)');
      const result = await opts.runner.execute({ sql: body.sql, context: session.context, identity: session.identity, queryId, timeout: body.timeout, signal: disconnected.signal, parameters: body.parameters });
      handle = result.queryId;
      if (result.stream) {
        pieces = encodeJsonV2Stream(result, { requestId, createdOn });
        // Up to STREAM_AFTER_BYTES of the answer (or all of it) before the status line: see the module comment.
        const head: string[] = [];
        let bytes = 0;
        let complete = false;
        while (bytes < STREAM_AFTER_BYTES) {
          const next = await pieces.next();
          if (next.done) {
            complete = true;
            break;
          }
          head.push(next.value);
          bytes += next.value.length;
        }
        first = head.join('');
        status = 200;
        text = '';
        if (complete) {
          // The whole answer is here: sent like any other, with its length.
          text = first;
          pieces = null;
        }
      } else {
        text = JSON.stringify(encodeJsonV2(result, { requestId, createdOn }));
        status = 200;
        for (const one of result.statements ?? []) {
          recent.put(one.queryId, { status: 200, text: JSON.stringify(encodeJsonV2(one, { requestId, createdOn })), user });
        }
      }
    } catch (err) {
      ({ status, text } = failureText(err));
      pieces = null;
    }
    if (pieces) {
      const outcome = await streamBody(res, pieces, first, opts.resultCacheBytes ?? 64 * 1024 * 1024);
      res.off('close', onClose);
      if (outcome.error === null) {
        if (outcome.kept !== null) recent.put(handle, { status: 200, text: outcome.kept, user });
      } else {
        const failed = failureText(outcome.error);
        log(`statement ${handle} failed after its answer began; the response was aborted (${failed.text})`);
        recent.put(handle, { ...failed, user });
      }
      return;
    }
    res.off('close', onClose);
    recent.put(handle, { status, text, user });
    sendText(res, status, text);
  }

  function getStatement(res: ServerResponse, handle: string, url: URL, principal: Principal): void {
    const partition = url.searchParams.get('partition');
    const stored = recent.get(handle);
    // Another user's handle answers exactly as an unknown one: no oracle of which handles exist.
    if (!stored || stored.user !== principal.user) {
      return sendFailure(res, new HttpRequestError(404, `no recent statement with handle '${handle}'`));
    }
    if (partition !== null && partition !== '0') {
      return sendFailure(res, new HttpRequestError(400, `partition ${partition} does not exist: results have a single partition 0`));
    }
    sendText(res, stored.status, stored.text);
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeIdleConnections();
      }),
  };
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

/**
 * HTTP status for a failed request: malformed 400/413/404, no valid credentials 401, a role
 * the user may not use 403, throttled or too many statements running 429, bug 500, else (a
 * failed statement) 422.
 */
function httpStatusOf(e: FirnError): number {
  if (e instanceof HttpRequestError) return e.status;
  if (e instanceof AuthenticationError) return e.codeName === 'ROLE_NOT_GRANTED' ? 403 : e.codeName === 'TOO_MANY_REQUESTS' ? 429 : 401;
  if (e.codeName === 'BAD_REQUEST') return 400;
  if (e.codeName === 'TOO_MANY_STATEMENTS') return 429;
  if (e.codeName === 'INTERNAL') return 500;
  return 422;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => new HttpRequestError(413, `request body exceeds the limit of ${limit} bytes`);
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      total += chunk.length;
      if (total > limit) {
        done = true;
        chunks.length = 0;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(new HttpRequestError(400, `could not read the request body: ${err.message}`));
    });
  });
}

type StatementBody = {
  sql: string;
  context: { database: string | null; schema: string | null; warehouse: string | null };
  /** The role the request asks to run as (null: its credentials' role). */
  role: string | null;
  hasBindings: boolean;
  timeout: number | null;
  parameters: { useCachedResult?: boolean; multiStatementCount?: number };
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
  const hasBindings =
    b.bindings !== undefined && b.bindings !== null && (typeof b.bindings !== 'object' || Object.keys(b.bindings).length > 0);
  return {
    sql: b.statement,
    hasBindings,
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
 * The body's `parameters` the session uses: USE_CACHED_RESULT (a boolean or its string) and
 * MULTI_STATEMENT_COUNT (a non-negative integer or its string; absent: 1, as Snowflake), keys
 * in any case. Snowflake's other parameters (timezone, query_tag...) are ignored.
 */
function sessionParameters(v: unknown): { useCachedResult?: boolean; multiStatementCount?: number } {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new HttpRequestError(400, '"parameters" must be an object');
  const out: { useCachedResult?: boolean; multiStatementCount?: number } = {};
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    const name = key.toLowerCase();
    if (name === 'multi_statement_count') {
      const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new HttpRequestError(400, '"parameters.multi_statement_count" must be a non-negative integer');
      out.multiStatementCount = n;
      continue;
    }
    if (name !== 'use_cached_result') continue;
    const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
    if (text !== true && text !== false && text !== 'true' && text !== 'false') throw new HttpRequestError(400, '"parameters.use_cached_result" must be true or false');
    out.useCachedResult = text === true || text === 'true';
  }
  return out;
}

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

/**
 * Writes a streamed 200 answer: `first`, then every piece, each after the socket drained.
 * Answers the text when it fits `keepBytes` (for the recent results; null past it), or the
 * error that aborted the response (the connection is then destroyed mid-body).
 */
async function streamBody(res: ServerResponse, pieces: AsyncGenerator<string>, first: string, keepBytes: number): Promise<{ error: unknown; kept: string | null }> {
  let kept: string[] | null = [];
  let keptBytes = 0;
  const write = async (text: string): Promise<void> => {
    if (kept !== null) {
      keptBytes += text.length * 2;
      if (keptBytes > keepBytes) kept = null;
      else kept.push(text);
    }
    if (res.destroyed) throw new ResourceError('CANCELED', 'SQL execution canceled');
    if (!res.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
  };
  try {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
    await write(first);
    for (;;) {
      const next = await pieces.next();
      if (next.done) break;
      await write(next.value);
    }
    res.end();
    return { error: null, kept: kept === null ? null : (kept as string[]).join('') };
  } catch (err) {
    // Stops the statement if it still runs (the client is gone or the write failed).
    await pieces.return(undefined).catch(() => {});
    res.destroy();
    return { error: err, kept: null };
  }
}

function sendFailure(res: ServerResponse, e: FirnError): void {
  const status = httpStatusOf(e);
  if (status === 401 && !res.headersSent) res.setHeader('WWW-Authenticate', 'Bearer realm="firn"');
  sendJson(res, status, { code: e.code, sqlState: e.sqlState, message: e.message });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headOnly = false): void {
  sendText(res, status, JSON.stringify(body), headOnly);
}

function sendText(res: ServerResponse, status: number, text: string, headOnly = false): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(headOnly ? undefined : text);
}
