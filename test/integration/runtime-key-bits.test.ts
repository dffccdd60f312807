/**
 * Runtime filters past an IN list's size, on a real server (SMALL: 2 workers), in the shape of
 * TPC-H Q9: P's filtered keys (6,666 of 1..20,000, every third) are too many for a value set
 * yet a third of their range, so their bitmap filters L's scan row by row; and since
 * PS.PSPK = L.LPK, the same keys filter PS's scan before PS is hashed. The answer is exact,
 * and the scans hand on only the rows with those keys.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

const PARTS = 20_000;
const L_ROWS = 90_000;
const PS_ROWS = 20_000;
const l = (n: number) => ({ lpk: (n % PARTS) + 1, lsk: n % 10, q: (n % 7) + 1 });
const ps = (n: number) => ({ pspk: (n % PARTS) + 1, pssk: n % 2, cost: n % 11 });
const SQL = 'SELECT COUNT(*), SUM(q * cost) FROM p, l, ps WHERE pk = lpk AND pspk = lpk AND pssk = lsk AND pk % 3 = 0';

describe('runtime key bitmaps and filters passed on to a build side', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-key-bits-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
    await postStatement(server.url, 'CREATE TABLE d (x INTEGER)');
    await postStatement(server.url, 'INSERT INTO d VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)');
    // n = 0 .. 99,999 from five digits.
    const n = '(a.x * 10000 + b.x * 1000 + c.x * 100 + e.x * 10 + f.x)';
    const digits = 'd a, d b, d c, d e, d f';
    await postStatement(server.url, `CREATE TABLE p AS SELECT ${n} + 1 AS pk FROM ${digits} WHERE ${n} < ${PARTS}`);
    await postStatement(server.url, `CREATE TABLE l AS SELECT MOD(${n}, ${PARTS}) + 1 AS lpk, MOD(${n}, 10) AS lsk, MOD(${n}, 7) + 1 AS q FROM ${digits} WHERE ${n} < ${L_ROWS}`);
    await postStatement(server.url, `CREATE TABLE ps AS SELECT MOD(${n}, ${PARTS}) + 1 AS pspk, MOD(${n}, 2) AS pssk, MOD(${n}, 11) AS cost FROM ${digits} WHERE ${n} < ${PS_ROWS}`);
    await postStatement(server.url, 'CREATE WAREHOUSE TWO WAREHOUSE_SIZE = SMALL');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers exactly, P\'s keys filtering both L\'s and PS\'s scans', async () => {
    const byKey = new Map<string, number[]>();
    for (let i = 0; i < PS_ROWS; i++) {
      const r = ps(i);
      const k = `${r.pspk}/${r.pssk}`;
      byKey.set(k, [...(byKey.get(k) ?? []), r.cost]);
    }
    let count = 0;
    let sum = 0;
    for (let i = 0; i < L_ROWS; i++) {
      const r = l(i);
      if (r.lpk % 3 !== 0) continue;
      for (const cost of byKey.get(`${r.lpk}/${r.lsk}`) ?? []) {
        count++;
        sum += r.q * cost;
      }
    }
    const plan = (await postStatement(server.url, `EXPLAIN ${SQL}`, { warehouse: 'TWO' })).data!.map((r) => r[0]).join('\n');
    expect(plan).toMatch(/runtime filter: PK -> stage \d+ scan column PSPK/);
    expect(plan).toMatch(/runtime filter: PK -> stage \d+ scan column LPK/);
    const body = await postStatement(server.url, SQL, { warehouse: 'TWO' });
    expect(body.data).toEqual([[String(count), String(sum)]]);
    const profile = body.stats!.profile as { operator: string; rowsOut: number; stage: number }[];
    // EXPLAIN prints each stage's header, then its operators.
    const stages = plan.split(/^(?=Stage \d+ )/m);
    const scanStage = (table: string) => Number(/^Stage (\d+)/.exec(stages.find((x) => x.includes(`ScanExec FIRN.PUBLIC.${table} `))!)![1]);
    const scanned = (table: string) => profile.filter((p) => p.operator === 'scan_exec' && p.stage === scanStage(table)).reduce((s, p) => s + p.rowsOut, 0);
    // L: the rows of P's 6,666 keys whose LSK is one of PS's (0 or 1: a value set); PS: one row per key.
    expect(scanned('L')).toBe(Array.from({ length: L_ROWS }, (_, i) => l(i)).filter((r) => r.lpk % 3 === 0 && r.lsk < 2).length);
    expect(scanned('PS')).toBe(6666);
  });
});
