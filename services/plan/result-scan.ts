/**
 * RESULT_SCAN('<query id>') in FROM (`TABLE(RESULT_SCAN(...))`), the binder's half: the rows of
 * an earlier statement's result, which the engine read before binding into the session's
 * `resultScans` (services/session/result-scans.ts), as a `batches` plan (columnar, as the result
 * was kept) with the result's columns and types, so WHERE, joins, aggregates and DML sources
 * work over it as over any table.
 *
 * Contract: `bindResultScan` returns the function's columns (named as the earlier result named
 * them, nullable) and plan; RESULT_NOT_AVAILABLE when the session holds no such result.
 * `resultScanId` is the query id a call names (its one argument, a string constant, else
 * TYPE_MISMATCH), shared with the engine's half.
 */
import { CompilationError, ResourceError } from '../../storage/errors/firn-error.js';
import type { Column } from '../../storage/types/schema.js';
import type { TableFunctionArg, TableRef } from '../sql/ast.js';
import type { BindContext } from './bind-context.js';
import type { LogicalPlan } from './logical-plan.js';

export function bindResultScan(ctx: BindContext, ref: Extract<TableRef, { kind: 'function' }>): { name: string; columns: Column[]; plan: LogicalPlan } {
  const id = resultScanId(ref.args);
  const result = ctx.session.resultScans?.get(id);
  if (!result) throw notAvailable(id);
  const columns = result.columns.map((c) => ({ ...c, nullable: true }));
  return { name: RESULT_SCAN, columns, plan: { kind: 'batches', columns, batches: result.batches } };
}

export const RESULT_SCAN = 'RESULT_SCAN';

/** The query id a RESULT_SCAN call names: its one argument, a string constant. */
export function resultScanId(args: TableFunctionArg[]): string {
  const arg = args.length === 1 && args[0].name === null ? args[0].expr : null;
  if (arg?.kind !== 'string') throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${RESULT_SCAN} takes one argument, a query id as a string constant or LAST_QUERY_ID()`);
  return arg.value;
}

export function notAvailable(queryId: string): ResourceError {
  return new ResourceError('RESULT_NOT_AVAILABLE', `The result of statement '${queryId}' is not available: no statement of yours with that id has a result that is still kept.`);
}
