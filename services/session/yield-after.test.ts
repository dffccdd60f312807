import { describe, expect, it } from 'vitest';
import { SLICE_MS, yieldAfter } from './yield-after.js';

/** Keeps the thread busy for `ms` (a synchronous step). */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('yieldAfter', () => {
  it('after a step of SLICE_MS or more, lets waiting callbacks run before the next step', async () => {
    const order: string[] = [];
    const started = performance.now();
    setImmediate(() => order.push('waiting callback'));
    busy(SLICE_MS + 1);
    const next = await yieldAfter(started);
    order.push('next step');
    expect(order).toEqual(['waiting callback', 'next step']);
    expect(next).toBeGreaterThanOrEqual(started + SLICE_MS);
  });

  it('after a short step, goes straight on', async () => {
    const order: string[] = [];
    const immediate = setImmediate(() => order.push('waiting callback'));
    await yieldAfter(performance.now());
    order.push('next step');
    expect(order).toEqual(['next step']);
    clearImmediate(immediate);
  });
});
