/**
 * Queries and EXPLAIN: parse tree -> bind -> optimize -> (init plans) -> prune -> physical
 * plan (services/physical) -> the coordinator runs its stages on the warehouse's workers
 * (services/coordinate) and the root stage's rows stream back. Uncorrelated scalar subqueries
 * are init plans: each runs first (in binding order, so an inner one is known before the one
 * that uses it), its single value (read from its streamed result) replaces its `param` in the
 * plans after it, constants are folded again, and only then are partitions pruned, so a
 * subquery's value can prune the main scan. Right before a plan runs, the sequence values of its
 * VALUES rows are reserved and put in place (reserve-sequence-values.ts); the workers reserve the
 * others as they go (the coordinator's `sequenceValues`). EXPLAIN stops before running anything, prints the
 * physical plan (EXPLAIN LOGICAL: the logical plan) and shows init plans as $subqueryN.
 * A recursive CTE is an init plan too (run-recursive-cte.ts): it runs in its place among them,
 * and its rows replace its `recursive_cte` leaves in the plans after it, as `batches`; EXPLAIN
 * shows it as `recursive_cte NAME` with its anchor and recursive step.
 */
import type { Deadline } from './deadline.js';
import { DataError, InternalError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import { scalarAt } from '../../storage/types/scalar-at.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import type { Batch } from '../../storage/types/vector.js';
import type { StagePlan } from '../../warehouse/fragment/stage-plan.js';
import type { Query } from '../sql/ast.js';
import { mapChildren } from '../../warehouse/fragment/bound-expr-walk.js';
import { bindQuery } from '../plan/bind-query.js';
import { explainPlan } from '../plan/explain-plan.js';
import { planColumns, type LogicalPlan } from '../plan/logical-plan.js';
import { mapPlanExprs } from '../plan/map-plan-exprs.js';
import { transformUp } from '../plan/transform-up.js';
import { reserveSequenceValues } from '../plan/reserve-sequence-values.js';
import { optimize } from '../optimizer/optimize.js';
import { constantFolding } from '../optimizer/rules/constant-folding.js';
import { prunePlan, pruningTotals } from '../pruning/prune-plan.js';
import { planPhysical } from '../physical/plan-physical.js';
import type { PhysicalOptions } from '../physical/stage-planner.js';
import { emptyRunStats, literalRun, runStagePlan, type CoordinateContext, type RunStats, type StagePlanRun } from '../coordinate/run-stage-plan.js';
import { statementSpillDir } from '../coordinate/statement-spill-dir.js';
import { countPartitionedJoins } from '../coordinate/count-partitioned-joins.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import { explainPhysical } from '../physical/explain-physical.js';
import { normalizeWarehouseSize } from '../../warehouse/pool/warehouse-sizes.js';
import type { EngineEnv } from './engine-env.js';
import { yieldAfter } from './yield-after.js';
import { MAX_RECURSIONS, runRecursiveCte, type RowsRun } from './run-recursive-cte.js';
import type { SessionContext } from './statement-result.js';
import type { Answer } from './answer.js';
import { requireWarehouseUse } from '../access/access-check.js';

/** What a statement's runs add up to: the coordinator's stats plus the joins run partitioned. */
export type QueryRunStats = RunStats & { partitionedJoins: number };

/**
 * A running query: its columns, its rows as they come (read them to the end), and its stats,
 * which resolve once every task of it is done (init plans included).
 */
export type QueryAnswer = { columns: Column[]; batches: AsyncIterable<Batch>; done: Promise<QueryRunStats> };

/**
 * A bound and optimized query. `views`: every view it expanded (id -> stamp, expand-view.ts);
 * `directTables`: the tables it reads with its own role's rights (not through a view).
 */
export type Planned = { plan: LogicalPlan; initPlans: LogicalPlan[]; applied: string[]; views: ReadonlyMap<number, string>; directTables: ReadonlySet<number> };

type Bound = { bound: LogicalPlan; initPlans: LogicalPlan[]; views: Map<number, string>; directTables: Set<number> };

/** Binds and optimizes a query and its init plans (nothing pruned or run yet). */
export function planQuery(env: EngineEnv, query: Query, session: SessionContext, queryId: string | null = null): Planned {
  return optimizeBound(bindForPlan(env, query, session, queryId));
}

function bindForPlan(env: EngineEnv, query: Query, session: SessionContext, queryId: string | null): Bound {
  const initPlans: LogicalPlan[] = [];
  const views = new Map<number, string>();
  const directTables = new Set<number>();
  const travel = env.history.clock(queryId, env.config.dataRetentionDays);
  return { bound: bindQuery({ catalog: env.catalog, session, initPlans, travel, views, directTables }, query), initPlans, views, directTables };
}

function optimizeBound({ bound, initPlans, views, directTables }: Bound): Planned {
  const { plan, applied } = optimize(bound);
  return { plan, initPlans: initPlans.map((p) => optimize(p).plan), applied, views, directTables };
}

/**
 * `plan` with init-plan values in place of their params and recursive CTEs' rows in place of
 * their leaves (`ctes`, by init plan id), refolded, its known sequence values reserved, and pruned.
 */
function ready(env: EngineEnv, plan: LogicalPlan, values: Scalar[], ctes: ReadonlyMap<number, Batch[]>): LogicalPlan {
  const substitute = (e: Parameters<typeof mapChildren>[0]): ReturnType<typeof mapChildren> =>
    e.kind === 'param' ? { kind: 'literal', value: values[e.id], type: e.type } : mapChildren(e, substitute);
  const withValues = values.length > 0 ? constantFolding.apply(mapPlanExprs(plan, substitute)) : plan;
  const withRows = ctes.size > 0 ? transformUp(withValues, (p) => (p.kind === 'recursive_cte' ? cteRows(p, ctes) : p)) : withValues;
  const withSequences = reserveSequenceValues(withRows, (requests) => env.catalog.sequences.reserve(requests));
  return prunePlan(withSequences, env.config.pruning);
}

function cteRows(p: Extract<LogicalPlan, { kind: 'recursive_cte' }>, ctes: ReadonlyMap<number, Batch[]>): LogicalPlan {
  const batches = ctes.get(p.id);
  if (!batches) throw new InternalError(`recursive CTE ${p.name} (init plan ${p.id}) read before it ran`);
  return { kind: 'batches', columns: p.columns, batches, source: { kind: 'recursive_cte', name: p.name } };
}

/** Plans and runs a query (planQuerySliced, then runPlanned). */
export async function runQuery(env: EngineEnv, query: Query, session: SessionContext, queryId: string, deadline: Deadline | null = null): Promise<QueryAnswer> {
  return runPlanned(env, await planQuerySliced(env, query, session, queryId), session, queryId, deadline);
}

/**
 * Binds and optimizes a query as separate slices of the services thread (yield-after.ts);
 * asks nothing of any warehouse (the result cache answers from here: result-cache.ts).
 */
export async function planQuerySliced(env: EngineEnv, query: Query, session: SessionContext, queryId: string): Promise<Planned> {
  let slice = performance.now();
  const bound = bindForPlan(env, query, session, queryId);
  slice = await yieldAfter(slice);
  const planned = optimizeBound(bound);
  await yieldAfter(slice);
  return planned;
}

/** The physical options for the session's warehouse. */
export function physicalOptions(env: EngineEnv, workers: number): PhysicalOptions {
  return { workers, broadcastRows: env.config.broadcastRows, rangeJoinRows: env.config.rangeJoinRows, smallScanRows: env.config.smallScanRows, forceRepartition: env.config.forceRepartition };
}

/**
 * The coordinator's context for one statement on the session's warehouse, which the role must
 * hold USAGE on: the statement's cluster, admitted once (it may queue) and held until the
 * statement ends (the engine releases it: services/scheduler/warehouse-registry.ts), so every
 * run of the statement uses one pool, and its memory budget, granted with it out of the
 * process's query memory (statement-memory.ts).
 */
export async function coordinateContext(env: EngineEnv, session: SessionContext, queryId: string, deadline: Deadline | null): Promise<CoordinateContext> {
  requireWarehouseUse({ catalog: env.catalog, session }, session.warehouse);
  const { pool } = await env.warehouses.leaseFor(queryId, session.warehouse, deadline);
  return {
    pool,
    queryId,
    memoryBytes: env.warehouses.memoryFor(queryId),
    spillBytes: env.config.querySpillBytes,
    spillDir: statementSpillDir(pool, queryId),
    pruning: env.config.pruning,
    deadline,
    sequenceValues: (requests) => env.catalog.sequences.reserve(requests),
  };
}

/** Adds a finished run's stats to the statement's. */
export function addRunStats(into: QueryRunStats, run: RunStats, plan: StagePlan): void {
  into.rowsScanned += run.rowsScanned;
  into.bytesScanned += run.bytesScanned;
  into.cacheHits += run.cacheHits;
  into.cacheMisses += run.cacheMisses;
  into.partitionsTotal += run.partitionsTotal;
  into.partitionsScanned += run.partitionsScanned;
  into.bytesSpilled += run.bytesSpilled;
  for (const p of run.profile) into.profile.push(p);
  into.partitionedJoins += countPartitionedJoins(plan);
}

/**
 * Runs the init plans one after the other (each value read from its streamed result; a
 * recursive CTE's rows kept whole) and answers the main plan with their values and rows
 * substituted, refolded and pruned.
 */
export async function runInitPlans(env: EngineEnv, planned: Pick<Planned, 'plan' | 'initPlans'>, ctx: () => Promise<CoordinateContext>, stats: QueryRunStats): Promise<LogicalPlan> {
  const values: Scalar[] = [];
  const ctes = new Map<number, Batch[]>();
  for (const init of planned.initPlans) {
    if (init.kind === 'recursive_union') {
      let queryId = '';
      const run: RowsRun = async (logical) => {
        const c = await ctx();
        queryId = c.queryId;
        // A recursive step's VALUES take new sequence values in every run (reserve-sequence-values.ts).
        const known = reserveSequenceValues(logical, (requests) => env.catalog.sequences.reserve(requests));
        return { batches: await runRows(env, known, c, stats), budget: c.memoryBytes };
      };
      const hold = (bytes: number) => env.warehouses.holdRows(queryId, bytes);
      ctes.set(values.length, await runRecursiveCte(init, (p) => ready(env, p, values, ctes), run, hold));
      values.push(null);
      continue;
    }
    const logical = ready(env, init, values, ctes);
    const c = await ctx();
    const plan = planPhysical(logical, physicalOptions(env, c.pool.workers));
    const run = runStagePlan(plan, c);
    const type = planColumns(logical)[0].type;
    let value: Scalar = null;
    let rows = 0;
    for await (const batch of run.batches) {
      if (batch.length === 0) continue;
      rows += batch.length;
      if (rows > 1) break;
      value = scalarAt(batch.columns[0], 0, type);
    }
    // Stopping after a second row stops the run; its failure is the statement's answer.
    if (rows > 1) {
      await run.done.catch(() => {});
      throw new DataError('SUBQUERY_MULTIPLE_ROWS', 'Single-row subquery returns more than one row.');
    }
    addRunStats(stats, (await run.done).stats, plan);
    values.push(value);
  }
  return ready(env, planned.plan, values, ctes);
}

/** Runs a ready plan on the statement's cluster and reads all its rows (a recursive CTE's run). */
async function runRows(env: EngineEnv, logical: LogicalPlan, c: CoordinateContext, stats: QueryRunStats): Promise<Batch[]> {
  const plan = planPhysical(logical, physicalOptions(env, c.pool.workers));
  const run = runStagePlan(plan, c);
  const rows: Batch[] = [];
  try {
    for await (const batch of run.batches) if (batch.length > 0) rows.push(batch);
  } catch (err) {
    // The run's own failure is the one to answer: wait for every task of it to settle first.
    await run.done.catch(() => {});
    throw err;
  }
  addRunStats(stats, (await run.done).stats, plan);
  return rows;
}

export function emptyQueryStats(): QueryRunStats {
  return { ...emptyRunStats(), partitionedJoins: 0 };
}

/** Runs an optimized plan and its init plans (see the module comment). */
export async function runPlanned(
  env: EngineEnv,
  planned: Pick<Planned, 'plan' | 'initPlans'>,
  session: SessionContext,
  queryId: string,
  deadline: Deadline | null = null,
): Promise<QueryAnswer> {
  const stats = emptyQueryStats();
  const ctx = () => coordinateContext(env, session, queryId, deadline);
  const logical = await runInitPlans(env, planned, ctx, stats);
  // A plan of literals (SELECT 1, an aggregate the optimizer answered from the zone maps) is
  // answered by services from the plan, as Snowflake answers metadata queries: no cluster is
  // leased, so a suspended warehouse stays suspended and none is needed. Its physical plan does
  // not depend on the worker count. A plan that reads a table is never one: it is planned once,
  // for the warehouse's workers (a TPC-H query's physical plan takes 0.2-1.1 ms of this thread).
  const literal = readsTable(logical) ? null : literalRun(planPhysical(logical, physicalOptions(env, 1)));
  if (literal) return { columns: planColumns(logical), batches: literal.batches, done: literal.done.then(() => stats) };
  const c = await ctx();
  const plan = planPhysical(logical, physicalOptions(env, c.pool.workers));
  const run: StagePlanRun = runStagePlan(plan, c);
  const done = run.done.then((outcome) => {
    addRunStats(stats, outcome.stats, plan);
    return stats;
  });
  done.catch(() => {});
  return { columns: planColumns(logical), batches: run.batches, done };
}

/** Whether `plan` scans a table (its physical plan then has a scan_exec). */
function readsTable(plan: LogicalPlan): boolean {
  let scans = false;
  transformUp(plan, (p) => {
    if (p.kind === 'scan') scans = true;
    return p;
  });
  return scans;
}

const PLAN_COLUMNS: Column[] = [{ name: 'plan', type: Types.varchar, nullable: false }];

/**
 * EXPLAIN: the physical plan (stages, operators, workers, distributions, estimated rows) for
 * the session's warehouse size; with `logical` (EXPLAIN LOGICAL) the optimized logical plan.
 * Both end with the optimizer rules that fired; init plans follow as $subqueryN.
 */
export function runExplain(env: EngineEnv, query: Query, session: SessionContext, logical = false): ExplainAnswer {
  return explainPlanned(env, planQuery(env, query, session), session, logical);
}

export type ExplainAnswer = Answer & { partitionsTotal: number; partitionsScanned: number };

/** EXPLAIN of a bound and optimized plan; `physical` plans the main plan's stages (a DML's: plan-dml.ts). */
export function explainPlanned(
  env: EngineEnv,
  { plan, initPlans, applied }: Pick<Planned, 'plan' | 'initPlans' | 'applied'>,
  session: SessionContext,
  logical: boolean,
  physical: (p: LogicalPlan, opts: PhysicalOptions) => StagePlan = planPhysical,
): ExplainAnswer {
  const pruned = prunePlan(plan, env.config.pruning);
  const { total, scanned } = pruningTotals(pruned);
  const opts = physicalOptions(env, warehouseWorkers(env, session));
  const explain = (p: LogicalPlan, plan: typeof physical): string[] => (logical ? explainPlan(p, []).slice(0, -1) : explainPhysical(plan(p, opts)));
  const lines = [...explain(pruned, physical), `optimizer rules applied: ${applied.length ? applied.join(', ') : '(none)'}`];
  const indented = (p: LogicalPlan, pad: string) => explain(prunePlan(p, env.config.pruning), planPhysical).map((l) => `${pad}${l}`);
  initPlans.forEach((p, i) => {
    if (p.kind === 'recursive_union') {
      lines.push(`recursive_cte ${p.name}: the anchor's rows, then the recursive step's until it returns none (at most ${MAX_RECURSIONS} runs)`);
      lines.push('  anchor:', ...indented(p.anchor, '    '), '  recursive step:', ...indented(p.recursive, '    '));
      return;
    }
    lines.push(`$subquery${i}:`);
    lines.push(...indented(p, '  '));
  });
  return { columns: PLAN_COLUMNS, batch: rowsToBatch(PLAN_COLUMNS, lines.map((l) => [l])), partitionsTotal: total, partitionsScanned: scanned };
}

/** Workers of a cluster of the session's warehouse by its catalog size (capped), without starting it (1 without a warehouse). */
function warehouseWorkers(env: EngineEnv, session: SessionContext): number {
  const info = session.warehouse ? env.catalog.getWarehouse(session.warehouse) : null;
  return info ? env.warehouses.workersFor(normalizeWarehouseSize(info.size) ?? 'XSMALL') : 1;
}
