/**
 * INFORMATION_SCHEMA: read-only views every database has, whose rows come from the catalog
 * when a query binds, like Snowflake's. A view is a plain VALUES plan over its rows, so
 * WHERE, ORDER BY, joins and aggregates work on it as on any table.
 *
 * Contract: `bindSystemView` answers null unless `name` names INFORMATION_SCHEMA.<view> in
 * a database (`db.INFORMATION_SCHEMA.v`, or `INFORMATION_SCHEMA.v` in the current
 * database) and <view> is registered here; then it returns the view's plan, read at bind
 * time. INFORMATION_SCHEMA is reserved (CREATE SCHEMA refuses it), so a view never hides a
 * user's table; an unknown name under it falls through to the ordinary lookup, which
 * reports it missing. Each view is one file exporting a SystemView (system-view-contract.ts);
 * add it to VIEWS.
 * Timestamps are given as Dates (UTC): a TIMESTAMP_NTZ or TIMESTAMP_LTZ column's cell is its
 * scalar (epoch ns, scalar.ts), any other type's a cast of the ISO text.
 * SNOWFLAKE.ACCOUNT_USAGE.QUERY_HISTORY and WAREHOUSE_METERING_HISTORY bind the same way,
 * read from the catalog's usage records.
 * Access: a database's views need USAGE on it (else it reads as missing) and show only the
 * tables the role sees; SNOWFLAKE.ACCOUNT_USAGE is for roles that are or inherit ACCOUNTADMIN
 * (Snowflake's default), to others it does not exist.
 */
import type { Catalog, RetentionContext } from '../../catalog/catalog.js';
import type { Column } from '../../../storage/types/schema.js';
import { Types } from '../../../storage/types/data-type.js';
import type { BoundExpr } from '../../../warehouse/fragment/bound-expr.js';
import { CompilationError } from '../../../storage/errors/firn-error.js';
import type { SessionContext } from '../../session/statement-result.js';
import type { ObjectName } from '../../sql/ast.js';
import { castTo } from '../bind-expr.js';
import type { LogicalPlan } from '../logical-plan.js';
import { loadHistoryView } from './load-history-view.js';
import { tableStorageMetricsView } from './table-storage-metrics-view.js';
import { queryHistoryView } from './query-history-view.js';
import { warehouseMeteringHistoryView } from './warehouse-metering-history-view.js';
import { databasesView } from './databases-view.js';
import { schemataView } from './schemata-view.js';
import { tablesView } from './tables-view.js';
import { columnsView } from './columns-view.js';
import type { Sees, SystemCell, SystemView } from './system-view-contract.js';
import { canSeeDatabase, canSeeSchema, canSeeTable, canUseDatabase, hasRole } from '../../access/access-check.js';
import { tableNotFound } from '../../access/access-errors.js';
import { canSeeView, ownsView } from '../../access/view-access.js';
import { listedName } from '../../session/temporary-objects.js';
import { viewsView } from './views-view.js';
import { sequencesView } from './sequences-view.js';
import { canSeeSequence } from '../../access/sequence-access.js';
import { SystemRoles } from '../../access/privilege-names.js';

/** FIRN_DATA_RETENTION_DAYS's default, for a bind context that does not carry the configured value. */
const DEFAULT_RETENTION_DAYS = 1;

/** The reserved schema name (identifiers are resolved upper-case). */
export const INFORMATION_SCHEMA = 'INFORMATION_SCHEMA';

const VIEWS: ReadonlyMap<string, SystemView> = new Map(
  [databasesView, schemataView, tablesView, viewsView, columnsView, sequencesView, loadHistoryView, tableStorageMetricsView].map((v) => [v.name, v]),
);

/**
 * SNOWFLAKE.ACCOUNT_USAGE.<view>: the account's views, in no user database (a view's rows
 * ignore the database argument). SNOWFLAKE is Snowflake's own shared database: these names
 * come before any user object of the same name.
 */
