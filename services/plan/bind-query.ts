/**
 * Binds a parsed query into a logical plan over the catalog at a snapshot.
 *
 * Contract: the result plan's output columns are the query's result columns, named as
 * Snowflake names them (the alias, the column name, or the expression's SQL text,
 * upper-cased as written). Operators are stacked in SQL's logical order:
 * FROM (scans, joins, derived tables, CTEs, recursive ones as init plans: bind-recursive-cte.ts) -> WHERE (subqueries become joins) -> aggregate
 * (GROUP BY, or a UNION ALL of aggregates for grouping sets, each also giving its GROUPING
 * values) -> filter (HAVING) -> window ->
 * filter (QUALIFY, which may name select-list aliases: select-aliases.ts) -> sequence (the select
 * list's seq.NEXTVAL values: bind-sequences.ts) -> project (select list plus hidden ORDER BY keys) -> aggregate
 * (DISTINCT) -> sort -> limit -> project (drop hidden keys). Set operations and VALUES
 * bind their operands the same way. Each table is read at the version current when
 * binding starts; INFORMATION_SCHEMA views (information-schema/) are read while binding.
 * Every table is looked up through `lookupTable`, which checks the role's privileges on it
 * (SELECT for a read; a time-travel read is checked on the live table it names). A view in
 * FROM is expanded into its query, bound with its owner's rights (expand-view.ts). PIVOT and
 * UNPIVOT become a SELECT over their source (bind-pivot.ts).
 */
import { stampZone } from './stamp-zone.js';
import type { TableInfo } from '../catalog/catalog.js';
import type { Expr, ObjectName, OrderItem, Query, QueryBody, Select, TableRef } from '../sql/ast.js';
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { Types, isSemiStructured, typesEqual, type DataType } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { AggregateCall, BoundExpr, SortKey } from '../../warehouse/fragment/bound-expr.js';
import { commonSuperType } from '../../warehouse/execute/functions/function-registry.js';
import { AggregateBinder, GROUPING_BASE, GROUPING_TYPE, groupingValue } from './bind-aggregates.js';
import { ExprBinder, castTo, containsAggregate, containsNextval, containsWindow, type SubqueryHook } from './bind-expr.js';
import { sequenceHook, withSequenceColumns } from './bind-sequences.js';
import { andAll, bindSelectListSubqueries, bindWhereSubqueries, isCorrelated } from './bind-subqueries.js';
import type { BindContext, QueryBinder, SubqueryContext } from './bind-context.js';
import { WindowBinder } from './bind-windows.js';
import { exprKey, mapChildren } from '../../warehouse/fragment/bound-expr-walk.js';
import { exprText } from './expr-text.js';
import { planColumns, type LogicalPlan } from './logical-plan.js';
import { Scope, type ScopeColumn } from './scope.js';
import { bindSystemView } from './information-schema/system-view.js';
import { bindTableFunction } from './bind-table-function.js';
import { expandStarArgs, hasStarArgs } from './expand-star-args.js';
import { orderable } from './variant-order.js';
import { resolveTimeTravel } from './resolve-time-travel.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { requireTable, type TablePrivilege } from '../access/access-check.js';
import { tableNotFound } from '../access/access-errors.js';
import { canSeeView } from '../access/view-access.js';
import { bindView, findView } from './expand-view.js';
import { temporaryKey } from '../session/temporary-objects.js';
import { withSelectAliases } from './select-aliases.js';
import { bindPivotRef } from './bind-pivot.js';
import { bindSplitToTable, isSplitToTable, SPLIT_TO_TABLE } from './bind-split-to-table.js';
import { bindFlatten, FLATTEN, isFlatten } from './bind-flatten.js';
import { bindRecursiveCte, refersTo, type CteDefinition } from './bind-recursive-cte.js';

/** This module's entry points, handed to the subquery rewriter, which recurses into them. */
const QUERY_BINDER: QueryBinder = { bindQuery, bindSelect, bindFrom, exprBinder };

function withBinder(ctx: BindContext): SubqueryContext {
  return { ...ctx, binder: QUERY_BINDER };
}

/** An expression binder for `scope` that turns scalar subqueries into init plans. */
export function exprBinder(ctx: BindContext, scope: Scope, clause: string): ExprBinder {
  return new ExprBinder(scope, null, clause, subqueryHook(ctx, scope));
}

