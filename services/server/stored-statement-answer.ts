/**
 * The SQL API v2 answer for a statement of the statement store (services/statements): what
 * POST /api/v2/statements answers once the statement settled (or passed its wait), what
 * GET /api/v2/statements/{handle}[?partition=N] answers, and what a retried requestId gets.
 *
 * Contract:
 * - Running: 202 QueryStatus {code 333334, message, sqlState, statementHandle,
 *   statementStatusUrl, createdOn, requestId} plus Firn's `stats` progress (elapsedMs,
 *   rowsProduced, bytesScanned, partitionsScanned, partitionsTotal).
 * - Failed or canceled: its error {code, sqlState, message, statementHandle,
 *   statementStatusUrl, createdOn} with the error's status (422; 408 for a timeout; 500 for
 *   INTERNAL: http-request-error.ts).
 * - Succeeded: partition 0 (the default) is the ResultSet: `data`, then resultSetMetaData
 *   with every partition's rowCount (uncompressedSize measured for partition 0, estimated
 *   for the others from partition 0's bytes per row) and the status fields, stats and context
 *   (encode-jsonv2.ts); partition N > 0 is {"data": [...]} alone, as Snowflake's later
 *   partitions. A `Link` header names the first, next and last partitions. A partition that
 *   does not exist is 400; a result the store evicted is 422 RESULT_NOT_AVAILABLE.
 * - Bodies are encoded from the stored batches piece by piece (encode-jsonv2-partition.ts).
 *   Up to HOLD_CHARS of text are computed before the status line, so a failure until then
 *   (reading a spilled result) still answers a proper error; a body that ends within them is
 *   sent with its length, a longer one chunked as its pieces come, waiting for the socket to
 *   drain. With `gzip` (the request's Accept-Encoding allows it) a body of at least
 *   GZIP_MIN_BYTES is gzip-compressed (Content-Encoding: gzip). A failure after the status
 *   line aborts the response (the connection is destroyed mid-body): the client sees an
 *   incomplete body, never a well-formed partial answer.
 */
