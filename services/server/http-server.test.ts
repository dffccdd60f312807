import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError, CompilationError, SqlSyntaxError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { StatementResult } from '../session/statement-result.js';
import type { StatementRequest, StatementRunner } from '../session/statement-request.js';
import { bearer, fixtureAuthenticator } from '../../test/support/fixture-authenticator.js';
import { StatementStore } from '../statements/statement-store.js';
import { startHttpServer, type HttpServer } from './http-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Executes a few fixed statements over hand-built batches. */
class FixtureRunner implements StatementRunner {
  readonly requests: StatementRequest[] = [];
  async execute(req: StatementRequest): Promise<StatementResult> {
    this.requests.push(req);
    const context = {
      database: req.context.database ?? 'FIRN',
      schema: req.context.schema ?? 'PUBLIC',
      warehouse: req.context.warehouse ?? 'COMPUTE_WH',
    };
    const stats = { partitionsTotal: 3, partitionsScanned: 2, bytesScanned: 100, cacheHitRatio: 0, elapsedMs: 5, warehouse: context.warehouse, partitionedJoins: 0, bytesSpilled: 0, profile: [], partitionsAdded: 0, partitionsRemoved: 0, queuedMs: 0, cluster: null, warehouseSize: null, fromResultCache: false, memoryBytes: 0 };
    const sql = req.sql.trim().toUpperCase();
    if (sql === 'SELECT ID, PRICE, NAME FROM T') {
      const columns: Column[] = [
        { name: 'ID', type: Types.number(38, 0), nullable: false },
        { name: 'PRICE', type: Types.number(10, 2), nullable: true },
        { name: 'NAME', type: { kind: 'VARCHAR', length: 20 }, nullable: true },
      ];
      const batch: Batch = {
        length: 2,
        columns: [
          { kind: 'f64', length: 2, values: Float64Array.from([1, 2]), nulls: null },
          { kind: 'f64', length: 2, values: Float64Array.from([-1999, 0]), nulls: Uint8Array.from([0, 1]) },
          { kind: 'str', length: 2, codes: Int32Array.from([0, 1]), dict: ['apple', 'pear'], nulls: null },
        ],
      };
      return { queryId: req.queryId, columns, batch, stats, context };
    }
    if (sql.startsWith('SELECT SYNTAX')) throw new SqlSyntaxError("unexpected 'FORM'", { line: 1, column: 9 });
    if (sql === 'BOOM') throw new Error('kaboom');
    throw new CompilationError('OBJECT_NOT_FOUND', `Object '${req.sql}' does not exist or not authorized.`);
  }
}

const FIXTURE_TOKEN = 'fixture-token';
const AUTH = bearer(FIXTURE_TOKEN);
const fixtureAuth = fixtureAuthenticator({ [FIXTURE_TOKEN]: 'TESTER' });

let server: HttpServer;
let small: HttpServer;
let smallHome: string;
let smallStore: StatementStore;
const runner = new FixtureRunner();
const logged: string[] = [];

beforeAll(async () => {
  let ready: { url: string; port: number } | undefined;
  server = await startHttpServer({ runner, authenticator: fixtureAuth, host: '127.0.0.1', port: 0, onReady: (info) => (ready = info), log: (l) => logged.push(l) });
  expect(ready).toEqual({ url: server.url, port: server.port });
  smallHome = mkdtempSync(path.join(os.tmpdir(), 'firn-http-server-'));
  smallStore = new StatementStore({ home: smallHome, memoryBytes: 1 << 20, diskBytes: 1 << 20, partitionBytes: 1 << 20, maxEntries: 2 });
  small = await startHttpServer({ runner, authenticator: fixtureAuth, host: '127.0.0.1', port: 0, maxBodyBytes: 256, statements: smallStore });
});

afterAll(async () => {
  await server.close();
  await small.close();
  await smallStore.close();
  rmSync(smallHome, { recursive: true, force: true });
});

