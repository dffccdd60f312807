/**
 * Recursive common table expressions, the engine's half: a RecursiveUnionNode (logical-plan.ts,
 * bound by bind-recursive-cte.ts) is an init plan, run before the plans that read its rows
 * (runInitPlans, run-query.ts), which then read them as a `batches` node.
 *
 * Contract: the anchor runs once; then the recursive step runs again and again, its
 * working_table leaf replaced each time by the rows the run before returned (a `batches` node:
 * the anchor's the first time), until a run returns no rows. Each run is a plan of its own on
 * the statement's warehouse, so every operator runs in the workers; services only passes the
 * batches along. The CTE's rows are the anchor's, then each step's, in run order.
 * The step runs at most MAX_RECURSIONS times: when its run number MAX_RECURSIONS still returned
 * rows, the statement fails with RECURSION_LIMIT_EXCEEDED (390208), Snowflake's "Recursion
 * exceeded max iteration count (100)", before any row reaches a client or a table.
 * Memory: the rows are held in services until the statement ends, so they come out of the
 * statement's memory budget (`hold`: every later run of the statement gets that much less); rows
 * beyond the budget left to a run fail the statement with RESOURCE_EXHAUSTED (53200).
 */
import { ResourceError } from '../../storage/errors/firn-error.js';
import { batchBytes } from '../../storage/types/vector-bytes.js';
import type { Batch } from '../../storage/types/vector.js';
import type { LogicalPlan, RecursiveUnionNode } from '../plan/logical-plan.js';
import { transformUp } from '../plan/transform-up.js';

/** Snowflake's default limit on the runs of a recursive CTE's recursive clause. */
export const MAX_RECURSIONS = 100;

/** Runs a ready plan on the statement's warehouse: its rows, and the memory budget it ran with. */
export type RowsRun = (plan: LogicalPlan) => Promise<{ batches: Batch[]; budget: number }>;

/**
 * The rows of recursive CTE `node`. `prepare` makes one of its plans ready to run (init-plan
 * values and earlier CTEs' rows in place, folded, pruned); `hold` takes bytes of rows out of the
 * statement's memory budget.
 */
export async function runRecursiveCte(node: RecursiveUnionNode, prepare: (p: LogicalPlan) => LogicalPlan, run: RowsRun, hold: (bytes: number) => void): Promise<Batch[]> {
  const all: Batch[] = [];
  const keep = async (plan: LogicalPlan): Promise<Batch[]> => {
    const { batches, budget } = await run(plan);
    const seen = new Set<readonly string[]>();
    const bytes = batches.reduce((n, b) => n + batchBytes(b, seen), 0);
    if (bytes > budget) {
      throw new ResourceError(
        'RESOURCE_EXHAUSTED',
        `The rows of the recursive common table expression '${node.name}' (${bytes} bytes more) exceed what is left of the query memory budget (${budget} bytes; FIRN_QUERY_MEMORY_BYTES)`,
      );
    }
    hold(bytes);
    for (const b of batches) all.push(b);
    return batches;
  };
  let rows = await keep(prepare(node.anchor));
  const step = prepare(node.recursive);
  let runs = 0;
  while (rows.length > 0) {
    if (runs === MAX_RECURSIONS) {
      throw new ResourceError('RECURSION_LIMIT_EXCEEDED', `Recursion exceeded max iteration count (${MAX_RECURSIONS}) in the recursive common table expression '${node.name}'`);
    }
    runs++;
    const previous = rows;
    rows = await keep(transformUp(step, (p) => (p.kind === 'working_table' ? { kind: 'batches', columns: p.columns, batches: previous, source: { kind: 'working_table', name: p.name } } : p)));
  }
  return all;
}
