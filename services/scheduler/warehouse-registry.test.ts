/**
 * The warehouse state machine and admission over a real SQLite catalog and real XSMALL pools
 * (worker threads from dist/): suspend/resume, auto-resume and auto-suspend, live resize,
 * the worker cap, MAX_CONCURRENCY_LEVEL queues with their timeouts and cancellation, and
 * multi-cluster scale-out/scale-in, with a recording WarehouseEvents listener and an injected
 * clock for the times it reports.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteCatalog } from '../catalog/sqlite-catalog.js';
import { loadConfig } from '../config.js';
import { Deadline } from '../session/deadline.js';
import type { ClusterEvent, WarehouseEvents } from './warehouse-events.js';
import { applyWarehouseSettings, DEFAULT_WAREHOUSE_PROPERTIES, type WarehouseProperties } from './warehouse-properties.js';
import { WarehouseRegistry, type RegistryOptions } from './warehouse-registry.js';
import type { ClusterLease } from './warehouse-runtime.js';

type Recorded = { kind: 'started' | 'resized' | 'stopped' } & ClusterEvent;

/** A real listener that keeps what it hears, in order. */
function recorder(): WarehouseEvents & { log: Recorded[]; brief(): string[] } {
  const log: Recorded[] = [];
  return {
    log,
    clusterStarted: (e) => log.push({ kind: 'started', ...e }),
    clusterResized: (e) => log.push({ kind: 'resized', ...e }),
    clusterStopped: (e) => log.push({ kind: 'stopped', ...e }),
    brief: () => log.map((e) => `${e.kind} ${e.warehouse}#${e.cluster} ${e.size}`),
  };
}

const open: { registry: WarehouseRegistry; catalog: SqliteCatalog; dir: string }[] = [];

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.registry.close();
    o.catalog.close();
    rmSync(o.dir, { recursive: true, force: true });
  }
});

function setup(opts: RegistryOptions & { maxWorkers?: number } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-registry-'));
  const catalog = new SqliteCatalog(path.join(dir, 'catalog.db'));
  const config = { ...loadConfig({ FIRN_HOME: dir }), maxWorkersPerCluster: opts.maxWorkers ?? 4, workerHeapBytes: 1 << 28 };
  const events = recorder();
  let now = 1_000_000;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const registry = new WarehouseRegistry(catalog, config, { events, clock: clock.now, ...opts });
  open.push({ registry, catalog, dir });
  const props = (sql: Record<string, string>): WarehouseProperties =>
    applyWarehouseSettings(
      DEFAULT_WAREHOUSE_PROPERTIES,
      Object.entries(sql).map(([name, text]) => ({ name, value: { kind: /^\d+$/.test(text) ? 'number' : 'word', text } })),
    );
  const create = (name: string, sql: Record<string, string> = {}, initiallySuspended = false) =>
    registry.create(name, props(sql), { ifNotExists: false, orReplace: false, initiallySuspended });
  const state = (name: string) => registry.status(catalog.getWarehouse(name)!);
  return { registry, catalog, events, clock, create, state, props, dir };
}

