/**
 * No statement takes the server down (issue 7, points 9 and 12), over real HTTP against a
 * real server process with a small query memory budget and a small worker heap:
 *  - a string function whose result would pass 16 MiB characters answers 100078 / 22001 at
 *    once, even when constant folding meets it on the main thread;
 *  - a statement that runs a warehouse worker out of heap answers 53200, and the next
 *    statement runs on a replaced worker;
 *  - a result of 6.4 GB of text (400 rows of 16 MB) is answered in 400 partitions, fetched
 *    one by one, never as one text; a result far larger than FIRN_QUERY_MEMORY_BYTES (a
 *    400M-row CROSS join) is kept by the statement store in memory up to
 *    FIRN_RESULT_MEMORY_BYTES, then on disk up to FIRN_RESULT_DISK_BYTES, and past that fails
 *    with 53200 leaving no file behind, while the server keeps answering (results come in
 *    partitions, as Snowflake's); ORDER BY ... LIMIT over the same kind of join answers the
 *    right rows.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { expectFailure } from '../support/statement-http.js';

const BUDGET = 4 * 2 ** 20;
/** What the statement store may hold of results in memory, and then on disk. */
const RESULT_MEMORY = 16 * 2 ** 20;
const RESULT_DISK = 64 * 2 ** 20;
const BIG = 20_000;
const TOP = 5_000;

/** v of row id: a spread of values with ties, so the top-N needs its tie-breaking keys. */
const valueOf = (id: number): number => (id * 7919) % 1000;

