/**
 * PIVOT and UNPIVOT in FROM, rewritten at bind time into a SELECT over their source, so the
 * optimizer, physical planner and workers see only existing nodes.
 *
 * PIVOT ( agg(x) FOR k IN (v1, v2, ...) ) is
 *   SELECT <the source's other columns>, agg(CASE WHEN k = v1 THEN x END) AS "'v1'", ...
 *   FROM source GROUP BY <the source's other columns>
 * where the other columns are those neither x's expression nor k names. A column is named
 * after its value as written (`'v1'` with its quotes, `2` for a number), or the value's alias;
 * an aggregate alias `a` appends `_A`; DEFAULT ON NULL (d) wraps each in COALESCE(..., d).
 *
 * UNPIVOT [INCLUDE NULLS] ( val FOR name IN (c1, c2, ...) ) is one scan of the source crossed
 * with a VALUES list of the column names:
 *   SELECT <other columns>, n AS name, CASE n WHEN 'C1' THEN c1 ... END AS val
 *   FROM source CROSS JOIN (VALUES ('C1'), ('C2'), ...) WHERE val IS NOT NULL
 * (no WHERE with INCLUDE NULLS). The name column holds each column's name as resolved (upper-cased
 * unless it was quoted), as Snowflake does.
 *
 * Contract: returns the plan and the scope its output is reached by: the PIVOT / UNPIVOT alias,
 * else the source's own qualifier, with `(c1, ...)` after the alias renaming every column.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { Expr, Select, SelectItem, TableRef } from '../sql/ast.js';
import type { BindContext, QueryBinder } from './bind-context.js';
import { childExprs, isAggregateCall } from './bind-expr.js';
import { exprText } from './expr-text.js';
import { planColumns, type LogicalPlan } from './logical-plan.js';
import { Scope, type ScopeColumn } from './scope.js';

type Bound = { plan: LogicalPlan; scope: Scope };
type PivotRef = Extract<TableRef, { kind: 'pivot' }>;
type UnpivotRef = Extract<TableRef, { kind: 'unpivot' }>;

/** The synthetic VALUES list of an UNPIVOT: names no user column can take (`$` starts no identifier). */
const NAMES_ALIAS = '$UNPIVOT';
const NAME_COLUMN = '$NAME';

