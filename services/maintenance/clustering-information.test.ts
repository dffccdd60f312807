import { describe, expect, it } from 'vitest';
import { clusteringStats, type KeyRange } from './clustering-information.js';

const r = (min: number | null, max: number | null): KeyRange => ({ min: min === null ? null : BigInt(min), max: max === null ? null : BigInt(max) });

/** The histogram Snowflake always prints ("00000".."00016") with `counts` on top. */
function histogram(counts: Record<string, number>): Record<string, number> {
  const h: Record<string, number> = {};
  for (let d = 0; d <= 16; d++) h[String(d).padStart(5, '0')] = 0;
  return { ...h, ...counts };
}

describe('clusteringStats', () => {
  it('a table without partitions has depth 0 and only the empty buckets', () => {
    expect(clusteringStats([])).toEqual({ totalPartitionCount: 0, totalConstantPartitionCount: 0, averageOverlaps: 0, averageDepth: 0, histogram: histogram({}) });
  });

  it('disjoint sorted partitions: depth 1, no overlap', () => {
    expect(clusteringStats([r(1, 10), r(11, 20), r(21, 30), r(31, 31)])).toEqual({
      totalPartitionCount: 4,
      totalConstantPartitionCount: 1,
      averageOverlaps: 0,
      averageDepth: 1,
      histogram: histogram({ '00001': 4 }),
    });
  });

  it('every partition over the whole range: each overlaps all others, depth n', () => {
    const ranges = Array.from({ length: 5 }, (_, i) => r(i, 100 + i));
    expect(clusteringStats(ranges)).toEqual({ totalPartitionCount: 5, totalConstantPartitionCount: 0, averageOverlaps: 4, averageDepth: 5, histogram: histogram({ '00005': 5 }) });
  });

  it('a chain: overlaps count neighbours, depth is the deepest point of each range (closed ranges)', () => {
    // [1,10] [5,15] [10,20] [30,40]: 10 lies in the first three; the last overlaps nothing.
    // overlaps 2,2,2,0 -> 1.5; depths 3,3,3,1 -> 2.5
    expect(clusteringStats([r(1, 10), r(5, 15), r(10, 20), r(30, 40)])).toEqual({
      totalPartitionCount: 4,
      totalConstantPartitionCount: 0,
      averageOverlaps: 1.5,
      averageDepth: 2.5,
      histogram: histogram({ '00001': 1, '00003': 3 }),
    });
  });

  it('depths past 16 go to the next power of two; averages round to 4 decimals; all-NULL partitions are constant', () => {
    const ranges = [...Array.from({ length: 20 }, () => r(0, 9)), r(50, 60), r(null, null), r(null, null)];
    const s = clusteringStats(ranges);
    expect(s.histogram).toEqual(histogram({ '00001': 1, '00002': 2, '00032': 20 }));
    expect(s.totalConstantPartitionCount).toBe(2);
    // overlaps: 20 x 19 + 0 + 1 + 1 = 382 over 23; depths 20 x 20 + 1 + 2 + 2 = 405 over 23
    expect(s.averageOverlaps).toBe(Math.round((382 / 23) * 10_000) / 10_000);
    expect(s.averageDepth).toBe(Math.round((405 / 23) * 10_000) / 10_000);
  });

  it('VARCHAR keys compare as strings', () => {
    const s = clusteringStats([{ min: 'a', max: 'm' }, { min: 'k', max: 'z' }, { min: 'za', max: 'zz' }]);
    expect([s.averageOverlaps, s.averageDepth]).toEqual([Math.round((2 / 3) * 10_000) / 10_000, Math.round((5 / 3) * 10_000) / 10_000]);
  });
});
