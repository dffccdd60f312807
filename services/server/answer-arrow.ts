/**
 * The Arrow answer of the statements endpoint: a client that sends
 * `Accept: application/vnd.apache.arrow.stream` gets the result as an Arrow IPC stream
 * (services/result/encode-arrow-stream.ts) instead of jsonv2. The notebook page reads it.
 *
 * Contract:
 * - `wantsArrow(accept)`: the Accept header names the Arrow stream media type with q > 0.
 * - `prepareArrowAnswer(source)` encodes the first HEAD_BYTES of the stream (or all of it) before
 *   anything is sent, so a failure up to then throws and the caller still answers a JSON error.
 *   The source is a result being computed (`statsFinal` false: the stats are complete only once
 *   its batches were read to the end) or a stored one (`statsFinal` true).
 *   Its `send(res)` writes 200 with Content-Type application/vnd.apache.arrow.stream and:
 *     X-Firn-Query-Id          the statement's handle;
 *     X-Firn-Statement-Handles a multi-statement request's handles, comma-separated;
 *     X-Firn-Context           JSON {database, schema, warehouse} after the statement;
 *     X-Firn-Stats             JSON of the statement's stats (the jsonv2 answer's `stats`),
 *                              in the head when they are final by then (a stored result, or
 *                              the whole stream encoded before the head: small results), else
 *                              as an HTTP trailer (announced by `Trailer`).
 *   Header values are ASCII (JSON with \u escapes). The rest of a larger stream follows piece by
 *   piece, each written after the socket drained. A failure after the head was sent destroys
 *   the connection (the client sees a truncated stream, never a well-formed partial one) and is
 *   returned as `error`; the statement's remaining work is stopped.
 */
import type { ServerResponse } from 'node:http';
import { ResourceError } from '../../storage/errors/firn-error.js';
import { ARROW_STREAM_MEDIA_TYPE, encodeArrowStream } from '../result/encode-arrow-stream.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { QueryStats, SessionContext } from '../session/statement-result.js';
import { drained } from './drained.js';

/** How much of the stream is encoded before the head is sent: results this small carry their stats in the head. */
export const HEAD_BYTES = 4 * 1024 * 1024;

/** The custom headers of an Arrow answer, exposed to allowed cross-origin callers. */
export const ARROW_ANSWER_HEADERS = ['X-Firn-Query-Id', 'X-Firn-Statement-Handles', 'X-Firn-Context', 'X-Firn-Stats'] as const;

export function wantsArrow(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  for (const range of accept.split(',')) {
    const [type, ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type !== ARROW_STREAM_MEDIA_TYPE) continue;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

/** JSON with every non-ASCII character escaped, safe as an HTTP header value. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export type ArrowAnswer = { send(res: ServerResponse): Promise<{ error: unknown }> };

/** What an Arrow answer sends: a statement's rows as batches, and what goes in its headers. */
export type ArrowAnswerSource = {
  queryId: string;
  columns: Column[];
  batches: AsyncIterable<Batch> | Iterable<Batch>;
  stats: QueryStats;
  /** The stats are complete before the batches are read (a stored result). */
  statsFinal: boolean;
  context: SessionContext;
  statementHandles?: readonly string[];
};

export async function prepareArrowAnswer(result: ArrowAnswerSource, headBytes = HEAD_BYTES): Promise<ArrowAnswer> {
  const pieces = encodeArrowStream(result.columns, result.batches);
  const head: Uint8Array[] = [];
  let bytes = 0;
  let complete = false;
  while (bytes < headBytes) {
    const next = await pieces.next();
    if (next.done) {
      complete = true;
      break;
    }
    head.push(next.value);
    bytes += next.value.byteLength;
  }
  return {
    async send(res: ServerResponse): Promise<{ error: unknown }> {
      res.setHeader('Content-Type', ARROW_STREAM_MEDIA_TYPE);
      if (res.hasHeader('Access-Control-Allow-Origin')) res.setHeader('Access-Control-Expose-Headers', ARROW_ANSWER_HEADERS.join(', '));
      res.setHeader('X-Firn-Query-Id', result.queryId);
      if (result.statementHandles) res.setHeader('X-Firn-Statement-Handles', result.statementHandles.join(','));
      const { database, schema, warehouse } = result.context;
      res.setHeader('X-Firn-Context', asciiJson({ database, schema, warehouse }));
      if (complete) {
        const body = Buffer.concat(head);
        res.setHeader('X-Firn-Stats', asciiJson(result.stats));
        res.setHeader('Content-Length', body.byteLength);
        res.writeHead(200);
        res.end(body);
        return { error: null };
      }
      if (result.statsFinal) res.setHeader('X-Firn-Stats', asciiJson(result.stats));
      else res.setHeader('Trailer', 'X-Firn-Stats');
      res.writeHead(200);
      try {
        for (const piece of head) await write(res, piece);
        head.length = 0;
        for (;;) {
          const next = await pieces.next();
          if (next.done) break;
          await write(res, next.value);
        }
        if (!result.statsFinal) res.addTrailers({ 'X-Firn-Stats': asciiJson(result.stats) });
        res.end();
        return { error: null };
      } catch (err) {
        await pieces.return(undefined).catch(() => {});
        res.destroy();
        return { error: err };
      }
    },
  };
}

/** Writes one piece, waiting for the socket to drain; a closed response is CANCELED. */
async function write(res: ServerResponse, piece: Uint8Array): Promise<void> {
  if (res.destroyed) throw new ResourceError('CANCELED', 'SQL execution canceled');
  if (!res.write(piece)) await drained(res);
}
