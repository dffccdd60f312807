/**
 * A canceled statement's CPU stops within 200 ms (issue 8, point 6), measured by the work its
 * workers report: the statement's CancelFlag counts every batch a worker lets through
 * (warehouse/cancel/cancel-flag.ts, `progress()`), in memory shared with the worker threads.
 * The engine runs in this process on real warehouse worker threads (from dist/), so the test
 * reads that counter directly: it must move while the long query runs, and must no longer
 * move from 200 ms after the statement was canceled (by its timeout, or by its client going
 * away). The statement's flags are observed as they are made, not replaced: the one its
 * Deadline creates (CancelFlag.create) and the one each run of a stage plan links to it
 * (CancelFlag.linked, which the workers get); the statement's progress is their sum. Whatever plan runs the query, only the warehouse's workers count progress,
 * so this holds for any engine that does the work in the warehouse.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../services/config.js';
import { DEFAULT_CONTEXT, FirnEngine } from '../../services/session/firn-engine.js';
import { SYSTEM_IDENTITY } from '../../services/access/identity.js';
import { FirnError } from '../../storage/errors/firn-error.js';
import { CancelFlag } from '../../warehouse/cancel/cancel-flag.js';

const BIG_ROWS = 200_000;
const SMALL_ROWS = 2_000;
/** 200k probe rows x 500 matches each = 100M joined rows: far longer than the cancel lands after. */
const LONG = 'SELECT COUNT(*), SUM(b.x) FROM big a JOIN small b ON a.g = b.g';
/** How long after its cancel a statement's workers may still count work. */
const STOP_MS = 200;
/** How long after that the counter is watched for any movement. */
const WATCH_MS = 800;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a canceled statement stops computing within 200 ms', () => {
  let dir: string;
  let engine: FirnEngine;

  /** Runs `sql` to its end: an answer streamed batch by batch (when the engine streams) is read to its last batch. */
  async function run(sql: string, opts: { timeout?: number; signal?: AbortSignal } = {}): Promise<void> {
    const result = await engine.execute({ sql, context: DEFAULT_CONTEXT, identity: SYSTEM_IDENTITY, queryId: randomUUID(), timeout: opts.timeout ?? null, signal: opts.signal ?? null });
    const stream = (result as { stream?: AsyncIterable<unknown> }).stream;
    if (stream) for await (const batch of stream) void batch;
  }

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-cancel-progress-'));
    mkdirSync(path.join(dir, 'csv'));
    writeFileSync(path.join(dir, 'csv', 'big.csv'), Array.from({ length: BIG_ROWS }, (_, i) => `${i},${i % 4}`).join('\n') + '\n');
    writeFileSync(path.join(dir, 'csv', 'small.csv'), Array.from({ length: SMALL_ROWS }, (_, i) => `${i},${i % 4}`).join('\n') + '\n');
    engine = await FirnEngine.open(loadConfig({ FIRN_HOME: path.join(dir, 'home'), FIRN_PARTITION_ROWS: '20000', FIRN_LOAD_ROOTS: dir }));
    await run('CREATE TABLE big (k INTEGER, g INTEGER)');
    await run('CREATE TABLE small (x INTEGER, g INTEGER)');
    await run(`COPY INTO big FROM 'file://${dir}/csv/big.csv'`);
    await run(`COPY INTO small FROM 'file://${dir}/csv/small.csv'`);
    // Warms the worker (module load, cache, JIT) so the canceled runs start computing at once.
    await run(`${LONG} WHERE a.k % 100 = 0`);
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Runs LONG, canceled by its `timeout` (seconds) or, when none, by its client going away
   * after `disconnectMs`; returns the statement's error and its progress counter 40% of the way
   * to the cancel, at the cancel, STOP_MS later and WATCH_MS after that.
   */
  async function cancelAndWatch(cancel: { timeout: number } | { disconnectMs: number }) {
    const created = vi.spyOn(CancelFlag, 'create');
    const linked = vi.spyOn(CancelFlag, 'linked');
    const flags = () => [...created.mock.results, ...linked.mock.results].map((r) => r.value as CancelFlag);
    const progress = () => flags().reduce((sum, f) => sum + f.progress(), 0);
    try {
      const client = new AbortController();
      const started = performance.now();
      const outcome = run(LONG, 'timeout' in cancel ? { timeout: cancel.timeout } : { signal: client.signal }).then(
        () => null,
        (err: unknown) => err,
      );
      // The flag comes once the statement is parsed and planned (slices of the event loop).
      await vi.waitFor(() => expect(created.mock.results.at(-1)?.value, 'the statement made its CancelFlag').toBeInstanceOf(CancelFlag), { timeout: 2000, interval: 1 });
      const cancelMs = 'timeout' in cancel ? cancel.timeout * 1000 : cancel.disconnectMs;
      await sleep(cancelMs * 0.4);
      const running = progress();
      await sleep(started + cancelMs - performance.now());
      if ('disconnectMs' in cancel) client.abort();
      const atCancel = progress();
      await sleep(STOP_MS);
      const stopped = progress();
      await sleep(WATCH_MS);
      const later = progress();
      return { error: await outcome, running, atCancel, stopped, later };
    } finally {
      created.mockRestore();
      linked.mockRestore();
    }
  }

  it('past its timeout: its workers count no more work from 200 ms after the timeout', async () => {
    const w = await cancelAndWatch({ timeout: 1 });
    expect(w.error).toBeInstanceOf(FirnError);
    expect((w.error as FirnError).code).toBe('000630');
    // It was computing: the counter moved before the timeout ...
    expect(w.running).toBeGreaterThan(0);
    expect(w.atCancel).toBeGreaterThan(w.running);
    // ... and from 200 ms after the timeout it never moves again.
    expect(w.later).toBe(w.stopped);
  });

  it('whose client went away: its workers count no more work from 200 ms after the disconnect', async () => {
    const w = await cancelAndWatch({ disconnectMs: 1000 });
    expect(w.error).toBeInstanceOf(FirnError);
    expect((w.error as FirnError).code).toBe('000604');
    expect(w.running).toBeGreaterThan(0);
    expect(w.atCancel).toBeGreaterThan(w.running);
    expect(w.later).toBe(w.stopped);
  });
});
