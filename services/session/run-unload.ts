/**
 * COPY INTO @stage[/path] FROM (query) | table: unloads the query's rows as files into a stage.
 * The encoding runs in the warehouse's workers (an unload_exec on top of the query's plan:
 * services/physical/plan-unload.ts, warehouse/unload/unload-files.ts); services only names
 * the files and answers Snowflake's one row: rows_unloaded, input_bytes, output_bytes.
 *
 * Contract:
 * - File names follow Snowflake's: `@s/dir/` (or `@s`) writes dir/data_0_<task>_<n>.csv.gz,
 *   `@s/dir/out` writes dir/out_0_<task>_<n>...; the extension follows the format: .csv, .csv.gz
 *   (CSV, COMPRESSION AUTO or GZIP), .snappy.parquet (Parquet, AUTO or SNAPPY), .parquet
 *   (NONE). SINGLE = TRUE writes exactly one file named by the path (`data` when it ends in
 *   '/'), of at most MAX_FILE_SIZE bytes.
 * - Files already under the name prefix make the unload fail unless OVERWRITE = TRUE, which
 *   deletes them first. A failed unload deletes every file under the prefix again, so it
 *   leaves nothing behind.
 * - MAX_FILE_SIZE (default 16 MiB, Snowflake's) is at most MAX_UNLOAD_FILE_BYTES: a worker
 *   holds one file's worth of rows while it writes it.
 * - The role needs WRITE on an internal stage (USAGE on an external one, OWNERSHIP of the table
 *   for a table's stage: services/access/stage-access.ts) and USAGE on a named file format it
 *   names. An external file:// stage is written only by a role that may use raw locations
 *   (raw-location-policy.ts), and only under FIRN_LOAD_ROOTS (after following symlinks).
 */
