/**
 * Named crash points of a commit, for kill -9 tests (test/integration/crash-commit.test.ts).
 * With `FIRN_TEST_CRASH_AT=<point>` in the server's environment, the process kills itself with
 * SIGKILL the first time any thread reaches that point: no finally block, exit handler or
 * flush runs, as with a power cut. Without it (always, outside such tests) a call is one
 * string comparison. Lives under storage/ because both tiers call it: warehouse workers after
 * an object put, services around the catalog commit.
 */

/** The steps of a write, in order: an object is in the store, the commit is about to start, is inside its catalog transaction, has committed. */
export const CRASH_POINTS = {
  afterPut: 'after-put',
  beforeCommit: 'before-commit',
  inCommit: 'in-commit',
  afterCommit: 'after-commit',
} as const;

export type CrashPoint = (typeof CRASH_POINTS)[keyof typeof CRASH_POINTS];

/** Read once per thread; worker threads inherit the server's environment. */
const armed = process.env.FIRN_TEST_CRASH_AT;

/** Kills this process at once if the test armed `point`; returns otherwise. */
export function crashPoint(point: CrashPoint): void {
  if (armed === point) process.kill(process.pid, 'SIGKILL');
}