/** Init plans for uncorrelated subqueries over `scope`; a correlated one left here is NotSupportedError. */
function subqueryHook(ctx: BindContext, scope: Scope): SubqueryHook | null {
  const initPlans = ctx.initPlans;
  if (!initPlans) return null;
  return (q, clause) => {
    let plan: LogicalPlan;
    try {
      plan = bindQuery(ctx, q);
    } catch (err) {
      if (err instanceof CompilationError && isCorrelated(withBinder(ctx), q, scope)) throw new NotSupportedError(`Correlated subqueries in ${clause}`);
      throw err;
    }
    const cols = planColumns(plan);
    if (cols.length !== 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: a scalar subquery must return one column, not ${cols.length}`);
    return { kind: 'param', id: initPlans.push(plan) - 1, type: cols[0].type };
  };
}

/**
 * Resolves a 1-3 part table name against the session's database and schema; a name the session
 * has a temporary table of resolves to that table's stored name (services/session/temporary-objects.ts),
 * unless `permanent` (CREATE of a permanent table names its own).
 */
export function resolveTableName(ctx: Pick<BindContext, 'session'> & Partial<Pick<BindContext, 'catalog'>>, name: ObjectName, permanent = false): { database: string; schema: string; table: string } {
  const parts = name.parts;
  const table = parts[parts.length - 1];
  const schema = parts.length >= 2 ? parts[parts.length - 2] : ctx.session.schema;
  const database = parts.length >= 3 ? parts[0] : ctx.session.database;
  if (!database) throw new CompilationError('OBJECT_NOT_FOUND', 'Cannot perform operation. This session does not have a current database. Call \'USE DATABASE\', or use a qualified name.');
  if (!schema) throw new CompilationError('OBJECT_NOT_FOUND', 'Cannot perform operation. This session does not have a current schema. Call \'USE SCHEMA\', or use a qualified name.');
  const temporary = permanent ? undefined : ctx.session.temporary?.tables.get(temporaryKey(database, schema, table));
  return { database, schema, table: temporary ?? table };
}

/**
 * The live table `name` names, which the statement's role must see and hold every privilege of
 * `need` on (services/access/access-check.ts): a table it cannot see is OBJECT_NOT_FOUND exactly
 * as a missing one, a privilege it lacks 003001.
 */
export function lookupTable(ctx: BindContext, name: ObjectName, need: readonly TablePrivilege[] = ['SELECT']): TableInfo {
  const n = resolveTableName(ctx, name);
  const t = ctx.catalog.getTable(n.database, n.schema, n.table);
  if (!t) {
    const view = findView(ctx, n);
    if (view && canSeeView(ctx, view.view, view.schema)) throw new NotSupportedError(`${need.filter((p) => p !== 'SELECT').join(', ') || 'This statement'} on view '${view.qualified}'`);
    throw tableNotFound(`${n.database}.${n.schema}.${n.table}`);
  }
  requireTable(ctx, t, need);
  if (!ctx.expanding) ctx.directTables?.add(t.id);
  return t;
}

/** A query's plan, the session's TIMEZONE stamped on what needs it (stamp-zone.ts). */
export function bindQuery(ctx: BindContext, query: Query): LogicalPlan {
  return stampZone(bindQueryBody(ctx, query), ctx.session.timezone, ctx.session.settings);
}

function bindQueryBody(ctx: BindContext, query: Query): LogicalPlan {
  let inner = ctx;
  if (query.with.length > 0) {
    const ctes = new Map(ctx.ctes ?? []);
    for (const w of query.with) ctes.set(w.name, w);
    inner = { ...ctx, ctes };
  }
  if (query.body.kind === 'select') return bindSelect(inner, query.body, query);
  return applySortLimit(bindBody(inner, query.body), query, null);
}

/** A query body without its own ORDER BY / LIMIT (an operand of a set operation). */
function bindBody(ctx: BindContext, body: QueryBody): LogicalPlan {
  switch (body.kind) {
    case 'select':
      return bindSelect(ctx, body, null);
    case 'values':
      return bindValues(ctx, body.rows);
    case 'set_operation':
      return bindSetOperation(ctx, body);
  }
}

/** UNION [ALL] / INTERSECT / EXCEPT: operands line up by position, typed by their common super types. */
function bindSetOperation(ctx: BindContext, op: Extract<QueryBody, { kind: 'set_operation' }>): LogicalPlan {
  const left = bindBody(ctx, op.left);
  const right = bindBody(ctx, op.right);
  const lc = planColumns(left);
  const rc = planColumns(right);
  if (lc.length !== rc.length) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: invalid number of result columns for set operator input branches, expected ${lc.length}, got ${rc.length} in branch 2`);
  }
  const types = lc.map((c, i) => {
    const t = commonSuperType(c.type, rc[i].type);
    if (!t) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${op.op} column ${i + 1} mixes ${c.type.kind} and ${rc[i].type.kind}`);
    return t.kind === 'NULL' ? Types.varchar : t;
  });
  const conform = (p: LogicalPlan, cols: Column[]): LogicalPlan =>
    cols.every((c, i) => typesEqual(c.type, types[i]))
      ? p
      : { kind: 'project', input: p, exprs: cols.map((c, i) => castTo({ kind: 'column', index: i, type: c.type }, types[i])), names: cols.map((c) => c.name) };
  return {
    kind: 'set_operation',
    op: op.op,
    all: op.all,
    left: conform(left, lc),
    right: conform(right, rc),
    columns: lc.map((c, i) => ({ name: c.name, type: types[i], nullable: true })),
  };
}

function bindValues(ctx: BindContext, rows: Expr[][]): LogicalPlan {
  // seq.NEXTVAL stays in the rows: services puts reserved values in its place (reserve-sequence-values.ts).
  const empty = new ExprBinder(new Scope([]), null, 'VALUES', null, sequenceHook(ctx));
  const bound = rows.map((r) => r.map((e) => empty.bind(e)));
  const width = bound[0]?.length ?? 0;
  if (bound.some((r) => r.length !== width)) throw new CompilationError('TYPE_MISMATCH', 'SQL compilation error: VALUES rows have different numbers of columns');
  const types: DataType[] = [];
  for (let c = 0; c < width; c++) {
    let t: DataType = Types.null;
    for (const r of bound) {
      const u = commonSuperType(t, r[c].type);
      if (!u) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: VALUES column ${c + 1} mixes ${t.kind} and ${r[c].type.kind}`);
      t = u;
    }
    types.push(t.kind === 'NULL' ? Types.varchar : t);
  }
  return {
    kind: 'values',
    columns: types.map((type, i) => ({ name: `COLUMN${i + 1}`, type, nullable: true })),
    rows: bound.map((r) => r.map((e, i) => castTo(e, types[i]))),
  };
}

