/**
 * Binds a parsed query into a logical plan over the catalog at a snapshot.
 *
 * Contract: the result plan's output columns are the query's result columns, named as
 * Snowflake names them (the alias, the column name, or the expression's SQL text,
 * upper-cased as written). Operators are stacked in SQL's logical order:
 * scan -> filter (WHERE) -> aggregate (GROUP BY) -> filter (HAVING) -> project (select list
 * plus hidden ORDER BY keys) -> aggregate (DISTINCT) -> sort -> limit -> project (drop
 * hidden keys). Each table is read at the version current when binding starts.
 */
import type { Catalog, TableInfo } from '../catalog/catalog.js';
import type { Expr, ObjectName, OrderItem, Query, Select, TableRef } from '../sql/ast.js';
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../storage/types/data-type.js';
import type { Column } from '../../storage/types/schema.js';
import type { BoundExpr, SortKey } from '../../warehouse/fragment/bound-expr.js';
import { commonSuperType } from '../../warehouse/execute/functions/function-registry.js';
import type { SessionContext } from '../session/statement-result.js';
import { AggregateBinder, exprKey } from './bind-aggregates.js';
import { ExprBinder, castTo, containsAggregate } from './bind-expr.js';
import { exprText } from './expr-text.js';
import { planColumns, type LogicalPlan } from './logical-plan.js';
import { Scope } from './scope.js';

export type BindContext = { catalog: Catalog; session: SessionContext };

/** Resolves a 1-3 part table name against the session's database and schema. */
export function resolveTableName(ctx: BindContext, name: ObjectName): { database: string; schema: string; table: string } {
  const parts = name.parts;
  const table = parts[parts.length - 1];
  const schema = parts.length >= 2 ? parts[parts.length - 2] : ctx.session.schema;
  const database = parts.length >= 3 ? parts[0] : ctx.session.database;
  if (!database) throw new CompilationError('OBJECT_NOT_FOUND', 'Cannot perform operation. This session does not have a current database. Call \'USE DATABASE\', or use a qualified name.');
  if (!schema) throw new CompilationError('OBJECT_NOT_FOUND', 'Cannot perform operation. This session does not have a current schema. Call \'USE SCHEMA\', or use a qualified name.');
  return { database, schema, table };
}

export function lookupTable(ctx: BindContext, name: ObjectName): TableInfo {
  const n = resolveTableName(ctx, name);
  const t = ctx.catalog.getTable(n.database, n.schema, n.table);
  if (!t) throw new CompilationError('OBJECT_NOT_FOUND', `SQL compilation error: Object '${n.database}.${n.schema}.${n.table}' does not exist or not authorized.`);
  return t;
}

export function bindQuery(ctx: BindContext, query: Query): LogicalPlan {
  if (query.with.length > 0) throw new NotSupportedError('WITH (common table expressions)');
  const body = query.body;
  if (body.kind === 'set_operation') throw new NotSupportedError(`${body.op} of queries`);
  if (body.kind === 'values') {
    const plan = bindValues(body.rows);
    return applySortLimit(plan, query, null);
  }
  return bindSelect(ctx, body, query);
}

function bindValues(rows: Expr[][]): LogicalPlan {
  const empty = new ExprBinder(new Scope([]), null, 'VALUES');
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

function bindFrom(ctx: BindContext, from: TableRef | null): { plan: LogicalPlan; scope: Scope } {
  if (!from) return { plan: { kind: 'values', columns: [], rows: [[]] }, scope: new Scope([]) };
  if (from.kind !== 'table') throw new NotSupportedError(from.kind === 'join' ? 'Joins' : 'Derived tables');
  const table = lookupTable(ctx, from.name);
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

function bindSelect(ctx: BindContext, select: Select, query: Query): LogicalPlan {
  if (select.qualify) throw new NotSupportedError('QUALIFY');
  let { plan, scope } = bindFrom(ctx, select.from);
  if (select.where) {
    if (containsAggregate(select.where)) throw new CompilationError('AGGREGATE_MISUSE', 'SQL compilation error: Invalid aggregate function in where clause');
    plan = { kind: 'filter', input: plan, predicate: new ExprBinder(scope, null, 'WHERE').bindBoolean(select.where) };
  }

  // Expand * and name the select items.
  const items: { expr: Expr; name: string }[] = [];
  for (const item of select.items) {
    if (item.kind === 'star') {
      const cols = scope.columns.filter((c) => item.table === null || c.qualifier === item.table);
      if (item.table !== null && cols.length === 0) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${item.table}.*'`);
      for (const c of cols) items.push({ expr: { kind: 'column', table: c.qualifier, name: c.name }, name: c.name });
    } else {
      items.push({ expr: item.expr, name: item.alias ?? (item.expr.kind === 'column' ? item.expr.name : exprText(item.expr).toUpperCase()) });
    }
  }

  const isAggregate =
    select.groupBy.length > 0 || items.some((i) => containsAggregate(i.expr)) || (select.having !== null) ||
    (!select.distinct && query.orderBy.some((o) => containsAggregate(o.expr)));

  if (isAggregate) {
    const inputBinder = new ExprBinder(scope, null, 'GROUP BY');
    const groupExprs = select.groupBy.map((g) => resolveGroupItem(g, items, scope));
    const groupBy = groupExprs.map((g) => {
      if (containsAggregate(g)) throw new CompilationError('AGGREGATE_MISUSE', 'SQL compilation error: aggregate functions are not allowed in GROUP BY');
      return inputBinder.bind(g);
    });
    const groupNames = groupExprs.map((g, i) => (g.kind === 'column' ? g.name : `$group${i}`));
    const agg = new AggregateBinder(scope, groupBy, groupNames);
    const selectBinder = agg.binder('select list');
    const bound = items.map((i) => selectBinder.bind(i.expr));
    const having = select.having ? agg.binder('HAVING').bindBoolean(select.having) : null;
    const orderAbove = agg.binder('ORDER BY');
    plan = { kind: 'aggregate', input: plan, groupBy, groupNames, aggregates: agg.aggregates };
    // ORDER BY may add aggregate calls: they land in the same (shared) aggregates array.
    const order = bindOrderBy(query.orderBy, items, bound, orderAbove, select.distinct);
    if (having) plan = { kind: 'filter', input: plan, predicate: having };
    return finishSelect(plan, items, bound, order, select.distinct, query);
  }
  const selectBinder = new ExprBinder(scope, null, 'select list');
  const bound = items.map((i) => selectBinder.bind(i.expr));
  const order = bindOrderBy(query.orderBy, items, bound, new ExprBinder(scope, null, 'ORDER BY'), select.distinct);
  return finishSelect(plan, items, bound, order, select.distinct, query);
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
        const h = hidden.findIndex((x) => exprKey(x) === key);
        output = items.length + (h >= 0 ? h : hidden.push(b) - 1);
      }
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
  query: Query,
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
  plan = applySortLimit(plan, query, keys);
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

function applySortLimit(plan: LogicalPlan, query: Query, keys: SortKey[] | null): LogicalPlan {
  if (keys === null && query.orderBy.length > 0) {
    const cols: Column[] = planColumns(plan);
    keys = query.orderBy.map((o) => {
      if (!(o.expr.kind === 'number' && /^\d+$/.test(o.expr.text))) throw new NotSupportedError('ORDER BY expressions over VALUES (use positions)');
      const i = Number(o.expr.text) - 1;
      return { expr: { kind: 'column', index: i, type: cols[i].type }, desc: o.desc, nullsFirst: o.nullsFirst ?? o.desc };
    });
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