import { prepareArrowAnswer } from './answer-arrow.js';
import type { ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { createGzip, gzip as gzipCallback, gzipSync } from 'node:zlib';
import { asFirnError, MultiStatementError, type FirnError } from '../../storage/errors/firn-error.js';
import { answerFields, resultSetMetaData, statementStatusUrl, type JsonV2Failure, type PartitionInfo } from '../result/encode-jsonv2.js';
import { encodeJsonV2Partition } from '../result/encode-jsonv2-partition.js';
import { notAvailable } from '../statements/result-batches.js';
import { StatementStates, type StoredStatement } from '../statements/statement-store.js';
import { HttpRequestError, httpStatusOf } from './http-request-error.js';
import { sendJson } from './send-json.js';

export const ASYNC_CODE = '333334';
export const ASYNC_MESSAGE = 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.';

/** Text computed before the status line is sent (see the module comment). */
export const HOLD_CHARS = 256 * 1024;
/**
 * Smaller bodies are sent uncompressed even to a client that accepts gzip. They fit in a few
 * TCP segments anyway, and compressing one cost 0.25 ms of the event loop (a zlib stream and
 * its deflate), a tenth of a whole `SELECT 1` (1,027 bytes of JSON).
 */
export const GZIP_MIN_BYTES = 4096;
/**
 * Bodies from this size on are compressed on libuv's thread pool, not the event loop: 256 KiB
 * of JSON took 2.7 ms to gzip, a stall of every other request; below it a thread hop costs
 * more than the compression (4 KiB: 0.3 ms).
 */
const GZIP_OFF_THREAD_BYTES = 64 * 1024;
const gzipOffThread = promisify(gzipCallback);

export type StoredAnswerOptions = {
  /** The requestId the answer's URLs carry. */
  requestId: string;
  /** The partition asked for (0: the ResultSet with its metadata). */
  partition: number;
  gzip: boolean;
  /** nullable=false: SQL NULL as the string "null". */
  nullText: boolean;
  /**
   * Accept: application/vnd.apache.arrow.stream: the result as an Arrow IPC stream
   * (answer-arrow.ts), the whole of it unless `partition` was asked for explicitly.
   */
  arrow?: { wholeResult: boolean };
};

/** The 202 body of a running statement. */
export function queryStatus(st: StoredStatement, requestId: string): Record<string, unknown> {
  return {
    code: ASYNC_CODE,
    message: ASYNC_MESSAGE,
    sqlState: '00000',
    statementHandle: st.queryId,
    statementStatusUrl: statementStatusUrl(st.queryId, requestId),
    createdOn: st.createdOn,
    requestId,
    stats: st.progress(),
  };
}

/** The failure body of a failed statement (or of one whose result is gone). */
export function failureOf(st: StoredStatement, error: FirnError, requestId: string): { status: number; body: JsonV2Failure } {
  return {
    status: httpStatusOf(error),
    body: {
      code: error.code,
      sqlState: error.sqlState,
      message: error.message,
      statementHandle: st.queryId,
      statementStatusUrl: statementStatusUrl(st.queryId, requestId),
      createdOn: st.createdOn,
      ...(error instanceof MultiStatementError ? { failed: error.failed, ran: error.ran, notRun: error.notRun, summary: error.summary } : {}),
    },
  };
}

export async function sendStoredStatement(res: ServerResponse, st: StoredStatement, opts: StoredAnswerOptions): Promise<void> {
  if (st.state === StatementStates.RUNNING) return sendJson(res, 202, queryStatus(st, opts.requestId));
  if (st.state !== StatementStates.SUCCEEDED) {
    const failed = failureOf(st, st.error ?? notAvailable(), opts.requestId);
    return sendJson(res, failed.status, failed.body);
  }
  const result = st.result;
  if (result === null || !result.available) {
    const failed = failureOf(st, notAvailable(), opts.requestId);
    return sendJson(res, failed.status, failed.body);
  }
  const parts = result.partitions;
  const n = opts.partition;
  const part = parts[n];
  if (part === undefined) {
    const e = new HttpRequestError(400, `partition ${n} does not exist: the result of statement ${st.queryId} has ${parts.length} partition(s), 0 to ${parts.length - 1}`);
    return sendJson(res, 400, { code: e.code, sqlState: e.sqlState, message: e.message, statementHandle: st.queryId });
  }
  if (opts.arrow) {
    const [start, end] = opts.arrow.wholeResult ? [0, result.numRows] : [part.start, part.start + part.rows];
    let answer;
    try {
      answer = await prepareArrowAnswer({ queryId: st.queryId, columns: result.columns, batches: result.read(start, end), stats: st.stats!, statsFinal: true, context: st.context!, statementHandles: st.statementHandles ?? undefined });
    } catch (err) {
      const failed = failureOf(st, asFirnError(err), opts.requestId);
      return sendJson(res, failed.status, failed.body);
    }
    await answer.send(res);
    return;
  }
  const batches = result.read(part.start, part.start + part.rows);
  const tail =
    n === 0
      ? (rows: number, size: number) => ({
          ...resultSetMetaData(result.columns, result.numRows, size, partitionInfo(parts, rows, size)),
          ...answerFields({ queryId: st.queryId, stats: st.stats!, context: st.context!, statementHandles: st.statementHandles }, { requestId: opts.requestId, createdOn: st.createdOn }),
        })
      : null;
  res.setHeader('Link', linkHeader(st.queryId, opts.requestId, n, parts.length));
  await sendPieces(res, encodeJsonV2Partition(result.columns, batches, tail, { nullText: opts.nullText }), opts.gzip, (err) => {
    const failed = failureOf(st, asFirnError(err), opts.requestId);
    sendJson(res, failed.status, failed.body);
  });
}

/** Every partition's rows and size: partition 0's measured, the others' estimated from its bytes per row. */
function partitionInfo(parts: { rows: number }[], firstRows: number, firstSize: number): PartitionInfo[] {
  const perRow = firstRows > 0 ? firstSize / firstRows : 0;
  return parts.map((p, i) => ({ rowCount: p.rows, uncompressedSize: i === 0 ? firstSize : Math.round(p.rows * perRow) }));
}

function linkHeader(handle: string, requestId: string, n: number, count: number): string {
  const at = (k: number) => `<${statementStatusUrl(handle, requestId)}&partition=${k}>`;
  const links = [`${at(0)}; rel="first"`];
  if (n + 1 < count) links.push(`${at(n + 1)}; rel="next"`);
  if (n > 0) links.push(`${at(n - 1)}; rel="prev"`);
  links.push(`${at(count - 1)}; rel="last"`);
  return links.join(',');
}

/**
 * Sends a 200 body made of `pieces` (see the module comment); `fail` answers a failure met
 * before the status line.
 */
async function sendPieces(res: ServerResponse, pieces: AsyncGenerator<string>, gzip: boolean, fail: (err: unknown) => void): Promise<void> {
  const head: string[] = [];
  let held = 0;
  let complete = false;
  try {
    while (held < HOLD_CHARS) {
      const next = await pieces.next();
      if (next.done) {
        complete = true;
        break;
      }
      head.push(next.value);
      held += next.value.length;
    }
  } catch (err) {
    return fail(err);
  }
  if (res.destroyed) {
    await pieces.return(undefined);
    return;
  }
  const first = head.join('');
  const compress = gzip && (!complete || Buffer.byteLength(first) >= GZIP_MIN_BYTES);
  const headers: Record<string, string | number> = { 'Content-Type': 'application/json; charset=utf-8' };
  const vary = res.getHeader('Vary');
  res.setHeader('Vary', vary === undefined ? 'Accept-Encoding' : `${String(vary)}, Accept-Encoding`);
  if (compress) headers['Content-Encoding'] = 'gzip';
  if (complete) {
    const body = !compress ? Buffer.from(first) : first.length >= GZIP_OFF_THREAD_BYTES ? await gzipOffThread(first) : gzipSync(first);
    headers['Content-Length'] = body.byteLength;
    res.writeHead(200, headers);
    res.end(body);
    return;
  }
  res.writeHead(200, headers);
  const gz = compress ? createGzip() : null;
  if (gz) {
    gz.pipe(res);
    gz.on('error', () => res.destroy());
  }
  const sink = gz ?? res;
  const write = async (text: string): Promise<void> => {
    if (res.destroyed) throw new Error('the client is gone');
    if (!sink.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          sink.off('drain', done);
          res.off('close', done);
          resolve();
        };
        sink.on('drain', done);
        res.on('close', done);
      });
    }
  };
  try {
    await write(first);
    for (;;) {
      const next = await pieces.next();
      if (next.done) break;
      await write(next.value);
    }
    sink.end();
  } catch {
    await pieces.return(undefined).catch(() => {});
    gz?.destroy();
    res.destroy();
  }
}
