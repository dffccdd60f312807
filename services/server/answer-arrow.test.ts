import { afterEach, describe, expect, it } from 'vitest';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tableFromIPC } from 'apache-arrow';
import { DataError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Batch } from '../../storage/types/vector.js';
import type { QueryStats } from '../session/statement-result.js';
import { asciiJson, prepareArrowAnswer, wantsArrow, type ArrowAnswerSource } from './answer-arrow.js';

const STATS: QueryStats = { partitionsTotal: 4, partitionsScanned: 2, bytesScanned: 10, cacheHitRatio: 0.5, elapsedMs: 3, warehouse: 'WH', partitionedJoins: 0, bytesSpilled: 0, profile: [], partitionsAdded: 0, partitionsRemoved: 0, queuedMs: 0, cluster: 1, warehouseSize: 'XSMALL', fromResultCache: false, memoryBytes: 0 };

function numbers(from: number, n: number): Batch {
  return { length: n, columns: [{ kind: 'f64', length: n, values: Float64Array.from({ length: n }, (_, i) => from + i), nulls: null }] };
}

function source(batches: AsyncIterable<Batch>, statsFinal = false): ArrowAnswerSource {
  return { queryId: 'q-1', columns: [{ name: 'N', type: Types.number(18, 0), nullable: false }], batches, stats: STATS, statsFinal, context: { database: 'D', schema: 'S', warehouse: 'WH' }, statementHandles: ['q-0', 'q-1'] };
}

let server: Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** Serves one Arrow answer and reads it back raw: status, headers, trailers, body, and whether it completed. */
async function serve(answer: () => ReturnType<typeof prepareArrowAnswer>): Promise<{ status: number; headers: Record<string, unknown>; trailers: Record<string, unknown>; body: Buffer; complete: boolean; error: unknown }> {
  let error: unknown = 'unset';
  server = createServer((req, res) => {
    void answer().then(async (a) => ((error = (await a.send(res)).error)));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', () => {});
      res.on('close', () => setTimeout(() => resolve({ status: res.statusCode!, headers: res.headers, trailers: res.trailers, body: Buffer.concat(chunks), complete: res.complete, error }), 20));
    });
    // A response cut off before its head was flushed reaches the client as a reset connection.
    req.on('error', () => setTimeout(() => resolve({ status: 0, headers: {}, trailers: {}, body: Buffer.alloc(0), complete: false, error }), 20));
  });
}

async function* batches(...list: Array<Batch | Error>): AsyncGenerator<Batch> {
  for (const b of list) {
    if (b instanceof Error) throw b;
    yield b;
  }
}

describe('wantsArrow', () => {
  it('accepts the Arrow stream media type unless its q is 0', () => {
    expect(wantsArrow('application/vnd.apache.arrow.stream')).toBe(true);
    expect(wantsArrow('application/json;q=0.5, Application/Vnd.Apache.Arrow.Stream ; q=0.9')).toBe(true);
    expect(wantsArrow('application/vnd.apache.arrow.stream;q=0')).toBe(false);
    expect(wantsArrow('application/json')).toBe(false);
    expect(wantsArrow('*/*')).toBe(false);
    expect(wantsArrow(undefined)).toBe(false);
  });

  it('writes header JSON in ASCII', () => {
    expect(asciiJson({ w: 'Ærø "x"' })).toBe('{"w":"\\u00c6r\\u00f8 \\"x\\""}');
    expect(JSON.parse(asciiJson({ w: 'Ærø' }))).toEqual({ w: 'Ærø' });
  });
});

describe('prepareArrowAnswer', () => {
  it('sends a small result whole, with its length and complete stats in the head', async () => {
    const r = await serve(() => prepareArrowAnswer(source(batches(numbers(1, 3), numbers(4, 2)))));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    expect(r.headers['content-length']).toBe(String(r.body.byteLength));
    expect(r.headers['x-firn-query-id']).toBe('q-1');
    expect(r.headers['x-firn-statement-handles']).toBe('q-0,q-1');
    expect(JSON.parse(r.headers['x-firn-context'] as string)).toEqual({ database: 'D', schema: 'S', warehouse: 'WH' });
    expect(JSON.parse(r.headers['x-firn-stats'] as string)).toEqual(STATS);
    expect([...tableFromIPC(r.body).getChild('N')!]).toEqual([1n, 2n, 3n, 4n, 5n]);
  });

  it('streams a result past the head budget, with the stats as a trailer', async () => {
    const r = await serve(() => prepareArrowAnswer(source(batches(numbers(0, 100), numbers(100, 100), numbers(200, 100))), 64));
    expect(r.complete).toBe(true);
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.headers['x-firn-stats']).toBeUndefined();
    expect(JSON.parse(r.trailers['x-firn-stats'] as string)).toEqual(STATS);
    expect(tableFromIPC(r.body).numRows).toBe(300);
    expect(r.error).toBeNull();
  });

  it('streams a stored result with its final stats in the head', async () => {
    const r = await serve(() => prepareArrowAnswer(source(batches(numbers(0, 100), numbers(100, 100)), true), 64));
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(JSON.parse(r.headers['x-firn-stats'] as string)).toEqual(STATS);
    expect(r.trailers['x-firn-stats']).toBeUndefined();
    expect(tableFromIPC(r.body).numRows).toBe(200);
  });

  it('throws a failure before the head, and cuts the stream off after it', async () => {
    const early = await prepareArrowAnswer(source(batches(new DataError('DIVISION_BY_ZERO', 'Division by zero')))).catch((e: unknown) => e);
    expect((early as DataError).codeName).toBe('DIVISION_BY_ZERO');
    const r = await serve(() => prepareArrowAnswer(source(batches(numbers(0, 100), new DataError('DIVISION_BY_ZERO', 'Division by zero'))), 64));
    expect(r.complete).toBe(false);
    expect((r.error as DataError).codeName).toBe('DIVISION_BY_ZERO');
    expect(r.body.subarray(-8).toString('hex')).not.toBe('ffffffff00000000');
  });
});
