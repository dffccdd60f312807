/**
 * UPDATE, DELETE, MERGE and TRUNCATE: copy-on-write at the partition level. The statement's
 * change rows (services/plan/bind-dml.ts) are computed in the warehouse over the target's
 * pruned partitions at one snapshot; a rewrite stage (services/physical/plan-dml.ts) writes a
 * new object for each partition that really holds affected rows, under keys reserved
 * write-ahead; then ONE catalog commit adds those objects and removes the partitions they
 * replace, at the snapshot's version. Partitions without affected rows keep their object and
 * catalog row. The catalog refuses the commit when a partition the statement rewrites was
 * removed by a commit after its snapshot (concurrent INSERTs and COPYs never conflict); the
 * statement then deletes exactly the objects it reserved and runs again on a new snapshot, at
 * most FIRN_DML_RETRIES times, before it fails with CONCURRENT_MODIFICATION (40001), having
 * written nothing. Re-running is safe: a DML's only effect before its commit is its own objects.
 *
 * Answers, as Snowflake's: UPDATE "number of rows updated" and "number of multi-joined rows
 * updated"; DELETE "number of rows deleted"; MERGE one column per action its clauses use, in
 * the order inserted, updated, deleted; TRUNCATE "Statement executed successfully.".
 * The role needs the statement's privilege on the target (bind-dml.ts; TRUNCATE: TRUNCATE).
 */
