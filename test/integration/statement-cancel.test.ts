/**
 * Canceled statements stop using the warehouse (issue 7, point 13): a query past its
 * `timeout`, or whose client disconnected, stops its worker tasks at their next batch, so a
 * small query on the same one-worker warehouse answers right away instead of waiting for
 * the long one to run to its end; a canceled write commits nothing. Timings are relative to
 * the long query's measured uncanceled run on this machine, never fixed wall-clock limits.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { postRaw } from '../support/statement-http.js';

const BIG_ROWS = 100_000;
const SMALL_ROWS = 1_000;
/** 100k probe rows x 250 matches each = 25M joined rows, in the (single) worker's pipeline. */
const LONG = 'SELECT COUNT(*), SUM(b.x) FROM big a JOIN small b ON a.g = b.g';
/** Needs the worker (a filtered scan), unlike COUNT(*) or MAX, which partition metadata can answer. */
const SHORT = 'SELECT SUM(x), COUNT(*) FROM small WHERE g = 1';

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('statement cancellation', () => {
  let dir: string;
  let server: FirnProcess;
  /** The long query's uncanceled run time on this machine (ms), measured once. */
  let fullMs: number;
  /** The COPY INTO big's run time (ms). */
  let copyMs: number;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-cancel-'));
    mkdirSync(path.join(dir, 'csv'));
    writeFileSync(path.join(dir, 'csv', 'big.csv'), Array.from({ length: BIG_ROWS }, (_, i) => `${i},${i % 4}`).join('\n') + '\n');
    writeFileSync(path.join(dir, 'csv', 'small.csv'), Array.from({ length: SMALL_ROWS }, (_, i) => `${i},${i % 4}`).join('\n') + '\n');
    // The default warehouse (XSMALL) has one worker: the long query occupies all of it.
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '10000' } });
    await postStatement(server.url, 'CREATE TABLE big (k INTEGER, g INTEGER)');
    await postStatement(server.url, 'CREATE TABLE small (x INTEGER, g INTEGER)');
    await postStatement(server.url, 'CREATE TABLE sink (n INTEGER, total INTEGER)');
    await postStatement(server.url, 'CREATE TABLE copied (k INTEGER, g INTEGER)');
    let started = performance.now();
    await postStatement(server.url, `COPY INTO big FROM 'file://${dir}/csv/big.csv'`);
    copyMs = performance.now() - started;
    await postStatement(server.url, `COPY INTO small FROM 'file://${dir}/csv/small.csv'`);
    // A tenth of it warms the worker (cache, JIT) first: a cold run would overstate fullMs.
    expect((await post(`${LONG} WHERE a.k % 10 = 0`)).body.data).toEqual([['2500000', '1247500000']]);
    started = performance.now();
    const full = await post(LONG);
    fullMs = performance.now() - started;
    expect(full.body.data).toEqual([['25000000', '12487500000']]);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (statement: string, timeout?: number) => postRaw(server.url, statement, timeout);

  /** A timeout of a fifth of the long query's run, in seconds. */
  const shortTimeout = () => Math.max(0.05, Math.round(fullMs / 5) / 1000);

  it('a query past its timeout answers 57014 and frees the warehouse for the next query at once', async () => {
    const started = performance.now();
    const timeout = shortTimeout();
    const r = await post(LONG, timeout);
    // Snowflake's SQL API answers a statement canceled at its timeout with 408.
    expect(r.status).toBe(408);
    expect([r.body.code, r.body.sqlState, r.body.message]).toEqual([
      '000630',
      '57014',
      `Statement reached its statement or warehouse timeout of ${timeout} second(s) and was canceled.`,
    ]);
    const small = await post(SHORT);
    expect(small.body.data).toEqual([['124750', '250']]);
    // Before cancellation, the 57014 came only once the scan had run to its end.
    expect(performance.now() - started).toBeLessThan(fullMs / 2);
  });

  /** Sends `statement` and destroys the connection after `ms`, before the answer. */
  async function disconnectAfter(statement: string, ms: number): Promise<void> {
    const body = JSON.stringify({ statement });
    const req = request(`${server.url}/api/v2/statements`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...ADMIN_AUTH_HEADERS } });
    const closed = new Promise<void>((resolve) => req.once('close', () => resolve()));
    req.on('error', () => {});
    req.end(body);
    await new Promise((r) => setTimeout(r, ms));
    req.destroy();
    await closed;
  }

  /** Handles of the statements the server logged as canceled by their client. */
  function canceledHandles(): string[] {
    const pattern = /statement ([0-9a-f-]{36}) canceled: the client disconnected \(000604 SQL execution canceled\)/g;
    return [...server.output().matchAll(pattern)].map((m) => m[1]);
  }

  /** The handle of the next statement logged as canceled after `seen` of them, once it has stopped (null: none). */
  async function nextCanceled(seen: number): Promise<string | null> {
    for (let i = 0; i < 100; i++) {
      const handles = canceledHandles();
      if (handles.length > seen) return handles[seen];
      await new Promise((r) => setTimeout(r, 20));
    }
    return null;
  }

  it('a client that disconnects cancels its statement: logged as 000604, and the warehouse is free at once', async () => {
    const started = performance.now();
    const seen = canceledHandles().length;
    await disconnectAfter(LONG, fullMs / 5);
    const small = await post(SHORT);
    expect(small.body.data).toEqual([['124750', '250']]);
    expect(performance.now() - started).toBeLessThan(fullMs / 2);
    // The canceled statement is logged once it has stopped, and recorded: its handle answers the cancellation.
    const handle = await nextCanceled(seen);
    expect(handle).not.toBeNull();
    const recorded = await fetch(`${server.url}/api/v2/statements/${handle}`, { headers: ADMIN_AUTH_HEADERS });
    expect(recorded.status).toBe(422);
    expect(await recorded.json()).toMatchObject({ code: '000604', sqlState: '57014', message: 'SQL execution canceled', statementHandle: handle });
  });

  it('an INSERT ... SELECT past its timeout commits nothing and writes nothing', async () => {
    const before = files(path.join(dir, 'home', 'data')).length;
    const started = performance.now();
    const r = await post(`INSERT INTO sink ${LONG}`, shortTimeout());
    expect(r.body.code).toBe('000630');
    expect(performance.now() - started).toBeLessThan(fullMs / 2);
    expect((await post('SELECT COUNT(*) FROM sink')).body.data).toEqual([['0']]);
    expect(files(path.join(dir, 'home', 'data')).length).toBe(before);
  });

  it('a COPY INTO whose client disconnects mid-load commits nothing and leaves no objects', async () => {
    const before = files(path.join(dir, 'home', 'data')).length;
    const seen = canceledHandles().length;
    await disconnectAfter(`COPY INTO copied FROM 'file://${dir}/csv/big.csv'`, copyMs / 20);
    expect(await nextCanceled(seen)).not.toBeNull();
    expect((await post('SELECT COUNT(*) FROM copied')).body.data).toEqual([['0']]);
    expect(files(path.join(dir, 'home', 'data')).length).toBe(before);
  });
});
