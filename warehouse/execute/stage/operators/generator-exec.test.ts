import { describe, expect, it } from 'vitest';
import { generateBlocks } from './generator-exec.js';

/** Every ordinal the tasks of one generator answer, in task order, and the batch sizes. */
function ordinals(rowCount: number | null, tasks: number, blockRows: number, timeLimitMs: number | null = null): { values: number[]; sizes: number[] } {
  const values: number[] = [];
  const sizes: number[] = [];
  for (let t = 0; t < tasks; t++) {
    for (const b of generateBlocks({ rowCount, timeLimitMs, blockRows }, t, tasks)) {
      sizes.push(b.length);
      const v = b.columns[0];
      if (v.kind !== 'f64' || v.nulls !== null) throw new Error('expected an f64 vector without NULLs');
      values.push(...v.values);
    }
  }
  return { values, sizes };
}

describe('generator_exec blocks', () => {
  it('answer each ordinal below the row count exactly once, in bounded batches, for 1 to 4 tasks', () => {
    const all = Array.from({ length: 10 }, (_, i) => i);
    for (const tasks of [1, 2, 3, 4]) {
      const { values, sizes } = ordinals(10, tasks, 4);
      expect([...values].sort((a, b) => a - b)).toEqual(all);
      expect(sizes.every((s) => s <= 4)).toBe(true);
    }
  });

  it('give task t the blocks t, t + tasks, ...: task 1 of 2 over 10 rows in blocks of 3 makes 3..5 and 9', () => {
    const task1 = [...generateBlocks({ rowCount: 10, timeLimitMs: null, blockRows: 3 }, 1, 2)].map((b) => [...(b.columns[0] as { values: Float64Array }).values]);
    expect(task1).toEqual([[3, 4, 5], [9]]);
  });

  it('make no rows for ROWCOUNT 0, and more tasks than blocks leave the extra tasks empty', () => {
    expect(ordinals(0, 2, 4).values).toEqual([]);
    expect([...generateBlocks({ rowCount: 3, timeLimitMs: null, blockRows: 4 }, 1, 2)]).toEqual([]);
  });

  it('stop starting blocks once the time limit has passed (a limit of 0 makes none, even without a row count)', () => {
    expect(ordinals(null, 1, 4, 0).values).toEqual([]);
    const it = generateBlocks({ rowCount: null, timeLimitMs: 60_000, blockRows: 2 }, 0, 1);
    expect([...(it.next().value!.columns[0] as { values: Float64Array }).values]).toEqual([0, 1]);
    expect([...(it.next().value!.columns[0] as { values: Float64Array }).values]).toEqual([2, 3]);
  });
});
