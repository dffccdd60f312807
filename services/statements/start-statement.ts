/**
 * Runs a statement into the statement store, detached from whoever submitted it: the SQL API
 * answers from the store (at once with 202 for `async`, or once the statement settles or
 * passes its wait threshold), the driver protocol the same way.
 *
 * Contract: `startStatement` registers the statement (running) and returns it at once; the
 * run continues in the background: the runner executes the request with the statement's
 * cancel signal, a query's stream is read to its end into the store batch by batch (each
 * append awaited, so a result written to disk slows the warehouse instead of growing memory),
 * other answers are stored whole, and the statement settles succeeded (stats, context, the
 * handles of a multi-statement request) or failed. Each statement of a multi-statement
 * request is recorded as its own succeeded statement with its own result as soon as it ran
 * (StatementRequest.onStatementDone), so the statements that ran before a failing one
 * answer by their handles. Nothing it does throws to the caller.
 */
import { FirnError } from '../../storage/errors/firn-error.js';
import { withRunProgress } from '../coordinate/run-progress.js';
import type { StatementResult } from '../session/statement-result.js';
import type { StatementRequest, StatementRunner } from '../session/statement-request.js';
import type { StatementStore, StoredStatement } from './statement-store.js';

export type StartOptions = {
  /** The request, without its signal (the statement's cancel signal is used) and statement callback. */
  request: Omit<StatementRequest, 'signal' | 'onStatementDone'>;
  /** The statement's owner: only they see it. */
  user: string;
  requestId?: string | null;
  /** Called with every unexpected failure (a bug, with its stack), for the server's log. */
  log?: (line: string) => void;
};

export function startStatement(store: StatementStore, runner: StatementRunner, opts: StartOptions): StoredStatement {
  const st = store.begin({ queryId: opts.request.queryId, user: opts.user, requestId: opts.requestId ?? null });
  // Its stage plan runs count into st.live as they go (run-progress.ts): the progress a poll shows.
  void withRunProgress(st.live, () => run(store, runner, st, opts)).catch((err: unknown) => {
    opts.log?.(`statement ${st.queryId}: storing its outcome failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  });
  return st;
}

async function run(store: StatementStore, runner: StatementRunner, st: StoredStatement, opts: StartOptions): Promise<void> {
  try {
    // Each statement of a multi-statement request answers under its own handle, from the
    // moment it ran (also when a later one fails).
    const recordOne = async (one: StatementResult): Promise<void> => {
      if (store.get(one.queryId, opts.user) !== undefined) return;
      await store.record({ queryId: one.queryId, user: opts.user, columns: one.columns, batches: [one.batch], stats: one.stats, context: one.context });
    };
    const result = await runner.execute({ ...opts.request, signal: st.signal, onStatementDone: recordOne });
    for (const one of result.statements ?? []) await recordOne(one);
    store.openResult(st, result.columns);
    if (result.stream) {
      for await (const batch of result.stream) await store.append(st, batch);
    } else {
      await store.append(st, result.batch);
    }
    const handles = result.statements?.map((s) => s.queryId);
    await store.settle(st, { stats: result.stats, context: result.context, ...(handles ? { statementHandles: handles } : {}) });
  } catch (err) {
    // A failure that is no FirnError is a bug: its stack goes to the log once.
    if (!(err instanceof FirnError)) opts.log?.(`statement ${st.queryId} failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await store.settle(st, { error: err });
  }
}
