/**
 * SYSTEM$ functions that act on the engine rather than compute over rows, such as
 * `SELECT SYSTEM$COLLECT_GARBAGE()`. Like Snowflake's, they are called in a SELECT without
 * FROM; the engine runs them in services, not as an expression in a warehouse.
 *
 * Contract: `systemCall(st)` recognises a statement that is exactly one such call: a query
 * whose body is a FROM-less SELECT of a single item (optionally aliased) that calls a SYSTEM$
 * function registered here, with no WHERE, GROUP BY, HAVING, QUALIFY, DISTINCT, WITH, ORDER BY
 * or LIMIT. Anything else (including an unknown SYSTEM$ name) is null, and binds as an
 * ordinary query, which reports an unknown function as usual. `runSystemCall` answers one
 * row of one column named after the alias, else after the call as written (upper-case).
 * - SYSTEM$COLLECT_GARBAGE(): runs one garbage collection now (gc-loop.ts, after the one in
 *   progress) and answers VARCHAR JSON {"objectsDeleted","bytesFreed","catalogRowsPurged",
 *   "unknownObjectsDeleted"}.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { GcResult } from '../gc/collect-garbage.js';
import { exprText } from '../plan/expr-text.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { Expr, Statement } from '../sql/ast.js';
import type { Answer } from './answer.js';

/** What the functions act on. */
export type SystemHost = {
  collectGarbage(): Promise<GcResult>;
};

export type SystemCall = { name: string; args: Expr[]; columnName: string };

const FUNCTIONS = new Set(['SYSTEM$COLLECT_GARBAGE']);

export function systemCall(st: Statement): SystemCall | null {
  if (st.kind !== 'query') return null;
  const q = st.query;
  if (q.with.length > 0 || q.orderBy.length > 0 || q.limit !== null || q.offset !== null) return null;
  const s = q.body;
  if (s.kind !== 'select' || s.from !== null || s.distinct || s.where !== null || s.groupBy.length > 0) return null;
  if (s.groupingSets !== null || s.having !== null || s.qualify !== null || s.items.length !== 1) return null;
  const item = s.items[0];
  if (item.kind !== 'expr' || item.expr.kind !== 'function') return null;
  const fn = item.expr;
  const name = fn.name.toUpperCase();
  if (!FUNCTIONS.has(name) || fn.distinct || fn.star) return null;
  return { name, args: fn.args, columnName: item.alias ?? exprText(fn) };
}

export async function runSystemCall(call: SystemCall, host: SystemHost): Promise<Answer> {
  switch (call.name) {
    case 'SYSTEM$COLLECT_GARBAGE': {
      if (call.args.length > 0) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: Invalid argument types for function '${call.name}': it takes no arguments`);
      const r = await host.collectGarbage();
      const json = JSON.stringify({
        objectsDeleted: r.objectsDeleted,
        bytesFreed: r.bytesFreed,
        catalogRowsPurged: r.catalogRowsPurged,
        unknownObjectsDeleted: r.unknownObjectsDeleted,
      });
      return varcharAnswer(call.columnName, json);
    }
    default:
      throw new CompilationError('UNKNOWN_FUNCTION', `SQL compilation error: Unknown function ${call.name}`);
  }
}

function varcharAnswer(name: string, value: string): Answer {
  const columns: Column[] = [{ name, type: Types.varchar, nullable: false }];
  return { columns, batch: rowsToBatch(columns, [[value]]) };
}