async function post(body: unknown, base = server.url): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}/api/v2/statements`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...AUTH },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('http server', () => {
  it('binds to the given host on an ephemeral port and answers /healthz', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.port).toBeGreaterThan(0);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /healthz 503 while starting up, 200 once marked ready', async () => {
    const starting = await startHttpServer({ runner, authenticator: fixtureAuth, host: '127.0.0.1', port: 0, startingUp: true });
    try {
      const before = await fetch(`${starting.url}/healthz`);
      expect(before.status).toBe(503);
      expect(await before.json()).toEqual({ status: 'starting' });
      starting.markReady();
      const after = await fetch(`${starting.url}/healthz`);
      expect(after.status).toBe(200);
      expect(await after.json()).toEqual({ status: 'ok' });
    } finally {
      await starting.close();
    }
  });

  it('POST /api/v2/statements answers 200 with the jsonv2 result set', async () => {
    const before = Date.now();
    const { status, json } = await post({ statement: 'select id, price, name from t' });
    expect(status).toBe(200);
    const req = runner.requests.at(-1)!;
    expect(req.sql).toBe('select id, price, name from t');
    expect(req.queryId).toMatch(UUID);
    // A request with an access token is its own session, with a session id of its own.
    expect(req.context).toEqual({ database: null, schema: null, warehouse: null, sessionId: expect.any(Number) });
    expect(req.identity).toEqual({ user: 'TESTER', role: 'SYSADMIN' });
    expect(json).toMatchObject({
      resultSetMetaData: {
        numRows: 2,
        format: 'jsonv2',
        rowType: [
          { name: 'ID', type: 'fixed', precision: 38, scale: 0, nullable: false },
          { name: 'PRICE', type: 'fixed', precision: 10, scale: 2, nullable: true },
          { name: 'NAME', type: 'text', length: 20, byteLength: 80, nullable: true },
        ],
        partitionInfo: [{ rowCount: 2 }],
      },
      data: [
        ['1', '-19.99', 'apple'],
        ['2', null, 'pear'],
      ],
      code: '090001',
      sqlState: '00000',
      statementHandle: req.queryId,
      message: 'Statement executed successfully.',
      stats: { partitionsTotal: 3, partitionsScanned: 2, bytesScanned: 100, cacheHitRatio: 0, elapsedMs: 5, warehouse: 'COMPUTE_WH', partitionedJoins: 0, bytesSpilled: 0, profile: [], partitionsAdded: 0, partitionsRemoved: 0, queuedMs: 0, cluster: null, warehouseSize: null, fromResultCache: false, memoryBytes: 0 },
      context: { database: 'FIRN', schema: 'PUBLIC', warehouse: 'COMPUTE_WH' },
    });
    expect(json.requestId).toMatch(UUID);
    expect(json.statementStatusUrl).toBe(`/api/v2/statements/${req.queryId}?requestId=${json.requestId}`);
    expect(json.createdOn).toBeGreaterThanOrEqual(before);
  });

  it('passes request context through as resolved identifiers', async () => {
    await post({ statement: 'select id, price, name from t', database: 'sales', schema: '"Mixed Case"', warehouse: 'wh_1' });
    const first = runner.requests.at(-1)!.context;
    expect(first).toEqual({ database: 'SALES', schema: 'Mixed Case', warehouse: 'WH_1', sessionId: expect.any(Number) });
    const { json } = await post({ statement: 'select id, price, name from t', database: 'sales' });
    expect(runner.requests.at(-1)!.context.sessionId).toBeGreaterThan(first.sessionId!);
    expect(json.context).toEqual({ database: 'SALES', schema: 'PUBLIC', warehouse: 'COMPUTE_WH' });
  });

  it('runs statements as the authenticated user, with the body\'s role when the user may use it, and refuses requests without valid credentials before the runner', async () => {
    await post({ statement: 'select id, price, name from t', role: 'public' });
    expect(runner.requests.at(-1)!.identity).toEqual({ user: 'TESTER', role: 'PUBLIC' });
    const count = runner.requests.length;
    const denied = await post({ statement: 'select id, price, name from t', role: 'ACCOUNTADMIN' });
    expect(denied).toEqual({ status: 403, json: { code: '390189', sqlState: '08001', message: "Role 'ACCOUNTADMIN' specified in the request is not granted to this user." } });
    const anonymous = await fetch(`${server.url}/api/v2/statements`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ statement: 'select id, price, name from t' }) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="firn"');
    expect(await anonymous.json()).toMatchObject({ code: '390303', sqlState: '08001' });
    expect(runner.requests.length).toBe(count);
  });

  it('answers a FirnError with 422 {code, sqlState, message, statementHandle}', async () => {
    const { status, json } = await post({ statement: 'select syntax form t' });
    expect(status).toBe(422);
    expect(json).toMatchObject({
      code: '001003',
      sqlState: '42000',
      message: "SQL compilation error: syntax error line 1 at position 9: unexpected 'FORM'",
    });
    expect(json.statementHandle).toMatch(UUID);
    const missing = await post({ statement: 'select * from nowhere' });
    expect(missing.status).toBe(422);
    expect(missing.json).toMatchObject({ code: '002003', sqlState: '02000' });
  });

  it('binds the request\'s bindings into the statement it runs, and fails a missing one with 002049', async () => {
    // The fixture runner knows no such statement: what matters is the text it was given.
    await post({ statement: 'select ?, ?', bindings: { '1': { type: 'FIXED', value: '1' }, '2': { type: 'TEXT', value: "it's" } } });
    expect(runner.requests.at(-1)!.sql).toBe("select 1, 'it''s'");
    const count = runner.requests.length;
    const missing = await post({ statement: 'select ?, ?', bindings: { '1': { type: 'FIXED', value: '1' } } });
    expect(missing.status).toBe(422);
    expect(missing.json).toMatchObject({ code: '002049', sqlState: '42601' });
    expect(runner.requests.length).toBe(count);
  });

  it('answers malformed requests with 400 BAD_REQUEST', async () => {
    for (const body of ['{"statement": ', '[1,2]', '{}', '{"statement": "   "}', '{"statement": 5}', '{"statement":"x","timeout":"soon"}', '{"statement":"x","database":7}']) {
      const { status, json } = await post(body);
      expect(status, body).toBe(400);
      expect(json, body).toMatchObject({ code: '390401', sqlState: '08P01' });
      expect(typeof json.message).toBe('string');
    }
    expect((await post('{"statement": ')).json.message).toMatch(/not valid JSON/);
    expect((await post('{}')).json.message).toMatch(/statement/);
  });

  it('limits request bodies', async () => {
    const { status, json } = await post({ statement: `select '${'x'.repeat(1000)}'` }, small.url);
    expect(status).toBe(413);
    expect(json).toMatchObject({ code: '390401' });
    expect(json.message).toMatch(/exceeds the limit of 256 bytes/);
    expect((await post({ statement: 'select id, price, name from t' }, small.url)).status).toBe(200);
  });

  it('answers unknown routes with 404 JSON and wrong methods with 405', async () => {
    const res = await fetch(`${server.url}/nope`, { headers: AUTH });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: '390401', message: 'no such endpoint: GET /nope' });
    const wrong = await fetch(`${server.url}/api/v2/statements`, { headers: AUTH });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    expect(await wrong.json()).toMatchObject({ code: '390401' });
  });

  it('answers 500 INTERNAL when the runner throws a non-Firn error, and keeps serving', async () => {
    const { status, json } = await post({ statement: 'boom' });
    expect(status).toBe(500);
    expect(json).toMatchObject({ code: '000603', sqlState: 'XX000' });
    expect(json.message).toContain('kaboom');
    expect(logged.some((l) => l.includes('kaboom'))).toBe(true);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('GET /api/v2/statements/{handle} returns recent results again', async () => {
    const first = await post({ statement: 'select id, price, name from t' });
    const handle = first.json.statementHandle as string;
    const again = await fetch(`${server.url}/api/v2/statements/${handle}`, { headers: AUTH });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first.json);
    const failed = await post({ statement: 'select syntax' });
    const failedAgain = await fetch(`${server.url}/api/v2/statements/${failed.json.statementHandle as string}`, { headers: AUTH });
    expect(failedAgain.status).toBe(422);
    expect(await failedAgain.json()).toEqual(failed.json);
    const unknown = await fetch(`${server.url}/api/v2/statements/00000000-0000-4000-8000-000000000000`, { headers: AUTH });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: '390401' });
    expect((await fetch(`${server.url}/api/v2/statements/${handle}?partition=1`, { headers: AUTH })).status).toBe(400);
  });

  it('keeps only the last N statements of its store', async () => {
    const handles: string[] = [];
    for (let i = 0; i < 3; i++) handles.push((await post({ statement: 'select id, price, name from t' }, small.url)).json.statementHandle as string);
    const statuses = await Promise.all(handles.map(async (h) => (await fetch(`${small.url}/api/v2/statements/${h}`, { headers: AUTH })).status));
    expect(statuses).toEqual([404, 200, 200]);
  });

  it('survives garbage on the socket', async () => {
    const { connect } = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const sock = connect(server.port, '127.0.0.1', () => sock.write('NOT HTTP AT ALL\r\n\r\n'));
      let text = '';
      sock.on('data', (d) => (text += d.toString()));
      sock.on('close', () => resolve(text));
      sock.on('error', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('reports a port already in use and stops listening on close', async () => {
    // The refused server's own statement store (made under os.tmpdir(), here a directory of this test's own) is gone with it.
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'firn-http-refused-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      await expect(startHttpServer({ runner, authenticator: fixtureAuth, host: '127.0.0.1', port: server.port })).rejects.toThrow(/cannot listen on 127\.0\.0\.1/);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(readdirSync(tmp)).toEqual([]);
    rmSync(tmp, { recursive: true });
    const temp = await startHttpServer({ runner, authenticator: fixtureAuth, host: '127.0.0.1', port: 0 });
    await temp.close();
    await expect(fetch(`${temp.url}/healthz`)).rejects.toThrow();
  });
});
