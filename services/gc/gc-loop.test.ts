import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GcResult } from './collect-garbage.js';
import { GcLoop } from './gc-loop.js';

const result = (n: number): GcResult => ({ objectsDeleted: n, bytesFreed: 0, catalogRowsPurged: 0, unknownObjectsDeleted: 0 });

/** A collector whose runs finish when the test says so, recording overlaps. */
function gate() {
  const pending: (() => void)[] = [];
  const log: string[] = [];
  let active = 0;
  let runs = 0;
  const collect = (): Promise<GcResult> => {
    const n = ++runs;
    active++;
    log.push(`start ${n} (${active} running)`);
    return new Promise((resolve, reject) => {
      pending.push(() => {
        active--;
        log.push(`end ${n}`);
        if (n === 2) reject(new Error('store down'));
        else resolve(result(n));
      });
    });
  };
  const finishNext = async () => {
    // Let queued continuations start the next run first.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    pending.shift()!();
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { collect, log, finishNext };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('GcLoop', () => {
  it('runs on demand one collection at a time, after the one in progress; a failure fails only its caller', async () => {
    const g = gate();
    const loop = new GcLoop(g.collect, 0);
    const first = loop.run();
    const second = loop.run();
    const third = loop.run();
    await g.finishNext();
    await g.finishNext();
    await g.finishNext();
    await expect(first).resolves.toEqual(result(1));
    await expect(second).rejects.toThrow('store down');
    await expect(third).resolves.toEqual(result(3));
    expect(g.log).toEqual(['start 1 (1 running)', 'end 1', 'start 2 (1 running)', 'end 2', 'start 3 (1 running)', 'end 3']);
    await loop.stop();
  });

  it('runs in the background every interval, scheduling the next run once the previous ended, until stopped', async () => {
    vi.useFakeTimers();
    const g = gate();
    const loop = new GcLoop(g.collect, 300);
    loop.start();
    await vi.advanceTimersByTimeAsync(299_000);
    expect(g.log).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(g.log).toEqual(['start 1 (1 running)']);
    // Still running: no second run however long it takes.
    await vi.advanceTimersByTimeAsync(900_000);
    expect(g.log).toEqual(['start 1 (1 running)']);
    await g.finishNext();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(g.log).toEqual(['start 1 (1 running)', 'end 1', 'start 2 (1 running)']);
    // A failed background run is dropped; the loop goes on.
    await g.finishNext();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(g.log.slice(3)).toEqual(['end 2', 'start 3 (1 running)']);
    // stop() waits for the run in progress; nothing runs afterwards.
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    await g.finishNext();
    await stopping;
    await vi.advanceTimersByTimeAsync(3_000_000);
    expect(g.log.slice(5)).toEqual(['end 3']);
  });

  it('never runs in the background with an interval of 0', async () => {
    vi.useFakeTimers();
    const g = gate();
    const loop = new GcLoop(g.collect, 0);
    loop.start();
    await vi.advanceTimersByTimeAsync(10_000_000);
    expect(g.log).toEqual([]);
    await loop.stop();
  });
});
