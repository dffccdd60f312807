/**
 * A running read keeps its objects through garbage collection, end to end in the engine
 * (in this process, on real warehouse worker threads from dist/): with FIRN_DATA_RETENTION_DAYS=0
 * a SELECT whose rows are not read yet holds the table version it bound, so an UPDATE that
 * rewrites every partition and then SYSTEM$COLLECT_GARBAGE() delete nothing; the SELECT then
 * reads every old row. Once its stream is read, and after a failed statement, nothing is held
 * any more and GC reclaims the old partitions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/config.js';
import { DEFAULT_CONTEXT, FirnEngine } from '../../services/session/firn-engine.js';
import { SYSTEM_IDENTITY } from '../../services/access/identity.js';
import type { StatementResult } from '../../services/session/statement-result.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import type { Batch } from '../../storage/types/vector.js';

describe('garbage collection and running statements', () => {
  let dir: string;
  let engine: FirnEngine;

  const execute = (sql: string): Promise<StatementResult> => engine.execute({ sql, context: DEFAULT_CONTEXT, identity: SYSTEM_IDENTITY, queryId: randomUUID(), timeout: null, signal: null });

  /** The answer's rows (its stream read to the end), each cell as scalarAt gives it. */
  async function rows(result: StatementResult): Promise<unknown[][]> {
    const batches: Batch[] = result.stream ? [] : [result.batch];
    if (result.stream) for await (const b of result.stream) batches.push(b);
    const out: unknown[][] = [];
    for (const b of batches) {
      for (let i = 0; i < b.length; i++) out.push(result.columns.map((c, k) => scalarAt(b.columns[k], i, c.type)));
    }
    return out;
  }

  const collect = async () => JSON.parse((await rows(await execute('SELECT SYSTEM$COLLECT_GARBAGE()')))[0][0] as string);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-gc-running-'));
    engine = await FirnEngine.open(loadConfig({ FIRN_HOME: path.join(dir, 'home'), FIRN_PARTITION_ROWS: '10', FIRN_DATA_RETENTION_DAYS: '0', FIRN_GC_INTERVAL_SECONDS: '0' }));
    await execute('CREATE TABLE t (id INTEGER, v INTEGER)');
    await execute(`INSERT INTO t SELECT * FROM VALUES ${Array.from({ length: 100 }, (_, i) => `(${i}, 1)`).join(', ')}`);
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps what an unread SELECT bound until its rows are read, then reclaims it', async () => {
    const reading = await execute('SELECT sum(v), count(*) FROM t');
    expect((await rows(await execute('UPDATE t SET v = 2'))).map((r) => r.map(String))).toEqual([['100', '0']]);
    expect(await collect()).toEqual({ objectsDeleted: 0, bytesFreed: 0, catalogRowsPurged: expect.any(Number), unknownObjectsDeleted: 0 });
    expect((await rows(reading)).map((r) => r.map(String))).toEqual([['100', '100']]);
    const after = await collect();
    expect(after.objectsDeleted).toBe(10);
    expect(after.bytesFreed).toBeGreaterThan(0);
    expect((await rows(await execute('SELECT sum(v), count(*) FROM t'))).map((r) => r.map(String))).toEqual([['200', '100']]);
  }, 60_000);

  it('holds nothing after a statement failed, while binding or while running', async () => {
    // Binds T (its partitions listed), then fails on the column.
    await expect(execute('SELECT nope FROM t')).rejects.toThrow(/NOPE/);
    await expect(execute('SELECT id / 0 FROM t').then(rows)).rejects.toThrow(/Division by zero/i);
    await execute('UPDATE t SET v = 3');
    expect((await collect()).objectsDeleted).toBe(10);
  }, 60_000);
});
