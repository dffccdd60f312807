/**
 * Lets a worker thread's event loop turn while a task runs. A worker runs tasks of several
 * statements at once (worker-slot.ts); their pipelines are async generators that, over
 * cached data, only ever await microtasks, so without a turn a long task would keep the
 * thread until it ends: a newly dispatched task's message would wait in the port, and tasks
 * already running would not get their share.
 *
 * Contract: `eventLoopTurn(now)` answers null until TURN_SLICE_MS have passed on this thread
 * since the last turn it gave, then a promise that resolves from a macrotask (setImmediate,
 * after the loop's poll phase has received pending messages and I/O), so awaiting it lets
 * every other task on the thread run up to its own next turn. Callers check it at batch
 * boundaries (Operator.batches) with the time they already measured: a turn costs one
 * timestamp compare per batch and one setImmediate per slice, never per row.
 */

/** CPU time a worker thread gives its running tasks between two event-loop turns. */
export const TURN_SLICE_MS = 4;

let sliceStart = 0;

export function eventLoopTurn(now: number): Promise<void> | null {
  if (now - sliceStart < TURN_SLICE_MS) return null;
  sliceStart = now;
  return new Promise((resolve) => setImmediate(resolve));
}
