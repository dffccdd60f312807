/**
 * The warehouse lifecycle over the real server and HTTP: SHOW WAREHOUSES with Snowflake's
 * columns, true states and Firn's two worker columns (the size's node count, and the workers a
 * cluster runs under FIRN_MAX_WORKERS_PER_CLUSTER); properties that survive a restart;
 * SUSPEND, auto-resume by a query (with the cluster and size in its stats) or Snowflake's
 * 000606 without AUTO_RESUME; AUTO_SUSPEND; live resize; RENAME keeping the warehouse's cache
 * directory (named by id); DESCRIBE WAREHOUSE.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement, type StatementBody } from '../support/post-statement.js';

const SHOW_COLUMNS = [
  'name', 'state', 'type', 'size', 'min_cluster_count', 'max_cluster_count', 'started_clusters', 'running', 'queued',
  'is_default', 'is_current', 'auto_suspend', 'auto_resume', 'available', 'provisioning', 'quiescing', 'other',
  'created_on', 'resumed_on', 'updated_on', 'owner', 'comment', 'enable_query_acceleration', 'query_acceleration_max_scale_factor',
  'resource_monitor', 'actives', 'pendings', 'failed', 'suspended', 'uuid', 'scaling_policy', 'nodes_per_cluster', 'workers_per_cluster',
];

describe('warehouse lifecycle over HTTP', () => {
  let dir: string;
  let server: FirnProcess;
  const env = { FIRN_MAX_WORKERS_PER_CLUSTER: '2' };
  const sql = (statement: string, warehouse: string | null = null) => postStatement(server.url, statement, { warehouse });

  /** SHOW WAREHOUSES' row of `name`, by column. */
  async function show(name: string): Promise<Record<string, string | null>> {
    const r = await sql(`SHOW WAREHOUSES LIKE '${name}'`);
    expect(r.data).toHaveLength(1);
    return Object.fromEntries(r.resultSetMetaData.rowType.map((c, i) => [c.name, r.data[0][i]]));
  }

  const pick = (row: Record<string, string | null>, ...cols: string[]) => cols.map((c) => row[c]);
  const stats = (r: StatementBody) => (r as unknown as { stats: { warehouse: string; warehouseSize: string; cluster: number; queuedMs: number } }).stats;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-wh-life-'));
    server = await startFirnProcess({ home: path.join(dir, 'home'), env });
    await sql('CREATE TABLE t (id INTEGER)');
    await sql('INSERT INTO t VALUES (1), (2), (3)');
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows Snowflake\'s columns, the true state and the workers per cluster', async () => {
    const r = await sql('SHOW WAREHOUSES');
    expect(r.resultSetMetaData.rowType.map((c) => c.name)).toEqual(SHOW_COLUMNS);
    const wh = await show('COMPUTE_WH');
    expect(pick(wh, 'name', 'state', 'type', 'size', 'min_cluster_count', 'max_cluster_count', 'started_clusters', 'running', 'queued')).toEqual([
      'COMPUTE_WH', 'STARTED', 'STANDARD', 'XSMALL', '1', '1', '1', '0', '0',
    ]);
    expect(pick(wh, 'is_default', 'is_current', 'auto_suspend', 'auto_resume', 'scaling_policy', 'comment', 'nodes_per_cluster', 'workers_per_cluster')).toEqual([
      'Y', 'Y', '600', 'true', 'STANDARD', '', '1', '1',
    ]);
    expect(wh.resumed_on).not.toBeNull();

    await sql(
      "CREATE WAREHOUSE big_wh WITH WAREHOUSE_SIZE = X6LARGE INITIALLY_SUSPENDED = TRUE AUTO_SUSPEND = NULL AUTO_RESUME = FALSE MIN_CLUSTER_COUNT = 1 MAX_CLUSTER_COUNT = 3 SCALING_POLICY = ECONOMY COMMENT = 'nightly'",
    );
    const big = await show('BIG_WH');
    expect(pick(big, 'state', 'size', 'max_cluster_count', 'started_clusters', 'auto_suspend', 'auto_resume', 'scaling_policy', 'comment', 'resumed_on')).toEqual([
      'SUSPENDED', 'X6LARGE', '3', '0', null, 'false', 'ECONOMY', 'nightly', null,
    ]);
    expect(pick(big, 'nodes_per_cluster', 'workers_per_cluster')).toEqual(['512', '2']);
    expect(pick(big, 'is_default', 'is_current')).toEqual(['N', 'N']);
    // is_default follows the user's DEFAULT_WAREHOUSE (ADMIN has none: Firn's COMPUTE_WH), which
    // a request naming no warehouse also starts in.
    await sql('ALTER USER admin SET DEFAULT_WAREHOUSE = big_wh');
    try {
      expect(pick(await show('BIG_WH'), 'is_default', 'is_current')).toEqual(['Y', 'Y']);
      expect(pick(await show('COMPUTE_WH'), 'is_default', 'is_current')).toEqual(['N', 'N']);
    } finally {
      await sql('ALTER USER admin UNSET DEFAULT_WAREHOUSE');
    }
    expect(pick(await show('BIG_WH'), 'is_default')).toEqual(['N']);
    const d = await sql('DESCRIBE WAREHOUSE big_wh');
    expect(d.resultSetMetaData.rowType.map((c) => c.name)).toEqual(['created_on', 'name', 'kind']);
    expect(d.data.map((row) => row.slice(1))).toEqual([['BIG_WH', 'WAREHOUSE']]);
  });

  it('suspends, fails a query without AUTO_RESUME (000606) and resumes for one with it', async () => {
    await sql('CREATE WAREHOUSE manual_wh AUTO_RESUME = FALSE');
    await sql('ALTER WAREHOUSE manual_wh SUSPEND');
    expect(pick(await show('MANUAL_WH'), 'state', 'started_clusters')).toEqual(['SUSPENDED', '0']);
    await expect(sql('SELECT COUNT(*) FROM t WHERE id > 1', 'MANUAL_WH')).rejects.toMatchObject({
      code: '000606',
      sqlState: '57P03',
      message: "Warehouse 'MANUAL_WH' is suspended. Use 'alter warehouse MANUAL_WH resume;' command if you need to use it again.",
    });
    // Answers from metadata need no warehouse, as in Snowflake: the zone maps' COUNT(*) and a
    // constant run in services, and the warehouse stays suspended.
    for (const q of ['SELECT COUNT(*) FROM t', 'SELECT 1 + 1']) {
      const m = await sql(q, 'MANUAL_WH');
      expect(m.data).toEqual([[q === 'SELECT 1 + 1' ? '2' : '3']]);
      expect(stats(m)).toMatchObject({ warehouse: null, cluster: null, warehouseSize: null });
    }
    expect(pick(await show('MANUAL_WH'), 'state', 'started_clusters')).toEqual(['SUSPENDED', '0']);
    await sql('ALTER WAREHOUSE manual_wh SET AUTO_RESUME = TRUE');
    const r = await sql('SELECT id FROM t WHERE id > 1 ORDER BY id', 'MANUAL_WH');
    expect(r.data).toEqual([['2'], ['3']]);
    expect(stats(r)).toMatchObject({ warehouse: 'MANUAL_WH', warehouseSize: 'XSMALL', cluster: 1, queuedMs: 0 });
    expect(pick(await show('MANUAL_WH'), 'state', 'started_clusters', 'auto_resume')).toEqual(['STARTED', '1', 'true']);
  });

  it('resizes a started warehouse live and runs the next query at the new size', async () => {
    await sql('CREATE WAREHOUSE grow_wh');
    await sql('ALTER WAREHOUSE grow_wh SET WAREHOUSE_SIZE = SMALL WAIT_FOR_COMPLETION = TRUE');
    expect(pick(await show('GROW_WH'), 'state', 'size', 'nodes_per_cluster', 'workers_per_cluster')).toEqual(['STARTED', 'SMALL', '2', '2']);
    const r = await sql('SELECT id FROM t ORDER BY id', 'GROW_WH');
    expect(r.data).toEqual([['1'], ['2'], ['3']]);
    expect(stats(r)).toMatchObject({ warehouse: 'GROW_WH', warehouseSize: 'SMALL', cluster: 1 });
  });

  it('suspends itself after AUTO_SUSPEND idle seconds', async () => {
    await sql('CREATE WAREHOUSE nap_wh AUTO_SUSPEND = 1');
    await sql('SELECT COUNT(*) FROM t', 'NAP_WH');
    await vi.waitFor(async () => expect((await show('NAP_WH')).state).toBe('SUSPENDED'), { timeout: 5000, interval: 100 });
  });

  it('renames a warehouse, keeping its id and so its cache directory', async () => {
    await sql('CREATE WAREHOUSE old_wh');
    await sql('SELECT COUNT(*) FROM t WHERE id > 0', 'OLD_WH');
    const id = (await show('OLD_WH')).uuid!;
    const cache = path.join(dir, 'home', 'cache', `warehouse-${id}`);
    await sql('ALTER WAREHOUSE old_wh RENAME TO new_wh');
    expect(pick(await show('NEW_WH'), 'uuid', 'state')).toEqual([id, 'STARTED']);
    expect((await sql("SHOW WAREHOUSES LIKE 'OLD_WH'")).data).toEqual([]);
    expect((await sql('SELECT COUNT(*) FROM t WHERE id > 0', 'NEW_WH')).data).toEqual([['3']]);
    expect(existsSync(cache)).toBe(true);
  });

  it('keeps properties and states across a restart', async () => {
    await sql("ALTER WAREHOUSE grow_wh SET MAX_CONCURRENCY_LEVEL = 3 COMMENT = 'kept'");
    await server.stop();
    server = await startFirnProcess({ home: path.join(dir, 'home'), env });
    expect(pick(await show('BIG_WH'), 'state', 'size', 'auto_resume', 'scaling_policy', 'comment')).toEqual(['SUSPENDED', 'X6LARGE', 'false', 'ECONOMY', 'nightly']);
    expect(pick(await show('GROW_WH'), 'state', 'size', 'started_clusters', 'comment')).toEqual(['STARTED', 'SMALL', '1', 'kept']);
    expect(pick(await show('NAP_WH'), 'state', 'auto_suspend')).toEqual(['SUSPENDED', '1']);
    await sql('ALTER WAREHOUSE grow_wh UNSET COMMENT, WAREHOUSE_SIZE');
    expect(pick(await show('GROW_WH'), 'size', 'comment')).toEqual(['XSMALL', '']);
  });
});