export function bindFrom(ctx: BindContext, from: TableRef | null): { plan: LogicalPlan; scope: Scope } {
  if (!from) return { plan: { kind: 'values', columns: [], rows: [[]] }, scope: new Scope([]) };
  switch (from.kind) {
    case 'table': {
      const cte = from.name.parts.length === 1 ? ctx.ctes?.get(from.name.parts[0]) : undefined;
      if (cte) {
        if (from.at) throw new CompilationError('SYNTAX', `SQL compilation error: time travel (${from.at.mode}) is not possible on the common table expression '${cte.name}'`);
        return bindCte(ctx, cte, from.alias);
      }
      const system = from.at ? null : bindSystemView(ctx, from.name);
      if (system) {
        const qualifier = from.alias ?? system.view.name;
        return { plan: system.plan, scope: new Scope(system.view.columns.map((c) => ({ qualifier, name: c.name, type: c.type }))) };
      }
      const view = findView(ctx, resolveTableName(ctx, from.name));
      if (view) {
        if (from.at) throw new NotSupportedError(`Time travel (${from.at.mode}) on view '${view.qualified}'`);
        const plan = bindView(ctx, view, bindQuery);
        const qualifier = from.alias ?? view.view.name;
        return { plan, scope: new Scope(planColumns(plan).map((c) => ({ qualifier, name: c.name, type: c.type }))) };
      }
      const live = lookupTable(ctx, from.name);
      // AT | BEFORE: the version it names, read with the table's schema as of that version.
      const table = from.at ? ctx.catalog.tableAt(live.id, resolveTimeTravel(ctx, live, from.at)) : live;
      const qualifier = from.alias ?? table.name;
      const partitions = ctx.catalog.livePartitions(table.id, table.currentVersion);
      return {
        plan: {
          kind: 'scan',
          table,
          version: table.currentVersion,
          partitions,
          columns: table.columns.map((_, i) => i),
          filter: null,
          pruning: null,
        },
        scope: new Scope(table.columns.map((c) => ({ qualifier, name: c.name, type: c.type }))),
      };
    }
    case 'function': {
      const fn = bindTableFunction(ctx, from);
      const qualifier = from.alias ?? fn.name;
      return { plan: fn.plan, scope: new Scope(fn.scope ?? fn.columns.map((c) => ({ qualifier, name: c.name, type: c.type }))) };
    }
    case 'derived': {
      const plan = bindQuery(ctx, from.query);
      const cols = planColumns(plan);
      const names = columnAliases(from.alias ?? 'derived table', from.columns ?? null, cols.length);
      return { plan, scope: new Scope(cols.map((c, i) => ({ qualifier: from.alias, name: names?.[i] ?? c.name, type: c.type }))) };
    }
    case 'join':
      return bindJoin(ctx, from);
    case 'pivot':
    case 'unpivot':
      return bindPivotRef(ctx, from, QUERY_BINDER);
  }
}

/**
 * A CTE in FROM: its query bound in place, or, for a CTE whose query refers to itself, the rows
 * of its init plan (bind-recursive-cte.ts); inside that CTE's recursive clause, its working table.
 */
function bindCte(ctx: BindContext, cte: CteDefinition, alias: string | null): { plan: LogicalPlan; scope: Scope } {
  let plan: LogicalPlan;
  if (ctx.workingTable?.cte === cte) {
    plan = { kind: 'working_table', name: cte.name, columns: ctx.workingTable.columns };
  } else if (ctx.binding?.has(cte.name)) {
    throw new NotSupportedError(`Mutual recursion of common table expressions ('${cte.name}' reached through another CTE of its own definition)`);
  } else if (refersTo(cte.query, cte.name)) {
    plan = bindRecursiveCte(ctx, cte, QUERY_BINDER);
  } else {
    plan = bindQuery({ ...ctx, binding: new Set([...(ctx.binding ?? []), cte.name]), workingTable: undefined }, cte.query);
  }
  const cols = planColumns(plan);
  const names = columnAliases(cte.name, cte.columns, cols.length);
  const qualifier = alias ?? cte.name;
  return { plan, scope: new Scope(cols.map((c, i) => ({ qualifier, name: names?.[i] ?? c.name, type: c.type }))) };
}

