/**
 * The page's client of Firn's HTTP API, same-origin: password login (the drivers'
 * /session/v1/login-request, then `Authorization: Snowflake Token="…"`) or a programmatic access
 * token (`Authorization: Bearer …`); statements with Arrow results (POST /api/v2/statements,
 * Accept: application/vnd.apache.arrow.stream: services/server/answer-arrow.ts); the notebooks
 * (/api/firn/notebooks: services/server/notebook-routes.ts).
 *
 * Contract: every failure is an ApiError with the server's code, SQLSTATE, message and HTTP
 * status (a 401 means the login is gone: the page shows the login form again). Credentials
 * are kept in sessionStorage, so a reload stays logged in and closing the tab forgets them.
 */
import { RecordBatchReader, Table, type RecordBatch } from 'apache-arrow';
import { resultColumns, type ResultColumn } from './result-columns.js';
import type { QueryStats } from './stats.js';

export const ARROW_STREAM = 'application/vnd.apache.arrow.stream';
/** The most rows a run brings into the page: past it the rest is not fetched (the statement is canceled). */
export const MAX_RESULT_ROWS = 100_000;
const STORAGE_KEY = 'firn.credentials';

export type Credentials = { kind: 'session'; token: string; user: string } | { kind: 'token'; token: string; user: string };
export type Context = { database: string | null; schema: string | null; warehouse: string | null };
export type StatementAnswer = {
  queryId: string;
  columns: ResultColumn[];
  numRows: number;
  /** More than MAX_RESULT_ROWS rows: only the first MAX_RESULT_ROWS are here. */
  truncated: boolean;
  /** null when the server sent them as a trailer (results over 4 MiB), which fetch cannot read. */
  stats: QueryStats | null;
  context: Context;
};
export type NotebookCell = { kind: 'sql' | 'markdown'; name: string; text: string };
export type NotebookSummary = { id: number; name: string; createdAt: number; updatedAt: number };
export type Notebook = NotebookSummary & { cells: NotebookCell[] };

/** A running statement's progress, as a 202 answer's `stats` carries it. */
export type Progress = { elapsedMs?: number; rowsProduced?: number; bytesScanned?: number; partitionsScanned?: number; partitionsTotal?: number };

export type RunOptions = {
  /** Aborts the request (and stops polling): the server cancels a statement whose client is gone. */
  signal?: AbortSignal;
  /** The statement's handle, once the server answered that it still runs. */
  onHandle?: (handle: string) => void;
  onProgress?: (progress: Progress) => void;
};

const POLL_FIRST_MS = 250;
const POLL_MAX_MS = 2000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('The run was stopped', 'AbortError'));
    });
  });
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly sqlState: string,
    message: string,
  ) {
    super(message);
  }
}

export class FirnApi {
  credentials: Credentials | null = loadCredentials();

  get loggedIn(): boolean {
    return this.credentials !== null;
  }

