/**
 * Recursive CTEs through the engine: their result types, EXPLAIN (the recursive_cte node, its
 * anchor and recursive step), each run of the recursive clause running in the warehouse, the
 * result cache seeing the tables they read, their rows counted against the statement's memory
 * budget, and a failing one (the iteration limit) leaving no object written for an INSERT.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_IDENTITY } from '../../services/access/identity.js';
import { loadConfig } from '../../services/config.js';
import { encodeCells } from '../../services/result/encode-jsonv2.js';
import { DEFAULT_CONTEXT, FirnEngine } from '../../services/session/firn-engine.js';
import type { StatementResult } from '../../services/session/statement-result.js';
import { concatBatches } from '../../warehouse/execute/batch/concat-batches.js';

const CHAIN =
  'WITH RECURSIVE chain (id, path, level) AS (SELECT id, name, 1 FROM people WHERE boss IS NULL ' +
  "UNION ALL SELECT p.id, c.path || '/' || p.name, c.level + 1 FROM people p JOIN chain c ON p.boss = c.id) ";

describe('recursive CTEs in the engine', () => {
  let dir: string;
  let engine: FirnEngine;

  async function run(sql: string): Promise<StatementResult & { rows: unknown[][] }> {
    const result = await engine.execute({ sql, context: DEFAULT_CONTEXT, identity: SYSTEM_IDENTITY, queryId: randomUUID() });
    const batches = [result.batch];
    if (result.stream) for await (const b of result.stream) batches.push(b);
    return { ...result, rows: encodeCells(result.columns, concatBatches(result.columns.map((c) => c.type), batches)).data };
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-recursive-cte-'));
    engine = await FirnEngine.open(loadConfig({ FIRN_HOME: path.join(dir, 'home'), FIRN_PARTITION_ROWS: '2' }));
    await run('CREATE TABLE people (id INT, name VARCHAR(10), boss INT)');
    await run("INSERT INTO people VALUES (1, 'ann', NULL), (2, 'bob', 1), (3, 'cat', 2), (4, 'dan', 2)");
  });

  afterAll(async () => {
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("types its columns as the anchor's, widened for what the recursion computes", async () => {
    const r = await run(`${CHAIN}SELECT id, path, level FROM chain ORDER BY path`);
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([
      ['ID', { kind: 'NUMBER', precision: 38, scale: 0 }],
      ['PATH', { kind: 'VARCHAR' }],
      ['LEVEL', { kind: 'NUMBER', precision: 38, scale: 0 }],
    ]);
    expect(r.rows).toEqual([
      ['1', 'ann', '1'],
      ['2', 'ann/bob', '2'],
      ['3', 'ann/bob/cat', '3'],
      ['4', 'ann/bob/dan', '3'],
    ]);
  });

  it('runs the anchor and every run of the recursive clause in the warehouse', async () => {
    const r = await run(`${CHAIN}SELECT COUNT(*) FROM chain`);
    expect(r.rows).toEqual([['4']]);
    // Worker operators read the rows kept so far: each of the 3 runs of the recursive clause its
    // working table (ann; bob; cat and dan, below whom the third run finds no one), and the main
    // plan all 4 rows of the CTE.
    const read = r.stats.profile.filter((p) => p.operator === 'batches_exec').map((p) => p.rowsOut);
    expect(read.sort()).toEqual([1, 1, 2, 4]);
    expect(r.stats.profile.filter((p) => p.operator === 'hash_join_exec').length).toBeGreaterThanOrEqual(3);
  });

  it('EXPLAIN shows the recursive_cte node, its anchor and its recursive step over the working table', async () => {
    const physical = (await run(`EXPLAIN ${CHAIN}SELECT level, COUNT(*) FROM chain GROUP BY level`)).rows.map((row) => row[0] as string);
    const text = physical.join('\n');
    expect(text).toContain('BatchesExec recursive_cte CHAIN');
    expect(physical).toContain("recursive_cte CHAIN: the anchor's rows, then the recursive step's until it returns none (at most 100 runs)");
    const anchor = physical.indexOf('  anchor:');
    const step = physical.indexOf('  recursive step:');
    expect(anchor).toBeGreaterThan(physical.findIndex((l) => l.startsWith('recursive_cte CHAIN')));
    expect(step).toBeGreaterThan(anchor);
    expect(physical.slice(anchor, step).some((l) => l.includes('ScanExec FIRN.PUBLIC.PEOPLE'))).toBe(true);
    const steps = physical.slice(step);
    expect(steps.some((l) => l.includes('BatchesExec working_table CHAIN'))).toBe(true);
    expect(steps.some((l) => /HashJoinExec INNER .*keys=\[.*ID.*\]/.test(l))).toBe(true);

    const logical = (await run(`EXPLAIN LOGICAL ${CHAIN}SELECT level FROM chain`)).rows.map((row) => row[0] as string);
    expect(logical.some((l) => l.trim() === 'RecursiveCte CHAIN columns=[ID, PATH, LEVEL]')).toBe(true);
    expect(logical.some((l) => l.trim().startsWith('WorkingTable CHAIN columns=[ID, PATH, LEVEL]'))).toBe(true);
  });

  it('is not answered from the result cache after a table it reads changed', async () => {
    const count = `${CHAIN}SELECT COUNT(*), MAX(level) FROM chain`;
    expect((await run(count)).rows).toEqual([['4', '3']]);
    expect((await run(count)).rows).toEqual([['4', '3']]);
    await run("INSERT INTO people VALUES (5, 'eve', 4)");
    expect((await run(count)).rows).toEqual([['5', '4']]);
    await run('DELETE FROM people WHERE id = 5');
  });

  it('writes nothing when the iteration limit fails an INSERT or a CTAS', async () => {
    await run('CREATE TABLE sink (n INT)');
    await run('INSERT INTO sink VALUES (1)');
    const data = path.join(dir, 'home', 'data');
    const files = () => readdirSync(data, { recursive: true }).map(String).sort();
    const before = files();
    const runaway = 'WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) ';
    await expect(run(`INSERT INTO sink ${runaway}SELECT n FROM r`)).rejects.toMatchObject({ code: '390208', sqlState: '54000' });
    await expect(run(`CREATE TABLE sink2 AS ${runaway}SELECT n FROM r`)).rejects.toMatchObject({ code: '390208' });
    expect(files()).toEqual(before);
    expect((await run('SELECT COUNT(*), SUM(n) FROM sink')).rows).toEqual([['1', '1']]);
  });
});

describe('recursive CTE rows and the memory budget', () => {
  let dir: string;
  let engine: FirnEngine;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-recursive-cte-mem-'));
    engine = await FirnEngine.open(loadConfig({ FIRN_HOME: path.join(dir, 'home'), FIRN_QUERY_MEMORY_BYTES: '300000' }));
  });

  afterAll(async () => {
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('fails with RESOURCE_EXHAUSTED once the rows it holds pass the statement budget, and the next statement runs', async () => {
    const exec = (sql: string) => engine.execute({ sql, context: DEFAULT_CONTEXT, identity: SYSTEM_IDENTITY, queryId: randomUUID() });
    const sql =
      "WITH RECURSIVE r (n, s) AS (SELECT SEQ4(), 'row number ' || SEQ4() FROM TABLE(GENERATOR(ROWCOUNT => 5000)) " +
      'UNION ALL SELECT n + 5000, s FROM r WHERE n < 1000000) SELECT COUNT(*) FROM r';
    await expect(exec(sql)).rejects.toMatchObject({ codeName: 'RESOURCE_EXHAUSTED', sqlState: '53200', message: expect.stringContaining("recursive common table expression 'R'") });
    const ok = await exec('WITH RECURSIVE r (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT SUM(n) FROM r');
    const batches = [ok.batch];
    if (ok.stream) for await (const b of ok.stream) batches.push(b);
    expect(encodeCells(ok.columns, concatBatches(ok.columns.map((c) => c.type), batches)).data).toEqual([['6']]);
  });
});
