/**
 * One statement as the CLI runs it: PUT and GET in the client (stage-transfer.ts), every
 * other statement on the server. Answers the outcome to print and the session context after
 * it (the server's, so USE sticks; unchanged after PUT and GET).
 *
 * Watching (StatementWatch): with a ProgressLine, the statement's progress is drawn on it
 * while it runs (the server's stats, or PUT's files and bytes) and the line is erased before
 * runStatement answers, so the caller prints onto a clean line; with a signal, firing it
 * cancels the statement (firn-client.ts, stage-transfer.ts) and the outcome is the
 * cancellation the server reports.
 */
import { FirnError } from '../../storage/errors/firn-error.js';
import type { SessionContext } from '../session/statement-result.js';
import type { FirnClient } from './firn-client.js';
import { formatStatementProgress, formatTransferProgress } from './format-progress.js';
import type { PrintableOutcome } from './print-result.js';
import type { ProgressLine } from './progress-line.js';
import { parseTransferStatement, runTransfer } from './stage-transfer.js';

export type StatementWatch = { progress?: ProgressLine | null; signal?: AbortSignal };

export async function runStatement(client: FirnClient, statement: string, context: SessionContext, watch: StatementWatch = {}): Promise<{ outcome: PrintableOutcome; context: SessionContext }> {
  let transfer;
  try {
    transfer = parseTransferStatement(statement);
  } catch (err) {
    if (!(err instanceof FirnError)) throw err;
    return { outcome: { kind: 'failed', status: 0, code: err.code, sqlState: err.sqlState, message: err.message }, context };
  }
  const line = watch.progress ?? null;
  try {
    if (transfer) {
      const done = await runTransfer(client, transfer, context, {
        signal: watch.signal,
        ...(line ? { onProgress: (p) => line.draw(formatTransferProgress(p)) } : {}),
      });
      return { outcome: done.kind === 'ok' ? { kind: 'ok', result: done.value } : done, context };
    }
    const outcome = await client.execute(statement, context, {
      signal: watch.signal,
      ...(line ? { onProgress: (p) => line.draw(formatStatementProgress(p)) } : {}),
    });
    return { outcome, context: outcome.kind === 'ok' && outcome.result.context ? outcome.result.context : context };
  } finally {
    line?.clear();
  }
}
