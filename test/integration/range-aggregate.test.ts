/**
 * Range-assigned aggregation (services/physical/range-assignment.ts) on a real server: a
 * table written in key order into 4-row partitions, where most keys' rows straddle a
 * partition boundary (max of one partition = min of the next). On SMALL (2 workers) and
 * MEDIUM (4 workers) a GROUP BY of that key runs in one phase in the scan stage, its
 * partitions assigned to tasks by ranges without splitting a key, and answers exactly what
 * the rows say: one row per key, none split across tasks. The same query after a runtime
 * filter pruned some partitions, and on a column stored out of order, answers alike. The
 * table is tiny, so the planner's one-task plans for small scans are off (FIRN_SMALL_SCAN_ROWS=0).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

const ROWS = 90;
/** Row i: K = floor(i / 3) (3 rows per key, 4 rows per partition), V = i, S = 'k' + K (text order differs from K's), R = (i * 37) % 90 (out of order). */
const row = (i: number) => ({ k: Math.floor(i / 3), v: i, r: (i * 37) % ROWS });

describe('range-assigned aggregation', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-range-agg-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env: { FIRN_PARTITION_ROWS: '4', FIRN_MAX_WORKERS_PER_CLUSTER: '4', FIRN_SMALL_SCAN_ROWS: '0' } });
    await postStatement(server.url, 'CREATE TABLE t (k INTEGER, v INTEGER, r INTEGER)');
    const values = Array.from({ length: ROWS }, (_, i) => row(i)).map((x) => `(${x.k}, ${x.v}, ${x.r})`);
    await postStatement(server.url, `INSERT INTO t VALUES ${values.join(', ')}`);
    await postStatement(server.url, 'CREATE TABLE keys (k INTEGER)');
    await postStatement(server.url, 'INSERT INTO keys VALUES (2), (3), (17), (18)');
    await postStatement(server.url, 'CREATE WAREHOUSE TWO WAREHOUSE_SIZE = SMALL');
    await postStatement(server.url, 'CREATE WAREHOUSE FOUR WAREHOUSE_SIZE = MEDIUM');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const warehouse of ['TWO', 'FOUR']) {
    it(`${warehouse}: one row per key, with every row of it`, async () => {
      const sql = 'SELECT k, COUNT(*), SUM(v), MIN(v), COUNT(DISTINCT r) FROM t GROUP BY k ORDER BY k';
      const plan = await postStatement(server.url, `EXPLAIN ${sql}`, { warehouse });
      const text = plan.data!.map((r) => r[0]).join('\n');
      expect(text).toContain('assigned by ranges of K');
      expect(text).toContain('HashAggregateExec phase=single');
      expect(text).not.toContain('phase=partial');
      const body = await postStatement(server.url, sql, { warehouse });
      const expected = Array.from({ length: ROWS / 3 }, (_, k) => [String(k), '3', String(9 * k + 3), String(3 * k), '3']);
      expect(body.data).toEqual(expected);
    });

    it(`${warehouse}: after a runtime filter pruned partitions, and grouped by a column out of order`, async () => {
      const filtered = await postStatement(server.url, 'SELECT t.k, COUNT(*), SUM(t.v) FROM t JOIN keys ON t.k = keys.k GROUP BY t.k ORDER BY t.k', { warehouse });
      expect(filtered.data).toEqual([2, 3, 17, 18].map((k) => [String(k), '3', String(9 * k + 3)]));
      const outOfOrder = await postStatement(server.url, 'EXPLAIN SELECT r, COUNT(*) FROM t GROUP BY r', { warehouse });
      expect(outOfOrder.data!.map((r) => r[0]).join('\n')).not.toContain('assigned by ranges');
      const byR = await postStatement(server.url, 'SELECT COUNT(*), SUM(c) FROM (SELECT r, COUNT(*) AS c FROM t GROUP BY r)', { warehouse });
      expect(byR.data).toEqual([[String(ROWS), String(ROWS)]]);
    });
  }
});
