/**
 * How much parquet-wasm heap a warehouse worker reserves as it starts
 * (storage/arrow/parquet-wasm.ts reserveParquetHeap): the first decode or encode in a thread
 * would otherwise fault in ~130 MiB of fresh wasm memory while a statement waits for it.
 * Reserving moves that cost to the worker's start, before any statement runs on it.
 *
 * Contract: PARQUET_HEAP_RESERVE_BYTES, but at most a quarter of the worker's memory cache
 * budget (WorkerConfig.memoryCacheBytes, the warehouse's split across its slots), so a
 * warehouse of many slots on a small machine reserves little.
 */
export const PARQUET_HEAP_RESERVE_BYTES = 128 * 2 ** 20;

export function parquetHeapReserve(memoryCacheBytes: number): number {
  return Math.max(0, Math.min(PARQUET_HEAP_RESERVE_BYTES, Math.floor(memoryCacheBytes / 4)));
}
