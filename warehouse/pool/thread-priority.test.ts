import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import type { StageTask, StageTaskReply } from '../fragment/stage-plan.js';
import type { WorkerFailure } from '../fragment/worker-reply.js';
import { BACKGROUND_NICE, currentThreadId } from './thread-priority.js';
import { WarehousePool } from './warehouse-pool.js';

const linux = process.platform === 'linux';

/** Nice value of each thread of this process, read back from /proc (field 19 of stat). */
function threadNices(): Map<number, number> {
  const out = new Map<number, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      out.set(Number(t), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

function emptyScan(dir: string): StageTask {
  return {
    kind: 'stage',
    queryId: 'q',
    stage: { id: 0, tasks: 1, root: { kind: 'scan_exec', id: 0, types: [], table: 'T', tableColumns: [], scanColumns: [], filter: null, limit: null }, output: { kind: 'gather' }, inputs: [], estimatedRows: 0, runtimeFilters: [] },
    task: 0,
    consumerTasks: 1,
    units: [],
    inputs: {},
    memoryBytes: 1 << 24,
    spillDir: path.join(dir, 'spill'),
    spillBytes: 1 << 24,
  };
}

describe.runIf(linux)('thread priority (Linux)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'firn-nice-'));
  const pools: WarehousePool[] = [];
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the calling thread\'s kernel id: the process id on the main thread, another one in a worker', async () => {
    expect(currentThreadId()).toBe(process.pid);
    const worker = new Worker(
      `const { readlinkSync } = require('node:fs'); require('node:worker_threads').parentPort.postMessage(readlinkSync('/proc/thread-self'));`,
      { eval: true },
    );
    const link = await new Promise<string>((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    const tid = Number(/\/task\/(\d+)$/.exec(link)?.[1]);
    expect(tid).toBeGreaterThan(0);
    expect(tid).not.toBe(process.pid);
  });

  it('a warehouse\'s worker threads run at BACKGROUND_NICE while the thread that started them keeps its priority', async () => {
    const before = threadNices();
    expect(before.get(process.pid)).toBe(0);
    const pool = new WarehousePool('NICE_WH', 'SMALL', {
      storageUrl: pathToFileURL(path.join(dir, 'data')).href,
      home: dir,
      cacheDir: path.join(dir, 'cache'),
      memoryCacheBytes: 1 << 20,
      diskCacheBytes: 1 << 20,
      workerHeapBytes: 1 << 30,
    });
    pools.push(pool);
    const replies = await Promise.all([0, 1].map((slot) => pool.run<StageTaskReply | WorkerFailure>(slot, emptyScan(dir))));
    expect(replies.map((r) => 'error' in r)).toEqual([false, false]);
    const after = threadNices();
    // Each worker's thread, and on Node 24 the helper threads each worker starts (they inherit its priority).
    const lowered = [...after].filter(([tid, nice]) => !before.has(tid) && nice === BACKGROUND_NICE);
    expect(lowered.length).toBeGreaterThanOrEqual(pool.workers);
    expect(after.get(process.pid)).toBe(0);
  });

  it('never raises a thread\'s priority: a thread already lower stays where it is', async () => {
    const worker = new Worker(
      `const os = require('node:os'); const { readlinkSync } = require('node:fs'); const { parentPort, workerData } = require('node:worker_threads');
       const tid = Number(/\\/task\\/(\\d+)$/.exec(readlinkSync('/proc/thread-self'))[1]);
       os.setPriority(tid, 15);
       import(workerData).then((m) => parentPort.postMessage({ lowered: m.lowerThisThread(5), nice: os.getPriority(tid) }));`,
      { eval: true, workerData: pathToFileURL(path.join(import.meta.dirname, '..', '..', 'dist', 'warehouse', 'pool', 'thread-priority.js')).href },
    );
    const reply = await new Promise<{ lowered: boolean; nice: number }>((resolve, reject) => worker.once('message', resolve).once('error', reject));
    await worker.terminate();
    expect(reply).toEqual({ lowered: true, nice: 15 });
  });
});
