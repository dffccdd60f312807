import { describe, expect, it } from 'vitest';
import { eventLoopTurn, TURN_SLICE_MS } from './event-loop-turn.js';

/** Spins the CPU for `ms`: one batch's work. */
function work(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('eventLoopTurn', () => {
  it('lets macrotasks run during a pipeline that otherwise awaits only microtasks', async () => {
    const seen: string[] = [];
    setImmediate(() => seen.push('immediate'));
    let batches = 0;
    // Without the turns, this loop would never let the immediate run (it ends by its count).
    while (!seen.includes('immediate') && batches < 10_000) {
      work(0.5);
      batches++;
      seen.push('batch');
      const turn = eventLoopTurn(performance.now());
      if (turn !== null) await turn;
      else await Promise.resolve();
    }
    expect(seen).toContain('immediate');
    // The immediate ran within a slice of CPU: a few batches, not the whole loop.
    expect(batches).toBeLessThan(10_000);
    expect(seen.indexOf('immediate')).toBeGreaterThan(0);
  });

  it('gives a turn once per slice, not per batch', async () => {
    const start = performance.now() + 60_000;
    const first = eventLoopTurn(start);
    expect(first).not.toBeNull();
    await first;
    expect(eventLoopTurn(start + 1)).toBeNull();
    expect(eventLoopTurn(start + TURN_SLICE_MS - 0.5)).toBeNull();
    const next = eventLoopTurn(start + TURN_SLICE_MS);
    expect(next).not.toBeNull();
    await next;
  });
});