describe('WarehouseRegistry lifecycle', () => {
  it('starts a warehouse at CREATE, drains it on SUSPEND, resumes it for a statement when AUTO_RESUME', async () => {
    const { registry, catalog, events, create, state } = setup();
    create('WH');
    expect(state('WH')).toMatchObject({ state: 'STARTED', startedClusters: 1, running: 0, queued: 0 });
    const held = await registry.acquire('WH', null);
    expect([held.warehouse, held.cluster, held.size, held.pool.workers]).toEqual(['WH', 1, 'XSMALL', 1]);

    registry.suspend('WH');
    // Running statements finish first: the cluster still runs, and its pool still answers.
    expect(state('WH')).toMatchObject({ state: 'STARTED', startedClusters: 1, running: 1 });
    expect(catalog.getWarehouse('WH')!.state).toBe('SUSPENDED');
    await held.pool.ready();
    expect(events.brief()).toEqual(['started WH#1 XSMALL']);
    expect(held.pool.closed).toBe(false);
    held.release();
    expect(state('WH')).toMatchObject({ state: 'SUSPENDED', startedClusters: 0, running: 0 });
    expect(events.brief()).toEqual(['started WH#1 XSMALL', 'stopped WH#1 XSMALL']);
    expect(held.pool.closed).toBe(true);
    expect(() => registry.suspend('WH')).toThrow("Invalid state. Warehouse 'WH' cannot be suspended.");

    // AUTO_RESUME (the default): a statement resumes it, and the catalog says so.
    const again = await registry.acquire('WH', null);
    expect(state('WH').state).toBe('STARTED');
    await again.pool.ready();
    expect(catalog.getWarehouse('WH')!.state).toBe('STARTED');
    again.release();
    expect(events.brief()).toEqual(['started WH#1 XSMALL', 'stopped WH#1 XSMALL', 'started WH#1 XSMALL']);
    expect(() => registry.resume('WH', false)).toThrow("Invalid state. Warehouse 'WH' cannot be resumed.");
    registry.resume('WH', true);
  });

  it('fails a statement on a suspended warehouse without AUTO_RESUME with 000606', async () => {
    const { registry, create, state } = setup();
    create('MANUAL', { AUTO_RESUME: 'FALSE' }, true);
    expect(state('MANUAL')).toMatchObject({ state: 'SUSPENDED', startedClusters: 0 });
    await expect(registry.acquire('MANUAL', null)).rejects.toMatchObject({
      code: '000606',
      sqlState: '57P03',
      message: "Warehouse 'MANUAL' is suspended. Use 'alter warehouse MANUAL resume;' command if you need to use it again.",
    });
    await expect(registry.acquire(null, null)).rejects.toMatchObject({ code: '000606' });
    registry.resume('MANUAL', false);
    const lease = await registry.acquire('MANUAL', null);
    lease.release();
  });

  it('suspends itself after AUTO_SUSPEND idle seconds and records it in the catalog', async () => {
    const { registry, catalog, events, create, state } = setup();
    create('NAPPY', { AUTO_SUSPEND: '1' });
    const lease = await registry.acquire('NAPPY', null);
    await new Promise((r) => setTimeout(r, 1200));
    // Never while a statement runs.
    expect(state('NAPPY').state).toBe('STARTED');
    lease.release();
    await vi.waitFor(() => expect(state('NAPPY').state).toBe('SUSPENDED'), { timeout: 3000, interval: 50 });
    expect(catalog.getWarehouse('NAPPY')!.state).toBe('SUSPENDED');
    expect(events.brief()).toEqual(['started NAPPY#1 XSMALL', 'stopped NAPPY#1 XSMALL']);
  });

  it('resizes live: running statements keep their pool, new ones get the new size, the old pool closes with its last statement', async () => {
    const { registry, catalog, events, create, state, props } = setup({ maxWorkers: 2 });
    create('GROW');
    const before = await registry.acquire('GROW', null);
    await before.pool.ready();
    await registry.alter('GROW', props({ WAREHOUSE_SIZE: 'MEDIUM' }), true);
    expect(catalog.getWarehouse('GROW')!.size).toBe('MEDIUM');
    expect(state('GROW')).toMatchObject({ state: 'STARTED', nodesPerCluster: 4, workersPerCluster: 2 });
    const after = await registry.acquire('GROW', null);
    expect([after.size, after.pool.workers, before.size, before.pool.workers]).toEqual(['MEDIUM', 2, 'XSMALL', 1]);
    expect(after.pool).not.toBe(before.pool);
    await before.pool.ready();
    expect(before.pool.closed).toBe(false);
    before.release();
    expect(before.pool.closed).toBe(true);
    await after.pool.ready();
    after.release();
    expect(events.log.map((e) => [e.kind, e.size, e.at])).toEqual([
      ['started', 'XSMALL', 1_000_000],
      ['resized', 'MEDIUM', 1_000_000],
    ]);
  });

  it('shows RESIZING until the new workers are up', async () => {
    const { registry, create, state, props } = setup();
    create('R');
    const resized = registry.alter('R', props({ WAREHOUSE_SIZE: 'SMALL' }), true);
    expect(state('R').state).toBe('RESIZING');
    await resized;
    expect(state('R').state).toBe('STARTED');
  });

  it('keeps a warehouse\'s runtime across RENAME and stops every cluster at close', async () => {
    const { registry, catalog, events, create } = setup();
    create('OLD_NAME');
    const id = catalog.getWarehouse('OLD_NAME')!.id;
    registry.rename('OLD_NAME', 'NEW_NAME');
    expect(catalog.getWarehouse('NEW_NAME')!.id).toBe(id);
    const lease = await registry.acquire('NEW_NAME', null);
    expect(lease.warehouse).toBe('NEW_NAME');
    lease.release();
    await registry.close();
    expect(events.brief()).toEqual(['started OLD_NAME#1 XSMALL', 'stopped NEW_NAME#1 XSMALL']);
  });

  it('sweeps the spill directories of every cluster and the caches of warehouses that are gone', async () => {
    const { registry, catalog, create, dir: home } = setup();
    create('KEEP', {}, true);
    const id = catalog.getWarehouse('KEEP')!.id;
    const root = path.join(home, 'cache', `warehouse-${id}`);
    for (const d of ['spill/q1', 'c2/spill/q2', 'w0', 'c2/w0']) mkdirSync(path.join(root, d), { recursive: true });
    mkdirSync(path.join(home, 'cache', 'warehouse-999', 'w0'), { recursive: true });
    await registry.sweepSpill();
    expect(['spill', 'c2/spill', 'w0', 'c2/w0'].map((d) => existsSync(path.join(root, d)))).toEqual([false, false, true, true]);
    await registry.sweepCaches();
    expect([existsSync(root), existsSync(path.join(home, 'cache', 'warehouse-999'))]).toEqual([true, false]);
    await registry.drop('KEEP', false);
    expect(existsSync(root)).toBe(false);
  });

  it('takes the smaller of the request\'s and the warehouse\'s statement timeout', () => {
    const { registry, create } = setup();
    create('T60', { STATEMENT_TIMEOUT_IN_SECONDS: '60' });
    create('T0', { STATEMENT_TIMEOUT_IN_SECONDS: '0' }, true);
    expect([registry.statementTimeout('T60', null), registry.statementTimeout('T60', 5), registry.statementTimeout('T60', 600)]).toEqual([60, 5, 60]);
    expect([registry.statementTimeout('T0', null), registry.statementTimeout('T0', 7), registry.statementTimeout(null, 3)]).toEqual([0, 7, 3]);
  });
});

