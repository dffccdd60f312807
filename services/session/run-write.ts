/**
 * INSERT and CREATE TABLE AS SELECT: the source query's plan, its columns cast to the table's
 * types, gets a write_exec on top (services/physical/plan-write.ts) and runs on the warehouse's
 * workers like any query: each writing task checks the table's constraints (NOT NULL,
 * VARCHAR(n)), encodes its rows as micro-partitions and puts them under keys it reserved
 * write-ahead through its key-reservation port (statement-writes.ts; objects durable before the
 * commit); the partitions written come back to services, and one catalog transaction makes them
 * visible. A failure before the commit leaves nothing visible and deletes exactly the objects
 * this statement reserved. Small INSERT ... VALUES statements into one table that arrive while
 * another is being written are group-committed (group-commit.ts): their rows are written
 * together and committed in one catalog transaction that records every statement's id; each
 * is answered after that commit. A group that fails runs its members again one by one, so only
 * a statement that is itself wrong fails.
 */
import { stampExprZone } from '../plan/stamp-zone.js';
import { DEFAULT_TIMEZONE } from '../../storage/types/time-zone.js';
import { physicalColumns } from '../physical/physical-columns.js';
import type { Deadline } from './deadline.js';
import { CompilationError, ConcurrencyError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { WrittenPartition } from '../../warehouse/fragment/fragment.js';
import type { LoadedFile, TableInfo } from '../catalog/catalog.js';
import type { Statement } from '../sql/ast.js';
import { castTo } from '../plan/bind-expr.js';
import { bindQuery, lookupTable, resolveTableName } from '../plan/bind-query.js';
import { temporaryTarget } from './temporary-objects.js';
import { planColumns, type LogicalPlan } from '../plan/logical-plan.js';
import { optimize } from '../optimizer/optimize.js';
import { planWrite } from '../physical/plan-write.js';
import { runStagePlan } from '../coordinate/run-stage-plan.js';
import { addRunStats, coordinateContext, emptyQueryStats, physicalOptions, runInitPlans, type QueryRunStats } from './run-query.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';
import { status, type Answer } from './answer.js';
import { StatementWrites } from './statement-writes.js';
import { GroupCommit } from './group-commit.js';
import { substituteColumns } from '../../warehouse/fragment/bound-expr-walk.js';
import { columnDefaultExpr, withSequenceColumns } from '../plan/bind-sequences.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { requireCreateTable, requireWarehouseUse } from '../access/access-check.js';
import { ownCreatedTable } from '../access/record-ownership.js';

const INSERTED: Column[] = [{ name: 'number of rows inserted', type: Types.number(38, 0), nullable: false }];

/** A write's answer plus the stats of the runs that computed and wrote its rows. */
export type WriteAnswer = Answer & { stats: QueryRunStats };

/** A committing write's answer plus the partitions its commit added and removed (INSERT OVERWRITE, DML). */
export type CommittedAnswer = WriteAnswer & { partitionsAdded: number; partitionsRemoved: number };

/**
 * Runs `plan` (the rows to write, in `target.columns`' order and types) with a write_exec on
 * top, every key reserved through `writes` before its object is put, and answers the
 * partitions written; on any failure deletes what `writes` reserved and rethrows.
 */
async function writeRows(
  env: EngineEnv,
  plan: LogicalPlan,
  initPlans: LogicalPlan[],
  target: { columns: Column[]; clusterBy: number[] },
  writes: StatementWrites,
  session: SessionContext,
  deadline: Deadline | null,
  stats: QueryRunStats,
): Promise<WrittenPartition[]> {
  try {
    const ctx = () => coordinateContext(env, session, writes.queryId, deadline);
    const planned = { plan: optimize(plan).plan, initPlans: initPlans.map((p) => optimize(p).plan) };
    const logical = await runInitPlans(env, planned, ctx, stats);
    const c = await ctx();
    const physical = planWrite(
      logical,
      { columns: target.columns, clusterBy: target.clusterBy, partitionRows: env.config.partitionRows, keyPrefix: `${writes.keyPrefix}w` },
      physicalOptions(env, c.pool.workers),
    );
    const outcome = await runStagePlan(physical, { ...c, reservations: () => writes.reservationPort() }).done;
    writes.closePorts();
    addRunStats(stats, outcome.stats, physical);
    return outcome.written;
  } catch (err) {
    await writes.discard();
    throw err;
  }
}

export async function runInsert(
  env: EngineEnv,
  st: Extract<Statement, { kind: 'insert' }>,
  session: SessionContext,
  queryId: string,
  deadline: Deadline | null = null,
): Promise<CommittedAnswer> {
  // INSERT OVERWRITE also empties the table: Snowflake asks INSERT and DELETE for it.
  const table = lookupTable({ catalog: env.catalog, session }, st.table, st.overwrite ? ['INSERT', 'DELETE'] : ['INSERT']);
  // Checked for each statement: a group commit runs on its first member's session.
  requireWarehouseUse({ catalog: env.catalog, session }, session.warehouse);
  if (!st.overwrite) return insertInto(env, st, session, queryId, deadline, table, null);
  // INSERT OVERWRITE replaces the rows of this snapshot: its commit removes exactly them. From
  // the snapshot to the commit the table is held against the compactor (table-writers.ts).
  const release = env.writers.enter(table.id);
  try {
    return await insertInto(env, st, session, queryId, deadline, table, env.catalog.livePartitions(table.id, table.currentVersion).map((p) => p.id));
  } finally {
    release();
  }
}

/** INSERT into `table`; `replaced`: the partitions INSERT OVERWRITE removes (its snapshot's), else null. */
async function insertInto(
  env: EngineEnv,
  st: Extract<Statement, { kind: 'insert' }>,
  session: SessionContext,
  queryId: string,
  deadline: Deadline | null,
  table: TableInfo,
  replaced: number[] | null,
): Promise<CommittedAnswer> {
  const initPlans: LogicalPlan[] = [];
  const source = bindQuery({ catalog: env.catalog, session, initPlans, travel: env.history.clock(queryId, env.config.dataRetentionDays) }, st.source);
  const sourceCols = planColumns(source);
  const targets = st.columns ?? table.columns.map((c) => c.name);
  if (targets.length !== sourceCols.length) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: Insert value list does not match column list expecting ${targets.length} but got ${sourceCols.length}`);
  }
  const position = targets.map((name) => {
    const i = table.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${clipValue(name)}'`);
    return i;
  });
  const exprs: BoundExpr[] = table.columns.map((c, i) => {
    const from = position.indexOf(i);
    // An omitted column takes its DEFAULT: a constant, or its sequence's next value (AUTOINCREMENT, DEFAULT seq.NEXTVAL).
    if (from < 0) return columnDefaultExpr(table, c, env.catalog.sequences);
    // INSERT of a string or an NTZ into an LTZ/TZ column converts in the session's TIMEZONE.
    return stampExprZone(castTo({ kind: 'column', index: from, type: sourceCols[from].type }, c.type), session.timezone ?? DEFAULT_TIMEZONE, session.settings);
  });
  // Sequence values of a query's rows come from a sequence node under the projection (bind-sequences.ts).
  const placed = withSequenceColumns(source, exprs);
  const plan: LogicalPlan = { kind: 'project', input: placed.plan, exprs: placed.exprs, names: table.columns.map((c) => c.name) };
  if (!st.overwrite && source.kind === 'values' && initPlans.length === 0 && source.rows.length <= groupRows(env)) {
    deadline?.check();
    // The rows in the table's columns: each VALUES row through the cast projection.
    const rows = source.rows.map((r) => exprs.map((e) => substituteColumns(e, r)));
    const member: GroupMember = { env, table, rows, queryId, session };
    try {
      const r = await groupCommitOf(env).submit(`${table.id}/${session.warehouse}`, member);
      return { columns: INSERTED, batch: rowsToBatch(INSERTED, [[BigInt(rows.length)]]), stats: r.stats, partitionsAdded: r.partitionsAdded, partitionsRemoved: 0 };
    } catch (err) {
      // A group that failed as a whole: each member runs alone, so only a guilty one fails.
      if (!(err instanceof GroupFailed)) throw err;
    }
  }
  const clusterBy = table.clusterBy.map((name) => table.columns.findIndex((c) => c.name === name));
  const writes = new StatementWrites(env, queryId, statementPrefix(table, queryId));
  const stats = emptyQueryStats();
  const written = await writeRows(env, plan, initPlans, { columns: physicalColumns(table.columns).columns, clusterBy }, writes, session, deadline, stats);
  const overwrite = replaced ? { snapshot: table.currentVersion, removedIds: replaced } : undefined;
  await commitPartitions(env, table, written, writes, st.overwrite ? 'INSERT OVERWRITE' : 'INSERT', deadline, undefined, overwrite);
  const rows = written.reduce((n, w) => n + w.rowCount, 0);
  return { columns: INSERTED, batch: rowsToBatch(INSERTED, [[BigInt(rows)]]), stats, partitionsAdded: written.length, partitionsRemoved: replaced?.length ?? 0 };
}

