import { describe, expect, it } from 'vitest';
import type { StageScan } from '../../warehouse/fragment/stage-plan.js';
import { assignFixed, assignRanges } from './range-assignment.js';

describe('assignRanges', () => {
  const unit = (partitionId: number, rowCount: number) => ({ partitionId, objectKey: `p${partitionId}`, rowCount, byteSize: 10, etag: null, filterMode: 'all' as const });
  const ids = (tasks: { partitionId: number }[][]) => tasks.map((t) => t.map((u) => u.partitionId));

  it('gives each task a contiguous stretch of the units in their order, of near-equal rows', () => {
    const units = [unit(9, 100), unit(3, 100), unit(7, 100), unit(1, 100), unit(5, 100), unit(2, 100)];
    const runs = new Map(units.map((u, i) => [u.partitionId, i]));
    expect(ids(assignRanges(units, runs, 2))).toEqual([[9, 3, 7], [1, 5, 2]]);
    expect(ids(assignRanges(units, runs, 3))).toEqual([[9, 3], [7, 1], [5, 2]]);
    // Rows, not units, are balanced.
    const skewed = [unit(1, 500), unit(2, 100), unit(3, 100), unit(4, 100), unit(5, 100), unit(6, 100)];
    expect(ids(assignRanges(skewed, new Map(skewed.map((u, i) => [u.partitionId, i])), 2))).toEqual([[1], [2, 3, 4, 5, 6]]);
  });

  it('never splits a run, even where the row balance would cut it', () => {
    const units = [unit(1, 100), unit(2, 100), unit(3, 100), unit(4, 100)];
    // Units 2 and 3 may share a key value (run 1): they go to one task.
    expect(ids(assignRanges(units, new Map([[1, 0], [2, 1], [3, 1], [4, 2]]), 2))).toEqual([[1, 2, 3], [4]]);
    expect(ids(assignRanges(units, new Map([[1, 0], [2, 0], [3, 0], [4, 0]]), 2))).toEqual([[1, 2, 3, 4], []]);
  });
});

describe('assignFixed', () => {
  const unit = (partitionId: number) => ({ partitionId, objectKey: `p${partitionId}`, rowCount: 100, byteSize: 10, etag: null, filterMode: 'all' as const });
  const ids = (tasks: { partitionId: number }[][]) => tasks.map((t) => t.map((u) => u.partitionId));
  const scan: StageScan = {
    units: [unit(4), unit(2), unit(8), unit(6)],
    zoneMaps: [],
    partitionsTotal: 4,
    predicate: null,
    assign: { column: 'K', runs: [0, 1, 2, 3], tasks: [0, 0, 1, 2] },
  };

  it('keeps each unit on the task the planner fixed, for any subset runtime filters leave', () => {
    expect(ids(assignFixed(scan.units, scan, 3))).toEqual([[4, 2], [8], [6]]);
    expect(ids(assignFixed([unit(2), unit(6)], scan, 3))).toEqual([[2], [], [6]]);
  });

  it('gives the last task the units of tasks past it (as a range exchange gives it their rows)', () => {
    expect(ids(assignFixed(scan.units, scan, 2))).toEqual([[4, 2], [8, 6]]);
  });
});