describe('WarehouseRegistry admission', () => {
  it('runs MAX_CONCURRENCY_LEVEL statements per cluster and queues the rest in arrival order, timing the wait', async () => {
    const { registry, clock, create, state } = setup();
    create('Q', { MAX_CONCURRENCY_LEVEL: '2' });
    const a = await registry.acquire('Q', null);
    const b = await registry.acquire('Q', null);
    const order: string[] = [];
    const c = registry.acquire('Q', null).then((l) => (order.push('c'), l));
    const d = registry.acquire('Q', null).then((l) => (order.push('d'), l));
    await new Promise((r) => setTimeout(r, 20));
    expect(state('Q')).toMatchObject({ running: 2, queued: 2 });
    expect(order).toEqual([]);
    clock.advance(250);
    a.release();
    const cl = await c;
    expect(order).toEqual(['c']);
    expect(cl.queuedMs).toBe(250);
    expect([a.queuedMs, b.queuedMs]).toEqual([0, 0]);
    clock.advance(100);
    b.release();
    expect((await d).queuedMs).toBe(350);
    expect(order).toEqual(['c', 'd']);
    expect(state('Q')).toMatchObject({ running: 2, queued: 0 });
    cl.release();
    (await d).release();
    expect(state('Q')).toMatchObject({ running: 0, queued: 0 });
  });

  it('fails a statement queued past STATEMENT_QUEUED_TIMEOUT_IN_SECONDS with 000630', async () => {
    const { registry, create, state } = setup();
    create('QT', { MAX_CONCURRENCY_LEVEL: '1', STATEMENT_QUEUED_TIMEOUT_IN_SECONDS: '1' });
    const a = await registry.acquire('QT', null);
    await expect(registry.acquire('QT', null)).rejects.toMatchObject({
      code: '000630',
      sqlState: '57014',
      message: 'Statement reached its statement or warehouse queued timeout of 1 second(s) and was canceled.',
    });
    expect(state('QT')).toMatchObject({ running: 1, queued: 0 });
    a.release();
  });

  it('drops a canceled statement from the queue with its own error, and ABORT ALL QUERIES cancels running and queued ones', async () => {
    const { registry, create, state } = setup();
    create('AB', { MAX_CONCURRENCY_LEVEL: '1' });
    const runningDeadline = new Deadline(0);
    const running = await registry.acquire('AB', runningDeadline);
    const gone = new Deadline(0);
    const waiting = registry.acquire('AB', gone);
    const other = registry.acquire('AB', new Deadline(0));
    gone.abort();
    await expect(waiting).rejects.toMatchObject({ code: '000604', message: 'SQL execution canceled' });
    expect(state('AB')).toMatchObject({ running: 1, queued: 1 });
    registry.abortAll('AB');
    await expect(other).rejects.toMatchObject({ code: '000604' });
    expect(runningDeadline.expired).toBe(true);
    expect(() => runningDeadline.check()).toThrow('SQL execution canceled');
    running.release();
    expect(state('AB')).toMatchObject({ running: 0, queued: 0 });
  });

  it('admits a statement once per query id and releases it when the statement ends', async () => {
    const { registry, create, state } = setup();
    create('L', { MAX_CONCURRENCY_LEVEL: '1' });
    const first = await registry.leaseFor('q1', 'L', null);
    expect(await registry.leaseFor('q1', 'L', null)).toBe(first);
    expect(registry.leased('q1')).toBe(first);
    expect(state('L').running).toBe(1);
    const second = registry.leaseFor('q2', 'L', null);
    expect(registry.leased('q2')).toBeNull();
    registry.release('q1');
    const l2: ClusterLease = await second;
    expect(state('L').running).toBe(1);
    registry.release('q2');
    registry.release('q2');
    expect(l2.cluster).toBe(1);
    expect(state('L').running).toBe(0);
  });

  it('grants an admitted statement its memory out of the process total and takes it back at release', async () => {
    const MiB = 2 ** 20;
    const { registry, create } = setup();
    create('M', { MAX_CONCURRENCY_LEVEL: '4' });
    const memory = registry.statementMemory;
    expect([memory.totalBytes, memory.perStatementBytes]).toEqual([Math.max(Math.floor(os.totalmem() / 2), 2 * memory.perStatementBytes), Math.floor(os.totalmem() / 4)]);
    await registry.leaseFor('q1', 'M', null);
    await registry.leaseFor('q2', 'M', null);
    const first = registry.memoryFor('q1');
    expect(first).toBe(memory.perStatementBytes);
    expect(registry.memoryFor('q1')).toBe(first);
    // The second statement running beside the first gets half of what is left.
    expect(registry.memoryFor('q2')).toBe(Math.floor((memory.totalBytes - first) / 2));
    registry.release('q1');
    registry.release('q2');
    expect(memory.grantedBytes).toBe(0);
    // A statement released before it asked (canceled) gets the least, and holds nothing.
    expect(registry.memoryFor('q3')).toBe(64 * MiB);
    expect(memory.grantedBytes).toBe(0);
  });
});

