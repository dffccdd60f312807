/**
 * Warehouse scheduling through the engine (in process, real SQLite catalog, real worker
 * threads from dist/): a statement holds its cluster from admission until it ends — a query
 * until its stream is read — so SUSPEND lets it finish first and a live resize never moves or
 * fails it; MAX_CONCURRENCY_LEVEL queues statements in arrival order (queue time in stats);
 * STATEMENT_QUEUED_TIMEOUT_IN_SECONDS, STATEMENT_TIMEOUT_IN_SECONDS (the smaller of the
 * warehouse's and the request's) and ABORT ALL QUERIES cancel for real: a DML paused by the
 * test hooks right before its commit never commits. The warehouse's state is read with SHOW
 * WAREHOUSES, as a user would. The result cache is off: a repeated query must run to hold a cluster.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../services/config.js';
import type { DmlHooks } from '../../services/session/engine-env.js';
import { DEFAULT_CONTEXT, FirnEngine } from '../../services/session/firn-engine.js';
import { SYSTEM_IDENTITY } from '../../services/access/identity.js';
import type { StatementResult } from '../../services/session/statement-result.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import type { Scalar } from '../../storage/types/scalar.js';

describe('warehouse scheduling', () => {
  let dir: string;
  let engine: FirnEngine;
  /** DML statements (by query id) held at their commit until the test lets them go. */
  const held = new Map<string, { reached: () => void; go: Promise<void> }>();

  const hooks: DmlHooks = {
    beforeCommit: async (queryId) => {
      const h = held.get(queryId);
      if (!h) return;
      h.reached();
      await h.go;
    },
  };

  /** A query id whose DML pauses before its commit: `reached` resolves there, `release()` lets it commit. */
  function pausedAtCommit(): { queryId: string; reached: Promise<void>; release: () => void } {
    const queryId = randomUUID();
    let reached!: () => void;
    let release!: () => void;
    const reachedP = new Promise<void>((r) => (reached = r));
    const go = new Promise<void>((r) => (release = r));
    held.set(queryId, { reached, go });
    return { queryId, reached: reachedP, release };
  }

  const exec = (sql: string, opts: { queryId?: string; timeout?: number } = {}) =>
    engine.execute({ sql, context: DEFAULT_CONTEXT, identity: SYSTEM_IDENTITY, queryId: opts.queryId ?? randomUUID(), timeout: opts.timeout ?? null });

  /** The rows of an answer, its stream read to the end. */
  async function rows(r: StatementResult): Promise<Scalar[][]> {
    const batches = r.stream ? [] : [r.batch];
    if (r.stream) for await (const b of r.stream) batches.push(b);
    const out: Scalar[][] = [];
    for (const b of batches) for (let i = 0; i < b.length; i++) out.push(r.columns.map((c, j) => scalarAt(b.columns[j], i, c.type)));
    return out;
  }

  /** SHOW WAREHOUSES' row of COMPUTE_WH, by column name. */
  async function show(): Promise<Record<string, Scalar>> {
    const r = await exec("SHOW WAREHOUSES LIKE 'COMPUTE_WH'");
    const [row] = await rows(r);
    return Object.fromEntries(r.columns.map((c, i) => [c.name, row[i]]));
  }

  const status = async () => {
    const s = await show();
    return { state: s.state, size: s.size, started_clusters: s.started_clusters, running: s.running, queued: s.queued };
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-wh-sched-'));
    engine = await FirnEngine.open(loadConfig({ FIRN_HOME: path.join(dir, 'home'), FIRN_MAX_WORKERS_PER_CLUSTER: '2', FIRN_COMPACT_INTERVAL_SECONDS: '0', FIRN_RESULT_CACHE_BYTES: '0' }), { hooks });
    await exec('CREATE TABLE t (id INTEGER, v VARCHAR)');
    await exec("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds a query\'s cluster until its stream is read: SUSPEND lets it finish, then frees the workers; the next query resumes it', async () => {
    const a = await exec('SELECT id, v FROM t ORDER BY id');
    expect(await status()).toEqual({ state: 'STARTED', size: 'XSMALL', started_clusters: 1n, running: 1n, queued: 0n });
    await exec('ALTER WAREHOUSE COMPUTE_WH SUSPEND');
    expect(await status()).toEqual({ state: 'STARTED', size: 'XSMALL', started_clusters: 1n, running: 1n, queued: 0n });
    expect(await rows(a)).toEqual([[1n, 'a'], [2n, 'b'], [3n, 'c']]);
    expect([a.stats.warehouseSize, a.stats.cluster, a.stats.queuedMs]).toEqual(['XSMALL', 1, 0]);
    expect(await status()).toEqual({ state: 'SUSPENDED', size: 'XSMALL', started_clusters: 0n, running: 0n, queued: 0n });
    const b = await exec('SELECT COUNT(*) FROM t WHERE id > 0');
    expect(await rows(b)).toEqual([[3n]]);
    expect(await status()).toEqual({ state: 'STARTED', size: 'XSMALL', started_clusters: 1n, running: 0n, queued: 0n });
    expect((await show()).resumed_on).not.toBeNull();
  });

  it('resizes live: a streaming query finishes on the workers it started on, new ones use the new size, none fails', async () => {
    const before = await exec('SELECT id FROM t ORDER BY id');
    const resized = await exec('ALTER WAREHOUSE COMPUTE_WH SET WAREHOUSE_SIZE = MEDIUM WAIT_FOR_COMPLETION = TRUE');
    expect(await rows(resized)).toEqual([['Statement executed successfully.']]);
    const s = await show();
    expect([s.state, s.size, s.running, s.nodes_per_cluster, s.workers_per_cluster]).toEqual(['STARTED', 'MEDIUM', 1n, 4n, 2n]);
    const after = await exec('SELECT id FROM t ORDER BY id');
    expect(await rows(after)).toEqual([[1n], [2n], [3n]]);
    expect(after.stats.warehouseSize).toBe('MEDIUM');
    expect(await rows(before)).toEqual([[1n], [2n], [3n]]);
    expect(before.stats.warehouseSize).toBe('XSMALL');
    await exec('ALTER WAREHOUSE COMPUTE_WH SET WAREHOUSE_SIZE = XSMALL WAIT_FOR_COMPLETION = TRUE');
  });

  it('queues past MAX_CONCURRENCY_LEVEL in arrival order and reports the queue time', async () => {
    await exec('ALTER WAREHOUSE COMPUTE_WH SET MAX_CONCURRENCY_LEVEL = 1');
    try {
      const first = await exec('SELECT id FROM t WHERE id = 1');
      // A statement joins the queue once parsed and planned: the third is sent only after the
      // second queued, so the order the test reads them in is their arrival order.
      const second = exec('SELECT id FROM t WHERE id = 2');
      await vi.waitFor(async () => expect(await status()).toMatchObject({ running: 1n, queued: 1n }), { timeout: 5000, interval: 20 });
      const third = exec('SELECT id FROM t WHERE id = 3');
      await vi.waitFor(async () => expect(await status()).toMatchObject({ running: 1n, queued: 2n }), { timeout: 5000, interval: 20 });
      await new Promise((r) => setTimeout(r, 50));
      expect(await rows(first)).toEqual([[1n]]);
      const s2 = await second;
      expect(await status()).toMatchObject({ running: 1n, queued: 1n });
      expect(await rows(s2)).toEqual([[2n]]);
      const s3 = await third;
      expect(await rows(s3)).toEqual([[3n]]);
      expect(s2.stats.queuedMs).toBeGreaterThanOrEqual(50);
      expect(s3.stats.queuedMs).toBeGreaterThanOrEqual(50);
      expect(first.stats.queuedMs).toBe(0);
    } finally {
      await exec('ALTER WAREHOUSE COMPUTE_WH UNSET MAX_CONCURRENCY_LEVEL');
    }
  });

  it('starts a second cluster under STANDARD as soon as a statement would queue', async () => {
    await exec('CREATE WAREHOUSE multi_wh MAX_CONCURRENCY_LEVEL = 1 MAX_CLUSTER_COUNT = 2');
    const on = (sql: string) => engine.execute({ sql, context: { ...DEFAULT_CONTEXT, warehouse: 'MULTI_WH' }, identity: SYSTEM_IDENTITY, queryId: randomUUID() });
    const a = await on('SELECT id FROM t WHERE id = 1');
    const b = await on('SELECT id FROM t WHERE id = 2');
    const shown = await exec("SHOW WAREHOUSES LIKE 'MULTI_WH'");
    const [row] = await rows(shown);
    const col = (name: string) => row[shown.columns.findIndex((c) => c.name === name)];
    expect([col('started_clusters'), col('running'), col('queued'), col('max_cluster_count')]).toEqual([2n, 2n, 0n, 2n]);
    expect([await rows(a), await rows(b)]).toEqual([[[1n]], [[2n]]]);
    expect([a.stats.cluster, b.stats.cluster]).toEqual([1, 2]);
    await exec('DROP WAREHOUSE multi_wh');
  });

  it('fails a statement queued past STATEMENT_QUEUED_TIMEOUT_IN_SECONDS with 000630', async () => {
    await exec('ALTER WAREHOUSE COMPUTE_WH SET MAX_CONCURRENCY_LEVEL = 1 STATEMENT_QUEUED_TIMEOUT_IN_SECONDS = 1');
    try {
      const first = await exec('SELECT id FROM t WHERE id = 1');
      await expect(exec('SELECT id FROM t WHERE id = 2')).rejects.toMatchObject({
        code: '000630',
        sqlState: '57014',
        message: 'Statement reached its statement or warehouse queued timeout of 1 second(s) and was canceled.',
      });
      expect(await rows(first)).toEqual([[1n]]);
    } finally {
      await exec('ALTER WAREHOUSE COMPUTE_WH UNSET MAX_CONCURRENCY_LEVEL, STATEMENT_QUEUED_TIMEOUT_IN_SECONDS');
    }
  });

  it('grants a statement alone the whole FIRN_QUERY_MEMORY_BYTES, and one running beside another half of what is left', async () => {
    const perStatement = Math.floor(os.totalmem() * 0.25);
    const total = Math.floor(os.totalmem() * 0.5);
    const alone = await exec('SELECT COUNT(*) FROM t WHERE id > 0');
    expect(await rows(alone)).toEqual([[3n]]);
    expect(alone.stats.memoryBytes).toBe(perStatement);
    const p = pausedAtCommit();
    const update = exec("UPDATE t SET v = v WHERE id = 1", { queryId: p.queryId });
    await p.reached;
    const beside = await exec('SELECT COUNT(*) FROM t WHERE id > 1');
    expect(await rows(beside)).toEqual([[2n]]);
    expect(beside.stats.memoryBytes).toBe(Math.floor((total - perStatement) / 2));
    p.release();
    expect((await update).stats.memoryBytes).toBe(perStatement);
    const after = await exec('SELECT COUNT(*) FROM t WHERE id > 2');
    expect(await rows(after)).toEqual([[1n]]);
    expect(after.stats.memoryBytes).toBe(perStatement);
  });

  it('ABORT ALL QUERIES cancels a running DML (it never commits) and the queued statements', async () => {
    await exec('ALTER WAREHOUSE COMPUTE_WH SET MAX_CONCURRENCY_LEVEL = 1');
    try {
      const p = pausedAtCommit();
      const update = exec("UPDATE t SET v = 'aborted'", { queryId: p.queryId });
      update.catch(() => {});
      await p.reached;
      const queued = exec('SELECT COUNT(*) FROM t WHERE id > 0');
      queued.catch(() => {});
      await vi.waitFor(async () => expect(await status()).toMatchObject({ running: 1n, queued: 1n }), { timeout: 5000, interval: 20 });
      await exec('ALTER WAREHOUSE COMPUTE_WH ABORT ALL QUERIES');
      await expect(queued).rejects.toMatchObject({ code: '000604', message: 'SQL execution canceled' });
      p.release();
      await expect(update).rejects.toMatchObject({ code: '000604', message: 'SQL execution canceled' });
      expect(await rows(await exec('SELECT v FROM t ORDER BY id'))).toEqual([['a'], ['b'], ['c']]);
      expect(await status()).toMatchObject({ running: 0n, queued: 0n });
    } finally {
      await exec('ALTER WAREHOUSE COMPUTE_WH UNSET MAX_CONCURRENCY_LEVEL');
    }
  });

  it('enforces the smaller of the warehouse\'s STATEMENT_TIMEOUT_IN_SECONDS and the request\'s timeout, canceling before the commit', async () => {
    await exec('ALTER WAREHOUSE COMPUTE_WH SET STATEMENT_TIMEOUT_IN_SECONDS = 1');
    try {
      for (const timeout of [undefined, 60]) {
        const p = pausedAtCommit();
        const update = exec("UPDATE t SET v = 'late'", { queryId: p.queryId, timeout });
        update.catch(() => {});
        await p.reached;
        await new Promise((r) => setTimeout(r, 1200));
        p.release();
        await expect(update).rejects.toMatchObject({ code: '000630', message: 'Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.' });
      }
    } finally {
      await exec('ALTER WAREHOUSE COMPUTE_WH SET STATEMENT_TIMEOUT_IN_SECONDS = 60');
    }
    const p = pausedAtCommit();
    const update = exec("UPDATE t SET v = 'late'", { queryId: p.queryId, timeout: 1 });
    update.catch(() => {});
    await p.reached;
    await new Promise((r) => setTimeout(r, 1200));
    p.release();
    await expect(update).rejects.toMatchObject({ code: '000630', message: 'Statement reached its statement or warehouse timeout of 1 second(s) and was canceled.' });
    expect(await rows(await exec('SELECT v FROM t ORDER BY id'))).toEqual([['a'], ['b'], ['c']]);
    await exec('ALTER WAREHOUSE COMPUTE_WH UNSET STATEMENT_TIMEOUT_IN_SECONDS');
  });
});
