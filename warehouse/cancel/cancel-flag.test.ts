import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ResourceError } from '../../storage/errors/firn-error.js';
import { CancelFlag, CancelReason } from './cancel-flag.js';

describe('CancelFlag', () => {
  it('checkpoint() throws only while a canceled flag is active, with the reason\'s error', () => {
    const flag = CancelFlag.create();
    expect(() => CancelFlag.within(flag, () => CancelFlag.checkpoint())).not.toThrow();
    flag.cancel(CancelReason.CLIENT);
    CancelFlag.checkpoint(); // none active on this thread
    let thrown: unknown = null;
    try {
      CancelFlag.within(flag, () => CancelFlag.checkpoint());
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ResourceError);
    expect((thrown as ResourceError).code).toBe('000604');
    expect((thrown as ResourceError).sqlState).toBe('57014');
    expect((thrown as ResourceError).message).toBe('SQL execution canceled');
    // The first reason wins.
    flag.cancel(CancelReason.TIMEOUT);
    expect(flag.reason).toBe(CancelReason.CLIENT);
  });

  it('counts a passed deadline as TIMEOUT without anyone setting the flag', async () => {
    const flag = CancelFlag.create(0.05);
    expect(flag.cancelled).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(flag.reason).toBe(CancelReason.TIMEOUT);
    const e = flag.error();
    expect([e.code, e.sqlState, e.message]).toEqual(['000630', '57014', 'Statement reached its statement or warehouse timeout of 0.05 second(s) and was canceled.']);
    expect(CancelFlag.create(0).cancelled).toBe(false);
  });

  it('stops a busy worker thread\'s per-batch loop when another thread sets it', async () => {
    // A worker whose event loop never turns while it loops: only shared memory reaches it.
    const flag = CancelFlag.create();
    const moduleUrl = new URL('./cancel-flag.ts', import.meta.url).href;
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      import(workerData.moduleUrl).then(({ CancelFlag }) => {
        const flag = CancelFlag.of(workerData.buffer);
        parentPort.postMessage('started');
        let batches = 0;
        const x = new Float64Array(1 << 16);
        try {
          for (;;) {
            CancelFlag.within(flag, () => CancelFlag.checkpoint());
            for (let i = 0; i < x.length; i++) x[i] = x[i] * 0.5 + i;
            batches++;
          }
        } catch (err) {
          parentPort.postMessage({ batches, code: err.code, message: err.message });
        }
      });`;
    // Workers cannot import .ts: vitest runs this file from source, so load the compiled module.
    const compiled = moduleUrl.replace('/warehouse/cancel/cancel-flag.ts', '/dist/warehouse/cancel/cancel-flag.js');
    const worker = new Worker(source, { eval: true, workerData: { moduleUrl: compiled, buffer: flag.buffer } });
    try {
      const started = new Promise<void>((resolve) => worker.once('message', () => resolve()));
      const done = new Promise<{ batches: number; code: string; message: string }>((resolve, reject) => {
        worker.on('message', (m) => m !== 'started' && resolve(m));
        worker.on('error', reject);
      });
      await started;
      await new Promise((r) => setTimeout(r, 50));
      const canceledAt = performance.now();
      flag.cancel(CancelReason.CLIENT);
      const answer = await done;
      expect(performance.now() - canceledAt).toBeLessThan(1000);
      expect(answer.batches).toBeGreaterThan(0);
      expect([answer.code, answer.message]).toEqual(['000604', 'SQL execution canceled']);
    } finally {
      await worker.terminate();
    }
  });

  it('shares a progress counter: rows added on one view are seen on every view of the buffer', () => {
    const flag = CancelFlag.create();
    const other = CancelFlag.of(flag.buffer);
    expect(flag.progress()).toBe(0);
    flag.addProgress(65_536);
    other.addProgress(3_000_000_000);
    expect(other.progress()).toBe(3_000_065_536);
    expect(flag.progress()).toBe(3_000_065_536);
    expect(flag.cancelled).toBe(false);
  });

  it('counts progress: one per checkpoint that lets its batch run, plus addProgress, and none once canceled', () => {
    const flag = CancelFlag.create();
    expect(flag.progress()).toBe(0);
    CancelFlag.checkpoint(); // none active: counts nothing
    CancelFlag.within(flag, () => {
      CancelFlag.checkpoint();
      CancelFlag.checkpoint();
    });
    flag.addProgress(2 ** 40);
    expect(flag.progress()).toBe(2 + 2 ** 40);
    // Another view of the same memory (as a worker thread has) sees the same count.
    expect(CancelFlag.of(flag.buffer).progress()).toBe(2 + 2 ** 40);
    flag.cancel(CancelReason.CLIENT);
    expect(() => CancelFlag.within(flag, () => CancelFlag.checkpoint())).toThrow('SQL execution canceled');
    expect(flag.progress()).toBe(2 + 2 ** 40);
  });

  it('runTask: interleaved tasks on one thread each checkpoint against their own flag', async () => {
    const a = CancelFlag.create();
    const b = CancelFlag.create();
    const events: string[] = [];
    const turn = () => new Promise<void>((r) => setImmediate(r));
    const task = (name: string, flag: CancelFlag) =>
      CancelFlag.runTask(flag, async () => {
        for (let i = 0; i < 4; i++) {
          CancelFlag.checkpoint();
          events.push(`${name}${i}`);
          await turn();
        }
      });
    const runA = task('a', a).then(
      () => 'finished',
      (err: unknown) => (err as Error).message,
    );
    const runB = task('b', b);
    a.cancel(CancelReason.CLIENT);
    await runB;
    expect(await runA).toBe('SQL execution canceled');
    // b ran all its batches, with a canceled in between; a stopped at its next checkpoint.
    expect(events.filter((e) => e.startsWith('b'))).toEqual(['b0', 'b1', 'b2', 'b3']);
    expect(events.filter((e) => e.startsWith('a'))).toEqual(['a0']);
    expect(events.slice(0, 2)).toEqual(['a0', 'b0']);
    // Each flag counted only its own task's checkpoints; none is active outside the tasks.
    expect([a.progress(), b.progress()]).toEqual([1, 4]);
    CancelFlag.checkpoint();
  });
});