describe('statements that would exhaust memory', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-survival-'));
    const csv = path.join(dir, 'csv');
    mkdirSync(csv);
    const rows = (n: number, text: (id: number) => string) => ['id,v,s', ...Array.from({ length: n }, (_, k) => `${k + 1},${valueOf(k + 1)},${text(k + 1)}`)].join('\n') + '\n';
    writeFileSync(path.join(csv, 'big.csv'), rows(BIG, (id) => `s${id % 100}`));
    writeFileSync(path.join(csv, 'top.csv'), rows(TOP, (id) => `t${id % 10}`));
    writeFileSync(path.join(csv, 'words.csv'), rows(400, (id) => `word${id}`));
    server = await startFirnProcess({
      home: path.join(dir, 'home'),
      env: {
        FIRN_LOAD_ROOTS: dir,
        FIRN_QUERY_MEMORY_BYTES: String(BUDGET),
        FIRN_WORKER_HEAP_BYTES: String(128 * 2 ** 20),
        FIRN_RESULT_MEMORY_BYTES: String(RESULT_MEMORY),
        FIRN_RESULT_DISK_BYTES: String(RESULT_DISK),
      },
    });
    for (const t of ['big', 'top', 'words']) {
      await postStatement(server.url, `CREATE TABLE ${t} (id INTEGER, v INTEGER, s VARCHAR)`);
      await postStatement(server.url, `COPY INTO ${t} FROM 'file://${csv}/${t}.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
    }
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const failure = (sql: string) => expectFailure(server.url, sql);

  /**
   * Runs `sql` asynchronously and polls it until it settles, checking that /healthz answers
   * at every poll; answers its final status and body.
   */
  async function pollWhileHealthy(sql: string): Promise<{ handle: string; status: number; body: Record<string, unknown>; healthz: number[] }> {
    const submitted = await fetch(`${server.url}/api/v2/statements?async=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ADMIN_AUTH_HEADERS },
      body: JSON.stringify({ statement: sql }),
    });
    expect(submitted.status).toBe(202);
    const handle = ((await submitted.json()) as { statementHandle: string }).statementHandle;
    const healthz = new Set<number>();
    for (;;) {
      healthz.add((await fetch(`${server.url}/healthz`)).status);
      const got = await fetch(`${server.url}/api/v2/statements/${handle}`, { headers: ADMIN_AUTH_HEADERS });
      const body = (await got.json()) as Record<string, unknown>;
      if (got.status !== 202) return { handle, status: got.status, body, healthz: [...healthz] };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** A result past the store's disk budget: 53200 naming the setting, and none of its files left. */
  async function expectTooLargeToKeep(sql: string): Promise<void> {
    const r = await pollWhileHealthy(sql);
    expect([r.status, r.body.code, r.body.sqlState, r.healthz]).toEqual([422, '390301', '53200', [200]]);
    expect(r.body.message).toMatch(/FIRN_RESULT_DISK_BYTES/);
    expect(existsSync(path.join(dir, 'home', 'results', r.handle))).toBe(false);
  }

  async function healthy(): Promise<void> {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await postStatement(server.url, 'SELECT COUNT(*), SUM(v) FROM big')).data).toEqual([[String(BIG), String(Array.from({ length: BIG }, (_, k) => valueOf(k + 1)).reduce((a, b) => a + b, 0))]]);
  }

  it('answers LPAD to two billion characters with 100078 / 22001, and keeps serving', async () => {
    for (const sql of ["SELECT LPAD('x', 2000000000, 'y')", "SELECT RPAD(s, 2000000000) FROM words", "SELECT LPAD('x', 10000000, 'y') || LPAD('x', 10000000, 'y')"]) {
      const f = await failure(sql);
      expect([f.status, f.code, f.sqlState]).toEqual([422, '100078', '22001']);
      expect(f.message).toMatch(/^String '\(LONG STRING\)' is too long and would be truncated/);
    }
    // Every value is within the limit; 400 of them are 6.4 GB of result text, held as one
    // dictionary string and answered one row per partition, never as one text.
    const huge = await pollWhileHealthy("SELECT LPAD('x', 16000000, 'y') FROM words");
    expect([huge.status, huge.healthz]).toEqual([200, [200]]);
    const meta = huge.body.resultSetMetaData as { numRows: number; partitionInfo: { rowCount: number }[] };
    expect(meta.numRows).toBe(400);
    expect(meta.partitionInfo.map((p) => p.rowCount)).toEqual(Array.from({ length: 400 }, () => 1));
    const value = `${'y'.repeat(15_999_999)}x`;
    expect(huge.body.data).toEqual([[value]]);
    const last = await fetch(`${server.url}/api/v2/statements/${huge.body.statementHandle as string}?partition=399`, { headers: ADMIN_AUTH_HEADERS });
    expect(await last.json()).toEqual({ data: [[value]] });
    const ok = await postStatement(server.url, "SELECT LENGTH(LPAD('x', 16777216, 'y'))");
    expect(ok.data).toEqual([['16777216']]);
    await healthy();
  });

  it('fails a statement that runs a worker out of heap with 53200, and the next statement runs', async () => {
    // 400 distinct 10-million-character strings (UPPER makes each a flat string): every value
    // is within the limit, together they are 4 GB, far past the 128 MiB worker heap.
    // The string kernels stop it before V8's limit (heap-headroom.ts): reaching the limit
    // can abort the whole process instead of ending the worker (it did on Node 24).
    const f = await failure("SELECT UPPER(LPAD(s, 10000000, '-')) FROM words");
    expect([f.status, f.code, f.sqlState]).toEqual([422, '390301', '53200']);
    expect(f.message).toMatch(/^A warehouse worker ran out of memory for the statement's strings \(\d+ MiB of its \d+ MiB heap in use, FIRN_WORKER_HEAP_BYTES\): the statement was stopped before the heap's limit$/);
    await healthy();
    const again = await failure("SELECT UPPER(LPAD(s, 10000000, '-')) FROM words");
    expect(again.sqlState).toBe('53200');
    await healthy();
  });

  it('keeps a 20k x 20k CROSS JOIN only up to the result budgets, fails it past them, and keeps serving', async () => {
    for (const sql of ['SELECT * FROM big a CROSS JOIN big b', 'SELECT a.id, b.s FROM big a, big b']) {
      await expectTooLargeToKeep(sql);
      await healthy();
    }
  });

  /** The first 10 rows of (a.id, b.id, a.v * 1000 + b.v, a.s || b.s) over the pairs of ids 1..n, by k DESC, a.id DESC, b.id. */
  function expectedTop(n: number): string[][] {
    const ids = Array.from({ length: n }, (_, k) => k + 1);
    // Some pair of the first 10 has an `a` outside the 10 best a's only if 10 pairs beat it
    // with a better `a` and the same `b`, and likewise for `b`: so 10 x 10 candidates suffice.
    const as = [...ids].sort((x, y) => valueOf(y) - valueOf(x) || y - x).slice(0, 10);
    const bs = [...ids].sort((x, y) => valueOf(y) - valueOf(x) || x - y).slice(0, 10);
    const pairs = as.flatMap((a) => bs.map((b): [number, number, number] => [a, b, valueOf(a) * 1000 + valueOf(b)]));
    pairs.sort((x, y) => y[2] - x[2] || y[0] - x[0] || x[1] - y[1]);
    return pairs.slice(0, 10).map(([a, b, k]) => [String(a), String(b), String(k), `t${a % 10}t${b % 10}`]);
  }

  it('answers ORDER BY ... LIMIT over a CROSS JOIN far larger than the budget with the right rows', async () => {
    // 25M pairs in the workers' pipeline; the budget holds a few thousand rows of this width.
    const r = await postStatement(server.url, 'SELECT a.id, b.id, a.v * 1000 + b.v AS k, a.s || b.s AS t FROM top a CROSS JOIN top b ORDER BY k DESC, a.id DESC, b.id LIMIT 10');
    expect(r.data).toEqual(expectedTop(TOP));
    const count = await postStatement(server.url, 'SELECT COUNT(*), MAX(a.v + b.v) FROM top a CROSS JOIN top b');
    expect(count.data).toEqual([[String(TOP * TOP), '1998']]);
    await healthy();
  });

  it('answers a top-N over a CROSS JOIN of two aggregates, and keeps its whole output only up to the result budgets', async () => {
    // 4M pairs of two aggregates: both sides are aggregate stages, joined in one task.
    const side = '(SELECT id, MAX(v) AS v, MAX(s) AS s FROM top WHERE id <= 2000 GROUP BY id)';
    const r = await postStatement(server.url, `SELECT a.id, b.id, a.v * 1000 + b.v AS k, a.s || b.s AS t FROM ${side} a CROSS JOIN ${side} b ORDER BY k DESC, a.id DESC, b.id LIMIT 10`);
    expect(r.data).toEqual(expectedTop(2000));
    await expectTooLargeToKeep(`SELECT * FROM ${side} a CROSS JOIN ${side} b`);
    await healthy();
  });
});
