/**
 * Table functions in FROM, `TABLE(name(args))`: RESULT_SCAN (result-scan.ts), SPLIT_TO_TABLE,
 * FLATTEN, GENERATOR, and the INFORMATION_SCHEMA functions (information-schema/*-function.ts,
 * one module each, listed in INFORMATION_SCHEMA_FUNCTIONS): QUERY_HISTORY and its BY_SESSION,
 * BY_USER and BY_WAREHOUSE forms, COPY_HISTORY and WAREHOUSE_METERING_HISTORY. An
 * INFORMATION_SCHEMA function's arguments are read by information-schema/table-function-args.ts
 * and its rows become a VALUES plan, read from the catalog at bind time.
 *
 * Contract: `bindTableFunction` returns the function's columns and plan, or throws
 * UNKNOWN_FUNCTION for a function Firn does not have (an INFORMATION_SCHEMA function
 * unqualified is found only while the session's schema is INFORMATION_SCHEMA, as in
 * Snowflake), TYPE_MISMATCH for a bad, unknown or missing argument.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import type { Column } from '../../storage/types/schema.js';
import type { TableRef } from '../sql/ast.js';
import type { BindContext } from './bind-context.js';
import { bindFlatten, FLATTEN } from './bind-flatten.js';
import { bindGenerator, GENERATOR } from './bind-generator.js';
import { bindSplitToTable, ONE_EMPTY_ROW, SPLIT_TO_TABLE } from './bind-split-to-table.js';
import { copyHistory } from './information-schema/copy-history-function.js';
import type { InformationSchemaFunction } from './information-schema/information-schema-function.js';
import { queryHistoryBySession } from './information-schema/query-history-by-session-function.js';
import { queryHistoryByUser } from './information-schema/query-history-by-user-function.js';
import { queryHistoryByWarehouse } from './information-schema/query-history-by-warehouse-function.js';
import { queryHistory } from './information-schema/query-history-function.js';
import { INFORMATION_SCHEMA, systemViewPlan } from './information-schema/system-view.js';
import { TableFunctionArgs } from './information-schema/table-function-args.js';
import { warehouseMeteringHistory } from './information-schema/warehouse-metering-history-function.js';
import { planColumns, type LogicalPlan } from './logical-plan.js';
import { bindResultScan, RESULT_SCAN } from './result-scan.js';
import type { ScopeColumn } from './scope.js';

const INFORMATION_SCHEMA_FUNCTIONS: ReadonlyMap<string, InformationSchemaFunction> = new Map(
  [queryHistory, queryHistoryBySession, queryHistoryByUser, queryHistoryByWarehouse, copyHistory, warehouseMeteringHistory].map((f) => [f.name, f]),
);

/** `scope`, when given, is the function's columns as the query sees them (GENERATOR's is hidden). */
export function bindTableFunction(ctx: BindContext, ref: Extract<TableRef, { kind: 'function' }>): { name: string; columns: Column[]; plan: LogicalPlan; scope?: ScopeColumn[] } {
  const p = ref.name.parts;
  const fn = p[p.length - 1];
  if (fn === RESULT_SCAN && p.length === 1) return bindResultScan(ctx, ref);
  if (fn === SPLIT_TO_TABLE && p.length === 1) {
    const s = bindSplitToTable(ref, ONE_EMPTY_ROW);
    return { name: fn, columns: planColumns(s.plan), plan: s.plan, scope: s.scope.columns };
  }
  if (fn === FLATTEN && p.length === 1) {
    const f = bindFlatten(ref, ONE_EMPTY_ROW);
    return { name: fn, columns: planColumns(f.plan), plan: f.plan, scope: f.scope.columns };
  }
  if (fn === GENERATOR && p.length === 1) {
    const g = bindGenerator(ref.args);
    return { name: fn, columns: g.plan.kind === 'generator' ? g.plan.columns : [], plan: g.plan, scope: g.scope };
  }
  const inInformationSchema = p.length >= 2 ? p[p.length - 2] === INFORMATION_SCHEMA : ctx.session.schema === INFORMATION_SCHEMA;
  const info = inInformationSchema && p.length <= 3 ? INFORMATION_SCHEMA_FUNCTIONS.get(fn) : undefined;
  if (!info) throw new CompilationError('UNKNOWN_FUNCTION', `SQL compilation error: Unknown table function ${p.join('.')}`);
  const args = new TableFunctionArgs(fn, info.params, ref.args, ctx.session.timezone);
  const database = p.length === 3 ? p[0] : ctx.session.database;
  return { name: fn, columns: info.columns, plan: systemViewPlan(info, info.rows(ctx, args, database)) };
}
