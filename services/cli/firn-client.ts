/**
 * The CLI's connection to a Firn server: sends one statement to POST /api/v2/statements and
 * classifies the answer, so callers print results and errors without touching HTTP.
 *
 * Contract: execute never throws; it returns a discriminated outcome. The session context
 * returned by the server is sent back with the next statement (so USE sticks); names that
 * are not plain upper-case identifiers are sent "quoted" so the server keeps them verbatim.
 * uploadStageFile and downloadStageFile (PUT and GET of a stage file, over the server's stage
 * file endpoint: services/server/stage-file-routes.ts) never throw either: the body streams
 * from a Readable (an upload) or to a temp file renamed over the target once complete (a
 * download, so a cut download leaves no partial file).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { JsonV2ResultSet } from '../result/encode-jsonv2.js';
import type { SessionContext } from '../session/statement-result.js';

export type StatementOutcome =
  | { kind: 'ok'; result: JsonV2ResultSet }
  | { kind: 'failed'; status: number; code: string; sqlState: string; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'protocol'; message: string };

/** The server's answer to one uploaded file. */
export type UploadAnswer = { target: string; size: number | null; md5: string | null; status: 'UPLOADED' | 'SKIPPED' };

/** An upload's or download's outcome, as execute's but for one stage file. */
export type TransferOutcome<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'failed'; status: number; code: string; sqlState: string; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'protocol'; message: string };

export const DEFAULT_URL = 'http://127.0.0.1:8080';

const STAGE_FILES_PATH = '/api/v2/stages/files';

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

  /** Uploads `body` as the stage file `location` (e.g. @s/dir/a.csv.gz): PUT's one file. */
  async uploadStageFile(location: string, context: SessionContext, body: Readable, opts: { overwrite: boolean }): Promise<TransferOutcome<UploadAnswer>> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.stageFileUrl(location, context, opts.overwrite), {
        method: 'PUT',
        headers: { 'Content-Type': 'application/octet-stream', Accept: 'application/json' },
        body: Readable.toWeb(body) as ReadableStream,
        duplex: 'half',
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
  async downloadStageFile(location: string, context: SessionContext, toPath: string): Promise<TransferOutcome<number>> {
    let res: Response;
    try {
      res = await this.fetchImpl(this.stageFileUrl(location, context, null), { method: 'GET', headers: { Accept: 'application/octet-stream' } });
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
      counted.on('data', (chunk: Buffer) => (size += chunk.length));
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

function isResultSet(o: Record<string, unknown>): o is JsonV2ResultSet {
  const meta = o.resultSetMetaData as Record<string, unknown> | undefined;
  return !!meta && Array.isArray(meta.rowType) && Array.isArray(o.data);
}