export function bindPivotRef(ctx: BindContext, ref: PivotRef | UnpivotRef, binder: QueryBinder): Bound {
  // The source's columns (its init plans go to a throwaway list: the SELECT below binds it again).
  const source = binder.bindFrom({ ...ctx, initPlans: ctx.initPlans ? [] : undefined }, ref.source).scope;
  const select = ref.kind === 'pivot' ? pivotSelect(ref, source) : unpivotSelect(ref, source);
  const plan = binder.bindSelect(ctx, select, null);
  const cols = planColumns(plan);
  if (ref.columns && ref.columns.length !== cols.length) {
    throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: '${clipValue(ref.alias ?? ref.kind.toUpperCase())}' names ${ref.columns.length} columns but the ${ref.kind.toUpperCase()} returns ${cols.length}`);
  }
  const qualifier = ref.alias ?? sourceQualifier(source);
  return { plan, scope: new Scope(cols.map((c, i) => ({ qualifier, name: ref.columns?.[i] ?? c.name, type: c.type }))) };
}

function pivotSelect(ref: PivotRef, source: Scope): Select {
  const agg = ref.aggregate;
  if (!isAggregateCall(agg) || agg.star || agg.args.length !== 1) {
    throw new CompilationError('SYNTAX', `SQL compilation error: PIVOT needs an aggregate function of one argument, not ${clipValue(exprText(agg))}`);
  }
  const arg = agg.args[0];
  // The pivot's own columns: the value column and every column the aggregate reads.
  const used = new Set<number>([source.resolve(null, ref.valueColumn)]);
  for (const c of columnRefs(arg)) used.add(source.resolve(c.table, c.name));
  const groups = source.columns.filter((c, i) => !c.merged && !used.has(i)).map(columnOf);
  const key: Expr = { kind: 'column', table: null, name: ref.valueColumn };
  const items: SelectItem[] = groups.map((g) => ({ kind: 'expr', expr: g, alias: g.name }));
  for (const v of ref.values) {
    const when: Expr = { kind: 'binary', op: '=', left: key, right: v.expr };
    let expr: Expr = { ...agg, args: [{ kind: 'case', operand: null, whens: [{ when, then: arg }], else: null }] };
    if (ref.defaultOnNull) expr = { kind: 'function', name: 'COALESCE', args: [expr, ref.defaultOnNull], distinct: false, star: false };
    const name = v.alias ?? exprText(v.expr);
    items.push({ kind: 'expr', expr, alias: ref.aggregateAlias ? `${name}_${ref.aggregateAlias}` : name });
  }
  return select(items, ref.source, null, groups);
}

function unpivotSelect(ref: UnpivotRef, source: Scope): Select {
  const listed = new Set(ref.inColumns.map((n) => source.resolve(null, n)));
  if (listed.size !== ref.inColumns.length) throw new CompilationError('SYNTAX', 'SQL compilation error: UNPIVOT lists a column twice');
  // Snowflake refuses a list whose columns are of different types (NUMBER and VARCHAR, ...).
  const first = source.columns[source.resolve(null, ref.inColumns[0])];
  for (const n of ref.inColumns) {
    if (source.columns[source.resolve(null, n)].type.kind !== first.type.kind) {
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: The type of column '${clipValue(n)}' conflicts with the type of other columns in the UNPIVOT list.`);
    }
  }
  const others = source.columns.filter((c, i) => !c.merged && !listed.has(i)).map(columnOf);
  const names: TableRef = {
    kind: 'derived',
    query: { with: [], body: { kind: 'values', rows: ref.inColumns.map((n) => [{ kind: 'string', value: n }]) }, orderBy: [], limit: null, offset: null },
    alias: NAMES_ALIAS,
    columns: [NAME_COLUMN],
  };
  const name: Expr = { kind: 'column', table: NAMES_ALIAS, name: NAME_COLUMN };
  const value: Expr = {
    kind: 'case',
    operand: name,
    whens: ref.inColumns.map((n) => ({ when: { kind: 'string', value: n }, then: columnOf(source.columns[source.resolve(null, n)]) })),
    else: null,
  };
  const items: SelectItem[] = [
    ...others.map((o): SelectItem => ({ kind: 'expr', expr: o, alias: o.name })),
    { kind: 'expr', expr: name, alias: ref.nameColumn },
    { kind: 'expr', expr: value, alias: ref.valueColumn },
  ];
  const from: TableRef = { kind: 'join', joinType: 'CROSS', left: ref.source, right: names, on: null, using: null, natural: false };
  return select(items, from, ref.includeNulls ? null : { kind: 'is_null', expr: value, negated: true }, []);
}

function select(items: SelectItem[], from: TableRef, where: Expr | null, groupBy: Expr[]): Select {
  return { kind: 'select', distinct: false, items, from, where, groupBy, groupingSets: null, having: null, qualify: null };
}

function columnOf(c: ScopeColumn): Extract<Expr, { kind: 'column' }> {
  return { kind: 'column', table: c.qualifier, name: c.name };
}

function columnRefs(e: Expr): Extract<Expr, { kind: 'column' }>[] {
  return e.kind === 'column' ? [e] : childExprs(e).flatMap(columnRefs);
}

/** The one qualifier every column of the source shares (its alias or table name), else null. */
function sourceQualifier(scope: Scope): string | null {
  const qualifiers = new Set(scope.columns.map((c) => c.qualifier));
  return qualifiers.size === 1 ? [...qualifiers][0] : null;
}
