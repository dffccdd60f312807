/**
 * A request's cancellation: its time limit, the SQL API's `timeout` (seconds; 0 or absent
 * means none, as Snowflake's STATEMENT_TIMEOUT_IN_SECONDS), and the client going away
 * before the answer (the HTTP layer's `signal`). Either one cancels the request's statements:
 * the Deadline sets its CancelFlag (shared memory the warehouse workers check once per batch,
 * warehouse/cancel/cancel-flag.ts) and fires its AbortSignal (the warehouse pool drops the
 * statement's queued tasks, so they never start). Services also check it between plan
 * operators and right before a write commits (the check and the catalog commit are one
 * synchronous step, so a canceled statement never commits).
 *
 * Contract: `check()` throws ResourceError STATEMENT_TIMEOUT (000630, SQLSTATE 57014) once
 * `seconds` have passed since the deadline was made, or CANCELED (000604, 57014) once the
 * client's signal fired (or `abort()` was called). `close()` (when the request has answered) stops its timer and stops
 * any task of it still running. `signal`'s reason is the CancelReason: aborting without one
 * would make a DOMException, a stack trace per statement (57 µs of a SELECT 1's 2.5 ms).
 */
import { CancelFlag, CancelReason } from '../../warehouse/cancel/cancel-flag.js';
import type { TaskCancel } from '../../warehouse/pool/worker-slot.js';

const MAX_TIMER_MS = 2 ** 31 - 1;

export class Deadline implements TaskCancel {
  readonly flag: CancelFlag;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | null;
  private readonly client: AbortSignal | null;
  private readonly onClientAbort = () => this.cancel(CancelReason.CLIENT);

  constructor(
    readonly seconds: number,
    client: AbortSignal | null = null,
  ) {
    this.flag = CancelFlag.create(seconds);
    // Past setTimeout's range (~24.8 days) a timer would fire at once; the flag still sees the deadline.
    this.timer = seconds > 0 && seconds * 1000 <= MAX_TIMER_MS ? setTimeout(() => this.cancel(CancelReason.TIMEOUT), seconds * 1000) : null;
    this.timer?.unref();
    this.client = client;
    if (client?.aborted) this.cancel(CancelReason.CLIENT);
    else client?.addEventListener('abort', this.onClientAbort, { once: true });
  }

  /** A deadline for `seconds` (0, absent: no time limit) that the client's `signal` also cancels. */
  static of(seconds: number | null | undefined, client: AbortSignal | null = null): Deadline {
    return new Deadline(seconds ?? 0, client);
  }

  /** Fires when the request is canceled (timeout or client gone). */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once canceled: past the timeout or the client gone. */
  get expired(): boolean {
    if (this.flag.cancelled && !this.controller.signal.aborted) this.controller.abort(this.flag.reason);
    return this.flag.cancelled;
  }

  check(): void {
    if (this.expired) throw this.flag.error();
  }

  /** Cancels the request as its client would (CANCELED, 000604): ALTER WAREHOUSE ... ABORT ALL QUERIES. */
  abort(): void {
    this.cancel(CancelReason.CLIENT);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.client?.removeEventListener('abort', this.onClientAbort);
    this.cancel(CancelReason.ABANDONED);
  }

  private cancel(reason: Exclude<CancelReason, 0>): void {
    this.flag.cancel(reason);
    if (!this.controller.signal.aborted) this.controller.abort(this.flag.reason);
  }
}
