/**
 * RESULT_SCAN('<query id>'), the engine's half: before a statement binds, every RESULT_SCAN
 * table function it calls (anywhere: FROM, joins, subqueries, CTEs, DML sources) has its earlier
 * result read here, through the statement store's `resultOf` or from an earlier statement of the
 * same request, so the binder (services/plan/result-scan.ts) stays synchronous.
 *
 * Contract: `readResultScans` answers null when the statement calls no RESULT_SCAN, else the
 * results by query id. The argument must be a string constant (LAST_QUERY_ID(n) is one by then:
 * session-functions.ts), else TYPE_MISMATCH. A result `lookup` does not find (unknown id,
 * another user's statement, one that failed or is still running, or no longer kept) is
 * RESULT_NOT_AVAILABLE. A result of more than MAX_RESULT_SCAN_ROWS rows is NOT_SUPPORTED: the
 * rows are held in memory, as the batches the statement's plan sends its warehouse.
 */
import { NotSupportedError } from '../../storage/errors/firn-error.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import { notAvailable, RESULT_SCAN, resultScanId } from '../plan/result-scan.js';
import type { Statement, TableFunctionArg } from '../sql/ast.js';
import type { ResultScans, ScannedResult } from './statement-result.js';

/** The most rows RESULT_SCAN reads from one result (they are held in memory while the statement runs). */
export const MAX_RESULT_SCAN_ROWS = 1_000_000;

/** A finished statement's result, or undefined when the caller may not read it (statement-store.ts `resultOf`). */
export type ResultLookup = (queryId: string) => { columns: Column[]; batches(): AsyncIterable<Batch> } | undefined;

export async function readResultScans(st: Statement, lookup: ResultLookup): Promise<ResultScans | null> {
  const ids = new Set<string>();
  collectIds(st, ids);
  if (ids.size === 0) return null;
  const scans = new Map<string, ScannedResult>();
  for (const id of ids) {
    const result = lookup(id);
    if (!result) throw notAvailable(id);
    const batches: Batch[] = [];
    let rows = 0;
    for await (const batch of result.batches()) {
      rows += batch.length;
      if (rows > MAX_RESULT_SCAN_ROWS) throw new NotSupportedError(`RESULT_SCAN of a result of more than ${MAX_RESULT_SCAN_ROWS} rows (statement '${id}')`);
      batches.push(batch);
    }
    scans.set(id, { columns: result.columns, batches });
  }
  return scans;
}

function collectIds(node: unknown, ids: Set<string>): void {
  if (Array.isArray(node)) {
    for (const n of node) collectIds(n, ids);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  const name = o.name as { parts?: unknown } | undefined;
  if (o.kind === 'function' && Array.isArray(o.args) && Array.isArray(name?.parts) && name.parts.length === 1 && name.parts[0] === RESULT_SCAN) {
    ids.add(resultScanId(o.args as TableFunctionArg[]));
  }
  for (const v of Object.values(o)) collectIds(v, ids);
}