/**
 * The column aliases of a CTE, derived table or VALUES in FROM (`t(a, b)`): exactly one per
 * column of its query (DuckDB also takes fewer and renames only those).
 */
function columnAliases(what: string, names: string[] | null, width: number): string[] | null {
  if (names === null) return null;
  if (names.length !== width) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: '${what}' names ${names.length} column${names.length === 1 ? '' : 's'} but its query returns ${width}`);
  }
  return names;
}

/**
 * JOIN ... ON / USING / NATURAL, and comma (CROSS) joins; the condition sees both sides.
 * USING/NATURAL merge each key pair into one unqualified column at the left key's place
 * (`SELECT *` lists it once); each side's own copy stays reachable by its qualifier. The
 * merged column is the left key for INNER and LEFT joins, the right key for RIGHT joins and
 * COALESCE(left, right) for FULL joins, computed by a projection above the join.
 */
function bindJoin(ctx: BindContext, j: Extract<TableRef, { kind: 'join' }>): { plan: LogicalPlan; scope: Scope } {
  if (isSplitToTable(j.right)) return bindLateral(ctx, j, j.right, SPLIT_TO_TABLE, bindSplitToTable);
  if (isFlatten(j.right)) return bindLateral(ctx, j, j.right, FLATTEN, bindFlatten);
  const l = bindFrom(ctx, j.left);
  const r = bindFrom(ctx, j.right);
  let using = j.using;
  if (j.natural) {
    using = l.scope.columns.filter((c) => !c.merged && r.scope.columns.some((d) => !d.merged && d.name === c.name)).map((c) => c.name);
  }
  let condition: BoundExpr | null = null;
  let rightCols = r.scope.columns;
  if (using && using.length > 0) {
    const both = l.scope.concat(r.scope);
    const binder = new ExprBinder(both, null, 'USING');
    const width = l.scope.columns.length;
    const conjuncts = using.map((name) => {
      const li = l.scope.resolve(null, name);
      const ri = r.scope.resolve(null, name);
      return binder.call('eq', [
        { kind: 'column', index: li, type: l.scope.columns[li].type, name },
        { kind: 'column', index: width + ri, type: r.scope.columns[ri].type, name },
      ]);
    });
    condition = conjuncts.length === 1 ? conjuncts[0] : { kind: 'and', args: conjuncts, type: Types.boolean };
    rightCols = rightCols.map((c) => (using!.includes(c.name) ? { ...c, merged: true } : c));
  } else if (j.on) {
    condition = exprBinder(ctx, l.scope.concat(r.scope), 'ON').bindBoolean(j.on);
  }
  const joinType = j.joinType === 'CROSS' && condition ? 'INNER' : j.joinType;
  const plan: LogicalPlan = { kind: 'join', joinType, left: l.plan, right: r.plan, condition };
  if (using && using.length > 0 && (joinType === 'RIGHT' || joinType === 'FULL')) return mergeUsingColumns(plan, l.scope, r.scope, using, joinType);
  return { plan, scope: new Scope([...l.scope.columns, ...rightCols]) };
}

/**
 * A RIGHT or FULL join USING `keys`, projected so that each key is one unqualified column at
 * the left key's place (the right key, or COALESCE of both), followed by the left key itself,
 * reachable only as `left.k`; the right key is reachable only as `right.k`.
 */
function mergeUsingColumns(join: LogicalPlan, left: Scope, right: Scope, keys: string[], joinType: 'RIGHT' | 'FULL'): { plan: LogicalPlan; scope: Scope } {
  const width = left.columns.length;
  const binder = new ExprBinder(left.concat(right), null, 'USING');
  const exprs: BoundExpr[] = [];
  const names: string[] = [];
  const columns: ScopeColumn[] = [];
  const push = (e: BoundExpr, c: ScopeColumn) => {
    exprs.push(e);
    names.push(c.name);
    columns.push(c);
  };
  left.columns.forEach((c, i) => {
    const own: BoundExpr = { kind: 'column', index: i, type: c.type, name: c.name };
    if (!keys.includes(c.name) || c.merged) {
      push(own, c);
      return;
    }
    const ri = right.resolve(null, c.name);
    const other: BoundExpr = { kind: 'column', index: width + ri, type: right.columns[ri].type, name: c.name };
    const merged = joinType === 'RIGHT' ? other : binder.call('coalesce', [own, other]);
    push(merged, { qualifier: null, name: c.name, type: merged.type });
    push(own, { ...c, merged: true });
  });
  right.columns.forEach((c, i) => push({ kind: 'column', index: width + i, type: c.type, name: c.name }, keys.includes(c.name) ? { ...c, merged: true } : c));
  return { plan: { kind: 'project', input: join, exprs, names }, scope: new Scope(columns) };
}

/**
 * `left, [LATERAL] SPLIT_TO_TABLE(...)` or `FLATTEN(...)` (or `TABLE(...)` of either, or
 * `[INNER | CROSS] JOIN` without ON): the function over the rows of the items before it, its
 * arguments bound over their columns. As in Snowflake, an outer join or an ON clause (or
 * NATURAL / USING) with it is LATERAL_FUNCTION_JOIN: FLATTEN's OUTER => TRUE is the outer form,
 * WHERE the filter.
 */
function bindLateral(
  ctx: BindContext,
  j: Extract<TableRef, { kind: 'join' }>,
  fn: Extract<TableRef, { kind: 'function' }>,
  name: string,
  bindFn: (ref: Extract<TableRef, { kind: 'function' }>, input: { plan: LogicalPlan; scope: Scope }, binder: ExprBinder) => { plan: LogicalPlan; scope: Scope },
): { plan: LogicalPlan; scope: Scope } {
  if ((j.joinType !== 'CROSS' && j.joinType !== 'INNER') || j.natural || (j.using && j.using.length > 0) || j.on) {
    throw new CompilationError('LATERAL_FUNCTION_JOIN', "SQL compilation error: Unsupported feature 'lateral table function called with OUTER JOIN syntax or a join predicate (ON clause)'");
  }
  const left = bindFrom(ctx, j.left);
  return bindFn(fn, left, exprBinder(ctx, left.scope, name));
}

/**
 * `rel` filtered by a WHERE clause: its IN / EXISTS / scalar subqueries become joins (which
 * may add columns after rel's), the rest a Filter.
 */
export function bindWhere(ctx: BindContext, rel: { plan: LogicalPlan; scope: Scope }, where: Expr): { plan: LogicalPlan; scope: Scope } {
  if (containsAggregate(where)) throw new CompilationError('AGGREGATE_MISUSE', 'SQL compilation error: Invalid aggregate function in where clause');
  const { rel: joined, rest } = bindWhereSubqueries(withBinder(ctx), rel, where);
  let { plan } = joined;
  const remaining = andAll(rest);
  if (remaining) plan = { kind: 'filter', input: plan, predicate: exprBinder(ctx, joined.scope, 'WHERE').bindBoolean(remaining) };
  return { plan, scope: joined.scope };
}

export function bindSelect(ctx: BindContext, selectIn: Select, queryIn: Query | null): LogicalPlan {
  let { plan, scope } = bindFrom(ctx, selectIn.from);
  // OBJECT_CONSTRUCT(*): the star's columns written out, from the FROM clause's scope.
  let select = selectIn;
  let query = queryIn;
  if (hasStarArgs(selectIn, queryIn?.orderBy ?? [])) {
    const expanded = expandStarArgs(selectIn, queryIn?.orderBy ?? [], scope);
    select = expanded.select;
    if (queryIn) query = { ...queryIn, orderBy: expanded.orderBy };
  }
  if (select.where) ({ plan, scope } = bindWhere(ctx, { plan, scope }, select.where));

  // Expand * and name the select items.
  const items: { expr: Expr; name: string }[] = [];
  for (const [k, item] of select.items.entries()) {
    if (item.kind === 'star') {
      const cols = scope.columns.filter((c) => (item.table === null ? !c.merged : c.qualifier === item.table));
      if (item.table !== null && cols.length === 0) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${clipValue(item.table)}.*'`);
      // EXCLUDE and RENAME name columns of this star's expansion (Snowflake: invalid identifier otherwise).
      const known = new Set(cols.map((c) => c.name));
      const excluded = new Set(item.exclude);
      for (const name of [...item.exclude, ...item.rename.map((r) => r.from)]) {
        if (!known.has(name) || (excluded.has(name) && item.rename.some((r) => r.from === name))) {
          throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${clipValue(name)}'`);
        }
      }
      const renamed = new Map(item.rename.map((r) => [r.from, r.to]));
      for (const c of cols) {
        if (!excluded.has(c.name)) items.push({ expr: { kind: 'column', table: c.qualifier, name: c.name }, name: renamed.get(c.name) ?? c.name });
      }
    } else {
      // Named as written (OBJECT_CONSTRUCT(*), not its expansion).
      const written = selectIn.items[k].kind === 'expr' ? (selectIn.items[k] as { expr: Expr }).expr : item.expr;
      items.push({ expr: item.expr, name: item.alias ?? (written.kind === 'column' ? written.name : written.kind === 'nextval' ? 'NEXTVAL' : exprText(written).toUpperCase()) });
    }
  }
  const joined = bindSelectListSubqueries(withBinder(ctx), { plan, scope }, select, items.map((i) => i.expr));
  ({ plan, scope } = joined.rel);
  joined.exprs.forEach((expr, i) => (items[i] = { ...items[i], expr }));

  const orderItems = query?.orderBy ?? [];
  const isAggregate =
    select.groupBy.length > 0 || select.groupByAll === true || select.groupingSets !== null || items.some((i) => containsAggregate(i.expr)) || (select.having !== null) ||
    (!select.distinct && orderItems.some((o) => containsAggregate(o.expr)));

  // Window calls get placeholder columns WINDOW_BASE + k until the Window node's input width is known.
  let agg: AggregateBinder | null = null;
  let groupExprs: Expr[] = [];
  let groupBy: BoundExpr[] = [];
  let groupNames: string[] = [];
  if (isAggregate) {
    const inputBinder = exprBinder(ctx, scope, 'GROUP BY');
    // GROUP BY ALL: every select-list item (stars expanded) without an aggregate or window call.
    const all = select.groupByAll ? items.map((i) => i.expr).filter((e) => !containsAggregate(e) && !containsWindow(e) && !containsNextval(e)) : [];
    groupExprs = dedupeExprs([
      ...all,
      ...select.groupBy,
      ...(select.groupingSets ? groupingSetList(select.groupingSets).flat() : []),
    ].map((g) => resolveGroupItem(g, items, scope)));
    groupBy = groupExprs.map((g) => {
      if (containsAggregate(g)) throw new CompilationError('AGGREGATE_MISUSE', 'SQL compilation error: aggregate functions are not allowed in GROUP BY');
      return inputBinder.bind(g);
    });
    groupNames = groupExprs.map((g, i) => (g.kind === 'column' ? g.name : `$group${i}`));
    agg = new AggregateBinder(scope, groupBy, groupNames, subqueryHook(ctx, scope), select.groupingSets !== null, (g) => resolveGroupItem(g, items, scope));
  }
  const a = agg;
  const windowInput = () => (a ? a.binder('window') : exprBinder(ctx, scope, 'window'));
  const windows = new WindowBinder(WINDOW_BASE, windowInput, new WindowBinder(NESTED_WINDOW_BASE, windowInput));
  const above = (clause: string) => (a ? a.binder(clause, windows.hook) : new ExprBinder(scope, windows.hook, clause, subqueryHook(ctx, scope)));
  const sequences = sequenceHook(ctx);
  const selectList = a ? a.binder('select list', windows.hook, sequences) : new ExprBinder(scope, windows.hook, 'select list', subqueryHook(ctx, scope), sequences);
  let bound = items.map((i) => selectList.bind(i.expr));
  let having = select.having && a ? a.binder('HAVING').bindBoolean(select.having) : null;
  let qualify = select.qualify ? above('QUALIFY').bindBoolean(withSelectAliases(select.qualify, items, scope)) : null;
  const order = bindOrderBy(orderItems, items, bound, above('ORDER BY'), select.distinct);

  if (a) {
    if (a.groupings.length > 0) {
      // GROUPING calls are the columns after the aggregates of the grouping-sets plan.
      const width = groupBy.length + a.aggregates.length;
      const place = (e: BoundExpr): BoundExpr =>
        e.kind === 'column' && e.index >= GROUPING_BASE && e.index < WINDOW_BASE ? { ...e, index: width + e.index - GROUPING_BASE } : mapChildren(e, place);
      bound = bound.map(place);
      order.hidden = order.hidden.map(place);
      having = having ? place(having) : null;
      qualify = qualify ? place(qualify) : null;
      windows.mapExprs(place);
    }
    plan = select.groupingSets
      ? groupingSetsPlan(plan, groupBy, groupNames, a.aggregates, groupingSetIndexes(select, groupExprs, items, scope), a.groupings)
      : { kind: 'aggregate', input: plan, groupBy, groupNames, aggregates: a.aggregates };
    if (having) plan = { kind: 'filter', input: plan, predicate: having };
  }
  if (windows.nested!.calls.length > 0) {
    // Window calls inside window arguments (CONDITIONAL_TRUE_EVENT(x - LAG(x) OVER w > 1) OVER w): a Window node of their own below.
    const width = planColumns(plan).length;
    windows.mapExprs((e) => placeNested(e, width));
    plan = { kind: 'window', input: plan, calls: windows.nested!.calls };
  }
  if (windows.calls.length > 0) {
    const width = planColumns(plan).length;
    const place = (e: BoundExpr): BoundExpr => (e.kind === 'column' && e.index >= WINDOW_BASE ? { ...e, index: width + e.index - WINDOW_BASE } : mapChildren(e, place));
    bound = bound.map(place);
    order.hidden = order.hidden.map(place);
    qualify = qualify ? place(qualify) : null;
    plan = { kind: 'window', input: plan, calls: windows.calls };
  } else if (select.qualify) {
    throw new CompilationError('SYNTAX', 'SQL compilation error: QUALIFY needs a window function');
  }
  if (qualify) plan = { kind: 'filter', input: plan, predicate: qualify };
  // The select list's NEXTVAL values: a column each, after everything that filters rows.
  ({ plan, exprs: bound } = withSequenceColumns(plan, bound));
  return finishSelect(plan, items, bound, order, select.distinct, query);
}