/** An INSERT ... VALUES waiting to share a group commit (group-commit.ts). */
type GroupMember = { env: EngineEnv; table: TableInfo; rows: BoundExpr[][]; queryId: string; session: SessionContext };

/** A group of several INSERTs failed as one: each member then runs alone. */
class GroupFailed extends Error {}

const groupCommits = new WeakMap<EngineEnv, GroupCommit<GroupMember, { stats: QueryRunStats; partitionsAdded: number }>>();

/** Most rows an INSERT ... VALUES may have to share a group commit, and most rows of a group. */
function groupRows(env: EngineEnv): number {
  return Math.max(1, Math.floor(env.config.partitionRows / 16));
}

function groupCommitOf(env: EngineEnv): GroupCommit<GroupMember, { stats: QueryRunStats; partitionsAdded: number }> {
  let g = groupCommits.get(env);
  if (!g) {
    const rows = (group: readonly GroupMember[]) => group.reduce((n, m) => n + m.rows.length, 0);
    const sameSchema = (a: TableInfo, b: TableInfo) => a.currentVersion === b.currentVersion || JSON.stringify(a.columns) === JSON.stringify(b.columns);
    g = new GroupCommit(runGroup, (group, next) => rows(group) + next.rows.length <= env.config.partitionRows && sameSchema(group[0].table, next.table));
    groupCommits.set(env, g);
  }
  return g;
}

