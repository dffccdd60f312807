/**
 * Issue 7, point 10: long AND/OR chains and IN lists compile and answer correctly over real
 * HTTP; parentheses nested past the documented limit (MAX_NESTING_DEPTH, 256) answer
 * STATEMENT_TOO_COMPLEX (390305 / 54001, HTTP 422), never 500 or a misleading syntax error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { postRaw } from '../support/statement-http.js';

describe('deep and long expressions', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-deep-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_PARTITION_ROWS: '1000' } });
    await postStatement(server.url, 'CREATE TABLE t (x INTEGER)');
    const values = Array.from({ length: 3000 }, (_, i) => `(${i})`).join(', ');
    await postStatement(server.url, `INSERT INTO t VALUES ${values}`);
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (statement: string, timeout?: number) => postRaw(server.url, statement, timeout);

  const terms = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i));

  it('answers a 10,000-term OR', async () => {
    // x = 0, 3, 6, ... (10,000 terms, 1,000 of them inside the table's 0..2999).
    const where = terms(10_000, (i) => `x = ${i * 3}`).join(' OR ');
    const r = await post(`SELECT COUNT(*), SUM(x) FROM t WHERE ${where}`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([['1000', String(((0 + 2997) * 1000) / 2)]]);
  });

  it('answers a 10,000-term AND', async () => {
    // x <> 0 AND x <> 1 AND ... AND x <> 9999 leaves nothing of 0..2999 but keeps the NULL-free count 0.
    const where = terms(10_000, (i) => `x <> ${i + 100}`).join(' AND ');
    const r = await post(`SELECT COUNT(*), MAX(x) FROM t WHERE ${where}`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([['100', '99']]);
  });

  it('answers a 10,000-item IN list and NOT IN list', async () => {
    const list = terms(10_000, (i) => String(i * 2)).join(', ');
    const r = await post(`SELECT COUNT(*) FROM t WHERE x IN (${list})`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([['1500']]);
    const n = await post(`SELECT COUNT(*) FROM t WHERE x NOT IN (${list})`);
    expect(n.status).toBe(200);
    expect(n.body.data).toEqual([['1500']]);
  });

  it('answers a 10,000-term OR in parentheses in the select list and as a call argument', async () => {
    const or = terms(10_000, (i) => `x = ${i * 3}`).join(' OR ');
    const r = await post(`SELECT COUNT_IF(${or}), SUM(IFF((${or}), 1, 0)) FROM t`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([['1000', '1000']]);
  });

  it('answers a mixed chain with AND above OR, inside parentheses, with BETWEEN operands', async () => {
    // (x BETWEEN 10 AND 12 AND x <> 11) OR x = 2000 OR ... : AND binds tighter than OR.
    const ors = terms(5_000, (i) => `x = ${i + 10_000}`).join(' OR ');
    const r = await post(`SELECT x FROM t WHERE (x BETWEEN 10 AND 12 AND x <> 11 OR x = 2000 OR ${ors}) ORDER BY x`);
    expect(r.status).toBe(200);
    expect(r.body.data).toEqual([['10'], ['12'], ['2000']]);
  });

  it('answers 54001 for 5,000 nested parentheses', async () => {
    const r = await post(`SELECT ${'('.repeat(5000)}1${')'.repeat(5000)}`);
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('390305');
    expect(r.body.sqlState).toBe('54001');
    expect(r.body.message).toBe('SQL compilation error: statement too complex: parentheses nest deeper than 256 levels (line 1 at position 264)');
  });

  it('answers 54001 for 2,000 nested parentheses, and runs nesting up to the limit', async () => {
    const r = await post(`SELECT ${'('.repeat(2000)}x + 1${')'.repeat(2000)} FROM t WHERE x = 1`);
    expect(r.status).toBe(422);
    expect(r.body.sqlState).toBe('54001');
    const ok = await post(`SELECT ${'('.repeat(255)}x${' + 1)'.repeat(255)} FROM t WHERE x = 1`);
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual([['256']]);
  });

  it('answers 54001, not 500, for a statement too deep in another way (a 20,000-term sum)', async () => {
    const r = await post(`SELECT ${terms(20_000, () => 'x').join(' + ')} FROM t WHERE x = 1`);
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('390305');
    expect(r.body.sqlState).toBe('54001');
  });
});