/** Column positions far beyond any real input, standing for window calls until placed. */
const WINDOW_BASE = 1 << 24;
/** Column positions standing for the nested window calls until their Window node is placed (above WINDOW_BASE's). */
const NESTED_WINDOW_BASE = 1 << 25;

function placeNested(e: BoundExpr, width: number): BoundExpr {
  return e.kind === 'column' && e.index >= NESTED_WINDOW_BASE ? { ...e, index: width + e.index - NESTED_WINDOW_BASE } : mapChildren(e, (c) => placeNested(c, width));
}

function dedupeExprs(exprs: Expr[]): Expr[] {
  const seen = new Set<string>();
  return exprs.filter((e) => {
    const k = JSON.stringify(e);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The grouping sets of ROLLUP / CUBE / GROUPING SETS, as lists of expressions. */
function groupingSetList(g: NonNullable<Select['groupingSets']>): Expr[][] {
  switch (g.kind) {
    case 'grouping_sets':
      return g.sets;
    case 'rollup':
      return g.exprs.map((_, i) => g.exprs.slice(0, g.exprs.length - i)).concat([[]]);
    case 'cube': {
      if (g.exprs.length > 12) throw new NotSupportedError('CUBE over more than 12 expressions');
      const sets: Expr[][] = [];
      for (let mask = (1 << g.exprs.length) - 1; mask >= 0; mask--) sets.push(g.exprs.filter((_, i) => mask & (1 << i)));
      return sets;
    }
  }
}

/** Each grouping set as positions in the full group-key list (plain GROUP BY items are in every set). */
function groupingSetIndexes(select: Select, groupExprs: Expr[], items: { expr: Expr; name: string }[], scope: Scope): number[][] {
  const index = (e: Expr) => groupExprs.findIndex((g) => JSON.stringify(g) === JSON.stringify(resolveGroupItem(e, items, scope)));
  const plain = select.groupBy.map(index);
  return groupingSetList(select.groupingSets!).map((set) => [...new Set([...plain, ...set.map(index)])]);
}

/**
 * GROUPING SETS as a UNION ALL of one aggregate per set over the same input; keys outside a
 * set are NULL, so the output has the layout of one aggregate over every key, followed by
 * one column per GROUPING call (its value in each set, a constant per branch).
 */
function groupingSetsPlan(
  input: LogicalPlan,
  groupBy: BoundExpr[],
  groupNames: string[],
  aggregates: AggregateCall[],
  sets: number[][],
  groupings: number[][],
): LogicalPlan {
  const branches = sets.map((set): LogicalPlan => {
    const branch: LogicalPlan = { kind: 'aggregate', input, groupBy: set.map((i) => groupBy[i]), groupNames: set.map((i) => groupNames[i]), aggregates };
    const exprs: BoundExpr[] = [
      ...groupBy.map((g, i): BoundExpr => {
        const at = set.indexOf(i);
        return at >= 0 ? { kind: 'column', index: at, type: g.type } : { kind: 'literal', value: null, type: g.type };
      }),
      ...aggregates.map((c, k): BoundExpr => ({ kind: 'column', index: set.length + k, type: c.type })),
      ...groupings.map((keys): BoundExpr => ({ kind: 'literal', value: groupingValue(keys, set), type: GROUPING_TYPE })),
    ];
    const names = [...groupNames, ...aggregates.map((_, k) => `$agg${k}`), ...groupings.map((_, g) => `$grouping${g}`)];
    return { kind: 'project', input: branch, exprs, names };
  });
  const columns = planColumns(branches[0]);
  return branches.slice(1).reduce<LogicalPlan>((acc, b) => ({ kind: 'set_operation', op: 'UNION', all: true, left: acc, right: b, columns }), branches[0]);
}

/** GROUP BY 2 and GROUP BY alias refer to select items (a table column of that name wins). */
function resolveGroupItem(g: Expr, items: { expr: Expr; name: string }[], scope: Scope): Expr {
  if (g.kind === 'number' && /^\d+$/.test(g.text)) {
    const i = Number(g.text);
    if (i < 1 || i > items.length) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: GROUP BY position ${i} is not in select list`);
    return items[i - 1].expr;
  }
  if (g.kind === 'column' && g.table === null && !scope.has(null, g.name)) {
    const item = items.find((it) => it.name === g.name);
    if (item) return item.expr;
  }
  return g;
}

type BoundOrder = { keys: { output: number; desc: boolean; nullsFirst: boolean }[]; hidden: BoundExpr[] };


function bindOrderBy(
  order: OrderItem[],
  items: { expr: Expr; name: string }[],
  bound: BoundExpr[],
  binder: ExprBinder,
  distinct: boolean,
): BoundOrder {
  const hidden: BoundExpr[] = [];
  const keys = order.map((o) => {
    let output = -1;
    if (o.expr.kind === 'number' && /^\d+$/.test(o.expr.text)) {
      output = Number(o.expr.text) - 1;
      if (output < 0 || output >= items.length) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: ORDER BY position ${output + 1} is not in select list`);
    } else if (o.expr.kind === 'column' && o.expr.table === null) {
      output = items.findIndex((it) => it.name === (o.expr as { name: string }).name);
    }
    if (output < 0) {
      const b = binder.bind(o.expr);
      const key = exprKey(b);
      output = bound.findIndex((x) => exprKey(x) === key);
      if (output < 0) {
        if (distinct) throw new CompilationError('INVALID_IDENTIFIER', 'SQL compilation error: ORDER BY expressions must appear in the select list when SELECT DISTINCT is used');
        const sortKey = orderable(b);
        const hk = exprKey(sortKey);
        const h = hidden.findIndex((x) => exprKey(x) === hk);
        output = items.length + (h >= 0 ? h : hidden.push(sortKey) - 1);
      }
    }
    const keyExpr = output < bound.length ? bound[output] : hidden[output - bound.length];
    if (isSemiStructured(keyExpr.type)) {
      // A VARIANT sorts by its order key (variant-order.ts), a hidden column beside it (under
      // DISTINCT too: it is a function of the select item, so it groups nothing apart).
      const sortKey = orderable(keyExpr);
      const key = exprKey(sortKey);
      const h = hidden.findIndex((x) => exprKey(x) === key);
      output = items.length + (h >= 0 ? h : hidden.push(sortKey) - 1);
    }
    // Snowflake: NULLs sort as the largest values unless told otherwise.
    return { output, desc: o.desc, nullsFirst: o.nullsFirst ?? o.desc };
  });
  return { keys, hidden };
}

