/**
 * No statement takes the server down (issue 7, points 9 and 12), over real HTTP against a
 * real server process with a small query memory budget and a small worker heap:
 *  - a string function whose result would pass 16 MiB characters answers 100078 / 22001 at
 *    once, even when constant folding meets it on the main thread;
 *  - a statement that runs a warehouse worker out of heap answers 53200, and the next
 *    statement runs on a replaced worker;
 *  - an answer far larger than FIRN_QUERY_MEMORY_BYTES (6.4 GB of text, a 400M-row CROSS
 *    join) streams to the client in bounded pieces (issue 8: results stream, as Snowflake's
 *    come in partitions) while the server keeps answering; a client that disconnects cancels
 *    it, and the next statement runs; ORDER BY ... LIMIT over the same kind of join answers
 *    the right rows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH_HEADERS, startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { expectFailure } from '../support/statement-http.js';

const BUDGET = 4 * 2 ** 20;
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
      env: { FIRN_LOAD_ROOTS: dir, FIRN_QUERY_MEMORY_BYTES: String(BUDGET), FIRN_WORKER_HEAP_BYTES: String(128 * 2 ** 20) },
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
   * Posts `sql`, reads its streamed answer until 4 MiB arrived while checking that /healthz
   * answers meanwhile, then disconnects (which cancels the statement).
   */
  async function streamThenDisconnect(sql: string): Promise<{ status: number; head: string; healthz: number }> {
    const controller = new AbortController();
    const res = await fetch(`${server.url}/api/v2/statements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ADMIN_AUTH_HEADERS },
      body: JSON.stringify({ statement: sql }),
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    let received = 0;
    let head = '';
    const reading = (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          if (head.length < 64) head += new TextDecoder().decode(value.subarray(0, 64));
          received += value.length;
        }
      } catch {
        // the abort below ends the read
      }
    })();
    while (received < 4 << 20) await new Promise((resolve) => setTimeout(resolve, 10));
    const healthz = (await fetch(`${server.url}/healthz`)).status;
    controller.abort();
    await reading;
    return { status: res.status, head, healthz };
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
    // Every value is within the limit; 400 of them are 6.4 GB of result text, which streams.
    const huge = await streamThenDisconnect("SELECT LPAD('x', 16000000, 'y') FROM words");
    expect(huge).toEqual({ status: 200, head: expect.stringMatching(/^\{"data":\[\["yyyy/), healthz: 200 });
    const ok = await postStatement(server.url, "SELECT LENGTH(LPAD('x', 16777216, 'y'))");
    expect(ok.data).toEqual([['16777216']]);
    await healthy();
  });

  it('fails a statement that runs a worker out of heap with 53200, and the next statement runs', async () => {
    // 400 distinct 10-million-character strings (UPPER makes each a flat string): every value
    // is within the limit, together they are 4 GB, far past the 128 MiB worker heap.
    const f = await failure("SELECT UPPER(LPAD(s, 10000000, '-')) FROM words");
    expect([f.status, f.sqlState]).toEqual([422, '53200']);
    expect(f.message).toMatch(/ran out of memory/);
    await healthy();
    const again = await failure("SELECT UPPER(LPAD(s, 10000000, '-')) FROM words");
    expect(again.sqlState).toBe('53200');
    await healthy();
  });

  it('streams a 20k x 20k CROSS JOIN far past the memory budget, stops it when the client leaves, and keeps serving', async () => {
    for (const sql of ['SELECT * FROM big a CROSS JOIN big b', 'SELECT a.id, b.s FROM big a, big b']) {
      const r = await streamThenDisconnect(sql);
      expect(r).toEqual({ status: 200, head: expect.stringMatching(/^\{"data":\[\["/), healthz: 200 });
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

  it('answers a top-N over a CROSS JOIN of two aggregates, and streams its whole output', async () => {
    // 4M pairs of two aggregates: both sides are aggregate stages, joined in one task.
    const side = '(SELECT id, MAX(v) AS v, MAX(s) AS s FROM top WHERE id <= 2000 GROUP BY id)';
    const r = await postStatement(server.url, `SELECT a.id, b.id, a.v * 1000 + b.v AS k, a.s || b.s AS t FROM ${side} a CROSS JOIN ${side} b ORDER BY k DESC, a.id DESC, b.id LIMIT 10`);
    expect(r.data).toEqual(expectedTop(2000));
    const whole = await streamThenDisconnect(`SELECT * FROM ${side} a CROSS JOIN ${side} b`);
    expect(whole).toEqual({ status: 200, head: expect.stringMatching(/^\{"data":\[\["/), healthz: 200 });
    await healthy();
  });
});
