/**
 * How many bytes of idle typed arrays a warehouse worker's array pool keeps
 * (warehouse/execute/batch/array-pool.ts setIdlePoolLimit). An aggregation's or a join's
 * state over millions of rows is hundreds of MiB of arrays; kept for the next statement, it
 * is neither allocated again nor a reason for V8's external-memory GCs, which otherwise take
 * a core's worth of helper threads from the other worker.
 *
 * Contract: IDLE_POOL_BYTES, but at most a quarter of the worker's memory cache budget
 * (WorkerConfig.memoryCacheBytes, the warehouse's split across its slots), as
 * parquet-heap-reserve.ts bounds its reserve.
 */
export const IDLE_POOL_BYTES = 256 * 2 ** 20;

export function idlePoolLimit(memoryCacheBytes: number): number {
  return Math.max(0, Math.min(IDLE_POOL_BYTES, Math.floor(memoryCacheBytes / 4)));
}