import { CompilationError, NotSupportedError, StorageError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { Types } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { UnloadedFile, UnloadTarget } from '../../warehouse/fragment/stage-plan.js';
import { runStagePlan } from '../coordinate/run-stage-plan.js';
import { optimize } from '../optimizer/optimize.js';
import { planUnload } from '../physical/plan-unload.js';
import { castTo } from '../plan/bind-expr.js';
import { bindQuery } from '../plan/bind-query.js';
import { planColumns, type LogicalPlan } from '../plan/logical-plan.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import type { Statement } from '../sql/ast.js';
import { checkRawLocationRole, localPathPolicy } from '../stage/raw-location-policy.js';
import { checkStageFiles, openStageStore, resolveStage } from '../stage/resolve-stage.js';
import type { Deadline } from './deadline.js';
import type { EngineEnv } from './engine-env.js';
import { addRunStats, coordinateContext, emptyQueryStats, physicalOptions, runInitPlans } from './run-query.js';
import { effectiveFileFormat } from './run-stage.js';
import type { WriteAnswer } from './run-write.js';
import type { SessionContext } from './statement-result.js';

/** MAX_FILE_SIZE's default: Snowflake's 16 MiB. */
export const DEFAULT_UNLOAD_FILE_BYTES = 16 * 2 ** 20;
/** The largest MAX_FILE_SIZE Firn takes: a worker holds one file's rows while it encodes them. */
export const MAX_UNLOAD_FILE_BYTES = 256 * 2 ** 20;

const UNLOAD_COLUMNS: Column[] = [
  { name: 'rows_unloaded', type: Types.number(38, 0), nullable: false },
  { name: 'input_bytes', type: Types.number(38, 0), nullable: false },
  { name: 'output_bytes', type: Types.number(38, 0), nullable: false },
];

export async function runUnload(env: EngineEnv, st: Extract<Statement, { kind: 'unload' }>, session: SessionContext, queryId: string, deadline: Deadline | null = null): Promise<WriteAnswer> {
  const stage = resolveStage({ catalog: env.catalog, session, home: env.config.home }, st.location, 'WRITE');
  if (stage.localPolicy) checkRawLocationRole(session, stage.storeUrl);
  const format = effectiveFileFormat(env, st.fileFormat, stage.fileFormat, session);
  if (format.type === 'JSON') throw new NotSupportedError('COPY INTO a stage with TYPE = JSON (unloading JSON files)');
  const maxFileBytes = st.maxFileSize ?? DEFAULT_UNLOAD_FILE_BYTES;
  if (maxFileBytes > MAX_UNLOAD_FILE_BYTES) throw new CompilationError('INVALID_PROPERTY', `SQL compilation error: MAX_FILE_SIZE = ${maxFileBytes} is more than Firn unloads into one file (${MAX_UNLOAD_FILE_BYTES} bytes).`);

  const initPlans: LogicalPlan[] = [];
  const bound = bindQuery({ catalog: env.catalog, session, initPlans, travel: env.history.clock(queryId, env.config.dataRetentionDays) }, st.source);
  const boundColumns = planColumns(bound);
  // A column of the NULL type is written as VARCHAR.
  const columns: Column[] = boundColumns.map((c) => ({ name: c.name, type: c.type.kind === 'NULL' ? Types.varchar : c.type, nullable: true }));
  const plan: LogicalPlan = boundColumns.some((c) => c.type.kind === 'NULL')
    ? { kind: 'project', input: bound, exprs: boundColumns.map((c, i) => castTo({ kind: 'column', index: i, type: c.type }, columns[i].type)), names: columns.map((c) => c.name) }
    : bound;

  const folder = stage.path === '' || stage.path.endsWith('/');
  const gzip = format.type === 'CSV' && (format.compression === 'AUTO' || format.compression === 'GZIP');
  const snappy = format.type === 'PARQUET' && (format.compression === 'AUTO' || format.compression === 'SNAPPY');
  const target: UnloadTarget = {
    storeUrl: stage.storeUrl,
    ...(stage.credentials ? { credentials: stage.credentials } : {}),
    format:
      format.type === 'CSV'
        ? { type: 'CSV', fieldDelimiter: format.fieldDelimiter, fieldOptionallyEnclosedBy: format.fieldOptionallyEnclosedBy, nullText: format.nullIf[0] ?? '', emptyFieldAsNull: format.emptyFieldAsNull, header: st.header, gzip }
        : { type: 'PARQUET', snappy },
    namePrefix: folder ? `${stage.path}data_` : `${stage.path}_`,
    extension: format.type === 'CSV' ? (gzip ? '.csv.gz' : '.csv') : snappy ? '.snappy.parquet' : '.parquet',
    singleName: st.single ? (folder ? `${stage.path}data` : stage.path) : null,
    maxFileBytes,
  };

  const store = await openStageStore(stage);
  const policy = localPathPolicy(env.config);
  await checkStageFiles(stage, [target.singleName ?? `${target.namePrefix}0`], policy);
  const ours = async () => (await store.list(target.singleName ?? target.namePrefix)).filter((f) => target.singleName === null || f.key === target.singleName);
  const existing = await ours();
  if (existing.length > 0) {
    if (!st.overwrite) {
      throw new StorageError('OBJECT_EXISTS', `Files already existing at the unload destination: @${clipValue(stage.display + (target.singleName ?? target.namePrefix))}. Use overwrite option to force unloading.`);
    }
    for (const f of existing) await store.delete(f.key);
  }

  const stats = emptyQueryStats();
  let unloaded: UnloadedFile[];
  try {
    const ctx = () => coordinateContext(env, session, queryId, deadline);
    const logical = await runInitPlans(env, { plan: optimize(plan).plan, initPlans: initPlans.map((p) => optimize(p).plan) }, ctx, stats);
    const c = await ctx();
    const physical = planUnload(logical, columns, target, physicalOptions(env, c.pool.workers));
    const outcome = await runStagePlan(physical, c).done;
    addRunStats(stats, outcome.stats, physical);
    unloaded = outcome.unloaded;
    deadline?.check();
  } catch (err) {
    for (const f of await ours().catch(() => [])) await store.delete(f.key).catch(() => {});
    throw err;
  }
  const sum = (k: 'rows' | 'inputBytes' | 'outputBytes') => BigInt(unloaded.reduce((n, f) => n + f[k], 0));
  return { columns: UNLOAD_COLUMNS, batch: rowsToBatch(UNLOAD_COLUMNS, [[sum('rows'), sum('inputBytes'), sum('outputBytes')]]), stats };
}