/**
 * Writes the rows of every member as one VALUES plan (one write, usually one object) and
 * commits them in one catalog transaction that records every member's statement id.
 */
async function runGroup(members: GroupMember[]): Promise<{ stats: QueryRunStats; partitionsAdded: number }[]> {
  const [leader] = members;
  const { env, table } = leader;
  const stats = emptyQueryStats();
  try {
    const plan: LogicalPlan = { kind: 'values', columns: table.columns, rows: members.flatMap((m) => m.rows) };
    const clusterBy = table.clusterBy.map((name) => table.columns.findIndex((c) => c.name === name));
    const writes = new StatementWrites(env, leader.queryId, statementPrefix(table, leader.queryId));
    const written = await writeRows(env, plan, [], { columns: physicalColumns(table.columns).columns, clusterBy }, writes, leader.session, null, stats);
    await commitPartitions(env, table, written, writes, 'INSERT', null, undefined, undefined, members.map((m) => m.queryId));
    return members.map(() => ({ stats, partitionsAdded: written.length }));
  } catch (err) {
    throw members.length > 1 ? new GroupFailed(err instanceof Error ? err.message : String(err)) : err;
  }
}

/**
 * CREATE [OR REPLACE] TABLE ... AS SELECT: the rows are written first (under keys of this
 * statement, reserved write-ahead), then ONE catalog transaction creates the table with
 * them as its first version (owned by the statement's role, with its schema's future grants)
 * and, for OR REPLACE, drops the old table. Until then readers see the old table, intact; a
 * failure or timeout anywhere before leaves it as it was. The role needs CREATE TABLE on the
 * schema, ownership of a table it replaces, and SELECT on what the query reads.
 */
