/**
 * The SQL API v2 as Snowflake's clients use it (issue 12), over real HTTP against a real server
 * process: asynchronous execution (async=true, "async": true, and any statement running past
 * FIRN_ASYNC_AFTER_MS) answering 202 / 333334 with a statementStatusUrl to poll, polling with
 * progress while it runs, cancel, results paged into partitions (partitionInfo, ?partition=N,
 * gzip when Accept-Encoding allows, read back from the Arrow IPC files a result past
 * FIRN_RESULT_MEMORY_BYTES is written to), idempotent retries with requestId and retry=true,
 * and nullable=false. The server waits only 300 ms before answering 202, so the long statements
 * here are polled; the test clients poll too.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { GZIP_MIN_BYTES } from '../../services/server/stored-statement-answer.js';

const BIG_ROWS = 400_000;
const SMALL_ROWS = 1_000;
/** 400k probe rows x 250 matches each = 100M joined rows in the one worker: seconds. */
const LONG = 'SELECT COUNT(*), SUM(b.x) FROM big a JOIN small b ON a.g = b.g';
const LONG_ANSWER = [[String(BIG_ROWS * (SMALL_ROWS / 4)), String((BIG_ROWS / 4) * ((SMALL_ROWS - 1) * SMALL_ROWS) / 2)]];
/** Rows of the paged result, and the text a partition may hold. */
const PAGED_ROWS = 20_000;
const PARTITION_BYTES = 64 * 1024;
/** Results held in memory: the paged result (about 400 KB of batches) goes to disk. */
const RESULT_MEMORY_BYTES = 128 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Answer = { status: number; headers: Headers; body: Record<string, unknown> };

