/**
 * The server's threads run at the priorities thread-priority.ts sets (issue 8's event-loop
 * bar), read back from /proc for a real server process: the services (main) thread keeps the
 * default priority; every other thread (V8's and libuv's helpers from the start, the SMALL
 * warehouse's two workers once they run a query) runs at BACKGROUND_NICE, and answers are
 * unchanged. Linux only: elsewhere the priorities are left alone.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKGROUND_NICE } from '../../warehouse/pool/thread-priority.js';
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

  it('the services thread keeps its priority; helpers and warehouse workers run lower', async () => {
    const pid = server.child.pid!;
    const atStart = threadNices(pid);
    expect(atStart.get(pid)).toBe(0);
    expect(atStart.size).toBeGreaterThan(1);
    for (const [tid, nice] of atStart) if (tid !== pid) expect({ tid, nice }).toEqual({ tid, nice: BACKGROUND_NICE });

    await postStatement(server.url, 'CREATE WAREHOUSE NICE_WH WAREHOUSE_SIZE = SMALL');
    await postStatement(server.url, 'CREATE TABLE t (x INTEGER)');
    for (const v of [1, 2, 3, 4]) await postStatement(server.url, `INSERT INTO t VALUES (${v})`, { warehouse: 'NICE_WH' });
    const body = await postStatement(server.url, 'SELECT SUM(x) FROM t', { warehouse: 'NICE_WH' });
    expect(body.data).toEqual([['10']]);

    const after = threadNices(pid);
    expect(after.get(pid)).toBe(0);
    const started = [...after.keys()].filter((tid) => !atStart.has(tid));
    // At least NICE_WH's two workers.
    expect(started.length).toBeGreaterThanOrEqual(2);
    for (const [tid, nice] of after) if (tid !== pid) expect({ tid, nice }).toEqual({ tid, nice: BACKGROUND_NICE });
  });
});
