/**
 * The result cache over the real server (from dist/): a repeated query is answered from the
 * persisted result (stats.fromResultCache, a new statementHandle, the same rows and types,
 * nothing scanned), even when the session's warehouse was dropped or never existed; an
 * INSERT into a table it read, another current database, USE_CACHED_RESULT = FALSE (the
 * request parameter, or ALTER SESSION earlier in the same request) and a non-reusable
 * function each make it run again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RESULT_CACHE_BYTES } from '../../services/config.js';
import type { JsonV2ResultSet } from '../../services/result/encode-jsonv2.js';
import { ADMIN_AUTH_HEADERS, startFirnProcess, TEST_ADMIN_TOKEN, type FirnProcess } from '../support/firn-process.js';

/** Results above this are not cached: 64 KiB, 8,192 NUMBER values without NULLs. */
const MAX_RESULT_BYTES = 64 * 1024;

type Body = JsonV2ResultSet & { statementHandles?: string[] };
type Request = { database?: string; warehouse?: string; parameters?: Record<string, unknown> };

describe('result cache over HTTP', () => {
  let dir: string;
  let server: FirnProcess;

  async function post(statement: string, req: Request = {}): Promise<{ status: number; body: Body & { code: string; message: string } }> {
    const res = await fetch(`${server.url}/api/v2/statements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ADMIN_AUTH_HEADERS },
      body: JSON.stringify({ statement, ...req }),
    });
    return { status: res.status, body: (await res.json()) as Body & { code: string; message: string } };
  }

  async function ok(statement: string, req: Request = {}): Promise<Body> {
    const { status, body } = await post(statement, req);
    expect(status, `${statement}: ${body.message}`).toBe(200);
    return body;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-result-cache-'));
    // On, as by default (test/support/firn-process.ts turns it off for the other tests).
    server = await startFirnProcess({
      home: path.join(dir, 'home'),
      env: { FIRN_RESULT_CACHE_BYTES: String(DEFAULT_RESULT_CACHE_BYTES), FIRN_RESULT_CACHE_MAX_RESULT_BYTES: String(MAX_RESULT_BYTES) },
    });
    await ok('CREATE TABLE t (id INTEGER, v VARCHAR, d NUMBER(10,2), ts TIMESTAMP_NTZ)');
    await ok("INSERT INTO t VALUES (1, 'a', 1.50, '2024-01-02 03:04:05.123456789'), (2, NULL, -2.25, NULL), (3, 'c', NULL, '1969-12-31 23:59:59.5')");
    await ok('CREATE DATABASE d2');
    await ok('CREATE TABLE d2.public.t (id INTEGER, v VARCHAR, d NUMBER(10,2), ts TIMESTAMP_NTZ)');
    await ok("INSERT INTO d2.public.t VALUES (10, 'other', 0, NULL)");
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a repeated query from the cache: same rows and types, a new handle, nothing scanned, no warehouse', async () => {
    const sql = 'SELECT id, v, d, ts FROM t ORDER BY id';
    const first = await ok(sql);
    expect(first.stats.fromResultCache).toBe(false);
    expect(first.stats.partitionsScanned).toBeGreaterThan(0);
    const second = await ok(sql);
    expect(second.stats.fromResultCache).toBe(true);
    expect(second.data).toEqual(first.data);
    expect(second.resultSetMetaData).toEqual(first.resultSetMetaData);
    expect(second.statementHandle).not.toBe(first.statementHandle);
    expect([second.stats.partitionsScanned, second.stats.partitionsTotal, second.stats.bytesScanned, second.stats.warehouse, second.stats.cluster]).toEqual([0, 0, 0, null, null]);
    expect(second.data).toEqual([
      ['1', 'a', '1.50', '1704164645.123456789'],
      ['2', null, '-2.25', null],
      ['3', 'c', null, '-0.500000000'],
    ]);
    // The normalized text: whitespace, comments and keyword case do not matter.
    const third = await ok('select id,v,d,ts\n  from T -- again\n order by ID');
    expect(third.stats.fromResultCache).toBe(true);
    expect(third.data).toEqual(first.data);
    // GET by the cached answer's handle answers it again.
    const again = await fetch(`${server.url}/api/v2/statements/${second.statementHandle}`, { headers: ADMIN_AUTH_HEADERS });
    expect(((await again.json()) as Body).data).toEqual(first.data);
  });

  it('runs the query again after an INSERT into a table it read, then caches the new result', async () => {
    const sql = 'SELECT COUNT(*), SUM(d) FROM t WHERE id > 0';
    await ok(sql);
    expect((await ok(sql)).stats.fromResultCache).toBe(true);
    await ok("INSERT INTO t VALUES (4, 'd', 10, NULL)");
    const after = await ok(sql);
    expect(after.stats.fromResultCache).toBe(false);
    expect(after.data).toEqual([['4', '9.25']]);
    const cached = await ok(sql);
    expect(cached.stats.fromResultCache).toBe(true);
    expect(cached.data).toEqual([['4', '9.25']]);
  });

  it('keys on the current database: the same text there is another query', async () => {
    const sql = 'SELECT MIN(id) FROM t';
    expect((await ok(sql)).data).toEqual([['1']]);
    expect((await ok(sql)).stats.fromResultCache).toBe(true);
    const other = await ok(sql, { database: 'D2' });
    expect(other.stats.fromResultCache).toBe(false);
    expect(other.data).toEqual([['10']]);
    expect((await ok(sql, { database: 'D2' })).data).toEqual([['10']]);
    expect((await ok(sql, { database: 'FIRN' })).stats.fromResultCache).toBe(true);
  });

  it('does not use the cache with USE_CACHED_RESULT = FALSE: the request parameter, or ALTER SESSION earlier in the request', async () => {
    const sql = 'SELECT MAX(id) FROM t WHERE v IS NOT NULL';
    await ok(sql);
    expect((await ok(sql)).stats.fromResultCache).toBe(true);
    for (const value of [false, 'FALSE']) {
      const off = await ok(sql, { parameters: { use_cached_result: value } });
      expect(off.stats.fromResultCache).toBe(false);
      expect(off.stats.partitionsScanned).toBeGreaterThan(0);
    }
    expect((await ok(sql, { parameters: { USE_CACHED_RESULT: true } })).stats.fromResultCache).toBe(true);
    // A multi-statement request is one session: ALTER SESSION applies to the statements after it.
    const on = await ok(`SELECT 1; ${sql}`, { parameters: { MULTI_STATEMENT_COUNT: 2 } });
    expect(on.statementHandles?.length).toBe(2);
    expect(on.stats.fromResultCache).toBe(true);
    const off = await ok(`ALTER SESSION SET USE_CACHED_RESULT = FALSE; ${sql}`, { parameters: { MULTI_STATEMENT_COUNT: 2 } });
    expect(off.stats.fromResultCache).toBe(false);
    expect(off.data).toEqual([['4']]);
    // ...and not to the next request.
    expect((await ok(sql)).stats.fromResultCache).toBe(true);
    const bad = await post(sql, { parameters: { use_cached_result: 'maybe' } });
    expect([bad.status, bad.body.message]).toEqual([400, '"parameters.use_cached_result" must be true or false']);
  });

  it("keeps ALTER SESSION for a login session's later requests, while a body's parameters apply to that request alone", async () => {
    const login = await fetch(`${server.url}/session/v1/login-request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { AUTHENTICATOR: 'PROGRAMMATIC_ACCESS_TOKEN', TOKEN: TEST_ADMIN_TOKEN } }),
    });
    const token = ((await login.json()) as { data: { token: string } }).data.token;
    const inSession = async (statement: string, req: Request = {}): Promise<Body> => {
      const res = await fetch(`${server.url}/api/v2/statements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Snowflake Token="${token}"` },
        body: JSON.stringify({ statement, ...req }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Body;
    };
    const sql = 'SELECT MIN(id) FROM t WHERE v IS NOT NULL';
    await inSession(sql);
    expect((await inSession(sql)).stats.fromResultCache).toBe(true);
    expect((await inSession(sql, { parameters: { use_cached_result: false } })).stats.fromResultCache).toBe(false);
    expect((await inSession(sql)).stats.fromResultCache).toBe(true);
    await inSession('ALTER SESSION SET USE_CACHED_RESULT = FALSE');
    expect((await inSession(sql)).stats.fromResultCache).toBe(false);
    expect((await inSession(sql)).stats.fromResultCache).toBe(false);
    // A request on a bearer token is its own session: it still uses the cache.
    expect((await ok(sql)).stats.fromResultCache).toBe(true);
  });

  it('keys a time travel read on the version it resolves to: a later INSERT does not change it', async () => {
    await ok('CREATE TABLE tt (id INTEGER)');
    const insert = await ok('INSERT INTO tt VALUES (1), (2)');
    const sql = `SELECT SUM(id) FROM tt AT(STATEMENT => '${insert.statementHandle}')`;
    expect((await ok(sql)).stats.fromResultCache).toBe(false);
    await ok('INSERT INTO tt VALUES (3)');
    const old = await ok(sql);
    expect([old.stats.fromResultCache, old.data]).toEqual([true, [['3']]]);
    const now = await ok('SELECT SUM(id) FROM tt');
    expect([now.stats.fromResultCache, now.data]).toEqual([false, [['6']]]);
  });

  it('does not cache a result larger than FIRN_RESULT_CACHE_MAX_RESULT_BYTES', async () => {
    const digits = Array.from({ length: 100 }, (_, i) => `(${i})`).join(', ');
    await ok(`CREATE TABLE big AS SELECT a.x * 100 + b.x AS n FROM (VALUES ${digits}) a(x), (VALUES ${digits}) b(x)`);
    // 10,000 values: 80,000 bytes.
    const large = 'SELECT n FROM big ORDER BY n';
    for (let i = 0; i < 2; i++) {
      const r = await ok(large);
      expect([r.stats.fromResultCache, r.resultSetMetaData.numRows]).toEqual([false, 10_000]);
    }
    // 8,000 values: 64,000 bytes, within the limit.
    const fits = 'SELECT n FROM big WHERE n < 8000 ORDER BY n';
    expect((await ok(fits)).stats.fromResultCache).toBe(false);
    const cached = await ok(fits);
    expect([cached.stats.fromResultCache, cached.resultSetMetaData.numRows, cached.data[7999]]).toEqual([true, 8000, ['7999']]);
  });

  it('never caches a query with a non-reusable function', async () => {
    const sql = 'SELECT COUNT(*), CURRENT_TIMESTAMP() FROM t';
    for (let i = 0; i < 3; i++) expect((await ok(sql)).stats.fromResultCache).toBe(false);
    // RANDOM() and UUID_STRING(): a new value each time, never from the cache.
    for (const volatile of ['SELECT RANDOM(), COUNT(*) FROM t', 'SELECT UUID_STRING(), COUNT(*) FROM t']) {
      const seen = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const r = await ok(volatile);
        expect(r.stats.fromResultCache).toBe(false);
        seen.add(r.data[0][0]!);
      }
      expect(seen.size).toBe(3);
    }
  });

  it('serves a cached answer when the session\'s warehouse was dropped or does not exist', async () => {
    await ok('CREATE WAREHOUSE gone WAREHOUSE_SIZE = XSMALL');
    const sql = 'SELECT id, v FROM t WHERE id <= 2 ORDER BY id';
    const first = await ok(sql, { warehouse: 'GONE' });
    expect([first.stats.fromResultCache, first.stats.warehouse]).toEqual([false, 'GONE']);
    await ok('DROP WAREHOUSE gone');
    // A query the cache cannot answer needs the warehouse...
    const needs = await post('SELECT id FROM t WHERE id <= 2 ORDER BY id', { warehouse: 'GONE' });
    expect(needs.status).toBe(422);
    // ...the repeated one does not.
    for (const warehouse of ['GONE', 'NEVER_CREATED']) {
      const cached = await ok(sql, { warehouse });
      expect(cached.stats.fromResultCache).toBe(true);
      expect(cached.data).toEqual([
        ['1', 'a'],
        ['2', null],
      ]);
    }
  });
});
