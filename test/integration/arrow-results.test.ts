/**
 * Arrow results over HTTP: `Accept: application/vnd.apache.arrow.stream` on POST
 * /api/v2/statements answers an Arrow IPC stream with exact types, the statement's handle,
 * context and stats in X-Firn-* headers; failures stay JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

const ARROW = 'application/vnd.apache.arrow.stream';
let firn: FirnProcess;
let home: string;

async function arrowPost(statement: string): Promise<Response> {
  return fetch(`${firn.url}/api/v2/statements`, {
    method: 'POST',
    headers: { ...ADMIN_AUTH_HEADERS, 'Content-Type': 'application/json', Accept: ARROW },
    body: JSON.stringify({ statement }),
  });
}

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'firn-arrow-'));
  firn = await startFirnProcess({ home });
  await postStatement(
    firn.url,
    `CREATE TABLE t (id NUMBER(10,0), amount NUMBER(12,2), big NUMBER(38,0), f FLOAT, s VARCHAR, b BOOLEAN, d DATE, ts TIMESTAMP_NTZ(3))`,
  );
  await postStatement(
    firn.url,
    `INSERT INTO t VALUES
      (1, 12.34, 12345678901234567890123, 1.5, 'é', TRUE, '2024-01-02', '2024-01-02 03:04:05.678'),
      (2, -0.5, -1, -2.25, 'b', FALSE, '1969-12-31', '1969-12-31 23:59:59.5'),
      (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
  );
});

afterAll(async () => {
  await firn?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('Arrow results', () => {
  it('answers a query as an Arrow IPC stream with exact types and values', async () => {
    const res = await arrowPost('SELECT id, amount, big, f, s, b, d, ts FROM t ORDER BY id');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(ARROW);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'ID:Int64',
      'AMOUNT:Decimal[12e+2]',
      'BIG:Decimal[38e0]',
      'F:Float64',
      'S:Utf8',
      'B:Bool',
      'D:Date32<DAY>',
      'TS:Timestamp<MILLISECOND>',
    ]);
    expect(table.numRows).toBe(3);
    expect([...table.getChild('ID')!]).toEqual([1n, 2n, 3n]);
    const dec = (c: string, i: number) => {
      const w = table.getChild(c)!.data[0]!.values.subarray(i * 4, i * 4 + 4) as Uint32Array;
      return BigInt.asIntN(128, (BigInt(w[3]!) << 96n) | (BigInt(w[2]!) << 64n) | (BigInt(w[1]!) << 32n) | BigInt(w[0]!));
    };
    expect([dec('AMOUNT', 0), dec('AMOUNT', 1)]).toEqual([1234n, -50n]);
    expect([dec('BIG', 0), dec('BIG', 1)]).toEqual([12345678901234567890123n, -1n]);
    expect([...table.getChild('F')!]).toEqual([1.5, -2.25, null]);
    expect([...table.getChild('S')!]).toEqual(['é', 'b', null]);
    expect([...table.getChild('B')!]).toEqual([true, false, null]);
    expect(Array.from((table.getChild('D')!.data[0]!.values as Int32Array).subarray(0, 2))).toEqual([19724, -1]);
    expect(Array.from((table.getChild('TS')!.data[0]!.values as BigInt64Array).subarray(0, 2))).toEqual([1704164645678n, -500n]);
    expect(table.getChild('TS')!.isValid(2)).toBe(false);
    expect(table.schema.fields[1]!.metadata.get('firn.type')).toBe('{"kind":"NUMBER","precision":12,"scale":2}');
  });

  it('carries the handle, context and complete stats in headers', async () => {
    const res = await arrowPost('SELECT COUNT(*) AS n FROM t WHERE s IS NOT NULL');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-firn-query-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(res.headers.get('x-firn-context')!)).toEqual({ database: 'FIRN', schema: 'PUBLIC', warehouse: 'COMPUTE_WH' });
    const stats = JSON.parse(res.headers.get('x-firn-stats')!);
    expect(stats.partitionsTotal).toBe(1);
    expect(stats.partitionsScanned).toBe(1);
    expect(stats.warehouse).toBe('COMPUTE_WH');
    expect(Array.isArray(stats.profile)).toBe(true);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.getChild('N')!.get(0)).toBe(2n);
  });

  it('answers a status row (DDL) as a one-column Arrow table', async () => {
    const res = await arrowPost('CREATE TABLE u (x NUMBER)');
    expect(res.status).toBe(200);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.schema.fields.map((f) => f.name)).toEqual(['status']);
    expect(table.getChild('status')!.get(0)).toBe('Table U successfully created.');
  });

  it('answers a failure as JSON with its code and SQLSTATE', async () => {
    const res = await arrowPost('SELECT * FROM no_such_table');
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await res.json()) as { code: string; sqlState: string };
    expect([body.code, body.sqlState]).toEqual(['002003', '02000']);
  });
  it('answers a stored statement by its handle as Arrow: the whole result, or one partition when asked', async () => {
    const json = await postStatement(firn.url, 'SELECT id FROM t ORDER BY id');
    const handle = json.statementHandle;
    const whole = await fetch(`${firn.url}/api/v2/statements/${handle}`, { headers: { ...ADMIN_AUTH_HEADERS, Accept: ARROW } });
    expect([whole.status, whole.headers.get('content-type')]).toEqual([200, ARROW]);
    expect(tableFromIPC(new Uint8Array(await whole.arrayBuffer())).getChild('ID')!.toArray()).toEqual(new BigInt64Array([1n, 2n, 3n]));
    const first = await fetch(`${firn.url}/api/v2/statements/${handle}?partition=0`, { headers: { ...ADMIN_AUTH_HEADERS, Accept: ARROW } });
    expect(tableFromIPC(new Uint8Array(await first.arrayBuffer())).numRows).toBe(3);
    const missing = await fetch(`${firn.url}/api/v2/statements/${handle}?partition=1`, { headers: { ...ADMIN_AUTH_HEADERS, Accept: ARROW } });
    expect([missing.status, missing.headers.get('content-type')?.startsWith('application/json')]).toEqual([400, true]);
  });
});
