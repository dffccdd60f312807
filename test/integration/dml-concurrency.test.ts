/**
 * No lost update, in every interleaving: two `UPDATE t SET x = x + 1 WHERE id = k` run at once
 * on an in-process engine (real SQLite catalog, real worker threads), paused between their
 * phases by test hooks — R (bind: read the snapshot), W (compute and write the new
 * partitions), C (commit) — and released in each of the 20 orders of those six steps.
 *  - Rows of one partition: a statement whose partition the other rewrote after its snapshot
 *    is refused at commit and runs again on the new snapshot; both succeed and both increments
 *    are visible. With retries off, the loser fails with 40001, and only the winner's increment
 *    is visible.
 *  - Rows of two partitions: no conflict in any order; each statement runs once.
 * After every run, no statement left a pending object, and every object in the store is one a
 * partition row names (a refused statement wrote nothing).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteDatabase } from '../../services/catalog/open-sqlite-database.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/config.js';
import type { DmlHooks } from '../../services/session/engine-env.js';
import { DEFAULT_CONTEXT, FirnEngine } from '../../services/session/firn-engine.js';
import { SYSTEM_IDENTITY } from '../../services/access/identity.js';
import { FirnError } from '../../storage/errors/firn-error.js';

type Phase = 'R' | 'W' | 'C';
type Step = [label: 'A' | 'B', phase: Phase];

/** Every order of A's R, W, C and B's R, W, C that keeps each statement's own order (20). */
function interleavings(): Step[][] {
  const out: Step[][] = [];
  const phases: Phase[] = ['R', 'W', 'C'];
  const walk = (a: number, b: number, acc: Step[]) => {
    if (a === 3 && b === 3) out.push(acc);
    if (a < 3) walk(a + 1, b, [...acc, ['A', phases[a]]]);
    if (b < 3) walk(a, b + 1, [...acc, ['B', phases[b]]]);
  };
  walk(0, 0, []);
  return out;
}

/**
 * Holds each statement at its hooks until the schedule releases it; once the schedule is over,
 * every gate is open (a retry runs freely).
 */
class Schedule {
  private readonly labels = new Map<string, 'A' | 'B'>();
  private readonly waiting = new Map<'A' | 'B', { phase: Phase; release: () => void }>();
  private readonly settled = new Set<'A' | 'B'>();
  private changed: () => void = () => {};
  private free = false;
  readonly binds = { A: 0, B: 0 };

  readonly hooks: DmlHooks = {
    beforeBind: (q) => this.gate(q, 'R'),
    beforeWrite: (q) => this.gate(q, 'W'),
    beforeCommit: (q) => this.gate(q, 'C'),
  };

  statement(label: 'A' | 'B'): string {
    const queryId = randomUUID();
    this.labels.set(queryId, label);
    return queryId;
  }

  done(label: 'A' | 'B'): void {
    this.settled.add(label);
    this.changed();
  }

  private gate(queryId: string, phase: Phase): Promise<void> {
    const label = this.labels.get(queryId);
    if (label === undefined) return Promise.resolve();
    if (phase === 'R') this.binds[label]++;
    if (this.free) return Promise.resolve();
    return new Promise((release) => {
      this.waiting.set(label, { phase, release });
      this.changed();
    });
  }

  private async until(test: () => boolean): Promise<void> {
    while (!test()) await new Promise<void>((r) => (this.changed = r));
  }

  /** Releases the steps in order, each once its statement waits at that phase, and waits for each to finish its phase. */
  async run(steps: Step[]): Promise<void> {
    for (const [label, phase] of steps) {
      await this.until(() => this.waiting.get(label)?.phase === phase);
      const gate = this.waiting.get(label)!;
      this.waiting.delete(label);
      gate.release();
      // The phase is over when the statement waits at its next gate or has finished.
      await this.until(() => this.waiting.has(label) || this.settled.has(label));
    }
    this.free = true;
    for (const gate of this.waiting.values()) gate.release();
    this.waiting.clear();
  }
}

