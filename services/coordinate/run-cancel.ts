/**
 * The cancellation of one run of a stage plan: what every task of the run gets as its
 * `cancel` (worker-slot.ts). It follows the statement's Deadline (timeout, client gone:
 * services/session/deadline.ts) and can also be canceled on its own, when one task of the run
 * failed or the consumer of the result stopped reading, without canceling the request's other
 * statements.
 *
 * Contract: `flag` has the deadline's time limit (workers see a timeout by themselves) and is
 * set with the deadline's reason as soon as the deadline fires; `stop()` sets it to ABANDONED
 * (the first reason wins) and fires `signal`, so queued tasks never start and running ones stop
 * at their next batch, with the CancelReason as its reason (as the Deadline's). `close()`
 * detaches from the deadline.
 */
import { CancelFlag, CancelReason } from '../../warehouse/cancel/cancel-flag.js';
import type { TaskCancel } from '../../warehouse/pool/worker-slot.js';
import type { Deadline } from '../session/deadline.js';

export class RunCancel implements TaskCancel {
  readonly flag: CancelFlag;
  private readonly controller = new AbortController();
  private readonly onParent = () => this.stop(this.parent!.flag.reason || CancelReason.ABANDONED);

  constructor(private readonly parent: Deadline | null) {
    this.flag = parent ? CancelFlag.linked(parent.flag) : CancelFlag.create(0);
    if (parent?.expired) this.onParent();
    else parent?.signal.addEventListener('abort', this.onParent, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Canceled (by the deadline, a failure or stop()). */
  get stopped(): boolean {
    if (this.flag.cancelled && !this.controller.signal.aborted) this.controller.abort(this.flag.reason);
    return this.flag.cancelled;
  }

  stop(reason: Exclude<CancelReason, 0> = CancelReason.ABANDONED): void {
    this.flag.cancel(reason);
    if (!this.controller.signal.aborted) this.controller.abort(this.flag.reason);
  }

  close(): void {
    this.parent?.signal.removeEventListener('abort', this.onParent);
  }
}
