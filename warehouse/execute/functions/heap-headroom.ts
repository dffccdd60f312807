/**
 * Stops a statement whose string results would fill the worker's JavaScript heap, before V8
 * reaches its limit.
 *
 * Why: a worker's heap limit (FIRN_WORKER_HEAP_BYTES) is meant to end only that worker
 * (ERR_WORKER_OUT_OF_MEMORY, answered 53200 by warehouse-pool.ts), but Node's termination is
 * best-effort: depending on the allocation's shape V8 can abort the whole process instead
 * ("FATAL ERROR: Reached heap limit", nodejs/node#47224; on Node 24 for
 * `SELECT UPPER(LPAD(s, 10000000, '-')) FROM words`). Strings are the one result that lives in
 * the JS heap rather than in typed arrays, so the kernels that make them count what they make.
 *
 * Contract: `reserveStringHeap(units)` is called with the UTF-16 length of a string about to be
 * (or just) built. Every CHECK_EVERY_UNITS units, or at once for one large string, it reads
 * the heap's use; when that plus `units` bytes would pass HEADROOM_FRACTION of the heap's limit
 * (a worker's old generation limit, else V8's heap_size_limit)
 * it throws RESOURCE_EXHAUSTED (53200) and the statement fails cleanly, the worker kept.
 */
import { getHeapStatistics } from 'node:v8';
import { resourceLimits } from 'node:worker_threads';
import { ResourceError } from '../../../storage/errors/firn-error.js';

/** Units built between two looks at the heap (a look costs a few microseconds). */
const CHECK_EVERY_UNITS = 1 << 20;
/** The share of the heap's limit string results may bring it to. */
const HEADROOM_FRACTION = 0.8;

/** A worker's old generation is what its heap limit bounds; heap_size_limit adds the young one. */
const OLD_GENERATION_LIMIT = resourceLimits.maxOldGenerationSizeMb === undefined ? Infinity : resourceLimits.maxOldGenerationSizeMb * 2 ** 20;

let unitsSinceCheck = 0;

export function reserveStringHeap(units: number): void {
  unitsSinceCheck += units;
  if (unitsSinceCheck < CHECK_EVERY_UNITS) return;
  unitsSinceCheck = 0;
  const heap = getHeapStatistics();
  const limit = Math.min(heap.heap_size_limit, OLD_GENERATION_LIMIT);
  if (heap.used_heap_size + units <= limit * HEADROOM_FRACTION) return;
  const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
  throw new ResourceError(
    'RESOURCE_EXHAUSTED',
    `A warehouse worker ran out of memory for the statement's strings (${mib(heap.used_heap_size)} MiB of its ${mib(limit)} MiB heap in use, FIRN_WORKER_HEAP_BYTES): the statement was stopped before the heap's limit`,
  );
}
