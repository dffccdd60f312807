/**
 * A statement's time limit: the SQL API's `timeout` (seconds; 0 or absent means none), as
 * Snowflake's STATEMENT_TIMEOUT_IN_SECONDS. The engine checks it where a statement can stop
 * without leaving anything behind: before each plan operator runs and right before a write
 * commits (the check and the catalog commit are one synchronous step, so a statement that
 * timed out never commits). A worker task already running finishes first; its result is
 * dropped.
 *
 * Contract: `check()` throws ResourceError STATEMENT_TIMEOUT (000630, SQLSTATE 57014) once
 * `seconds` have passed since the deadline was made.
 */
import { ResourceError } from '../../storage/errors/firn-error.js';

export class Deadline {
  private readonly at: number;

  constructor(readonly seconds: number) {
    this.at = performance.now() + seconds * 1000;
  }

  /** A deadline for `seconds`, or null for none (0, absent). */
  static of(seconds: number | null | undefined): Deadline | null {
    return seconds ? new Deadline(seconds) : null;
  }

  get expired(): boolean {
    return performance.now() >= this.at;
  }

  check(): void {
    if (this.expired) {
      throw new ResourceError('STATEMENT_TIMEOUT', `Statement reached its statement or warehouse timeout of ${this.seconds} second(s) and was canceled.`);
    }
  }
}
