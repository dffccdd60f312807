/**
 * Issue 7, point 11: errors quote at most 100 characters of a user value, then "…", so an
 * error about a 10 MB value is a small response, over real HTTP.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

const TEN_MB = 10 * 1024 * 1024;

describe('values in error messages', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-clip-'));
    mkdirSync(path.join(dir, 'src'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir } });
    await postStatement(server.url, 'CREATE TABLE nums (id INTEGER, n NUMBER(10,2))');
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function post(statement: string): Promise<{ status: number; text: string; body: Record<string, unknown> }> {
    const res = await fetch(`${server.url}/api/v2/statements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ADMIN_AUTH_HEADERS },
      body: JSON.stringify({ statement }),
    });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown> };
  }

  /** 'a'..'z' repeated: the first 100 characters are recognizable, a long value is not constant. */
  const value = (n: number) => 'abcdefghijklmnopqrstuvwxyz'.repeat(Math.ceil(n / 26)).slice(0, n);

  it('a 10 MB CSV field that is not a number fails COPY with a small error quoting its first 100 characters', async () => {
    const big = value(TEN_MB);
    writeFileSync(path.join(dir, 'src', 'big.csv'), `1,2.50\n2,${big}\n`);
    const r = await post(`COPY INTO nums FROM 'file://${dir}/src/big.csv' FILE_FORMAT = (TYPE = CSV)`);
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('100038');
    expect(r.text.length).toBeLessThan(2_000);
    expect(r.body.message).toContain(`Numeric value '${big.slice(0, 100)}…' is not recognized`);
    expect(r.body.message).not.toContain(big.slice(0, 101));
  });

  it('ON_ERROR = CONTINUE reports the same clipped first_error', async () => {
    const r = await postStatement(server.url, `COPY INTO nums FROM 'file://${dir}/src/big.csv' FILE_FORMAT = (TYPE = CSV) ON_ERROR = CONTINUE`);
    expect(JSON.stringify(r).length).toBeLessThan(4_000);
    expect(r.data[0][6]).toBe(`Numeric value '${value(100)}…' is not recognized`);
  });

  it('a huge string literal cast to NUMBER fails with a small error quoting its first 100 characters', async () => {
    const big = value(1_000_000);
    for (const sql of [`SELECT '${big}'::NUMBER`, `SELECT CAST('${big}' AS NUMBER(10,2)) FROM nums`]) {
      const r = await post(sql);
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('100038');
      expect(r.body.message).toBe(`Numeric value '${value(100)}…' is not recognized`);
    }
  });

  it('a huge identifier or token is clipped too', async () => {
    const name = value(5_000).toUpperCase();
    const r = await post(`SELECT "${name}" FROM nums`);
    expect(r.status).toBe(422);
    expect(r.body.message).toBe(`SQL compilation error: invalid identifier '${name.slice(0, 100)}…'`);
    const t = await post(`CREATE TABLE '${value(5_000)}' (a INTEGER)`);
    expect(t.status).toBe(422);
    expect(t.body.message).toBe(`SQL compilation error: syntax error line 1 at position 14: unexpected ''${value(99)}…'.`);
  });
});