  async loginWithPassword(user: string, password: string): Promise<void> {
    const res = await fetch('/session/v1/login-request', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ data: { LOGIN_NAME: user, PASSWORD: password } }),
    });
    const body = (await res.json().catch(() => null)) as { success?: boolean; code?: string; message?: string; data?: { token?: string; displayUserName?: string } } | null;
    if (!res.ok || !body?.success || !body.data?.token) {
      throw new ApiError(res.status, body?.code ?? String(res.status), '08001', body?.message ?? `login failed (HTTP ${res.status})`);
    }
    this.remember({ kind: 'session', token: body.data.token, user: body.data.displayUserName ?? user.toUpperCase() });
  }

  /** Checks the token by listing the user's notebooks, which also names the user. */
  async loginWithToken(token: string): Promise<void> {
    this.credentials = { kind: 'token', token, user: '' };
    try {
      const { user } = await this.listNotebooks();
      this.remember({ kind: 'token', token, user });
    } catch (err) {
      this.credentials = null;
      throw err;
    }
  }

  logout(): void {
    this.credentials = null;
    sessionStorage.removeItem(STORAGE_KEY);
  }

  private remember(c: Credentials): void {
    this.credentials = c;
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(c));
  }

  private authHeaders(): Record<string, string> {
    const c = this.credentials;
    if (!c) throw new ApiError(401, '390303', '08001', 'not logged in');
    return c.kind === 'session'
      ? { Authorization: `Snowflake Token="${c.token}"` }
      : { Authorization: `Bearer ${c.token}`, 'X-Snowflake-Authorization-Token-Type': 'PROGRAMMATIC_ACCESS_TOKEN' };
  }

  private async request(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers: Record<string, string> = { ...this.authHeaders(), ...(init.headers as Record<string, string> | undefined) };
    if (init.json !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(path, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
    if (!res.ok) throw await errorOf(res);
    return res;
  }

  /**
   * Runs one statement and reads its Arrow answer batch by batch, up to MAX_RESULT_ROWS rows;
   * past them the request is aborted (the server then cancels the statement's remaining work).
   * A statement still running when the server answers (202, SQL API v2's asynchronous answer)
   * is polled at its handle until it finishes, reporting its progress; `signal` stops waiting.
   */
  async execute(statement: string, context: Context, opts: RunOptions = {}): Promise<StatementAnswer> {
    const abort = new AbortController();
    const stop = () => abort.abort();
    opts.signal?.addEventListener('abort', stop);
    try {
      return await this.executeWith(statement, context, opts, abort);
    } finally {
      opts.signal?.removeEventListener('abort', stop);
    }
  }

  private async executeWith(statement: string, context: Context, opts: RunOptions, abort: AbortController): Promise<StatementAnswer> {
    // MULTI_STATEMENT_COUNT 0: a cell may hold several statements (the answer is the last one's).
    const body = { statement, ...context, parameters: { MULTI_STATEMENT_COUNT: '0' } };
    let res = await this.request('/api/v2/statements', { method: 'POST', headers: { Accept: ARROW_STREAM }, json: body, signal: abort.signal });
    for (let delay = POLL_FIRST_MS; res.status === 202; delay = Math.min(delay * 2, POLL_MAX_MS)) {
      const running = (await res.json()) as { statementHandle: string; stats?: Progress };
      opts.onHandle?.(running.statementHandle);
      if (running.stats) opts.onProgress?.(running.stats);
      await sleep(delay, abort.signal);
      res = await this.request(`/api/v2/statements/${encodeURIComponent(running.statementHandle)}`, { headers: { Accept: ARROW_STREAM }, signal: abort.signal });
    }
    if (!(res.headers.get('Content-Type') ?? '').startsWith(ARROW_STREAM)) {
      throw new ApiError(res.status, 'NOT_ARROW', '', `the server answered ${res.headers.get('Content-Type') ?? 'no content type'} instead of an Arrow stream`);
    }
    const reader = await RecordBatchReader.from(res);
    const batches: RecordBatch[] = [];
    let rows = 0;
    for await (const batch of reader) {
      batches.push(batch);
      rows += batch.numRows;
      if (rows > MAX_RESULT_ROWS) break;
    }
    const truncated = rows > MAX_RESULT_ROWS;
    if (truncated) abort.abort();
    let table = batches.length > 0 ? new Table(batches) : new Table(reader.schema);
    if (truncated) table = table.slice(0, MAX_RESULT_ROWS);
    const stats = res.headers.get('X-Firn-Stats');
    const ctx = res.headers.get('X-Firn-Context');
    return {
      queryId: res.headers.get('X-Firn-Query-Id') ?? '',
      columns: resultColumns(table),
      numRows: table.numRows,
      truncated,
      stats: stats ? (JSON.parse(stats) as QueryStats) : null,
      context: ctx ? (JSON.parse(ctx) as Context) : context,
    };
  }

  /** Asks the server to cancel a running statement (POST …/cancel); failures are ignored: the statement may be over. */
  async cancel(handle: string): Promise<void> {
    await this.request(`/api/v2/statements/${encodeURIComponent(handle)}/cancel`, { method: 'POST', json: {} }).catch(() => {});
  }

  async listNotebooks(): Promise<{ user: string; notebooks: NotebookSummary[] }> {
    return (await this.request('/api/firn/notebooks')).json() as Promise<{ user: string; notebooks: NotebookSummary[] }>;
  }

  async getNotebook(id: number): Promise<Notebook> {
    return (await this.request(`/api/firn/notebooks/${id}`)).json() as Promise<Notebook>;
  }

  async createNotebook(name: string, cells: NotebookCell[]): Promise<Notebook> {
    return (await this.request('/api/firn/notebooks', { method: 'POST', json: { name, cells } })).json() as Promise<Notebook>;
  }

  async saveNotebook(id: number, name: string, cells: NotebookCell[]): Promise<Notebook> {
    return (await this.request(`/api/firn/notebooks/${id}`, { method: 'PUT', json: { name, cells } })).json() as Promise<Notebook>;
  }

  async deleteNotebook(id: number): Promise<void> {
    await this.request(`/api/firn/notebooks/${id}`, { method: 'DELETE' });
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => null)) as { code?: string; sqlState?: string; message?: string } | null;
  return new ApiError(res.status, body?.code ?? String(res.status), body?.sqlState ?? '', body?.message ?? `HTTP ${res.status}`);
}

function loadCredentials(): Credentials | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Credentials) : null;
  } catch {
    return null;
  }
}