describe('WarehouseRegistry multi-cluster', () => {
  it('STANDARD starts a cluster as soon as a statement queues and stops idle ones above MIN_CLUSTER_COUNT', async () => {
    const { registry, events, create, state } = setup({ scaleInIdleMs: 50 });
    create('MC', { MAX_CONCURRENCY_LEVEL: '1', MAX_CLUSTER_COUNT: '3' });
    const a = await registry.acquire('MC', null);
    const b = await registry.acquire('MC', null);
    expect([a.cluster, b.cluster, b.queuedMs]).toEqual([1, 2, 0]);
    expect(state('MC')).toMatchObject({ startedClusters: 2, running: 2, queued: 0 });
    b.release();
    await vi.waitFor(() => expect(state('MC').startedClusters).toBe(1), { timeout: 3000, interval: 20 });
    a.release();
    expect(events.brief()).toEqual(['started MC#1 XSMALL', 'started MC#2 XSMALL', 'stopped MC#2 XSMALL']);
  });

  it('ECONOMY starts a cluster only once statements have queued for the sustained period', async () => {
    const { registry, events, create, state } = setup({ economyQueueMs: 300 });
    create('EC', { MAX_CONCURRENCY_LEVEL: '1', MAX_CLUSTER_COUNT: '2', SCALING_POLICY: 'ECONOMY' });
    const a = await registry.acquire('EC', null);
    const b = registry.acquire('EC', null);
    await new Promise((r) => setTimeout(r, 100));
    expect(state('EC')).toMatchObject({ startedClusters: 1, queued: 1 });
    const lb = await b;
    expect(lb.cluster).toBe(2);
    expect(events.brief()).toEqual(['started EC#1 XSMALL', 'started EC#2 XSMALL']);
    a.release();
    lb.release();
  });

  it('starts MIN_CLUSTER_COUNT clusters and keeps them; lowering MAX_CLUSTER_COUNT stops the extra ones', async () => {
    const { registry, events, create, state, props } = setup({ scaleInIdleMs: 20 });
    create('MIN2', { MIN_CLUSTER_COUNT: '2', MAX_CLUSTER_COUNT: '2' });
    expect(state('MIN2').startedClusters).toBe(2);
    await new Promise((r) => setTimeout(r, 60));
    expect(state('MIN2').startedClusters).toBe(2);
    await registry.alter('MIN2', props({ MIN_CLUSTER_COUNT: '1', MAX_CLUSTER_COUNT: '1' }), false);
    expect(state('MIN2').startedClusters).toBe(1);
    expect(events.brief()).toEqual(['started MIN2#1 XSMALL', 'started MIN2#2 XSMALL', 'stopped MIN2#2 XSMALL']);
  });
});
