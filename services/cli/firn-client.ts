/**
 * The CLI's connection to a Firn server: sends one statement to POST /api/v2/statements and
 * classifies the answer, so callers print results and errors without touching HTTP.
 *
 * Contract: execute never throws; it returns a discriminated outcome. The session context
 * returned by the server is sent back with the next statement (so USE sticks); names that
 * are not plain upper-case identifiers are sent "quoted" so the server keeps them verbatim.
 *
 * Credentials are given explicitly (ClientCredentials; where they come from is
 * resolve-credentials.ts): a programmatic access token is sent as `Authorization: Bearer`
 * with X-Snowflake-Authorization-Token-Type: PROGRAMMATIC_ACCESS_TOKEN; a user name and
 * password log in once at POST /session/v1/login-request and the session token is sent as
 * `Authorization: Snowflake Token="..."`. With both, the token is tried first and the login
 * is the fallback when the server refuses it (an expired token in $FIRN_HOME/credentials);
 * an expired session logs in again. Credentials the server refuses end in the
 * `unauthenticated` outcome, whose message names where they came from.
 */
import type { JsonV2ResultSet } from '../result/encode-jsonv2.js';
import type { SessionContext } from '../session/statement-result.js';

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

export const DEFAULT_URL = 'http://127.0.0.1:8080';
const STATEMENTS_PATH = '/api/v2/statements';
const LOGIN_PATH = '/session/v1/login-request';

export function quoteIdent(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

type Answer = { kind: 'answer'; status: number; json: Record<string, unknown> } | Extract<StatementOutcome, { kind: 'unreachable' | 'protocol' }>;

/** How a request was authenticated: the token, a session opened by an earlier statement, or one just opened. */
type Via = 'token' | 'session' | 'new_session';

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
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.fetchImpl = fetchImpl;
  }

  unreachableMessage(): string {
    return `cannot reach Firn at ${this.baseUrl} — is the server running? (npm start)`;
  }

  async execute(statement: string, context: SessionContext): Promise<StatementOutcome> {
    const body: Record<string, string> = { statement };
    if (context.database) body.database = quoteIdent(context.database);
    if (context.schema) body.schema = quoteIdent(context.schema);
    if (context.warehouse) body.warehouse = quoteIdent(context.warehouse);
    const text = JSON.stringify(body);
    let sent = await this.send(text);
    if (sent.kind === 'answer' && sent.status === 401 && this.anotherWay(sent.via)) sent = await this.send(text);
    if (sent.kind !== 'answer') return sent;
    const { status, json } = sent;
    if (status >= 200 && status < 300 && isResultSet(json)) return { kind: 'ok', result: json };
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

  /** After a 401: whether another way to authenticate remains (the login after a refused token, a new login after an expired session). */
  private anotherWay(via: Via): boolean {
    if (via === 'token' && this.credentials.login !== null) {
      this.tokenRefused = true;
      return true;
    }
    if (via === 'session') {
      this.sessionToken = null;
      return true;
    }
    return false;
  }

  /** POSTs the statement with the current credentials, logging in first when that is the way. */
  private async send(text: string): Promise<(Extract<Answer, { kind: 'answer' }> & { via: Via }) | StatementOutcome> {
    const { token, login } = this.credentials;
    if (token !== null && !this.tokenRefused) {
      const answer = await this.post(STATEMENTS_PATH, text, { Authorization: `Bearer ${token}`, 'X-Snowflake-Authorization-Token-Type': 'PROGRAMMATIC_ACCESS_TOKEN' });
      return answer.kind === 'answer' ? { ...answer, via: 'token' } : answer;
    }
    if (login === null) return { kind: 'unauthenticated', message: `Firn at ${this.baseUrl} has no credentials to use (${this.credentials.source})` };
    let via: Via = 'session';
    if (this.sessionToken === null) {
      const answer = await this.post(LOGIN_PATH, JSON.stringify({ data: { LOGIN_NAME: login.user, PASSWORD: login.password, CLIENT_APP_ID: 'firn-cli' } }), {});
      if (answer.kind !== 'answer') return answer;
      const data = answer.json.data as Record<string, unknown> | undefined;
      if (answer.json.success !== true || typeof data?.token !== 'string') {
        const why = typeof answer.json.message === 'string' ? `${String(answer.json.code)} ${answer.json.message}` : `HTTP ${answer.status}`;
        return { kind: 'unauthenticated', message: `Firn at ${this.baseUrl} refused the login of ${login.user} (from ${this.credentials.source}): ${why}` };
      }
      this.sessionToken = data.token;
      via = 'new_session';
    }
    const answer = await this.post(STATEMENTS_PATH, text, { Authorization: `Snowflake Token="${this.sessionToken}"` });
    return answer.kind === 'answer' ? { ...answer, via } : answer;
  }

  private refused(json: Record<string, unknown>): StatementOutcome {
    const why = typeof json.message === 'string' ? `: ${String(json.code)} ${json.message}` : '';
    return { kind: 'unauthenticated', message: `Firn at ${this.baseUrl} refused the credentials from ${this.credentials.source}${why}` };
  }

  private async post(path: string, body: string, headers: Record<string, string>): Promise<Answer> {
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
        body,
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
}

function isResultSet(o: Record<string, unknown>): o is JsonV2ResultSet {
  const meta = o.resultSetMetaData as Record<string, unknown> | undefined;
  return !!meta && Array.isArray(meta.rowType) && Array.isArray(o.data);
}
