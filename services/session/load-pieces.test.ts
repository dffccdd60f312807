import { describe, expect, it } from 'vitest';
import { planLoadPieces, type LoadPiece } from './load-pieces.js';

/** Rows per worker under a plan (whole-file pieces count their file's rows). */
function rowsPerWorker(plan: LoadPiece[], fileRows: number[], workers: number): number[] {
  const load = new Array<number>(workers).fill(0);
  for (const p of plan) load[p.slot] += p.rows ? p.rows.end - p.rows.start : fileRows[p.file];
  return load;
}

/** Each file's pieces, in order, cover its rows exactly once. */
function expectCovered(plan: LoadPiece[], fileRows: number[]): void {
  fileRows.forEach((rows, f) => {
    const mine = plan.filter((p) => p.file === f);
    if (mine.length === 1 && mine[0].rows === null) return;
    let at = 0;
    for (const p of mine) {
      expect(p.rows!.start).toBe(at);
      expect(p.rows!.end).toBeGreaterThan(p.rows!.start);
      at = p.rows!.end;
    }
    expect(at).toBe(rows);
  });
  expect(plan.map((p) => p.file)).toEqual([...plan.map((p) => p.file)].sort((a, b) => a - b));
}

describe('planLoadPieces', () => {
  it('keeps whole files when they already balance (TPC-H lineitem: six files of 1M rows and a small one)', () => {
    const rows = [1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1215];
    const plan = planLoadPieces(rows, 200_000, 2);
    expect(plan.every((p) => p.rows === null)).toBe(true);
    expect(rowsPerWorker(plan, rows, 2)).toEqual([3_001_215, 3_000_000]);
  });

  it('cuts one big file into partition-aligned pieces, one per worker', () => {
    const rows = [800_000];
    const plan = planLoadPieces(rows, 200_000, 2);
    expect(plan.map((p) => p.rows)).toEqual([
      { start: 0, end: 400_000 },
      { start: 400_000, end: 800_000 },
    ]);
    expect(plan.map((p) => p.slot).sort()).toEqual([0, 1]);
  });

  it('balances files of unequal size (orders: 1M and 500K rows), every piece but a file\'s last starting and ending on a partition', () => {
    const rows = [1_000_000, 500_000];
    const plan = planLoadPieces(rows, 200_000, 2);
    expectCovered(plan, rows);
    for (const p of plan) if (p.rows && p.rows.end !== rows[p.file]) expect(p.rows.end % 200_000).toBe(0);
    const load = rowsPerWorker(plan, rows, 2);
    expect(Math.max(...load)).toBeLessThanOrEqual(800_000);
    expect(load[0] + load[1]).toBe(1_500_000);
  });

  it('splits a table smaller than one partition across the workers, but never below the minimum piece', () => {
    const plan = planLoadPieces([150_000], 200_000, 2);
    expect(plan.map((p) => p.rows)).toEqual([
      { start: 0, end: 75_000 },
      { start: 75_000, end: 150_000 },
    ]);
    expect(plan.map((p) => p.slot).sort()).toEqual([0, 1]);
    expect(planLoadPieces([90_000], 200_000, 2)).toEqual([{ file: 0, rows: null, slot: 0 }]);
    expect(planLoadPieces([10, 12], 3, 4)).toEqual([
      { file: 0, rows: null, slot: 0 },
      { file: 1, rows: null, slot: 1 },
    ]);
  });

  it('keeps files of unknown size whole, and everything whole on one worker', () => {
    const plan = planLoadPieces([null, 1_000_000], 200_000, 2);
    expect(plan[0]).toEqual({ file: 0, rows: null, slot: expect.any(Number) });
    expectCovered(plan.filter((p) => p.file === 1), [0, 1_000_000]);
    expect(new Set(plan.map((p) => p.slot)).size).toBe(2);
    expect(planLoadPieces([1_000_000, 500_000], 200_000, 1)).toEqual([
      { file: 0, rows: null, slot: 0 },
      { file: 1, rows: null, slot: 1 },
    ]);
  });

  it('honours a smaller minimum piece (tests)', () => {
    const rows = [120];
    const plan = planLoadPieces(rows, 20, 3, 10);
    expectCovered(plan, rows);
    expect(rowsPerWorker(plan, rows, 3)).toEqual([40, 40, 40]);
  });
});
