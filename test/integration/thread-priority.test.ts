/**
 * The server's threads run at the priorities thread-priority.ts sets (issue 8's event-loop
 * bar), read back from /proc for a real server process: a SMALL warehouse's two workers run
 * at WORKER_NICE once they ran a query, while the services (main) thread and V8's helper
 * threads keep the default priority; answers are unchanged. Linux only: elsewhere the
 * priorities are left alone.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_NICE } from '../../warehouse/pool/thread-priority.js';
import { startFirnProcess, type FirnProcess } from '../support/firn-process.js';
import { postStatement } from '../support/post-statement.js';

/** Nice value of each thread of process `pid` (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNices(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      out.set(Number(t), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

describe.runIf(process.platform === 'linux')('thread priorities of a server process', () => {
  let dir: string;
  let server: FirnProcess;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'firn-nice-'));
    server = await startFirnProcess({ home: path.join(dir, 'home') });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warehouse workers run at WORKER_NICE; the services thread and the threads it started with keep the default', async () => {
    const pid = server.child.pid!;
    await postStatement(server.url, 'CREATE WAREHOUSE NICE_WH WAREHOUSE_SIZE = SMALL');
    await postStatement(server.url, 'CREATE TABLE t (x INTEGER)');
    const before = threadNices(pid);
    expect([...before.values()].every((nice) => nice === 0)).toBe(true);

    for (const v of [1, 2, 3, 4]) await postStatement(server.url, `INSERT INTO t VALUES (${v})`, { warehouse: 'NICE_WH' });
    const body = await postStatement(server.url, 'SELECT SUM(x) FROM t', { warehouse: 'NICE_WH' });
    expect(body.data).toEqual([['10']]);

    const after = threadNices(pid);
    const started = [...after].filter(([tid]) => !before.has(tid));
    expect(started.map(([, nice]) => nice)).toEqual([WORKER_NICE, WORKER_NICE]);
    for (const [tid, nice] of before) expect({ tid, nice: after.get(tid) }).toEqual({ tid, nice });
  });
});