function finishSelect(
  input: LogicalPlan,
  items: { expr: Expr; name: string }[],
  bound: BoundExpr[],
  order: BoundOrder,
  distinct: boolean,
  query: Query | null,
): LogicalPlan {
  const exprs = [...bound, ...order.hidden].map((e) => (e.type.kind === 'NULL' ? castTo(e, Types.varchar) : e));
  const names = [...items.map((i) => i.name), ...order.hidden.map((_, i) => `$order${i}`)];
  let plan: LogicalPlan = { kind: 'project', input, exprs, names };
  if (distinct) {
    const cols = planColumns(plan);
    plan = {
      kind: 'aggregate',
      input: plan,
      groupBy: cols.map((c, i) => ({ kind: 'column', index: i, type: c.type, name: c.name })),
      groupNames: cols.map((c) => c.name),
      aggregates: [],
    };
  }
  const cols = planColumns(plan);
  const keys: SortKey[] = order.keys.map((k) => ({
    expr: { kind: 'column', index: k.output, type: cols[k.output].type },
    desc: k.desc,
    nullsFirst: k.nullsFirst,
  }));
  if (query) plan = applySortLimit(plan, query, keys);
  else if (keys.length > 0) plan = { kind: 'sort', input: plan, keys };
  if (order.hidden.length > 0) {
    plan = {
      kind: 'project',
      input: plan,
      exprs: items.map((_, i) => ({ kind: 'column', index: i, type: cols[i].type })),
      names: items.map((i) => i.name),
    };
  }
  return plan;
}

