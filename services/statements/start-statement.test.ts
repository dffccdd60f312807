import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CompilationError, ResourceError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { QueryStats, StatementResult } from '../session/statement-result.js';
import type { StatementRequest, StatementRunner } from '../session/statement-request.js';
import { startStatement } from './start-statement.js';
import { StatementStates, StatementStore } from './statement-store.js';

const COLS: Column[] = [{ name: 'N', type: Types.number(38, 0), nullable: false }];
const STATS = { elapsedMs: 1, bytesScanned: 0, partitionsScanned: 0, partitionsTotal: 0 } as QueryStats;
const CONTEXT = { database: 'FIRN', schema: 'PUBLIC', warehouse: 'COMPUTE_WH' };
const batch = (...values: number[]): Batch => rowsToBatch(COLS, values.map((v) => [BigInt(v)]));

/** `stream` yields two batches then waits for its signal; `multi` answers two statements; `bug` throws a TypeError; else a compile error. */
class FakeRunner implements StatementRunner {
  readonly seen: StatementRequest[] = [];
  async execute(req: StatementRequest): Promise<StatementResult> {
    this.seen.push(req);
    const base = { queryId: req.queryId, columns: COLS, stats: { ...STATS }, context: CONTEXT };
    if (req.sql === 'stream') {
      const signal = req.signal!;
      const stream = async function* (): AsyncGenerator<Batch> {
        yield batch(1, 2);
        yield batch(3);
        await new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new ResourceError('CANCELED', 'SQL execution canceled')), { once: true }));
      };
      return { ...base, batch: batch(), stream: stream() };
    }
    if (req.sql === 'rows') return { ...base, batch: batch(7, 8) };
    if (req.sql === 'multi') {
      const one = { ...base, queryId: 'child-1', batch: batch(1) };
      const two = { ...base, queryId: 'child-2', batch: batch(2, 3) };
      return { ...two, queryId: req.queryId, statements: [one, two] };
    }
    if (req.sql === 'multi-fail') {
      await req.onStatementDone?.({ ...base, queryId: 'ran-1', batch: batch(5) });
      throw new CompilationError('OBJECT_NOT_FOUND', "Object 'T2' does not exist or not authorized.");
    }
    if (req.sql === 'bug') throw new TypeError('x is undefined');
    throw new CompilationError('OBJECT_NOT_FOUND', "Object 'T' does not exist or not authorized.");
  }
}

async function rowsOf(store: StatementStore, id: string, user = 'U'): Promise<number[]> {
  const out: number[] = [];
  for await (const b of store.resultOf(id, user)!.batches()) {
    const v = b.columns[0]!;
    if (v.kind !== 'f64') throw new Error('unexpected vector');
    out.push(...v.values);
  }
  return out;
}

describe('startStatement', () => {
  let home: string;
  let store: StatementStore;
  const runner = new FakeRunner();
  const logged: string[] = [];
  const start = (sql: string, queryId: string) =>
    startStatement(store, runner, { request: { sql, queryId, context: { database: null, schema: null, warehouse: null }, identity: { user: 'U', role: 'SYSADMIN' } }, user: 'U', requestId: `r-${queryId}`, log: (l) => logged.push(l) });

  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'firn-start-statement-'));
    store = new StatementStore({ home, memoryBytes: 1 << 20, diskBytes: 1 << 20, partitionBytes: 1 << 20 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('registers the statement at once, runs it with its cancel signal, and stores its rows', async () => {
    const st = start('rows', 'q1');
    expect(st.state).toBe(StatementStates.RUNNING);
    expect(store.byRequestId('U', 'r-q1')).toBe(st);
    await st.settled;
    expect(st.state).toBe(StatementStates.SUCCEEDED);
    expect(runner.seen.at(-1)!.signal).toBe(st.signal);
    expect(await rowsOf(store, 'q1')).toEqual([7, 8]);
    expect(st.context).toEqual(CONTEXT);
  });

  it('reads a stream batch by batch, and a cancel settles it as canceled without rows', async () => {
    const st = start('stream', 'q2');
    while (st.progress().rowsProduced < 3) await new Promise((r) => setTimeout(r, 1));
    expect(st.running).toBe(true);
    store.cancel('q2', 'U');
    await st.settled;
    expect([st.state, st.error?.code]).toEqual([StatementStates.CANCELED, '000604']);
    expect(store.resultOf('q2', 'U')).toBeUndefined();
  });

  it("records each statement of a multi-statement request under its own handle, the request's with its last rows", async () => {
    const st = start('multi', 'q3');
    await st.settled;
    expect(st.statementHandles).toEqual(['child-1', 'child-2']);
    expect(await rowsOf(store, 'child-1')).toEqual([1]);
    expect(await rowsOf(store, 'child-2')).toEqual([2, 3]);
    expect(await rowsOf(store, 'q3')).toEqual([2, 3]);
  });

  it('records a statement of a multi-statement request as soon as it ran, also when a later one fails', async () => {
    const st = start('multi-fail', 'q6');
    await st.settled;
    expect([st.state, st.error?.code]).toEqual([StatementStates.FAILED, '002003']);
    expect(store.get('ran-1', 'U')?.state).toBe(StatementStates.SUCCEEDED);
    expect(await rowsOf(store, 'ran-1')).toEqual([5]);
  });

  it('settles failures as failed, logging only a bug, with its stack', async () => {
    const compile = start('missing', 'q4');
    await compile.settled;
    expect([compile.state, compile.error?.code]).toEqual([StatementStates.FAILED, '002003']);
    expect(logged).toEqual([]);
    const bug = start('bug', 'q5');
    await bug.settled;
    expect([bug.state, bug.error?.code]).toEqual([StatementStates.FAILED, '000603']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^statement q5 failed unexpectedly: TypeError: x is undefined\n\s+at /);
  });
});