import { CompilationError, ConcurrencyError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { WrittenPartition } from '../../warehouse/fragment/fragment.js';
import type { DmlCounts } from '../../warehouse/fragment/stage-plan.js';
import type { TableInfo } from '../catalog/catalog.js';
import { runStagePlan } from '../coordinate/run-stage-plan.js';
import { optimize } from '../optimizer/optimize.js';
import { planDml, type DmlTarget } from '../physical/plan-dml.js';
import { physicalColumns } from '../physical/physical-columns.js';
import { bindDml, type BoundDml } from '../plan/bind-dml.js';
import { lookupTable } from '../plan/bind-query.js';
import type { LogicalPlan, ScanNode } from '../plan/logical-plan.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { Statement } from '../sql/ast.js';
import type { Deadline } from './deadline.js';
import type { EngineEnv } from './engine-env.js';
import { status } from './answer.js';
import { addRunStats, coordinateContext, emptyQueryStats, explainPlanned, physicalOptions, runInitPlans, type ExplainAnswer, type QueryRunStats } from './run-query.js';
import { statementPrefix, type CommittedAnswer } from './run-write.js';
import type { SessionContext } from './statement-result.js';
import { StatementWrites } from './statement-writes.js';

const COUNT = Types.number(38, 0);
const count = (name: string): Column => ({ name, type: COUNT, nullable: false });


export async function runDml(
  env: EngineEnv,
  st: Extract<Statement, { kind: 'update' | 'delete' | 'merge' }>,
  session: SessionContext,
  queryId: string,
  deadline: Deadline | null = null,
): Promise<CommittedAnswer> {
  const stats = emptyQueryStats();
  for (let attempt = 0; ; attempt++) {
    try {
      const answer = await attemptDml(env, st, session, queryId, deadline, attempt, stats);
      return { ...answer, stats };
    } catch (err) {
      // Another statement changed partitions this one read: nothing of this attempt remains
      // (commit discarded it), so it runs again on a new snapshot, a few times.
      if (!(err instanceof ConcurrencyError) || attempt >= env.config.dmlRetries) throw err;
      await new Promise((r) => setTimeout(r, RETRY_BACKOFF_MS * (attempt + 1) * (0.5 + Math.random())));
      deadline?.check();
    }
  }
}

/** Base of the jittered pause before a DML runs again after a conflict (times the attempt). */
const RETRY_BACKOFF_MS = 5;

/**
 * One run of a DML on the snapshot it binds: change rows, rewrite, commit. On any failure it
 * has deleted what it wrote (a refused commit included); `attempt` keeps each run's object
 * keys apart. `env.hooks` (tests only) pause it between its phases.
 */
async function attemptDml(
  env: EngineEnv,
  st: Extract<Statement, { kind: 'update' | 'delete' | 'merge' }>,
  session: SessionContext,
  queryId: string,
  deadline: Deadline | null,
  attempt: number,
  stats: QueryRunStats,
): Promise<Omit<CommittedAnswer, 'stats'>> {
  await env.hooks?.beforeBind?.(queryId);
  const initPlans: LogicalPlan[] = [];
  const bound = bindDml({ catalog: env.catalog, session, initPlans, travel: env.history.clock(queryId, env.config.dataRetentionDays) }, st);
  const { table } = bound;
  // From its snapshot to its commit the table is held against the compactor (table-writers.ts).
  const release = env.writers.enter(table.id);
  try {
    await env.hooks?.beforeWrite?.(queryId);
    const ctx = () => coordinateContext(env, session, queryId, deadline);
    const planned = { plan: optimize(bound.plan).plan, initPlans: initPlans.map((p) => optimize(p).plan) };
    const writes = new StatementWrites(env, queryId, statementPrefix(table, queryId));
    let logical: LogicalPlan;
    let outcome: { written: WrittenPartition[]; removed: number[]; dml: DmlCounts };
    try {
      logical = await runInitPlans(env, planned, ctx, stats);
      const c = await ctx();
      const physical = planDml(logical, dmlTarget(env, bound, logical, `${writes.keyPrefix}r${attempt}-`), physicalOptions(env, c.pool.workers));
      const run = await runStagePlan(physical, { ...c, reservations: () => writes.reservationPort() }).done;
      writes.closePorts();
      addRunStats(stats, run.stats, physical);
      outcome = run;
      await env.hooks?.beforeCommit?.(queryId);
    } catch (err) {
      await writes.discard();
      throw err;
    }
    await commit(env, table, targetScan(logical, table).version, outcome.written, outcome.removed, writes, st.kind.toUpperCase(), deadline);
    return { ...answerOf(st, outcome.dml), partitionsAdded: outcome.written.length, partitionsRemoved: outcome.removed.length };
  } finally {
    release();
  }
}

/** EXPLAIN of UPDATE, DELETE or MERGE: the change rows' stages and the rewrite stage (nothing runs). */
export function runExplainDml(env: EngineEnv, st: Extract<Statement, { kind: 'update' | 'delete' | 'merge' }>, session: SessionContext, logical: boolean): ExplainAnswer {
  const initPlans: LogicalPlan[] = [];
  const bound = bindDml({ catalog: env.catalog, session, initPlans, travel: env.history.clock(null, env.config.dataRetentionDays) }, st);
  const { plan, applied } = optimize(bound.plan);
  const planned = { plan, initPlans: initPlans.map((p) => optimize(p).plan), applied };
  return explainPlanned(env, planned, session, logical, (p, opts) => planDml(p, dmlTarget(env, bound, p, 'explain'), opts));
}

/** What the rewrite stage needs: the target's pruning survivors, its columns and clustering, and whether the statement sets a cluster key. */
function dmlTarget(env: EngineEnv, bound: BoundDml, logical: LogicalPlan, keyPrefix: string): DmlTarget {
  const { table } = bound;
  const target = targetScan(logical, table);
  const clusterBy = table.clusterBy.map((name) => table.columns.findIndex((c) => c.name === name));
  const physical = physicalColumns(table.columns);
  return {
    mode: bound.mode,
    candidates: (target.pruning?.units ?? []).map((u) => ({ partitionId: u.partition.id, objectKey: u.partition.objectKey, rowCount: u.partition.rowCount, byteSize: u.partition.byteSize, etag: u.partition.etag })),
    columns: physical.columns,
    ...(physical.absent ? { absent: physical.absent } : {}),
    clusterBy,
    clusterKeyChanged: bound.setColumns.some((i) => clusterBy.includes(i)),
    partitionRows: env.config.partitionRows,
    keyPrefix,
  };
}

/** TRUNCATE TABLE: one commit removes every partition live at the snapshot; nothing is read or written. */
export function runTruncate(env: EngineEnv, st: Extract<Statement, { kind: 'truncate' }>, session: SessionContext, queryId: string): CommittedAnswer {
  const ctx = { catalog: env.catalog, session };
  let table: TableInfo;
  try {
    table = lookupTable(ctx, st.table, ['TRUNCATE']);
  } catch (err) {
    if (st.ifExists && err instanceof CompilationError && err.codeName === 'OBJECT_NOT_FOUND') {
      return { ...status('Statement executed successfully.'), stats: emptyQueryStats(), partitionsAdded: 0, partitionsRemoved: 0 };
    }
    throw err;
  }
  const live = env.catalog.livePartitions(table.id, table.currentVersion);
  env.catalog.commitTable(table.id, { baseVersion: table.currentVersion, queryId, operation: 'TRUNCATE', added: [], removedIds: live.map((p) => p.id) });
  return { ...status('Statement executed successfully.'), stats: emptyQueryStats(), partitionsAdded: 0, partitionsRemoved: live.length };
}

/** The target's rowIds scan in the pruned plan (bind-dml.ts binds exactly one). */
function targetScan(plan: LogicalPlan, table: TableInfo): ScanNode {
  const stack: LogicalPlan[] = [plan];
  while (stack.length > 0) {
    const p = stack.pop()!;
    if (p.kind === 'scan' && p.rowIds && p.table.id === table.id) return p;
    if (p.kind === 'join' || p.kind === 'set_operation') stack.push(p.left, p.right);
    else if ('input' in p) stack.push(p.input);
  }
  throw new CompilationError('OBJECT_NOT_FOUND', `Table '${table.name}' is not scanned by the statement.`);
}

/**
 * The one catalog commit: the written partitions in, the rewritten ones out, at the version
 * the statement read. Nothing awaits between the deadline check and the commit. A definite
 * refusal (the table changed or was dropped) deletes the written objects; after any other
 * error the outcome is unknown and the pending rows stay for startup recovery.
 */
async function commit(env: EngineEnv, table: TableInfo, snapshot: number, added: WrittenPartition[], removedIds: number[], writes: StatementWrites, operation: string, deadline: Deadline | null): Promise<void> {
  if (deadline?.expired) {
    await writes.discard();
    deadline.check();
  }
  if (added.length === 0 && removedIds.length === 0) return;
  try {
    const current = env.catalog.getTable(table.database, table.schema, table.name);
    if (!current || current.id !== table.id) throw new CompilationError('OBJECT_NOT_FOUND', `Table '${table.name}' was dropped while the statement ran.`);
    env.catalog.commitTable(table.id, { baseVersion: snapshot, queryId: writes.queryId, operation, added, removedIds });
  } catch (err) {
    if (err instanceof ConcurrencyError || err instanceof CompilationError) await writes.discard();
    throw err;
  }
}

function answerOf(st: Extract<Statement, { kind: 'update' | 'delete' | 'merge' }>, dml: DmlCounts): { columns: Column[]; batch: ReturnType<typeof rowsToBatch> } {
  const answer = (cols: [string, number][]) => {
    const columns = cols.map(([name]) => count(name));
    return { columns, batch: rowsToBatch(columns, [cols.map(([, n]) => BigInt(n))]) };
  };
  switch (st.kind) {
    case 'update':
      return answer([
        ['number of rows updated', dml.updated],
        ['number of multi-joined rows updated', dml.multiJoined],
      ]);
    case 'delete':
      return answer([['number of rows deleted', dml.deleted]]);
    case 'merge': {
      const kinds = new Set(st.clauses.map((c) => c.kind));
      const cols: [string, number][] = [];
      if (kinds.has('not_matched_insert')) cols.push(['number of rows inserted', dml.inserted]);
      if (kinds.has('matched_update')) cols.push(['number of rows updated', dml.updated]);
      if (kinds.has('matched_delete')) cols.push(['number of rows deleted', dml.deleted]);
      return answer(cols);
    }
  }
}
