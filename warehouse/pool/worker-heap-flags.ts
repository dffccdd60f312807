/**
 * V8 heap settings for warehouse worker threads.
 *
 * A worker's JS heap stays small (tens of MiB: typed arrays hold the data outside it), so
 * V8's default limits make it collect all the time: a 1 MiB young generation scavenges every
 * few batches, and an old-generation limit computed from a ~25 MiB heap starts a full
 * mark-compact every ~80 ms of a join-heavy query (TPC-H Q9 on SMALL: 65 of them in five
 * runs, their concurrent marking on V8's helper threads taking CPU from the other worker).
 *  - min_semi_space_size = 16 MiB: the young generation starts at its working size;
 *  - initial_old_space_size = 512 MiB: no mark-compact before the old generation holds that
 *    much (a smaller per-worker heap cap, FIRN_WORKER_HEAP_BYTES, still wins).
 * Over the TPC-H SF1 suite on SMALL this cut process CPU by ~17%.
 *
 * Contract: `configureWorkerHeaps()` sets the flags process-wide, once, before the first
 * worker starts. V8 reads them when it creates an isolate, so every worker thread created
 * afterwards has them; the services thread's heap, created at startup, keeps V8's defaults.
 */
import v8 from 'node:v8';

export const WORKER_HEAP_FLAGS = ['--min-semi-space-size=16', '--initial-old-space-size=512'] as const;

let configured = false;

export function configureWorkerHeaps(): void {
  if (configured) return;
  configured = true;
  for (const flag of WORKER_HEAP_FLAGS) v8.setFlagsFromString(flag);
}
