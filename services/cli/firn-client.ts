/**
 * The CLI's connection to a Firn server: sends one statement to POST /api/v2/statements and
 * classifies the answer, so callers print results and errors without touching HTTP.
 *
 * Contract: execute never throws; it returns a discriminated outcome. A statement answered
 * 202 (still running) is polled at its statementStatusUrl until it settles, and a result of
 * several partitions is fetched whole (GET …&partition=N), so callers see one result.
 * Watching a statement (ExecuteOptions): with `onProgress` it is sent with async=true and
 * polled from the first moment, every 202's `stats` handed to onProgress (polls start
 * POLL_FIRST_MS apart and grow to POLL_MAX_MS, so a short statement still answers at once);
 * without it the request waits for the answer as before. With `signal`, the statement carries a
 * requestId, and when the signal fires it is canceled on the server (POST …/{handle}/cancel; a
 * synchronous request is dropped first and its statement found again by its requestId with
 * retry=true), and execute answers what the server then says of it: its cancellation (000604)
 * or, when it finished before the cancel reached it, its outcome — unless the signal fired
 * while its result's partitions were being fetched: then the rest is not fetched and the
 * outcome is CANCELED too. The session context
 * returned by the server is sent back with the next statement (so USE sticks); names that
 * are not plain upper-case identifiers are sent "quoted" so the server keeps them verbatim.
 *
 * Credentials are given explicitly (ClientCredentials; where they come from is
 * resolve-credentials.ts). With `session` (FirnClientOptions: the CLI) the client logs in
 * once at POST /session/v1/login-request, with the programmatic access token (the driver's
 * PROGRAMMATIC_ACCESS_TOKEN authenticator) or the user name and password, and sends the
 * session token as `Authorization: Snowflake Token="..."`: its statements share one server
 * session, so a transaction begun by one statement holds for the next, as do USE and
 * LAST_QUERY_ID (the REPL, a -f script). Without it a token goes as `Authorization: Bearer`
 * (X-Snowflake-Authorization-Token-Type PROGRAMMATIC_ACCESS_TOKEN) with every request, and
 * only a password logs in. With both credentials, the token is tried first and the password is
 * the fallback when the server refuses it (an expired token in $FIRN_HOME/credentials); an
 * expired session logs in again.
 * Credentials the server refuses end in the `unauthenticated` outcome, whose message names
 * where they came from. `close` logs out, which rolls back a transaction left open.
 * uploadStageFile and downloadStageFile (PUT and GET of a stage file, over the server's stage
 * file endpoint: services/server/stage-file-routes.ts) never throw either: the body streams
 * from a Readable (an upload) or to a temp file renamed over the target once complete (a
 * download, so a cut download leaves no partial file). Their `signal` drops the transfer (an
 * `unreachable` outcome; the caller knows it fired); a download reports its bytes as they come.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ErrorCodes } from '../../storage/errors/firn-error.js';
import type { JsonV2ResultSet } from '../result/encode-jsonv2.js';
import type { SessionContext } from '../session/statement-result.js';
import type { StatementProgress } from '../statements/statement-store.js';

export type StatementOutcome =
  | { kind: 'ok'; result: JsonV2ResultSet }
  | { kind: 'failed'; status: number; code: string; sqlState: string; message: string }
  | { kind: 'unauthenticated'; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'protocol'; message: string };

export type ClientCredentials = {
  token: string | null;
  login: { user: string; password: string } | null;
  /** Where they came from, for error messages (e.g. "FIRN_TOKEN", a file path). */
  source: string;
};
/** The server's answer to one uploaded file. */
export type UploadAnswer = { target: string; size: number | null; md5: string | null; status: 'UPLOADED' | 'SKIPPED' };

/** An upload's or download's outcome, as execute's but for one stage file. */
export type TransferOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'failed'; status: number; code: string; sqlState: string; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'protocol'; message: string };

/** How a caller watches a statement as it runs. */
export type ExecuteOptions = {
  /** MULTI_STATEMENT_COUNT for a script of several statements (0: any number); absent, the server's default of exactly one. */
  multiStatementCount?: number;
  /** Called with the server's progress (`stats`) each time a poll finds the statement running. */
  onProgress?: (progress: StatementProgress) => void;
  /** Cancels the statement on the server when it fires. */
  signal?: AbortSignal;
};

export const DEFAULT_URL = 'http://127.0.0.1:8080';
const STATEMENTS_PATH = '/api/v2/statements';
const LOGIN_PATH = '/session/v1/login-request';
const LOGOUT_PATH = '/session?delete=true';

