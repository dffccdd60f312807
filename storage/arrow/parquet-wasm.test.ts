import { describe, expect, it } from 'vitest';
import { parquetWasm, reserveParquetHeap } from './parquet-wasm.js';

describe('reserveParquetHeap', () => {
  it('grows the wasm heap by the bytes asked, and later allocations reuse them instead of growing it again', () => {
    parquetWasm();
    const start = reserveParquetHeap(0);
    const reserved = reserveParquetHeap(32 * 2 ** 20);
    expect(reserved - start).toBeGreaterThanOrEqual(32 * 2 ** 20);
    // A smaller allocation after the reserve fits in the freed pages.
    expect(reserveParquetHeap(16 * 2 ** 20)).toBe(reserved);
    expect(reserveParquetHeap(32 * 2 ** 20)).toBe(reserved);
  });
});
