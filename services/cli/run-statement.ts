/**
 * One statement as the CLI runs it: PUT and GET in the client (stage-transfer.ts), every
 * other statement on the server. Answers the outcome to print and the session context after
 * it (the server's, so USE sticks; unchanged after PUT and GET).
 */
import { FirnError } from '../../storage/errors/firn-error.js';
import type { SessionContext } from '../session/statement-result.js';
import type { FirnClient } from './firn-client.js';
import type { PrintableOutcome } from './print-result.js';
import { parseTransferStatement, runTransfer } from './stage-transfer.js';

export async function runStatement(client: FirnClient, statement: string, context: SessionContext): Promise<{ outcome: PrintableOutcome; context: SessionContext }> {
  let transfer;
  try {
    transfer = parseTransferStatement(statement);
  } catch (err) {
    if (!(err instanceof FirnError)) throw err;
    return { outcome: { kind: 'failed', status: 0, code: err.code, sqlState: err.sqlState, message: err.message }, context };
  }
  if (transfer) {
    const done = await runTransfer(client, transfer, context);
    return { outcome: done.kind === 'ok' ? { kind: 'ok', result: done.value } : done, context };
  }
  const outcome = await client.execute(statement, context);
  return { outcome, context: outcome.kind === 'ok' && outcome.result.context ? outcome.result.context : context };
}
