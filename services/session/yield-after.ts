/**
 * Bounded slices of work on the services thread. Parsing, binding and optimizing a large
 * query are synchronous steps of a few to tens of milliseconds each; run back to back they
 * keep everything else the thread serves (/healthz, `SELECT 1`, other statements' result
 * streams and coordination) waiting for their sum. Between two such steps a statement calls
 * `yieldAfter(started)`: when the step just done ran SLICE_MS or longer, it lets the event
 * loop first answer what is waiting (I/O callbacks run before setImmediate's), so a waiting
 * request waits for one step at most; after a short step (a `SELECT 1`'s parse) it goes
 * straight on.
 *
 * Contract: resolves with the time (performance.now()) the next step starts at; never
 * rejects.
 */

/** A step at least this long (ms) is followed by a turn of the event loop. */
export const SLICE_MS = 2;

export async function yieldAfter(started: number): Promise<number> {
  if (performance.now() - started >= SLICE_MS) await new Promise<void>((resolve) => setImmediate(resolve));
  return performance.now();
}
