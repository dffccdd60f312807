/**
 * Table functions in FROM, `TABLE(name(args))`: RESULT_SCAN (services/plan/result-scan.ts) and
 * INFORMATION_SCHEMA.QUERY_HISTORY, as in
 * Snowflake: `QUERY_HISTORY([END_TIME_RANGE_START =>] ts [, [END_TIME_RANGE_END =>] ts]
 * [, [RESULT_LIMIT =>] n])`, positional in that order or named in any order. It answers the
 * statements that ended within the range (default: the last 7 days, the function's window in
 * Snowflake), newest start first, at most RESULT_LIMIT of them (default 100, 1 to 10,000),
 * with the columns of query-history-columns.ts. Arguments are constants (bound and folded with
 * no columns in scope); timestamps are read as UTC. It shows the current user's statements, and
 * everyone's to a role with ACCOUNTADMIN.
 *
 * Contract: `bindTableFunction` returns the function's columns and plan, or throws
 * UNKNOWN_FUNCTION for a function Firn does not have (QUERY_HISTORY unqualified is found
 * only while the session's schema is INFORMATION_SCHEMA, as in Snowflake), TYPE_MISMATCH for
 * a bad or unknown argument.
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { Types, typeToSql, type DataType } from '../../../storage/types/data-type.js';
import type { Column } from '../../../storage/types/schema.js';
import type { Scalar } from '../../../storage/types/scalar.js';
import type { Expr, TableFunctionArg, TableRef } from '../../sql/ast.js';
import type { BindContext } from '../bind-context.js';
import { castTo, ExprBinder } from '../bind-expr.js';
import { foldConstants } from '../fold-constants.js';
import { planColumns, type LogicalPlan } from '../logical-plan.js';
import { Scope, type ScopeColumn } from '../scope.js';
import { bindGenerator, GENERATOR } from '../bind-generator.js';
import { bindSplitToTable, ONE_EMPTY_ROW, SPLIT_TO_TABLE } from '../bind-split-to-table.js';
import { bindFlatten, FLATTEN } from '../bind-flatten.js';
import { QUERY_HISTORY_COLUMNS, queryHistoryRow } from './query-history-columns.js';
import { INFORMATION_SCHEMA, retentionOf, systemViewPlan } from './system-view.js';
import { bindResultScan, RESULT_SCAN } from '../result-scan.js';

/** Snowflake's window of INFORMATION_SCHEMA.QUERY_HISTORY() when no range is given. */
const DEFAULT_WINDOW_MS = 7 * 86_400_000;
const DEFAULT_RESULT_LIMIT = 100;
const MAX_RESULT_LIMIT = 10_000;
const PARAMS = ['END_TIME_RANGE_START', 'END_TIME_RANGE_END', 'RESULT_LIMIT'] as const;

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
  if (fn !== 'QUERY_HISTORY' || !inInformationSchema) throw new CompilationError('UNKNOWN_FUNCTION', `SQL compilation error: Unknown table function ${p.join('.')}`);
  const args = namedArgs(fn, ref.args);
  const nowMs = retentionOf(ctx).nowMs;
  const start = args.get('END_TIME_RANGE_START');
  const end = args.get('END_TIME_RANGE_END');
  const limitArg = args.get('RESULT_LIMIT');
  const endFrom = start ? timestampMs(fn, 'END_TIME_RANGE_START', start) : nowMs - DEFAULT_WINDOW_MS;
  const endTo = end ? timestampMs(fn, 'END_TIME_RANGE_END', end) : undefined;
  const limit = limitArg ? Number(constant(fn, 'RESULT_LIMIT', limitArg, Types.number(38, 0)) as bigint) : DEFAULT_RESULT_LIMIT;
  if (limit < 1 || limit > MAX_RESULT_LIMIT) throw invalid(fn, 'RESULT_LIMIT', `between 1 and ${MAX_RESULT_LIMIT}`);
  // As in Snowflake, the function shows the current user's statements; a role with ACCOUNTADMIN sees everyone's.
  const everyone = ctx.session.privileges?.inherits('ACCOUNTADMIN') ?? ctx.session.user === undefined;
  const userName = everyone ? undefined : ctx.session.user;
  const rows = ctx.catalog.usage.queryHistory({ endFrom, endTo, limit, userName }).map(queryHistoryRow);
  return { name: fn, columns: QUERY_HISTORY_COLUMNS, plan: systemViewPlan({ columns: QUERY_HISTORY_COLUMNS }, rows) };
}

/** The arguments by parameter name: positional ones in PARAMS order, named ones by name. */
function namedArgs(fn: string, args: TableFunctionArg[]): Map<string, Expr> {
  const out = new Map<string, Expr>();
  args.forEach((a, i) => {
    const name = a.name ?? PARAMS[i];
    if (name === undefined || !(PARAMS as readonly string[]).includes(name)) {
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid argument ${a.name ?? i + 1} for function ${fn}; it takes ${PARAMS.join(', ')}`);
    }
    if (out.has(name)) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument ${name} of function ${fn} is given twice`);
    out.set(name, a.expr);
  });
  return out;
}

function timestampMs(fn: string, param: string, e: Expr): number {
  const ns = constant(fn, param, e, Types.timestampNtz) as bigint;
  return Number(ns / 1_000_000n);
}

function constant(fn: string, param: string, e: Expr, type: DataType): Scalar {
  const bound = foldConstants(castTo(new ExprBinder(new Scope([]), null, `${fn} (${param} => ...)`).bind(e), type));
  if (bound.kind !== 'literal' || bound.value === null) throw invalid(fn, param, `a non-NULL constant ${typeToSql(type)}`);
  return bound.value;
}

function invalid(fn: string, param: string, what: string): CompilationError {
  return new CompilationError('TYPE_MISMATCH', `SQL compilation error: argument ${param} of function ${fn} must be ${what}`);
}
