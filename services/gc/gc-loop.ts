/**
 * Garbage collection in the background and on demand, one run at a time.
 *
 * Contract: `start()` schedules a run every `intervalSeconds` (0: never in the background)
 * on an unref'd timer, so a server with nothing else to do exits normally; the next run is
 * scheduled only once the previous one finished. `run()` (SYSTEM$COLLECT_GARBAGE()) runs one
 * collection now, after the one in progress if any, and answers its result. A background
 * run that fails is dropped (the next one retries); an on-demand one fails its caller.
 * `stop()` cancels the timer and waits for the run in progress.
 */
import type { GcResult } from './collect-garbage.js';

export class GcLoop {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The run in progress (or the last one), which the next run waits for. */
  private last: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly collect: () => Promise<GcResult>,
    private readonly intervalSeconds: number,
  ) {}

  start(): void {
    this.schedule();
  }

  run(): Promise<GcResult> {
    const next = this.last.then(
      () => this.collect(),
      () => this.collect(),
    );
    this.last = next.catch(() => undefined);
    return next;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.last;
  }

  private schedule(): void {
    if (this.stopped || this.intervalSeconds <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run()
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, this.intervalSeconds * 1000);
    this.timer.unref();
  }
}
