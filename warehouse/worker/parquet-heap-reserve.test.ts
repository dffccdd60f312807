import { describe, expect, it } from 'vitest';
import { PARQUET_HEAP_RESERVE_BYTES, parquetHeapReserve } from './parquet-heap-reserve.js';

describe('parquetHeapReserve', () => {
  it('reserves 128 MiB, at most a quarter of the worker\'s memory cache share', () => {
    expect(parquetHeapReserve(8 * 2 ** 30)).toBe(PARQUET_HEAP_RESERVE_BYTES);
    expect(parquetHeapReserve(64 * 2 ** 20)).toBe(16 * 2 ** 20);
    expect(parquetHeapReserve(0)).toBe(0);
  });
});
