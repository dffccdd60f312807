import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { ScanUnit } from '../../fragment/fragment.js';
import type { UnitClaims } from '../../fragment/stage-plan.js';
import { claimedUnits } from './claimed-units.js';

function unit(partitionId: number): ScanUnit {
  return { partitionId, objectKey: `t/p${partitionId}.parquet`, rowCount: 1, byteSize: 1, etag: null, filterMode: 'all' };
}

/** Units 1..n, task t owning order[t] (indexes). */
function shared(n: number, order: number[][]): UnitClaims {
  return { units: Array.from({ length: n }, (_, i) => unit(i + 1)), order, slots: new Int32Array(new SharedArrayBuffer(4 * n)) };
}

const ids = (units: Iterable<ScanUnit>) => [...units].map((u) => u.partitionId);

describe('claimedUnits', () => {
  it('without shared units reads exactly the task\'s own units', () => {
    expect(ids(claimedUnits({ task: 1, units: [unit(7), unit(3)] }))).toEqual([7, 3]);
  });

  it('reads its own units first, then takes over a sibling\'s in the sibling\'s order from the first one it has not reached', () => {
    const claims = shared(6, [
      [0, 2, 4],
      [1, 3, 5],
    ]);
    const t0 = claimedUnits({ task: 0, units: [], claims });
    const t1 = claimedUnits({ task: 1, units: [], claims });
    // Task 1 has read its first unit when task 0, done with its own, starts taking over.
    expect(t1.next().value?.partitionId).toBe(2);
    expect(ids([t0.next().value!, t0.next().value!, t0.next().value!])).toEqual([1, 3, 5]);
    expect(t0.next().value?.partitionId).toBe(4);
    // Task 1 goes on with what is left of its list.
    expect(t1.next().value?.partitionId).toBe(6);
    expect(t0.next().done).toBe(true);
    expect(t1.next().done).toBe(true);
    expect([...claims.slots]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('with slots per run, claims whole runs: the task that wins a run reads every unit of it, its owner none', () => {
    // Units 1..7 in three runs [1,2] [3,4,5] [6,7]; task 0 owns the first two runs, task 1 the last.
    const claims: UnitClaims = { ...shared(7, [[0, 1, 2, 3, 4], [5, 6]]), slots: new Int32Array(new SharedArrayBuffer(12)), slotOf: Int32Array.from([0, 0, 1, 1, 1, 2, 2]) };
    const t0 = claimedUnits({ task: 0, units: [], claims });
    const t1 = claimedUnits({ task: 1, units: [], claims });
    expect(t0.next().value?.partitionId).toBe(1);
    // Task 1 reads its run, then takes over task 0's next run, in task 0's order; task 0, in the middle of its first run, finishes it.
    expect(ids([t1.next().value!, t1.next().value!, t1.next().value!, t1.next().value!, t1.next().value!])).toEqual([6, 7, 3, 4, 5]);
    expect(t1.next().done).toBe(true);
    expect(ids(t0)).toEqual([2]);
    expect([...claims.slots]).toEqual([1, 1, 1]);
  });

  it('reads every unit once across three tasks however their reads interleave', () => {
    const claims = shared(30, [
      Array.from({ length: 10 }, (_, i) => i),
      Array.from({ length: 10 }, (_, i) => 10 + i),
      Array.from({ length: 10 }, (_, i) => 20 + i),
    ]);
    const tasks = [0, 1, 2].map((task) => claimedUnits({ task, units: [], claims }));
    const read: number[][] = [[], [], []];
    // Task 0 reads four units for each one of task 1; task 2 starts once half is gone.
    let step = 0;
    const live = new Set([0, 1]);
    while (live.size > 0) {
      for (const t of [...live]) {
        const turns = t === 0 ? 4 : 1;
        for (let k = 0; k < turns && live.has(t); k++) {
          const next = tasks[t].next();
          if (next.done) live.delete(t);
          else read[t].push(next.value.partitionId);
        }
      }
      if (++step === 3) live.add(2);
    }
    expect(read.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(read[0].length).toBeGreaterThan(10);
  });

  it('hands out every unit exactly once to worker threads claiming at the same time', async () => {
    const n = 20_000;
    const slots = new Int32Array(new SharedArrayBuffer(4 * n));
    const half = Array.from({ length: n / 2 }, (_, i) => i);
    const order = [half, half.map((i) => i + n / 2)];
    // The worker runs the same claim loop as claimedUnits over the shared slots: own units, then the sibling's from the end.
    const code = `
      const { parentPort, workerData: { slots, order, task } } = require('node:worker_threads');
      const got = [];
      const take = (i) => Atomics.compareExchange(slots, i, 0, 1) === 0;
      for (const i of order[task]) if (take(i)) got.push(i);
      const other = order[1 - task];
      for (let k = other.length - 1; k >= 0; k--) if (take(other[k])) got.push(other[k]);
      parentPort.postMessage(got);
    `;
    const run = (task: number) =>
      new Promise<number[]>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { slots, order, task } });
        w.once('message', (got: number[]) => void w.terminate().then(() => resolve(got)));
        w.once('error', reject);
      });
    const [a, b] = await Promise.all([run(0), run(1)]);
    expect(a.length + b.length).toBe(n);
    expect(new Set([...a, ...b]).size).toBe(n);
  });
});
