/**
 * A query whose join or aggregation hash table or sort would pass the query memory budget fails with a
 * clear resource error (SQLSTATE 53200) instead of taking the server down, and the next
 * queries run normally.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { TRIPS_DDL, writeTripsCsv } from '../support/trips-data.js';
import { expectFailure } from '../support/statement-http.js';

describe('query memory budget', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-mem-'));
    writeTripsCsv(path.join(dir, 'csv'), 1, 20_000, 3);
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_QUERY_MEMORY_BYTES: '300000' } });
    await postStatement(server.url, TRIPS_DDL);
    await postStatement(server.url, `COPY INTO trips FROM 'file://${dir}/csv/trips_00.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const failure = (sql: string) => expectFailure(server.url, sql);

  it('refuses a join whose build side passes the budget', async () => {
    const f = await failure('SELECT COUNT(*) FROM trips a JOIN trips b ON a.city = b.city AND a.id <> b.id');
    expect(f.sqlState).toBe('53200');
    expect(f.message).toMatch(/memory/i);
  });

  it('refuses a sort that passes the budget', async () => {
    const f = await failure('SELECT id, note, ts, fare FROM trips ORDER BY note, ts');
    expect(f.sqlState).toBe('53200');
  });

  it('refuses a GROUP BY whose hash table passes the budget, over a scan and over a join', async () => {
    const f = await failure('SELECT id, COUNT(*) FROM trips GROUP BY id');
    expect(f.sqlState).toBe('53200');
    expect(f.message).toMatch(/Aggregation exceeded its memory budget/);
    const g = await failure('SELECT x, COUNT(*) FROM (SELECT a.id + b.id AS x FROM trips a JOIN trips b ON a.id = b.id) GROUP BY x');
    expect(g.sqlState).toBe('53200');
    const few = await postStatement(server.url, 'SELECT paid, COUNT(*) FROM trips GROUP BY paid');
    expect(few.data.length).toBe(3);
  });

  it('keeps serving other queries', async () => {
    const r = await postStatement(server.url, 'SELECT COUNT(*) FROM trips WHERE id <= 10');
    expect(r.data).toEqual([['10']]);
    const top = await postStatement(server.url, 'SELECT id FROM trips ORDER BY fare DESC NULLS LAST, id LIMIT 3');
    expect(top.data.length).toBe(3);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
