/**
 * Sequences under concurrency and a crash, over the real HTTP API: statements running at the same
 * time on a multi-worker warehouse take values of one sequence through every path (nextval_exec
 * tasks reserving per batch in the workers; VALUES reserved by services; identity columns of
 * group-committed INSERT ... VALUES and of INSERT ... SELECT), and no value is ever given twice;
 * after kill -9 and a restart every new value is beyond every value given before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

const ENV = { FIRN_PARTITION_ROWS: '25', FIRN_GC_INTERVAL_SECONDS: '0', FIRN_COMPACT_INTERVAL_SECONDS: '0' };
const CONTEXT = { database: 'SEQ', schema: 'PUBLIC', warehouse: 'SEQ_WH' };
const ROWS = 600;

describe('sequences over HTTP: concurrent statements, then kill -9', () => {
  let home: string;
  let server: FirnProcess | null = null;
  const run = (sql: string) => postStatement(server!.url, sql, CONTEXT);
  const values = async (sql: string): Promise<bigint[]> => (await run(sql)).data.flatMap((row) => row.map((v) => BigInt(v!)));

  beforeAll(async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'firn-sequences-http-'));
    server = await startFirnProcess({ home, env: ENV });
    await postStatement(server.url, 'CREATE DATABASE seq');
    await postStatement(server.url, 'CREATE WAREHOUSE seq_wh WAREHOUSE_SIZE = MEDIUM', { database: 'SEQ', schema: 'PUBLIC' });
    await run('CREATE SEQUENCE s');
    await run(`CREATE TABLE big AS SELECT SEQ4() AS a FROM TABLE(GENERATOR(ROWCOUNT => ${ROWS}))`);
    await run('CREATE TABLE taken (n INTEGER)');
    await run('CREATE TABLE ids (id INTEGER AUTOINCREMENT, who VARCHAR)');
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('gives every value once, whichever path and however many statements run at the same time', async () => {
    const selects = Array.from({ length: 4 }, () => values('SELECT s.nextval FROM big'));
    const pairs = Array.from({ length: 6 }, () => values('SELECT s.nextval, s.nextval'));
    const inserts = Array.from({ length: 3 }, () => run('INSERT INTO taken SELECT s.nextval FROM big'));
    const small = Array.from({ length: 8 }, (_, i) => run(`INSERT INTO ids (who) VALUES ('v${i}a'), ('v${i}b')`));
    const bulk = Array.from({ length: 2 }, (_, i) => run(`INSERT INTO ids (who) SELECT 'bulk${i}' FROM big`));
    const [selected, paired] = await Promise.all([Promise.all(selects), Promise.all(pairs), Promise.all([...inserts, ...small, ...bulk])]);
    const stored = await values('SELECT n FROM taken');
    const all = [...selected.flat(), ...paired.flat(), ...stored];
    expect(selected.map((v) => v.length)).toEqual([ROWS, ROWS, ROWS, ROWS]);
    expect(paired.map((v) => v.length)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(stored.length).toBe(3 * ROWS);
    expect(new Set(all).size).toBe(all.length);
    // Every value reserved was handed out (no statement failed), so they are exactly 1 .. n.
    const sorted = [...all].sort((a, b) => (a < b ? -1 : 1));
    expect([sorted[0], sorted[sorted.length - 1]]).toEqual([1n, BigInt(all.length)]);

    const ids = await values('SELECT id FROM ids');
    expect(ids.length).toBe(8 * 2 + 2 * ROWS);
    expect(new Set(ids).size).toBe(ids.length);
    expect(await values("SELECT COUNT(*) FROM ids WHERE who LIKE 'v%'")).toEqual([16n]);
  }, 180_000);

  it('after kill -9 and a restart, every new value is beyond every value given before', async () => {
    const before = (await values('SELECT MAX(n) FROM taken'))[0];
    const given = await values('SELECT s.nextval FROM big');
    const maxGiven = given.reduce((m, v) => (v > m ? v : m), before);
    const maxId = (await values('SELECT MAX(id) FROM ids'))[0];
    const child = server!.child;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    server = await startFirnProcess({ home, env: ENV });
    const next = await values('SELECT s.nextval');
    expect(next[0]).toBeGreaterThan(maxGiven);
    const after = await values('SELECT s.nextval FROM big');
    expect(after.every((v) => v > maxGiven)).toBe(true);
    expect(new Set(after).size).toBe(ROWS);
    await run("INSERT INTO ids (who) VALUES ('after')");
    const [id] = await values("SELECT id FROM ids WHERE who = 'after'");
    expect(id).toBeGreaterThan(maxId);
  }, 180_000);
});
