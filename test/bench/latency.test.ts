import { describe, expect, it } from 'vitest';
import { percentile, summarize } from '../../bench/latency.js';

describe('percentile', () => {
  it('is the nearest-rank percentile of unsorted values', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 20)).toBe(1);
    expect(percentile(values, 21)).toBe(2);
    expect(percentile(values, 100)).toBe(5);
    expect(percentile(values, 0.1)).toBe(1);
  });

  it('takes the one slow sample in a hundred as p99 only when there are more than a hundred', () => {
    const hundred = [...Array.from({ length: 99 }, () => 1), 500];
    expect(percentile(hundred, 99)).toBe(1);
    expect(percentile([...hundred, 400], 99)).toBe(400);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('gives count, p50, p99 and max', () => {
    expect(summarize([3, 1, 2, 10])).toEqual({ count: 4, p50: 2, p99: 10, max: 10 });
    const empty = summarize([]);
    expect(empty.count).toBe(0);
    expect(empty.max).toBeNaN();
  });
});