/**
 * `plan` sorted by `keys` (over its columns) when some key is semi-structured: the order keys
 * (variant-order.ts) are computed as extra columns, sorted on, and dropped.
 */
function sortByOrderKeys(plan: LogicalPlan, keys: SortKey[]): LogicalPlan {
  const cols = planColumns(plan);
  const own = cols.map((c, i): BoundExpr => ({ kind: 'column', index: i, type: c.type }));
  const extra = keys.map((k) => orderable(k.expr));
  const widened: LogicalPlan = { kind: 'project', input: plan, exprs: [...own, ...extra], names: [...cols.map((c) => c.name), ...extra.map((_, i) => `$order${i}`)] };
  const sorted: LogicalPlan = { kind: 'sort', input: widened, keys: keys.map((k, i) => ({ ...k, expr: { kind: 'column', index: cols.length + i, type: extra[i].type } })) };
  return { kind: 'project', input: sorted, exprs: own, names: cols.map((c) => c.name) };
}

function applySortLimit(plan: LogicalPlan, query: Query, keys: SortKey[] | null): LogicalPlan {
  if (keys === null && query.orderBy.length > 0) {
    const cols: Column[] = planColumns(plan);
    keys = query.orderBy.map((o) => {
      let i = -1;
      if (o.expr.kind === 'number' && /^\d+$/.test(o.expr.text)) i = Number(o.expr.text) - 1;
      else if (o.expr.kind === 'column' && o.expr.table === null) {
        const name = o.expr.name;
        i = cols.findIndex((c) => c.name === name);
      }
      if (i < 0 || i >= cols.length) throw new NotSupportedError('ORDER BY over a set operation or VALUES by anything but an output column name or position');
      return { expr: { kind: 'column', index: i, type: cols[i].type }, desc: o.desc, nullsFirst: o.nullsFirst ?? o.desc };
    });
    if (keys.some((k) => isSemiStructured(k.expr.type))) return applySortLimit(sortByOrderKeys(plan, keys), { ...query, orderBy: [] }, null);
  }
  if (keys && keys.length > 0) plan = { kind: 'sort', input: plan, keys };
  if (query.limit || query.offset) {
    plan = { kind: 'limit', input: plan, limit: query.limit ? constantCount(query.limit, 'LIMIT') : null, offset: query.offset ? constantCount(query.offset, 'OFFSET') : 0 };
  }
  return plan;
}

function constantCount(e: Expr, what: string): number {
  if (e.kind === 'number' && /^\d+$/.test(e.text)) return Number(e.text);
  if (e.kind === 'null') return Number.MAX_SAFE_INTEGER;
  throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${what} must be a non-negative integer constant`);
}
