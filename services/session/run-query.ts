/**
 * Queries and EXPLAIN: parse tree -> bind -> optimize -> prune -> dispatch/execute ->
 * finish. EXPLAIN stops after pruning and prints the plan, the pruning predicate and
 * partitions total/scanned.
 */
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { Query } from '../sql/ast.js';
import { bindQuery } from '../plan/bind-query.js';
import { explainPlan } from '../plan/explain-plan.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { optimize } from '../optimizer/optimize.js';
import { prunePlan, pruningTotals } from '../pruning/prune-plan.js';
import { executePlan, type PlanResult } from '../finish/execute-plan.js';
import { rowsToBatch } from '../finish/rows-to-batch.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';
import type { Answer } from './run-ddl.js';

export type QueryAnswer = PlanResult & { partitionsTotal: number; partitionsScanned: number };

export function planQuery(env: EngineEnv, query: Query, session: SessionContext): { plan: LogicalPlan; applied: string[] } {
  const bound = bindQuery({ catalog: env.catalog, session }, query);
  const { plan, applied } = optimize(bound);
  return { plan: prunePlan(plan, env.config.pruning), applied };
}

export async function runQuery(env: EngineEnv, query: Query, session: SessionContext): Promise<QueryAnswer> {
  const { plan } = planQuery(env, query, session);
  const result = await executePlan(plan, () => env.warehouses.get(session.warehouse));
  const { total, scanned } = pruningTotals(plan);
  return { ...result, partitionsTotal: total, partitionsScanned: scanned };
}

const PLAN_COLUMNS: Column[] = [{ name: 'plan', type: Types.varchar, nullable: false }];

export function runExplain(env: EngineEnv, query: Query, session: SessionContext): Answer & { partitionsTotal: number; partitionsScanned: number } {
  const { plan, applied } = planQuery(env, query, session);
  const { total, scanned } = pruningTotals(plan);
  const lines = explainPlan(plan, applied);
  return { columns: PLAN_COLUMNS, batch: rowsToBatch(PLAN_COLUMNS, lines.map((l) => [l])), partitionsTotal: total, partitionsScanned: scanned };
}
