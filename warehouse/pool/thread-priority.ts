/**
 * The OS priority of the threads that do a query's heavy work. On a small machine a SMALL
 * warehouse's workers and V8's helper threads (garbage collection and compilation for every
 * isolate of the process) keep all cores busy while a query runs; the services thread must
 * still get a core as soon as it wakes up, to answer /healthz, `SELECT 1`, the coordinator's
 * next step and the result stream within a few milliseconds. As Snowflake runs its cloud
 * services apart from the warehouses, Firn runs those threads at a lower priority (nice
 * BACKGROUND_NICE): when both want a core, the scheduler picks the services thread, and
 * when the services thread is idle (nearly always) the workers get every core as before.
 *
 * V8's helpers go down with the workers, not only the workers: their work is the workers'
 * (optimizing compiles; garbage collection too when the server runs without
 * --single-threaded-gc, server-node-flags.ts), and helpers above the workers they work for
 * take those workers' cores (TPC-H SF1, SMALL warehouse, same server, modes alternated, before
 * that flag: with the workers alone lowered the helpers used ~40% more CPU and the 22 queries
 * ran up to 25% slower in some runs; with both lowered, query times matched the unchanged
 * server, and /healthz and SELECT 1 latencies were within run-to-run noise of the
 * workers-only setting). They go further down than the workers (HELPER_NICE says why).
 *
 * Contract: Linux only. A thread's kernel id is read from /proc/thread-self; os.setPriority
 * given a thread id renices that thread alone (Linux keeps nice per thread). Raising nice
 * needs no privilege. Elsewhere, or when /proc or the system refuses, nothing changes and
 * the functions answer false / []: they never throw, so a start never fails for them.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import os from 'node:os';

/** The nice value of warehouse workers (0 is the default, 19 the lowest). */
export const BACKGROUND_NICE = 10;

/**
 * The nice value of V8's helper threads (optimizing compiles) and libuv's thread pool: below
 * the workers. When a SMALL warehouse's two workers keep both cores busy, the compiles they
 * queue wait for a free core instead of taking one from a worker; where a core is free
 * (XSMALL, between stages, between queries) they run at once.
 *
 * Measured on the 2-core machine, TPC-H SF1, XSMALL and SMALL alternating (median of 11
 * pairs after 10 warm-up pairs, two server runs each way): with helpers at BACKGROUND_NICE,
 * SMALL ran Q18 in 152.8 / 115.7 ms, Q9 in 227.6 / 212.2 ms and Q6 in 61.4 / 58.9 ms; with
 * them at 19, in 106.1 / 109.1, 211.1 / 177.6 and 52.5 / 53.8 ms. XSMALL did not change.
 * The small late stages of Q18 on SMALL had taken 4-32 ms of wall time for 1-5 ms of CPU each:
 * a worker waited for a core while V8 still compiled the query's lukewarm functions (about 9
 * compiles per run after 40 runs).
 */
export const HELPER_NICE = 19;

/** This thread's kernel id (Linux), or null when it cannot be read. */
export function currentThreadId(): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const tid = Number(/\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'))?.[1]);
    return Number.isSafeInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** Lowers the calling thread's priority to `nice` (never raises it); true when it now runs at least that low. */
export function lowerThisThread(nice: number = BACKGROUND_NICE): boolean {
  const tid = currentThreadId();
  return tid !== null && lowerThread(tid, nice);
}

/**
 * Lowers the priority of every thread of this process that exists now except the calling
 * one. Called by the services (main) thread at start, before it creates threads of its own,
 * these are V8's platform threads (garbage collection and compilation helpers) and libuv's
 * thread pool (file system work). Answers the thread ids it lowered.
 */
export function lowerOtherThreads(nice: number = HELPER_NICE): number[] {
  const self = currentThreadId();
  if (self === null) return [];
  let tids: number[];
  try {
    tids = readdirSync('/proc/self/task').map(Number);
  } catch {
    return [];
  }
  return tids.filter((tid) => tid !== self && lowerThread(tid, nice));
}

function lowerThread(tid: number, nice: number): boolean {
  try {
    if (os.getPriority(tid) >= nice) return true;
    os.setPriority(tid, nice);
    return os.getPriority(tid) >= nice;
  } catch {
    return false;
  }
}