describe('SQL API v2', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-sql-api-'));
    mkdirSync(path.join(dir, 'csv'));
    writeFileSync(path.join(dir, 'csv', 'big.csv'), Array.from({ length: BIG_ROWS }, (_, i) => `${i},${i % 4}`).join('\n') + '\n');
    writeFileSync(path.join(dir, 'csv', 'small.csv'), Array.from({ length: SMALL_ROWS }, (_, i) => `${i},${i % 4}`).join('\n') + '\n');
    server = await startFirnProcess({
      home: path.join(dir, 'home'),
      env: { FIRN_LOAD_ROOTS: dir, FIRN_ASYNC_AFTER_MS: '300', FIRN_RESULT_PARTITION_BYTES: String(PARTITION_BYTES), FIRN_RESULT_MEMORY_BYTES: String(RESULT_MEMORY_BYTES) },
    });
    await postStatement(server.url, 'CREATE TABLE big (k INTEGER, g INTEGER)');
    await postStatement(server.url, 'CREATE TABLE small (x INTEGER, g INTEGER)');
    await postStatement(server.url, 'CREATE TABLE events (id INTEGER)');
    await postStatement(server.url, `COPY INTO big FROM 'file://${dir}/csv/big.csv'`);
    await postStatement(server.url, `COPY INTO small FROM 'file://${dir}/csv/small.csv'`);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${server.url}${pathAndQuery}`, {
      method,
      headers: { ...ADMIN_AUTH_HEADERS, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  }

  /** Polls a statementStatusUrl until it answers something else than 202; every 202 seen is kept. */
  async function poll(statusUrl: string): Promise<{ final: Answer; running: Answer[] }> {
    const running: Answer[] = [];
    for (;;) {
      const got = await call('GET', statusUrl);
      if (got.status !== 202) return { final: got, running };
      running.push(got);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * A synchronous request's answer: a statement that ran past FIRN_ASYNC_AFTER_MS (300 ms here,
   * which a loaded machine can pass) answered 202 and is polled to its end.
   */
  async function settled(a: Promise<Answer>): Promise<Answer> {
    const got = await a;
    return got.status === 202 ? (await poll(got.body.statementStatusUrl as string)).final : got;
  }

  function expectQueryStatus(a: Answer): void {
    expect(a.status).toBe(202);
    expect(a.body).toMatchObject({
      code: '333334',
      message: 'Asynchronous execution in progress. Use provided query id to perform query monitoring and management.',
      statementHandle: expect.stringMatching(UUID),
    });
    expect(a.body.statementStatusUrl).toBe(`/api/v2/statements/${a.body.statementHandle as string}?requestId=${a.body.requestId as string}`);
    expect(Object.keys(a.body.stats as object).sort()).toEqual(['bytesScanned', 'elapsedMs', 'filesDone', 'filesTotal', 'partitionsScanned', 'partitionsTotal', 'rowsLoaded', 'rowsProduced']);
  }

  it('async=true answers 202 / 333334 at once; polling shows progress while it runs, then its result', async () => {
    const submitted = await call('POST', '/api/v2/statements?async=true', { statement: LONG });
    expectQueryStatus(submitted);
    const { final, running } = await poll(submitted.body.statementStatusUrl as string);
    expect(running.length).toBeGreaterThan(0);
    for (const r of running) expectQueryStatus(r);
    expect(final.status).toBe(200);
    expect(final.body.statementHandle).toBe(submitted.body.statementHandle);
    expect(final.body.data).toEqual(LONG_ANSWER);
    // The progress only grows, up to the final stats (whose elapsedMs the engine measures from its own start).
    type Counters = Record<'partitionsTotal' | 'partitionsScanned' | 'bytesScanned' | 'elapsedMs', number>;
    const seen = [...running.map((r) => r.body.stats as Counters), final.body.stats as Counters];
    for (let i = 1; i < seen.length; i++) {
      for (const k of ['partitionsTotal', 'partitionsScanned', 'bytesScanned'] as const) expect(seen[i]![k], k).toBeGreaterThanOrEqual(seen[i - 1]![k]);
      if (i < running.length) expect(seen[i]!.elapsedMs).toBeGreaterThanOrEqual(seen[i - 1]!.elapsedMs);
    }
    expect(seen.at(-1)!.partitionsTotal).toBeGreaterThan(0);
  });

  it('"async": true in the body answers 202 too, and a quick statement is then fetched by its handle', async () => {
    const submitted = await call('POST', '/api/v2/statements', { statement: 'SELECT 42 AS answer', async: true });
    expectQueryStatus(submitted);
    const { final } = await poll(submitted.body.statementStatusUrl as string);
    expect([final.status, final.body.data]).toEqual([200, [['42']]]);
  });

  it('a statement still running after FIRN_ASYNC_AFTER_MS answers 202, and the polled result is the same', async () => {
    const submitted = await call('POST', '/api/v2/statements', { statement: LONG });
    expectQueryStatus(submitted);
    const { final } = await poll(submitted.body.statementStatusUrl as string);
    expect([final.status, final.body.data]).toEqual([200, LONG_ANSWER]);
  });

  it('cancel stops a running statement: 200 000604, and its handle then answers the cancellation', async () => {
    const submitted = await call('POST', '/api/v2/statements?async=true', { statement: LONG });
    const handle = submitted.body.statementHandle as string;
    const canceled = await call('POST', `/api/v2/statements/${handle}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ code: '000604', sqlState: '57014', message: 'SQL execution canceled', statementHandle: handle });
    const after = await call('GET', `/api/v2/statements/${handle}`);
    expect(after.status).toBe(422);
    expect(after.body).toMatchObject({ code: '000604', sqlState: '57014', statementHandle: handle });
    // The warehouse is free again.
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM small WHERE g = 1')).data).toEqual([['250']]);
    const unknown = await call('POST', '/api/v2/statements/00000000-0000-4000-8000-000000000000/cancel');
    expect(unknown).toMatchObject({ status: 422, body: { code: '000709', sqlState: '02000', message: 'Statement 00000000-0000-4000-8000-000000000000 not found' } });
    const done = await call('POST', `/api/v2/statements/${(await postStatement(server.url, 'SELECT 1')).statementHandle}/cancel`);
    expect(done).toMatchObject({ status: 200, body: { message: 'Identified SQL statement is not currently executing.' } });
  });

  it('pages a large result into partitions: partition 0 with the metadata, ?partition=N for the rest, every row once', async () => {
    const sql = `SELECT k, g FROM big WHERE k < ${PAGED_ROWS} ORDER BY k`;
    const first = await settled(call('POST', '/api/v2/statements', { statement: sql }));
    expect(first.status).toBe(200);
    const meta = first.body.resultSetMetaData as { numRows: number; partitionInfo: { rowCount: number; uncompressedSize: number }[] };
    expect(meta.numRows).toBe(PAGED_ROWS);
    expect(meta.partitionInfo.length).toBeGreaterThan(2);
    expect(meta.partitionInfo.reduce((n, p) => n + p.rowCount, 0)).toBe(PAGED_ROWS);
    const rows: unknown[] = [...(first.body.data as unknown[])];
    expect(rows.length).toBe(meta.partitionInfo[0]!.rowCount);
    expect(JSON.stringify(first.body.data).length).toBe(meta.partitionInfo[0]!.uncompressedSize);
    const handle = first.body.statementHandle as string;
    // Past FIRN_RESULT_MEMORY_BYTES its batches were written as Arrow IPC files; its partitions are read from them.
    expect(readdirSync(path.join(dir, 'home', 'results', handle)).some((f) => f.endsWith('.arrow'))).toBe(true);
    expect(first.headers.get('link')).toContain(`partition=${meta.partitionInfo.length - 1}>; rel="last"`);
    for (let n = 1; n < meta.partitionInfo.length; n++) {
      const part = await call('GET', `/api/v2/statements/${handle}?partition=${n}`);
      expect(part.status).toBe(200);
      // Later partitions carry their rows alone, as Snowflake's do.
      expect(Object.keys(part.body)).toEqual(['data']);
      expect((part.body.data as unknown[]).length).toBe(meta.partitionInfo[n]!.rowCount);
      expect(JSON.stringify(part.body.data).length).toBeLessThanOrEqual(PARTITION_BYTES * 2);
      rows.push(...(part.body.data as unknown[]));
    }
    expect(rows).toEqual(Array.from({ length: PAGED_ROWS }, (_, i) => [String(i), String(i % 4)]));
    const beyond = await call('GET', `/api/v2/statements/${handle}?partition=${meta.partitionInfo.length}`);
    expect(beyond.status).toBe(400);
    expect(beyond.body.message).toBe(`partition ${meta.partitionInfo.length} does not exist: the result of statement ${handle} has ${meta.partitionInfo.length} partition(s), 0 to ${meta.partitionInfo.length - 1}`);
    // The CLI's client (postStatement) fetches every partition.
    expect((await postStatement(server.url, sql)).data).toEqual(rows);
  });

  it('gzips a partition when Accept-Encoding allows, and only then', async () => {
    const sql = `SELECT k, g FROM big WHERE k < ${PAGED_ROWS} ORDER BY k`;
    const handle = (await postStatement(server.url, sql)).statementHandle;
    const bigHandle = (await postStatement(server.url, `SELECT LPAD('firn', 100000, 'warehouse ') AS s`)).statementHandle;
    const raw = (acceptEncoding: string | null, target = `${handle}?partition=1`) =>
      new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
        const headers: Record<string, string> = { ...ADMIN_AUTH_HEADERS, ...(acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding }) };
        const req = request(`${server.url}/api/v2/statements/${target}`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    const plain = await raw(null);
    expect(plain.encoding).toBeUndefined();
    const zipped = await raw('deflate, gzip;q=0.8');
    expect(zipped.encoding).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(plain.body.length);
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(plain.body.toString('utf8'));
    expect((await raw('gzip;q=0')).encoding).toBeUndefined();
    // A body of a few KB goes uncompressed: gzip would save a segment or two for 0.25 ms of the event loop.
    const small = await raw('gzip', (await postStatement(server.url, 'SELECT 1')).statementHandle);
    expect(small.encoding).toBeUndefined();
    expect(small.body.length).toBeGreaterThan(1024);
    expect(small.body.length).toBeLessThan(GZIP_MIN_BYTES);
    // A body of 100 KB, compressed on the thread pool rather than the event loop.
    const bigPlain = await raw(null, bigHandle);
    const bigZipped = await raw('gzip', bigHandle);
    expect(bigPlain.body.length).toBeGreaterThan(100_000);
    expect(bigZipped.encoding).toBe('gzip');
    expect(gunzipSync(bigZipped.body).toString('utf8')).toBe(bigPlain.body.toString('utf8'));
  });

  it('a retry with the same requestId and retry=true answers the original statement and never runs it twice', async () => {
    const requestId = '6b1f3c2e-1d4a-4c8e-9f00-0a1b2c3d4e5f';
    const first = await settled(call('POST', `/api/v2/statements?requestId=${requestId}`, { statement: 'INSERT INTO events VALUES (1)' }));
    expect([first.status, first.body.data]).toEqual([200, [['1']]]);
    for (let i = 0; i < 3; i++) {
      const again = await settled(call('POST', `/api/v2/statements?requestId=${requestId}&retry=true`, { statement: 'INSERT INTO events VALUES (1)' }));
      expect(again.status).toBe(200);
      expect(again.body.statementHandle).toBe(first.body.statementHandle);
      expect(again.body.data).toEqual([['1']]);
    }
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM events')).data).toEqual([['1']]);
    // A retry of a statement still running answers its status under the same handle.
    const slowId = '7c2a4d3f-2e5b-4d9f-8a11-1b2c3d4e5f60';
    const slow = await call('POST', `/api/v2/statements?requestId=${slowId}&async=true`, { statement: LONG });
    const retried = await call('POST', `/api/v2/statements?requestId=${slowId}&retry=true&async=true`, { statement: LONG });
    expect([retried.status, retried.body.statementHandle]).toEqual([202, slow.body.statementHandle]);
    expect((await poll(slow.body.statementStatusUrl as string)).final.body.data).toEqual(LONG_ANSWER);
    // Without retry=true a request is a new statement, whatever its requestId.
    const other = await settled(call('POST', `/api/v2/statements?requestId=${requestId}`, { statement: 'INSERT INTO events VALUES (2)' }));
    expect(other.body.statementHandle).not.toBe(first.body.statementHandle);
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM events')).data).toEqual([['2']]);
  });

  it('nullable=false answers SQL NULL as the string "null"', async () => {
    const plain = await settled(call('POST', '/api/v2/statements', { statement: 'SELECT NULL AS n, 1 AS one' }));
    expect(plain.body.data).toEqual([[null, '1']]);
    const text = await settled(call('POST', '/api/v2/statements?nullable=false', { statement: 'SELECT NULL AS n, 1 AS one' }));
    expect(text.body.data).toEqual([['null', '1']]);
  });

  it('binds `bindings` by position into ? and :n, with Snowflake\'s types, and refuses a missing one', async () => {
    const typed = await settled(call('POST', '/api/v2/statements', {
      statement: 'SELECT ? AS n, ? AS f, ? AS s, ? AS d, ? AS ts, ? AS b, ? AS nothing',
      bindings: {
        '1': { type: 'FIXED', value: '12345678901234567890' },
        '2': { type: 'REAL', value: '1.5' },
        '3': { type: 'TEXT', value: "it's" },
        '4': { type: 'DATE', value: '2024-02-29' },
        '5': { type: 'TIMESTAMP_NTZ', value: '2024-02-29 10:11:12.123456789' },
        '6': { type: 'BOOLEAN', value: 'true' },
        '7': { type: 'TEXT', value: null },
      },
    }));
    expect(typed.status).toBe(200);
    const meta = typed.body.resultSetMetaData as { rowType: { type: string; scale: number | null }[] };
    expect(meta.rowType.map((t) => t.type)).toEqual(['fixed', 'real', 'text', 'date', 'timestamp_ntz', 'boolean', 'text']);
    expect(typed.body.data).toEqual([['12345678901234567890', '1.5', "it's", '19782', '1709201472.123456789', 'true', null]]);
    // TIME: text, or an integer of nanoseconds since midnight (as Snowflake's connectors send it).
    const times = await settled(call('POST', '/api/v2/statements', {
      statement: 'SELECT ? AS t, ? AS n',
      bindings: { '1': { type: 'TIME', value: '10:11:12.123456789' }, '2': { type: 'TIME', value: '36672000000001' } },
    }));
    expect(times.status).toBe(200);
    const timeMeta = times.body.resultSetMetaData as { rowType: { type: string; precision: number | null; scale: number | null }[] };
    expect(timeMeta.rowType.map((t) => [t.type, t.precision, t.scale])).toEqual([['time', 0, 9], ['time', 0, 9]]);
    expect(times.body.data).toEqual([['36672.123456789', '36672.000000001']]);
    const numbered = await settled(call('POST', '/api/v2/statements', { statement: 'SELECT :2 || :1 AS c', bindings: { '1': { type: 'TEXT', value: 'b' }, '2': { type: 'TEXT', value: 'a' } } }));
    expect(numbered.body.data).toEqual([['ab']]);
    const missing = await settled(call('POST', '/api/v2/statements', { statement: 'SELECT ?, ?', bindings: { '1': { type: 'FIXED', value: '1' } } }));
    expect([missing.status, missing.body.code, missing.body.sqlState]).toEqual([422, '002049', '42601']);
  });
});
