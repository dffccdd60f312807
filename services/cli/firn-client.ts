/**
 * The CLI's connection to a Firn server: sends one statement to POST /api/v2/statements and
 * classifies the answer, so callers print results and errors without touching HTTP.
 *
 * Contract: execute never throws; it returns a discriminated outcome. The session context
 * returned by the server is sent back with the next statement (so USE sticks); names that
 * are not plain upper-case identifiers are sent "quoted" so the server keeps them verbatim.
 */
import type { JsonV2ResultSet } from '../result/encode-jsonv2.js';
import type { SessionContext } from '../session/statement-result.js';

export type StatementOutcome =
  | { kind: 'ok'; result: JsonV2ResultSet }
  | { kind: 'failed'; status: number; code: string; sqlState: string; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'protocol'; message: string };

export const DEFAULT_URL = 'http://127.0.0.1:8080';

export function quoteIdent(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export class FirnClient {
  readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(baseUrl: string, fetchImpl: typeof fetch = fetch) {
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
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.baseUrl}/api/v2/statements`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
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
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: 'protocol', message: `unexpected answer from ${this.baseUrl} (HTTP ${res.status}): not JSON` };
    }
    const obj = (json ?? {}) as Record<string, unknown>;
    if (res.ok && isResultSet(obj)) return { kind: 'ok', result: obj };
    if (!res.ok && typeof obj.code === 'string' && typeof obj.message === 'string') {
      return {
        kind: 'failed',
        status: res.status,
        code: obj.code,
        sqlState: typeof obj.sqlState === 'string' ? obj.sqlState : '',
        message: obj.message,
      };
    }
    return { kind: 'protocol', message: `unexpected answer from ${this.baseUrl} (HTTP ${res.status})` };
  }
}

function isResultSet(o: Record<string, unknown>): o is JsonV2ResultSet {
  const meta = o.resultSetMetaData as Record<string, unknown> | undefined;
  return !!meta && Array.isArray(meta.rowType) && Array.isArray(o.data);
}
