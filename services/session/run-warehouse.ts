/**
 * The warehouse statements: CREATE | ALTER | DROP | DESCRIBE WAREHOUSE and SHOW WAREHOUSES.
 * Properties are validated by services/scheduler/warehouse-properties.ts; the registry
 * (services/scheduler/warehouse-registry.ts) stores them in the catalog and applies them to
 * the running clusters. Answers are Snowflake's: a status row, SHOW WAREHOUSES' columns (with
 * the true state, running and queued counts, started clusters) plus Firn's two columns on the
 * workers of a cluster, `nodes_per_cluster` (the size's node count) and `workers_per_cluster`
 * (after FIRN_MAX_WORKERS_PER_CLUSTER), and DESCRIBE WAREHOUSE's created_on, name, kind.
 *
 * Privileges, as in Snowflake: CREATE WAREHOUSE is an account privilege (SYSADMIN's); the
 * creating role owns the warehouse; DROP and RENAME need ownership, SET | UNSET MODIFY,
 * SUSPEND | RESUME | ABORT ALL QUERIES OPERATE; a role sees (SHOW, DESCRIBE, ALTER) only the
 * warehouses it holds a privilege on, and SHOW's `owner` is the owning role.
 */
import { CompilationError, ResourceError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';
import type { Column } from '../../storage/types/schema.js';
import type { AlterWarehouseAction, Statement } from '../sql/ast.js';
import type { WarehouseInfo } from '../catalog/catalog.js';
import { canSeeWarehouse, requireAccount, requireWarehouse, type AccessContext } from '../access/access-check.js';
import { OWNERSHIP } from '../access/privilege-names.js';
import { ownCreated } from '../access/record-ownership.js';
import { rowsToBatch } from '../result/rows-to-batch.js';
import { applyWarehouseSettings, DEFAULT_WAREHOUSE_PROPERTIES, propertiesFromJson, unsetWarehouseProperties } from '../scheduler/warehouse-properties.js';
import { status, type Answer } from './answer.js';
import type { EngineEnv } from './engine-env.js';
import type { SessionContext } from './statement-result.js';
import { DEFAULT_CONTEXT } from './default-context.js';

type WarehouseStatement = Extract<Statement, { kind: 'create_warehouse' | 'alter_warehouse' | 'drop_warehouse' | 'describe_warehouse' }>;

/** What each ALTER WAREHOUSE action needs, as in Snowflake: MODIFY for properties, OPERATE to run or stop it, ownership to rename it. */
const ALTER_PRIVILEGE: Readonly<Record<AlterWarehouseAction['kind'], string>> = {
  set: 'MODIFY',
  unset: 'MODIFY',
  suspend: 'OPERATE',
  resume: 'OPERATE',
  abort_all_queries: 'OPERATE',
  rename: OWNERSHIP,
};

export async function runWarehouseStatement(env: EngineEnv, st: WarehouseStatement, session: SessionContext): Promise<Answer> {
  const registry = env.warehouses;
  const ctx: AccessContext = { catalog: env.catalog, session };
  switch (st.kind) {
    case 'create_warehouse': {
      const props = applyWarehouseSettings(DEFAULT_WAREHOUSE_PROPERTIES, st.settings);
      const old = env.catalog.getWarehouse(st.name);
      const existed = old !== null;
      requireAccount(ctx, 'CREATE WAREHOUSE');
      if (old && st.orReplace) requireWarehouse(ctx, old, OWNERSHIP);
      env.catalog.grants.atomically(() => {
        const info = registry.create(st.name, props, { ifNotExists: st.ifNotExists, orReplace: st.orReplace, initiallySuspended: st.initiallySuspended });
        if (info.id !== old?.id) ownCreated(ctx, 'WAREHOUSE', info.id);
      });
      const context = { ...session, warehouse: st.name };
      if (existed && st.ifNotExists) return { ...status(`${st.name} already exists, statement succeeded.`), context };
      return { ...status(`Warehouse ${st.name} successfully created.`), context };
    }
    case 'drop_warehouse': {
      // One the role cannot see reads as missing: IF EXISTS then drops nothing.
      const info = env.catalog.getWarehouse(st.name);
      if (info && !canSeeWarehouse(ctx, info) && st.ifExists) return status(`${st.name} successfully dropped.`);
      if (info) requireWarehouse(ctx, info, OWNERSHIP);
      await registry.drop(st.name, st.ifExists);
      return { ...status(`${st.name} successfully dropped.`), context: session.warehouse === st.name ? { ...session, warehouse: null } : session };
    }
    case 'describe_warehouse': {
      const info = env.catalog.getWarehouse(st.name);
      if (!info || !canSeeWarehouse(ctx, info)) throw new CompilationError('OBJECT_NOT_FOUND', `Warehouse '${st.name}' does not exist or not authorized.`);
      return table([['created_on', 't'], ['name', 'v'], ['kind', 'v']], [[nanos(info.createdAt), info.name, 'WAREHOUSE']]);
    }
    case 'alter_warehouse':
      return alter(env, st, session);
  }
}

async function alter(env: EngineEnv, st: Extract<Statement, { kind: 'alter_warehouse' }>, session: SessionContext): Promise<Answer> {
  const registry = env.warehouses;
  const name = st.name ?? session.warehouse;
  if (name === null) {
    throw new ResourceError('NO_ACTIVE_WAREHOUSE', "No active warehouse selected in the current session. Select an active warehouse with the 'use warehouse' command.");
  }
  const ctx: AccessContext = { catalog: env.catalog, session };
  const info = env.catalog.getWarehouse(name);
  if (!info || !canSeeWarehouse(ctx, info)) {
    if (st.ifExists) return status('Statement executed successfully.');
    throw new CompilationError('OBJECT_NOT_FOUND', `Warehouse '${name}' does not exist or not authorized.`);
  }
  const a = st.action;
  requireWarehouse(ctx, info, ALTER_PRIVILEGE[a.kind]);
  switch (a.kind) {
    case 'set':
      await registry.alter(name, applyWarehouseSettings(propertiesFromJson(info.size, info.properties), a.settings), a.waitForCompletion);
      break;
    case 'unset':
      await registry.alter(name, unsetWarehouseProperties(propertiesFromJson(info.size, info.properties), a.names), false);
      break;
    case 'suspend':
      registry.suspend(name);
      break;
    case 'resume':
      registry.resume(name, a.ifSuspended);
      break;
    case 'abort_all_queries':
      registry.abortAll(name);
      break;
    case 'rename':
      registry.rename(name, a.to);
      if (session.warehouse === name) return { ...status('Statement executed successfully.'), context: { ...session, warehouse: a.to } };
      break;
  }
  return status('Statement executed successfully.');
}

/** SHOW WAREHOUSES [LIKE]: Snowflake's columns, then nodes_per_cluster and workers_per_cluster. */
export function showWarehouses(env: EngineEnv, shown: (w: WarehouseInfo) => boolean, session: SessionContext): Answer {
  // is_default: the user's DEFAULT_WAREHOUSE, or the warehouse a session starts in without one.
  const defaultWarehouse = (session.user ? env.catalog.users.getUser(session.user)?.defaultWarehouse : null) ?? DEFAULT_CONTEXT.warehouse;
  const rows = env.catalog
    .listWarehouses()
    .filter(shown)
    .map((w): Scalar[] => {
      const p = propertiesFromJson(w.size, w.properties);
      const s = env.warehouses.status(w);
      const up = s.state !== 'SUSPENDED';
      return [
        w.name, s.state, 'STANDARD', p.size,
        BigInt(p.minClusterCount), BigInt(p.maxClusterCount), BigInt(s.startedClusters), BigInt(s.running), BigInt(s.queued),
        w.name === defaultWarehouse ? 'Y' : 'N', w.name === session.warehouse ? 'Y' : 'N',
        p.autoSuspend === null ? null : BigInt(p.autoSuspend), p.autoResume ? 'true' : 'false',
        up ? '100' : '', up ? '0' : '', up ? '0' : '', up ? '0' : '',
        nanos(w.createdAt), s.resumedOn ? nanos(s.resumedOn) : null, nanos(w.updatedAt),
        env.catalog.grants.ownerOf('WAREHOUSE', w.id) ?? '', p.comment ?? '', 'false', 8n, 'null',
        BigInt(s.startedClusters), 0n, 0n, up ? 0n : 1n, String(w.id), p.scalingPolicy,
        BigInt(s.nodesPerCluster), BigInt(s.workersPerCluster),
      ];
    });
  return table(SHOW_COLUMNS, rows);
}

const SHOW_COLUMNS: [string, Kind][] = [
  ['name', 'v'], ['state', 'v'], ['type', 'v'], ['size', 'v'],
  ['min_cluster_count', 'n'], ['max_cluster_count', 'n'], ['started_clusters', 'n'], ['running', 'n'], ['queued', 'n'],
  ['is_default', 'v'], ['is_current', 'v'],
  ['auto_suspend', 'n'], ['auto_resume', 'v'],
  ['available', 'v'], ['provisioning', 'v'], ['quiescing', 'v'], ['other', 'v'],
  ['created_on', 't'], ['resumed_on', 't'], ['updated_on', 't'],
  ['owner', 'v'], ['comment', 'v'], ['enable_query_acceleration', 'v'], ['query_acceleration_max_scale_factor', 'n'], ['resource_monitor', 'v'],
  ['actives', 'n'], ['pendings', 'n'], ['failed', 'n'], ['suspended', 'n'], ['uuid', 'v'], ['scaling_policy', 'v'],
  ['nodes_per_cluster', 'n'], ['workers_per_cluster', 'n'],
];

type Kind = 'v' | 'n' | 't';

function table(columns: [string, Kind][], rows: Scalar[][]): Answer {
  const cols: Column[] = columns.map(([name, k]) => ({
    name,
    type: k === 'v' ? Types.varchar : k === 'n' ? Types.number(38, 0) : Types.timestampNtz,
    nullable: true,
  }));
  return { columns: cols, batch: rowsToBatch(cols, rows) };
}

function nanos(d: Date): bigint {
  return BigInt(d.getTime()) * 1_000_000n;
}