describe.each([
  { retries: 3, name: 'with retries' },
  { retries: 0, name: 'without retries' },
])('two concurrent UPDATEs, $name', ({ retries }) => {
  let dir: string;
  let engine: FirnEngine;
  let schedule: Schedule;

  const run = (sql: string, queryId: string = randomUUID()) => engine.execute({ sql, context: DEFAULT_CONTEXT, identity: SYSTEM_IDENTITY, queryId });
  /** x of ids 1..4, read from the query's streamed batches. */
  const values = async (): Promise<number[]> => {
    const result = await run('SELECT x FROM t ORDER BY id');
    const out: number[] = [];
    for await (const batch of result.stream ?? []) {
      const v = batch.columns[0];
      if (v.kind !== 'f64' && v.kind !== 'i32') throw new Error(`x read as ${v.kind}`);
      out.push(...v.values.subarray(0, batch.length));
    }
    return out;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-dml-race-'));
    const hooks: DmlHooks = {
      beforeBind: (q) => schedule?.hooks.beforeBind!(q) ?? Promise.resolve(),
      beforeWrite: (q) => schedule?.hooks.beforeWrite!(q) ?? Promise.resolve(),
      beforeCommit: (q) => schedule?.hooks.beforeCommit!(q) ?? Promise.resolve(),
    };
    engine = await FirnEngine.open(loadConfig({ FIRN_HOME: path.join(dir, 'home'), FIRN_PARTITION_ROWS: '2', FIRN_DML_RETRIES: String(retries) }), { hooks });
    await run('CREATE TABLE t (id INTEGER, x INTEGER) CLUSTER BY (id)');
    // Two partitions: ids 1 and 2, ids 3 and 4.
    await run('INSERT INTO t VALUES (1, 0), (2, 0), (3, 0), (4, 0)');
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Every object in the store is named by a partition row, and nothing is pending. */
  function noOrphans(): void {
    const db = openSqliteDatabase(path.join(dir, 'home', 'catalog.sqlite'), { readonly: true });
    try {
      const named = new Set((db.prepare('SELECT object_key AS k FROM partitions').all() as { k: string }[]).map((r) => r.k));
      expect(db.prepare('SELECT COUNT(*) AS n FROM pending_objects').get()).toEqual({ n: 0 });
      const data = path.join(dir, 'home', 'data');
      const stored = (readdirSync(data, { recursive: true, withFileTypes: true }) as { isFile(): boolean; name: string; parentPath: string }[])
        .filter((e) => e.isFile())
        .map((e) => path.relative(data, path.join(e.parentPath, e.name)));
      for (const key of stored) expect(named.has(key), key).toBe(true);
    } finally {
      db.close();
    }
  }

  for (const [rows, ids] of [
    ['rows of one partition', [1, 2]],
    ['rows of two partitions', [1, 3]],
  ] as const) {
    it(`${rows}: every interleaving of read, write and commit keeps every success`, async () => {
      const samePartition = ids[1] === 2;
      for (const steps of interleavings()) {
        const before = await values();
        schedule = new Schedule();
        const start = (label: 'A' | 'B', id: number) =>
          run(`UPDATE t SET x = x + 1 WHERE id = ${id}`, schedule.statement(label)).then(
            (r) => {
              schedule.done(label);
              return { ok: true as const, r };
            },
            (err: unknown) => {
              schedule.done(label);
              return { ok: false as const, err };
            },
          );
        const a = start('A', ids[0]);
        const b = start('B', ids[1]);
        await schedule.run(steps);
        const outcomes = [await a, await b];
        const order = steps.map(([l, p]) => l + p).join(' ');
        // The second reader conflicts when both read before either committed.
        const commitA = steps.findIndex(([l, p]) => l === 'A' && p === 'C');
        const commitB = steps.findIndex(([l, p]) => l === 'B' && p === 'C');
        const readA = steps.findIndex(([l, p]) => l === 'A' && p === 'R');
        const readB = steps.findIndex(([l, p]) => l === 'B' && p === 'R');
        const overlapped = readA < commitB && readB < commitA;
        const conflict = samePartition && overlapped;
        for (const o of outcomes) if (!o.ok && !(o.err instanceof FirnError && o.err.sqlState === '40001')) throw o.err;
        const failures = outcomes.filter((o) => !o.ok);
        expect([order, failures.length]).toEqual([order, conflict && retries === 0 ? 1 : 0]);
        if (failures.length > 0) expect(failures[0]).toMatchObject({ err: { code: '390501', sqlState: '40001' } });
        expect([order, schedule.binds.A + schedule.binds.B]).toEqual([order, conflict && retries > 0 ? 3 : 2]);
        // Every success is visible: each succeeded statement added 1 to its row.
        const after = await values();
        outcomes.forEach((o, k) => expect([order, k, after[ids[k] - 1] - before[ids[k] - 1]]).toEqual([order, k, o.ok ? 1 : 0]));
        noOrphans();
      }
    }, 180_000);
  }
});