const ACCOUNT_USAGE_VIEWS: ReadonlyMap<string, SystemView> = new Map([queryHistoryView, warehouseMeteringHistoryView].map((v) => [v.name, v]));

export function bindSystemView(ctx: { catalog: Catalog; session: SessionContext; travel?: { startMs: number; defaultRetentionDays: number } }, name: ObjectName): { view: SystemView; plan: LogicalPlan } | null {
  const p = name.parts;
  const sees: Sees = { table: (t) => canSeeTable(ctx, t), schema: (s) => canSeeSchema(ctx, s), database: (d) => canSeeDatabase(ctx, d), view: (v, s) => canSeeView(ctx, v, s), ownsView: (v) => ownsView(ctx, v), listed: (name) => listedName(name, ctx.session.temporary), sequence: (q, s) => canSeeSequence(ctx, q, s) };
  const account = p.length === 3 && p[0] === 'SNOWFLAKE' && p[1] === 'ACCOUNT_USAGE' ? ACCOUNT_USAGE_VIEWS.get(p[2]) : undefined;
  if (account) {
    // The account's usage is ACCOUNTADMIN's to read, as Snowflake grants its SNOWFLAKE database.
    if (!hasRole(ctx, SystemRoles.ACCOUNTADMIN)) throw tableNotFound(p.join('.'));
    return { view: account, plan: systemViewPlan(account, account.rows(ctx.catalog, '', retentionOf(ctx), sees, [])) };
  }
  if (p.length < 2 || p[p.length - 2] !== INFORMATION_SCHEMA) return null;
  const view = VIEWS.get(p[p.length - 1]);
  if (!view) return null;
  const database = usableDatabase(ctx, p.length >= 3 ? p[p.length - 3] : ctx.session.database);
  return { view, plan: systemViewPlan(view, view.rows(ctx.catalog, database, retentionOf(ctx), sees, [...VIEWS.values()])) };
}

/**
 * The database an INFORMATION_SCHEMA name is in (`db.INFORMATION_SCHEMA.x`, else the session's):
 * it must exist and the role must have USAGE on it, else it reads as missing.
 */
export function usableDatabase(ctx: { catalog: Catalog; session: SessionContext }, database: string | null): string {
  if (!database) throw new CompilationError('OBJECT_NOT_FOUND', 'Cannot perform operation. This session does not have a current database. Call \'USE DATABASE\', or use a qualified name.');
  const db = ctx.catalog.getDatabase(database);
  if (!db || !canUseDatabase(ctx, db)) throw new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Database '${database}' does not exist or not authorized.`);
  return database;
}

/** The statement's clock and default retention, as views read them. */
export function retentionOf(ctx: { travel?: { startMs: number; defaultRetentionDays: number } }): RetentionContext {
  return { nowMs: ctx.travel?.startMs ?? Date.now(), defaultRetentionDays: ctx.travel?.defaultRetentionDays ?? DEFAULT_RETENTION_DAYS };
}

/** A VALUES plan over a view's rows (also a table function's: bind-table-function.ts). */
export function systemViewPlan(view: { columns: Column[] }, rows: SystemCell[][]): LogicalPlan {
  return { kind: 'values', columns: view.columns, rows: rows.map((r) => r.map((v, i) => cell(v, view.columns[i]))) };
}

function cell(v: SystemCell, c: Column): BoundExpr {
  // TIMESTAMP_NTZ's and TIMESTAMP_LTZ's scalar is epoch nanoseconds (scalar.ts; an NTZ cell is
  // the UTC wall clock, an LTZ one the instant): a literal, so a large view binds fast.
  if (v instanceof Date && (c.type.kind === 'TIMESTAMP_NTZ' || c.type.kind === 'TIMESTAMP_LTZ')) return { kind: 'literal', value: BigInt(v.getTime()) * 1_000_000n, type: c.type };
  if (v instanceof Date) return castTo({ kind: 'literal', value: v.toISOString().replace('T', ' ').replace('Z', ''), type: Types.varchar }, c.type);
  return { kind: 'literal', value: v, type: c.type };
}
