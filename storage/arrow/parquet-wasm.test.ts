import { describe, expect, it } from 'vitest';
import { parquetWasm, reserveParquetHeap, reserveParquetHeapOnFirstUse } from './parquet-wasm.js';

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

describe('reserveParquetHeapOnFirstUse', () => {
  it('reserves nothing when called, and the bytes at the next parquetWasm() call, once', () => {
    const before = reserveParquetHeap(0);
    const ask = before + 48 * 2 ** 20;
    reserveParquetHeapOnFirstUse(ask);
    expect(reserveParquetHeap(0)).toBe(before);
    parquetWasm();
    const after = reserveParquetHeap(0);
    expect(after).toBeGreaterThanOrEqual(ask);
    // Once: a later call reserves nothing more.
    parquetWasm();
    expect(reserveParquetHeap(0)).toBe(after);
  });
});
