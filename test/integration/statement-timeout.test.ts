/**
 * The SQL API's `timeout`: a statement past it fails with 000630 / SQLSTATE 57014 and, for
 * writes, commits nothing and leaves no objects behind; without a timeout (or 0) the same
 * statements succeed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { TRIPS_DDL, writeTripsCsv } from '../support/trips-data.js';
import { postRaw } from '../support/statement-http.js';

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

describe('statement timeout', () => {
  let dir: string;
  let server: FirnProcess;
  const csv = () => `file://${dir}/csv/trips_*.csv`;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-timeout-'));
    writeTripsCsv(path.join(dir, 'csv'), 1, 3_000, 5);
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_PARTITION_ROWS: '1000' } });
    await postStatement(server.url, TRIPS_DDL);
    await postStatement(server.url, `COPY INTO trips FROM '${csv()}' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
    await postStatement(server.url, TRIPS_DDL.replace('trips', 'copies'));
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (statement: string, timeout?: number) => postRaw(server.url, statement, timeout);

  const SLOW = 'SELECT COUNT(*) FROM trips a, trips b WHERE a.fare < b.fare';

  it('cancels a query past its timeout with 000630 / 57014', async () => {
    const r = await post(SLOW, 0.001);
    // Snowflake's SQL API answers a statement canceled at its timeout with 408.
    expect(r.status).toBe(408);
    expect(r.body.code).toBe('000630');
    expect(r.body.sqlState).toBe('57014');
    expect(r.body.message).toBe('Statement reached its statement or warehouse timeout of 0.001 second(s) and was canceled.');
  });

  it('runs the same query to the end without a timeout, or with 0 (no limit)', async () => {
    for (const timeout of [undefined, 0, 600]) {
      const r = await post(SLOW, timeout);
      expect(r.status).toBe(200);
      expect(Number((r.body.data as string[][])[0][0])).toBeGreaterThan(1_000_000);
    }
  });

  it('commits nothing and leaves no objects when a write passes its timeout', async () => {
    const before = files(path.join(dir, 'home', 'data')).length;
    for (const sql of [
      `COPY INTO copies FROM '${csv()}' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`,
      'INSERT INTO copies SELECT * FROM trips',
      'CREATE TABLE made AS SELECT * FROM trips',
    ]) {
      const r = await post(sql, 0.001);
      expect(r.body.code, sql).toBe('000630');
    }
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM copies')).data).toEqual([['0']]);
    const made = await post('SELECT COUNT(*) FROM made');
    expect(made.body.code).toBe('002003');
    expect(files(path.join(dir, 'home', 'data')).length).toBe(before);
    const ok = await post('INSERT INTO copies SELECT * FROM trips', 600);
    expect(ok.status).toBe(200);
    expect((await postStatement(server.url, 'SELECT COUNT(*) FROM copies')).data).toEqual([['3000']]);
  });
});