export async function runCreateTableAs(
  env: EngineEnv,
  st: Extract<Statement, { kind: 'create_table' }>,
  session: SessionContext,
  queryId: string,
  deadline: Deadline | null = null,
): Promise<WriteAnswer> {
  const stats = emptyQueryStats();
  const ctx = { catalog: env.catalog, session };
  // A temporary table is stored under the session's name for it (temporary-objects.ts).
  const plain = resolveTableName(ctx, st.name, true);
  const n = st.temporary ? temporaryTarget(session.temporary, plain) : plain;
  const exists = () => ({ ...status(`${plain.table} already exists, statement succeeded.`), stats });
  requireCreateTable(ctx, n, st.orReplace);
  if (st.ifNotExists && env.catalog.getTable(n.database, n.schema, n.table)) return exists();
  const initPlans: LogicalPlan[] = [];
  const plan = bindQuery({ catalog: env.catalog, session, initPlans, travel: env.history.clock(queryId, env.config.dataRetentionDays) }, st.asQuery!);
  const planCols = planColumns(plan);
  const cols = planCols.map((c) => ({ name: c.name, type: c.type.kind === 'NULL' ? Types.varchar : c.type, nullable: true }));
  if (st.columns.some((c) => c.default !== undefined || c.identity !== undefined)) {
    throw new NotSupportedError('CREATE TABLE ... AS SELECT with column DEFAULT or AUTOINCREMENT');
  }
  if (st.columns.length > 0 && st.columns.length !== cols.length) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: CREATE TABLE AS lists ${st.columns.length} columns but the query returns ${cols.length}`);
  }
  const names = st.columns.length > 0 ? st.columns.map((c) => c.name) : cols.map((c) => c.name);
  const columns = cols.map((c, i) => ({ ...c, name: names[i] }));
  const clusterBy = st.clusterBy.map((name) => columns.findIndex((c) => c.name === name));
  if (clusterBy.some((i) => i < 0)) throw new CompilationError('INVALID_IDENTIFIER', `invalid identifier '${st.clusterBy[clusterBy.indexOf(-1)]}'`);
  // A column of the NULL type is written as VARCHAR.
  const source: LogicalPlan = planCols.some((c) => c.type.kind === 'NULL')
    ? { kind: 'project', input: plan, exprs: planCols.map((c, i) => castTo({ kind: 'column', index: i, type: c.type }, columns[i].type)), names }
    : plan;
  // The new table has no id yet: its objects live under the statement's own prefix.
  const writes = new StatementWrites(env, queryId, `ctas/${queryId}/`);
  const written = await writeRows(env, source, initPlans, { columns, clusterBy }, writes, session, deadline, stats);
  try {
    // Nothing awaits between this check and the commit, so the deadline cannot pass unseen.
    if (deadline?.expired) {
      await writes.discard();
      deadline.check();
    }
    env.catalog.grants.atomically(() => {
      const created = env.catalog.createTable(n.database, n.schema, n.table, columns, {
        clusterBy: st.clusterBy,
        orReplace: st.orReplace,
        transient: st.transient === true || st.temporary === true,
        queryId,
        data: { operation: 'CREATE TABLE AS SELECT', added: written },
      });
      ownCreatedTable(ctx, created);
    });
  } catch (err) {
    // Only a definite refusal deletes the objects; after any other error the commit's outcome
    // is unknown and the pending rows stay for startup recovery (which finds them only if the
    // commit, which clears them, did not happen).
    if (err instanceof CompilationError || err instanceof ConcurrencyError) await writes.discard();
    if (st.ifNotExists && err instanceof CompilationError && err.codeName === 'OBJECT_EXISTS') return exists();
    throw err;
  }
  return { ...status(`Table ${plain.table} successfully created.`), stats };
}

/** The key prefix of the objects a statement writes for an existing table (unique per statement). */
export function statementPrefix(table: TableInfo, queryId: string): string {
  return `t${table.id}/${queryId}/`;
}

/**
 * Commits partitions that are durable and were reserved write-ahead in `writes`. If the
 * commit is definitely refused (or the deadline passed), exactly those objects are deleted.
 * `loads` (COPY INTO) go into the table's load history in the same catalog transaction.
 * `replace` (INSERT OVERWRITE): the commit also removes these partitions, live at `snapshot`,
 * and is refused when one of them is gone. `queryIds`: every statement of a group commit.
 */
export async function commitPartitions(
  env: EngineEnv,
  table: TableInfo,
  written: WrittenPartition[],
  writes: StatementWrites,
  operation: string,
  deadline: Deadline | null = null,
  loads?: { files: LoadedFile[]; force: boolean },
  replace?: { snapshot: number; removedIds: number[] },
  queryIds?: string[],
): Promise<void> {
  if (deadline?.expired) {
    // Past the statement's timeout: nothing commits, and the written objects go again.
    await writes.discard();
    deadline.check();
  }
  // From here to commitTable nothing awaits, so the deadline cannot pass in between unseen.
  const current = env.catalog.getTable(table.database, table.schema, table.name);
  try {
    if (!current || current.id !== table.id) throw new CompilationError('OBJECT_NOT_FOUND', `Table '${table.name}' was dropped while the statement ran.`);
    // An append never conflicts, whatever commits came after the snapshot it read (the catalog
    // refuses a commit only when a partition it removes is gone).
    env.catalog.commitTable(table.id, { baseVersion: replace?.snapshot ?? table.currentVersion, queryId: writes.queryId, queryIds, operation, added: written, removedIds: replace?.removedIds ?? [], loads });
  } catch (err) {
    if (err instanceof ConcurrencyError || err instanceof CompilationError) await writes.discard();
    throw err;
  }
  env.compactor?.afterCommit(table.id, written);
}
