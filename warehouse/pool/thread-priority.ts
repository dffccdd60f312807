/**
 * The OS priority of warehouse worker threads. On a small machine a SMALL warehouse's
 * workers keep every core busy while a query runs; the services thread must still get a
 * core as soon as it wakes up, to answer /healthz, `SELECT 1`, the coordinator's next step
 * and the result stream within a few milliseconds. As Snowflake runs its cloud services
 * apart from the warehouses, each worker lowers its own priority (nice WORKER_NICE) as it
 * starts: when both want a core the scheduler picks the services thread, and when the
 * services thread is idle (nearly always) the workers get every core as before.
 *
 * V8's helper threads (garbage collection and compilation for every isolate of the process)
 * keep the default priority on purpose: the services thread's own collections wait for the
 * helpers that joined them, so lowering them would make its pauses longer, not shorter.
 *
 * Contract: Linux only. A thread's kernel id is read from /proc/thread-self; os.setPriority
 * given a thread id renices that thread alone (Linux keeps nice per thread). Raising nice
 * needs no privilege. Elsewhere, or when /proc or the system refuses, nothing changes and
 * the functions answer null / false: they never throw, so a worker always starts.
 */
import { readlinkSync } from 'node:fs';
import os from 'node:os';

/** The nice value of warehouse worker threads (0 is the default, 19 the lowest). */
export const WORKER_NICE = 10;

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
export function lowerThisThread(nice: number = WORKER_NICE): boolean {
  const tid = currentThreadId();
  return tid !== null && lowerThread(tid, nice);
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
