/**
 * The HTTP side of PUT and GET: uploads a client's file into an internal stage and downloads
 * one back, for the firn CLI (services/cli/stage-transfer.ts).
 *
 * Routes (STAGE_FILES_PATH), each with query parameters `location` (the stage file, e.g.
 * `@mystage/dir/data.csv.gz`) and optional `database` and `schema` (the session's context,
 * by the SQL API's identifier rules):
 * - PUT  ...?location=...&overwrite=true|false, body = the file's bytes
 *   -> 200 {"target", "size", "md5", "status": "UPLOADED" | "SKIPPED"}. The body streams to a
 *   temp file beside the target (named as LocalObjectStore names its temp files, so a crash
 *   leaves nothing a listing shows) with its own cap (FIRN_STAGE_UPLOAD_MAX_BYTES; 413 past
 *   it), is fsynced and renamed over the target: a failed or cut upload leaves nothing.
 *   Without overwrite an existing file is left as it is (SKIPPED), as Snowflake's PUT does.
 * - GET  ...?location=... -> 200 application/octet-stream with the file's bytes.
 * Failures answer the API's error JSON {code, sqlState, message}: 400 malformed, 404 no such
 * file, 413 too large, 422 any other Firn error.
 *
 * Contract for the HTTP layer: call handleStageFiles(req, res, url, identity) only after the
 * request is authenticated, with the caller's Identity; it answers every request it is given.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FirnError, RequestError, asFirnError } from '../../storage/errors/firn-error.js';
import { TEMP_PREFIX } from '../../storage/object-store/local-object-store.js';
import type { Identity } from '../access/identity.js';
import type { SessionContext } from '../session/statement-result.js';
import type { StageFileAccess } from '../stage/stage-file-access.js';
import { contextName } from './context-name.js';

export const STAGE_FILES_PATH = '/api/v2/stages/files';

export type StageFileRouteOptions = { access: StageFileAccess; maxUploadBytes: number };

/** An upload or download answer's failure with its HTTP status. */
class TransferError extends RequestError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('BAD_REQUEST', message);
  }
}

export async function handleStageFiles(req: IncomingMessage, res: ServerResponse, url: URL, identity: Identity, opts: StageFileRouteOptions): Promise<void> {
  try {
    const method = req.method ?? 'GET';
    if (method !== 'PUT' && method !== 'GET') {
      res.setHeader('Allow', 'GET, PUT');
      throw new TransferError(405, `method ${method} is not allowed here (allowed: GET, PUT)`);
    }
    const location = url.searchParams.get('location');
    if (location === null || location === '') throw new TransferError(400, 'the "location" query parameter (a stage file such as @mystage/data.csv.gz) is missing');
    const session: SessionContext = {
      database: contextName(url.searchParams.get('database') ?? '', 'database', (m) => new TransferError(400, m)),
      schema: contextName(url.searchParams.get('schema') ?? '', 'schema', (m) => new TransferError(400, m)),
      warehouse: null,
      user: identity.user,
      role: identity.role,
    };
    if (method === 'PUT') await upload(req, res, session, location, url.searchParams.get('overwrite') === 'true', opts);
    else await download(req, res, session, location, opts);
  } catch (err) {
    req.resume();
    const fe = asFirnError(err);
    sendJson(res, statusOf(fe), { code: fe.code, sqlState: fe.sqlState, message: fe.message });
  }
}

async function upload(req: IncomingMessage, res: ServerResponse, session: SessionContext, location: string, overwrite: boolean, opts: StageFileRouteOptions): Promise<void> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > opts.maxUploadBytes) {
    res.setHeader('Connection', 'close');
    throw new TransferError(413, `the file is larger than this server's upload limit of ${opts.maxUploadBytes} bytes (FIRN_STAGE_UPLOAD_MAX_BYTES)`);
  }
  const target = await opts.access.uploadTarget(session, location);
  if (!overwrite) {
    const existing = await open(target.path, 'r').catch(() => null);
    if (existing) {
      await existing.close();
      req.resume();
      return sendJson(res, 200, { target: target.display, size: null, md5: null, status: 'SKIPPED' });
    }
  }
  const tmp = path.join(path.dirname(target.path), `${TEMP_PREFIX}${path.basename(target.path)}.${randomBytes(8).toString('hex')}`);
  const hash = createHash('md5');
  let size = 0;
  try {
    await pipeline(
      req,
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) {
          size += chunk.length;
          if (size > opts.maxUploadBytes) throw new TransferError(413, `the file is larger than this server's upload limit of ${opts.maxUploadBytes} bytes (FIRN_STAGE_UPLOAD_MAX_BYTES)`);
          hash.update(chunk);
          yield chunk;
        }
      },
      createWriteStream(tmp, { flags: 'wx', mode: 0o600 }),
    );
    // Durable before it gets its name: a reader never sees a file a crash could truncate.
    const written = await open(tmp, 'r+');
    try {
      await written.sync();
    } finally {
      await written.close();
    }
    await rename(tmp, target.path);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    if (err instanceof TransferError && err.status === 413) res.setHeader('Connection', 'close');
    throw err instanceof FirnError ? err : new TransferError(400, `the upload was cut off: ${err instanceof Error ? err.message : String(err)}`);
  }
  sendJson(res, 200, { target: target.display, size, md5: hash.digest('hex'), status: 'UPLOADED' });
}

async function download(req: IncomingMessage, res: ServerResponse, session: SessionContext, location: string, opts: StageFileRouteOptions): Promise<void> {
  req.resume();
  const source = await opts.access.downloadSource(session, location);
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': source.size, 'X-Firn-Stage-File': encodeURIComponent(source.display) });
  await pipeline(createReadStream(source.path), res).catch(() => res.destroy());
}

function statusOf(e: FirnError): number {
  if (e instanceof TransferError) return e.status;
  if (e.codeName === 'BAD_REQUEST') return 400;
  if (e.codeName === 'FILE_NOT_FOUND') return 404;
  if (e.codeName === 'INTERNAL') return 500;
  return 422;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
