/**
 * How the CLI watches each statement it runs: a progress line on stderr when the CliIo says
 * so (a terminal), and a cancel on SIGINT for as long as the statement runs, so Ctrl-C stops
 * the statement rather than the CLI. The REPL also cancels through `abort` when its terminal
 * reports Ctrl-C (readline's own SIGINT event, as raw mode sends no signal).
 *
 * Contract: `watching(run)` runs one statement with a fresh signal, subscribed to SIGINT only
 * during the run and until the first SIGINT: a second one, while the cancel is under way, ends
 * the process as SIGINT does by default. `abort()` cancels the statement running now and
 * answers whether there was one.
 */
import type { CliIo } from './cli-io.js';
import { ProgressLine } from './progress-line.js';
import type { StatementWatch } from './run-statement.js';

export class StatementWatcher {
  private readonly progress: ProgressLine | null;
  private current: AbortController | null = null;

  constructor(private readonly io: CliIo) {
    this.progress = io.progress ? new ProgressLine(io.stderr, io.columns) : null;
  }

  async watching<T>(run: (watch: StatementWatch) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.current = controller;
    const unsubscribe = this.io.onInterrupt?.(() => {
      controller.abort();
      unsubscribe?.();
    });
    try {
      return await run({ progress: this.progress, signal: controller.signal });
    } finally {
      unsubscribe?.();
      this.current = null;
    }
  }

  abort(): boolean {
    if (this.current === null) return false;
    this.current.abort();
    return true;
  }
}