const STAGE_FILES_PATH = '/api/v2/stages/files';
/** The first wait before polling a statement still running (a 202 answer); each next wait is POLL_GROWTH times longer, up to POLL_MAX_MS. */
export const POLL_FIRST_MS = 10;
export const POLL_MAX_MS = 250;
const POLL_GROWTH = 1.5;

export function quoteIdent(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

type Answer = { kind: 'answer'; status: number; json: Record<string, unknown> } | Extract<StatementOutcome, { kind: 'unreachable' | 'protocol' }>;

/** How a request was authenticated: the token, a session opened by an earlier statement, or one just opened. */
type Via = 'token' | 'session' | 'new_session';

export type FirnClientOptions = {
  /**
   * Log in for a session even with a programmatic access token, so the statements share one
   * server session (the CLI). Without it a token is sent as `Authorization: Bearer` with each
   * request, each its own session (test harnesses and the bench, one client per statement).
   */
  session?: boolean;
};

export class FirnClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  /** The login session's token once logged in. */
  private sessionToken: string | null = null;
  /** The token was refused: later statements use the login. */
  private tokenRefused = false;

  constructor(
    baseUrl: string,
    private readonly credentials: ClientCredentials,
    fetchImpl: typeof fetch = fetch,
    private readonly options: FirnClientOptions = {},
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.fetchImpl = fetchImpl;
  }

  unreachableMessage(): string {
    return `cannot reach Firn at ${this.baseUrl} — is the server running? (npm start)`;
  }

  async execute(statement: string, context: SessionContext, opts: ExecuteOptions = {}): Promise<StatementOutcome> {
    const body: Record<string, unknown> = { statement };
    if (opts.multiStatementCount !== undefined) body.parameters = { MULTI_STATEMENT_COUNT: opts.multiStatementCount };
    if (context.database) body.database = quoteIdent(context.database);
    if (context.schema) body.schema = quoteIdent(context.schema);
    if (context.warehouse) body.warehouse = quoteIdent(context.warehouse);
    const text = JSON.stringify(body);
    const { onProgress, signal } = opts;
    const query = new URLSearchParams();
    if (signal) query.set('requestId', randomUUID());
    if (onProgress) query.set('async', 'true');
    const path = query.size === 0 ? STATEMENTS_PATH : `${STATEMENTS_PATH}?${query.toString()}`;
    // A synchronous request is dropped when the signal fires; an asynchronous one answers at once.
    const dropOn = onProgress ? undefined : signal;
    let sent = await this.send(path, text, dropOn);
    if (sent.kind === 'answer' && sent.status === 401 && this.anotherWay(sent.via)) sent = await this.send(path, text, dropOn);
    if (sent.kind === 'unreachable' && dropOn?.aborted) {
      // The request was dropped (the server cancels the statement of a request gone); asking
      // for it again by its requestId makes sure it is canceled and answers what became of it.
      query.set('retry', 'true');
      query.set('async', 'true');
      sent = await this.send(`${STATEMENTS_PATH}?${query.toString()}`, text, undefined);
    }
    if (sent.kind !== 'answer') return sent;
    const polled = await this.untilSettled(sent, opts);
    if (polled.kind !== 'answer') return polled;
    const { status, json } = polled;
    if (status === 200 && isResultSet(json)) return this.withAllPartitions(json, signal);
    if (status === 401) return this.refused(json);
    if ((status < 200 || status >= 300) && typeof json.code === 'string' && typeof json.message === 'string') {
      return {
        kind: 'failed',
        status,
        code: json.code,
        sqlState: typeof json.sqlState === 'string' ? json.sqlState : '',
        message: json.message,
      };
    }
    return { kind: 'protocol', message: `unexpected answer from ${this.baseUrl} (HTTP ${status})` };
  }

  /**
   * A 202 (the statement runs on: asynchronous, or past the server's wait) is polled at its
   * statementStatusUrl until it settles, the waits growing from POLL_FIRST_MS to POLL_MAX_MS.
   * Each 202's stats go to onProgress; once the signal fired the statement is canceled (once),
   * and the polls go on until the server says how it ended.
   */
  private async untilSettled(answer: Extract<Answer, { kind: 'answer' }>, opts: ExecuteOptions): Promise<Answer> {
    let current: Answer = answer;
    let wait = POLL_FIRST_MS;
    let cancelSent = false;
    while (current.kind === 'answer' && current.status === 202 && typeof current.json.statementStatusUrl === 'string') {
      const statusUrl = current.json.statementStatusUrl;
      const handle = typeof current.json.statementHandle === 'string' ? current.json.statementHandle : null;
      const progress = progressOf(current.json.stats);
      if (progress && opts.onProgress) opts.onProgress(progress);
      const wantsCancel = () => !cancelSent && opts.signal?.aborted === true;
      if (handle !== null && wantsCancel()) {
        cancelSent = true;
        const canceled = await this.cancel(handle);
        if (canceled.kind !== 'answer') return canceled;
      } else {
        await sleep(wait, cancelSent ? undefined : opts.signal);
        wait = Math.min(POLL_MAX_MS, wait * POLL_GROWTH);
        if (handle !== null && wantsCancel()) continue;
      }
      current = await this.getJson(statusUrl);
    }
    return current;
  }

  /** POST /api/v2/statements/{handle}/cancel. */
  private async cancel(handle: string): Promise<Answer> {
    const auth = await this.authorization();
    if (!('headers' in auth)) return { kind: 'protocol', message: `lost the credentials to cancel statement ${handle} at ${this.baseUrl}` };
    return this.post(`${STATEMENTS_PATH}/${encodeURIComponent(handle)}/cancel`, '{}', auth.headers);
  }

  /**
   * A result of several partitions with every partition's rows in `data` (GET …&partition=N for
   * each after the first). Once `signal` fired no further partition is fetched: the statement
   * succeeded, but the caller stopped reading its result, which answers CANCELED.
   */
  private async withAllPartitions(result: JsonV2ResultSet, signal: AbortSignal | undefined): Promise<StatementOutcome> {
    const partitions = result.resultSetMetaData.partitionInfo.length;
    for (let n = 1; n < partitions; n++) {
      if (signal?.aborted) return { kind: 'failed', status: 0, code: ErrorCodes.CANCELED.code, sqlState: ErrorCodes.CANCELED.sqlState, message: 'SQL execution canceled' };
      const answer = await this.getJson(`${result.statementStatusUrl}&partition=${n}`);
      if (answer.kind !== 'answer') return answer;
      const rows = answer.json.data;
      if (answer.status !== 200 || !Array.isArray(rows)) return { kind: 'protocol', message: `unexpected answer from ${this.baseUrl} to partition ${n} of statement ${result.statementHandle} (HTTP ${answer.status})` };
      for (const row of rows as JsonV2ResultSet['data']) result.data.push(row);
    }
    return { kind: 'ok', result };
  }

  /** GET of a path of the statements API with the current credentials. */
  private async getJson(path: string): Promise<Answer> {
    const auth = await this.authorization();
    if (!('headers' in auth)) return { kind: 'protocol', message: `lost the credentials to poll ${this.baseUrl}${path}` };
    return this.request('GET', path, null, auth.headers);
  }

  /** After a 401: whether another way to authenticate remains (the login after a refused token, a new login after an expired session). */
  private anotherWay(via: Via): boolean {
    if (via === 'token' && this.credentials.login !== null) {
      this.tokenRefused = true;
      return true;
    }
    if (via !== 'session') return false;
    this.sessionToken = null;
    return true;
  }

  /** POSTs the statement with the current credentials. */
  private async send(path: string, text: string, signal: AbortSignal | undefined): Promise<(Extract<Answer, { kind: 'answer' }> & { via: Via }) | StatementOutcome> {
    const auth = await this.authorization();
    if (!('headers' in auth)) return auth;
    const answer = await this.request('POST', path, text, auth.headers, signal);
    return answer.kind === 'answer' ? { ...answer, via: auth.via } : answer;
  }

  /** The Authorization headers: the token's, or the session's, logging in first when there is none yet. */
  private async authorization(): Promise<{ headers: Record<string, string>; via: Via } | StatementOutcome> {
    const { token } = this.credentials;
    if (!this.options.session && token !== null && !this.tokenRefused) {
      return { headers: { Authorization: `Bearer ${token}`, 'X-Snowflake-Authorization-Token-Type': 'PROGRAMMATIC_ACCESS_TOKEN' }, via: 'token' };
    }
    let via: Via = 'session';
    if (this.sessionToken === null) {
      const opened = await this.logIn();
      if (typeof opened !== 'string') return opened;
      this.sessionToken = opened;
      via = 'new_session';
    }
    return { headers: { Authorization: `Snowflake Token="${this.sessionToken}"` }, via };
  }

  /** A new session's token: the programmatic access token's login first, the password's when the token is refused or absent. */
  private async logIn(): Promise<string | StatementOutcome> {
    const { token, login } = this.credentials;
    if (token !== null && !this.tokenRefused) {
      const answer = await this.post(LOGIN_PATH, JSON.stringify({ data: { AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', TOKEN: token, CLIENT_APP_ID: 'firn-cli' } }), {});
      if (answer.kind !== 'answer') return answer;
      const opened = sessionTokenOf(answer.json);
      if (opened !== null) return opened;
      if (login === null) return this.refused(answer.json);
      this.tokenRefused = true;
    }
    if (login === null) return { kind: 'unauthenticated', message: `Firn at ${this.baseUrl} has no credentials to use (${this.credentials.source})` };
    const answer = await this.post(LOGIN_PATH, JSON.stringify({ data: { LOGIN_NAME: login.user, PASSWORD: login.password, CLIENT_APP_ID: 'firn-cli' } }), {});
    if (answer.kind !== 'answer') return answer;
    const opened = sessionTokenOf(answer.json);
    if (opened !== null) return opened;
    const why = typeof answer.json.message === 'string' ? `${String(answer.json.code)} ${answer.json.message}` : `HTTP ${answer.status}`;
    return { kind: 'unauthenticated', message: `Firn at ${this.baseUrl} refused the login of ${login.user} (from ${this.credentials.source}): ${why}` };
  }

  /** Logs out of the session, if one was opened (its open transaction is rolled back); never throws. */
  async close(): Promise<void> {
    const token = this.sessionToken;
    if (token === null) return;
    this.sessionToken = null;
    await this.post(LOGOUT_PATH, '{}', { Authorization: `Snowflake Token="${token}"` });
  }

  /** The Authorization headers for a stage file transfer, or why there are none (as a transfer outcome). */
  private async transferHeaders(): Promise<{ kind: 'headers'; headers: Record<string, string> } | TransferOutcome<never>> {
    const auth = await this.authorization();
    if ('headers' in auth) return { kind: 'headers', headers: auth.headers };
    if (auth.kind === 'unauthenticated') return { kind: 'failed', status: 401, code: '390303', sqlState: '08001', message: auth.message };
    if (auth.kind === 'unreachable' || auth.kind === 'protocol') return auth;
    return { kind: 'protocol', message: `unexpected answer from ${this.baseUrl} to the login` };
  }

  private refused(json: Record<string, unknown>): StatementOutcome {
    const why = typeof json.message === 'string' ? `: ${String(json.code)} ${json.message}` : '';
    return { kind: 'unauthenticated', message: `Firn at ${this.baseUrl} refused the credentials from ${this.credentials.source}${why}` };
  }

  private post(path: string, body: string, headers: Record<string, string>): Promise<Answer> {
    return this.request('POST', path, body, headers);
  }

  private async request(method: 'GET' | 'POST', path: string, body: string | null, headers: Record<string, string>, signal?: AbortSignal): Promise<Answer> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: body === null ? { Accept: 'application/json', ...headers } : { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
        ...(body === null ? {} : { body }),
        ...(signal ? { signal } : {}),
      });
    } catch {
      return { kind: 'unreachable', message: this.unreachableMessage() };
    }
    let text: string;
    try {
      text = await res.text();
    } catch {
      return { kind: 'unreachable', message: `connection to Firn at ${this.baseUrl} was lost while reading the answer` };
    }
    try {
      return { kind: 'answer', status: res.status, json: (JSON.parse(text) ?? {}) as Record<string, unknown> };
    } catch {
      return { kind: 'protocol', message: `unexpected answer from ${this.baseUrl} (HTTP ${res.status}): not JSON` };
    }
  }

  /** Uploads `body` as the stage file `location` (e.g. @s/dir/a.csv.gz): PUT's one file. */
  async uploadStageFile(location: string, context: SessionContext, body: Readable, opts: { overwrite: boolean; signal?: AbortSignal }): Promise<TransferOutcome<UploadAnswer>> {
    const auth = await this.transferHeaders();
    if (auth.kind !== 'headers') {
      body.destroy();
      return auth;
    }
    let res: Response;
    try {
      res = await this.fetchImpl(this.stageFileUrl(location, context, opts.overwrite), {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json', ...auth.headers },
        body: Readable.toWeb(body) as ReadableStream,
        duplex: 'half',
        ...(opts.signal ? { signal: opts.signal } : {}),
      } as RequestInit);
    } catch {
      body.destroy();
      return { kind: 'unreachable', message: this.unreachableMessage() };
    }
    const json = await this.jsonOf(res);
    if (json.kind !== 'ok') return json;
    const o = json.value;
    if (res.ok && typeof o.target === 'string' && (o.status === 'UPLOADED' || o.status === 'SKIPPED')) {
      return { kind: 'ok', value: { target: o.target, size: typeof o.size === 'number' ? o.size : null, md5: typeof o.md5 === 'string' ? o.md5 : null, status: o.status } };
    }
    return this.failure(res, o);
  }

  /** Downloads the stage file `location` into `toPath` (through a temp file beside it): GET's one file. Answers its size. */
  async downloadStageFile(location: string, context: SessionContext, toPath: string, opts: { signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<TransferOutcome<number>> {
    const auth = await this.transferHeaders();
    if (auth.kind !== 'headers') return auth;
    let res: Response;
    try {
      res = await this.fetchImpl(this.stageFileUrl(location, context, null), { method: 'GET', headers: { Accept: 'application/octet-stream', ...auth.headers }, ...(opts.signal ? { signal: opts.signal } : {}) });
    } catch {
      return { kind: 'unreachable', message: this.unreachableMessage() };
    }
    if (!res.ok || res.body === null) {
      const json = await this.jsonOf(res);
      return json.kind === 'ok' ? this.failure(res, json.value) : json;
    }
    const tmp = `${toPath}.firn-get-${randomBytes(6).toString('hex')}`;
    let size = 0;
    try {
      const counted = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
      counted.on('data', (chunk: Buffer) => {
        size += chunk.length;
        opts.onBytes?.(chunk.length);
      });
      await pipeline(counted, createWriteStream(tmp, { flags: 'wx', mode: 0o644 }));
      await rename(tmp, toPath);
    } catch (err) {
      await unlink(tmp).catch(() => {});
      return { kind: 'unreachable', message: `the download of ${location} from ${this.baseUrl} failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    return { kind: 'ok', value: size };
  }

  private stageFileUrl(location: string, context: SessionContext, overwrite: boolean | null): string {
    const q = new URLSearchParams({ location });
    if (context.database) q.set('database', quoteIdent(context.database));
    if (context.schema) q.set('schema', quoteIdent(context.schema));
    if (overwrite !== null) q.set('overwrite', String(overwrite));
    return `${this.baseUrl}${STAGE_FILES_PATH}?${q.toString()}`;
  }

  private async jsonOf(res: Response): Promise<TransferOutcome<Record<string, unknown>>> {
    let text: string;
    try {
      text = await res.text();
    } catch {
      return { kind: 'unreachable', message: `connection to Firn at ${this.baseUrl} was lost while reading the answer` };
    }
    try {
      return { kind: 'ok', value: (JSON.parse(text) ?? {}) as Record<string, unknown> };
    } catch {
      return { kind: 'protocol', message: `unexpected answer from ${this.baseUrl} (HTTP ${res.status}): not JSON` };
    }
  }

  private failure(res: Response, o: Record<string, unknown>): TransferOutcome<never> {
    if (!res.ok && typeof o.code === 'string' && typeof o.message === 'string') {
      return { kind: 'failed', status: res.status, code: o.code, sqlState: typeof o.sqlState === 'string' ? o.sqlState : '', message: o.message };
    }
    return { kind: 'protocol', message: `unexpected answer from ${this.baseUrl} (HTTP ${res.status})` };
  }
}

/** The `stats` of a 202 answer, when it has the progress fields. */
function progressOf(stats: unknown): StatementProgress | null {
  if (typeof stats !== 'object' || stats === null) return null;
  const s = stats as Record<string, unknown>;
  const keys = ['elapsedMs', 'rowsProduced', 'bytesScanned', 'partitionsScanned', 'partitionsTotal'] as const;
  if (!keys.every((k) => typeof s[k] === 'number')) return null;
  // A COPY's file counts, absent from an older server's progress, read as none.
  const count = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : 0);
  return {
    elapsedMs: s.elapsedMs as number,
    rowsProduced: s.rowsProduced as number,
    bytesScanned: s.bytesScanned as number,
    partitionsScanned: s.partitionsScanned as number,
    partitionsTotal: s.partitionsTotal as number,
    filesTotal: count('filesTotal'),
    filesDone: count('filesDone'),
    rowsLoaded: count('rowsLoaded'),
  };
}

/** Waits `ms`, or less when `signal` fires meanwhile. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function isResultSet(o: Record<string, unknown>): o is JsonV2ResultSet {
  const meta = o.resultSetMetaData as Record<string, unknown> | undefined;
  return !!meta && Array.isArray(meta.rowType) && Array.isArray(o.data);
}

/** The session token of a successful login answer, or null. */
function sessionTokenOf(json: Record<string, unknown>): string | null {
  const data = json.data as Record<string, unknown> | undefined;
  return json.success === true && typeof data?.token === 'string' ? data.token : null;
}
