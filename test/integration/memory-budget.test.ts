/**
 * The query memory budget bounds every operator's state (issue 8, point 4): past it, a join's
 * hash table, a sort and a GROUP BY's hash table spill to the warehouse's disk and the query
 * completes (stats.bytesSpilled > 0); only past the spill disk budget (FIRN_QUERY_SPILL_BYTES)
 * does it fail with a clear resource error (SQLSTATE 53200), and the next queries run normally.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';
import { TRIPS_DDL, writeTripsCsv } from '../support/trips-data.js';
import { expectFailure } from '../support/statement-http.js';

const JOIN = 'SELECT COUNT(*) FROM trips a JOIN trips b ON a.city = b.city AND a.id <> b.id';
const SORT = 'SELECT id, note, ts, fare FROM trips ORDER BY note, ts';
const GROUP = 'SELECT id, COUNT(*) FROM trips GROUP BY id';
const GROUP_JOIN = 'SELECT x, COUNT(*) FROM (SELECT a.id + b.id AS x FROM trips a JOIN trips b ON a.id = b.id) GROUP BY x';

describe('query memory budget', () => {
  let dir: string;
  /** Spills freely. */
  let server: FirnProcess;
  /** May spill almost nothing. */
  let tight: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-mem-'));
    writeTripsCsv(path.join(dir, 'csv'), 1, 20_000, 3);
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_LOAD_ROOTS: dir, FIRN_QUERY_MEMORY_BYTES: '300000' } });
    tight = await startFirnProcess({ home: path.join(dir, 'tight'), env: { FIRN_LOAD_ROOTS: dir, FIRN_QUERY_MEMORY_BYTES: '300000', FIRN_QUERY_SPILL_BYTES: '4096' } });
    for (const s of [server, tight]) {
      await postStatement(s.url, TRIPS_DDL);
      await postStatement(s.url, `COPY INTO trips FROM 'file://${dir}/csv/trips_00.csv' FILE_FORMAT = (TYPE = CSV SKIP_HEADER = 1)`);
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await tight?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const spilled = (r: { stats: unknown }) => (r.stats as { bytesSpilled: number }).bytesSpilled;

  it('completes a sort and GROUP BYs past the memory budget by spilling, and a join within it', async () => {
    const join = await postStatement(server.url, JOIN);
    expect(Number(join.data[0][0])).toBeGreaterThan(0);
    const sort = await postStatement(server.url, SORT);
    expect(sort.data.length).toBe(20_000);
    const group = await postStatement(server.url, GROUP);
    expect(group.data.length).toBe(20_000);
    const groupJoin = await postStatement(server.url, GROUP_JOIN);
    expect(groupJoin.data.length).toBe(20_000);
    // The join's build side fits the task's share; the sort and both aggregates do not.
    expect(spilled(join)).toBe(0);
    for (const r of [sort, group, groupJoin]) expect(spilled(r)).toBeGreaterThan(0);
  }, 120_000);

  it('fails with 53200 past the spill disk budget', async () => {
    for (const sql of [SORT, GROUP, GROUP_JOIN]) {
      const f = await expectFailure(tight.url, sql);
      expect([f.status, f.sqlState]).toEqual([422, '53200']);
    }
    const few = await postStatement(tight.url, 'SELECT paid, COUNT(*) FROM trips GROUP BY paid');
    expect(few.data.length).toBe(3);
  }, 120_000);

  it('keeps serving other queries', async () => {
    const r = await postStatement(tight.url, 'SELECT COUNT(*) FROM trips WHERE id <= 10');
    expect(r.data).toEqual([['10']]);
    const top = await postStatement(tight.url, 'SELECT id FROM trips ORDER BY fare DESC NULLS LAST, id LIMIT 3');
    expect(top.data.length).toBe(3);
    expect((await fetch(`${tight.url}/healthz`)).status).toBe(200);
  });
});
