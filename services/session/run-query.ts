/**
 * Queries and EXPLAIN: parse tree -> bind -> optimize -> (init plans) -> prune ->
 * dispatch/execute -> finish. Uncorrelated scalar subqueries are init plans: each runs
 * first (in binding order, so an inner one is known before the one that uses it), its single
 * value replaces its `param` in the plans after it, constants are folded again, and only then
 * are partitions pruned, so a subquery's value can prune the main scan. EXPLAIN stops before
 * running anything, prints the physical plan (EXPLAIN LOGICAL: the logical plan) and shows
 * init plans as $subqueryN.
 */
import type { Deadline } from './deadline.js';
import { DataError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import type { Query } from '../sql/ast.js';
import { mapChildren } from '../plan/bound-expr-walk.js';
import { bindQuery } from '../plan/bind-query.js';
import { explainPlan } from '../plan/explain-plan.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import { mapPlanExprs } from '../plan/map-plan-exprs.js';
import { optimize } from '../optimizer/optimize.js';
import { constantFolding } from '../optimizer/rules/constant-folding.js';
import { prunePlan, pruningTotals } from '../pruning/prune-plan.js';
import { planPhysical } from '../physical/plan-physical.js';
import { explainPhysical } from '../physical/explain-physical.js';
import { normalizeWarehouseSize, WAREHOUSE_SIZES } from '../../warehouse/pool/warehouse-sizes.js';
import { executePlan, type PlanResult, type PlanStats } from '../finish/execute-plan.js';
import { rowsToBatch } from '../finish/rows-to-batch.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';
import type { Answer } from './run-ddl.js';

export type QueryAnswer = PlanResult & { partitionsTotal: number; partitionsScanned: number };

export type Planned = { plan: LogicalPlan; initPlans: LogicalPlan[]; applied: string[] };

/** Binds and optimizes a query and its init plans (nothing pruned or run yet). */
export function planQuery(env: EngineEnv, query: Query, session: SessionContext): Planned {
  const initPlans: LogicalPlan[] = [];
  const bound = bindQuery({ catalog: env.catalog, session, initPlans }, query);
  const { plan, applied } = optimize(bound);
  return { plan, initPlans: initPlans.map((p) => optimize(p).plan), applied };
}

/** `plan` with init-plan values in place of their params, refolded and pruned. */
function ready(env: EngineEnv, plan: LogicalPlan, values: Scalar[]): LogicalPlan {
  const substitute = (e: Parameters<typeof mapChildren>[0]): ReturnType<typeof mapChildren> =>
    e.kind === 'param' ? { kind: 'literal', value: values[e.id], type: e.type } : mapChildren(e, substitute);
  const withValues = values.length > 0 ? constantFolding.apply(mapPlanExprs(plan, substitute)) : plan;
  return prunePlan(withValues, env.config.pruning);
}

export async function runQuery(env: EngineEnv, query: Query, session: SessionContext, deadline: Deadline | null = null): Promise<QueryAnswer> {
  return runPlanned(env, planQuery(env, query, session), session, deadline);
}

/** Runs an optimized plan and its init plans (see the module comment). */
export async function runPlanned(
  env: EngineEnv,
  { plan, initPlans }: Pick<Planned, 'plan' | 'initPlans'>,
  session: SessionContext,
  deadline: Deadline | null = null,
): Promise<QueryAnswer> {
  const pool = () => env.warehouses.get(session.warehouse);
  const stats: PlanStats = { rowsScanned: 0, bytesScanned: 0, cacheHits: 0, cacheMisses: 0, partitionsTotal: 0, partitionsScanned: 0, partitionedJoins: 0 };
  const values: Scalar[] = [];
  const run = async (p: LogicalPlan): Promise<PlanResult> => {
    const result = await executePlan(ready(env, p, values), pool, { pruning: env.config.pruning, memoryBytes: env.config.queryMemoryBytes, broadcastRows: env.config.broadcastRows, deadline });
    for (const k of Object.keys(stats) as (keyof PlanStats)[]) stats[k] += result.stats[k];
    return result;
  };
  for (const init of initPlans) {
    const r = await run(init);
    if (r.batch.length > 1) throw new DataError('SUBQUERY_MULTIPLE_ROWS', 'Single-row subquery returns more than one row.');
    values.push(r.batch.length === 0 ? null : scalarAt(r.batch.columns[0], 0, r.columns[0].type));
  }
  const result = await run(plan);
  return { ...result, stats, partitionsTotal: stats.partitionsTotal, partitionsScanned: stats.partitionsScanned };
}

const PLAN_COLUMNS: Column[] = [{ name: 'plan', type: Types.varchar, nullable: false }];

/**
 * EXPLAIN: the physical plan (stages, operators, workers, distributions, estimated rows) for
 * the session's warehouse size; with `logical` (EXPLAIN LOGICAL) the optimized logical plan.
 * Both end with the optimizer rules that fired; init plans follow as $subqueryN.
 */
export function runExplain(env: EngineEnv, query: Query, session: SessionContext, logical = false): Answer & { partitionsTotal: number; partitionsScanned: number } {
  const { plan, initPlans, applied } = planQuery(env, query, session);
  const pruned = prunePlan(plan, env.config.pruning);
  const { total, scanned } = pruningTotals(pruned);
  const opts = { workers: warehouseWorkers(env, session), broadcastRows: env.config.broadcastRows, forceRepartition: env.config.forceRepartition };
  const explain = (p: LogicalPlan): string[] => (logical ? explainPlan(p, []).slice(0, -1) : explainPhysical(planPhysical(p, opts)));
  const lines = [...explain(pruned), `optimizer rules applied: ${applied.length ? applied.join(', ') : '(none)'}`];
  initPlans.forEach((p, i) => {
    lines.push(`$subquery${i}:`);
    lines.push(...explain(prunePlan(p, env.config.pruning)).map((l) => `  ${l}`));
  });
  return { columns: PLAN_COLUMNS, batch: rowsToBatch(PLAN_COLUMNS, lines.map((l) => [l])), partitionsTotal: total, partitionsScanned: scanned };
}

/** Workers of the session's warehouse by its catalog size, without starting it (1 without a warehouse). */
function warehouseWorkers(env: EngineEnv, session: SessionContext): number {
  const info = session.warehouse ? env.catalog.getWarehouse(session.warehouse) : null;
  return info ? WAREHOUSE_SIZES[normalizeWarehouseSize(info.size) ?? 'XSMALL'] : 1;
}
