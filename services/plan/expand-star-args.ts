/**
 * OBJECT_CONSTRUCT(*) and OBJECT_CONSTRUCT_KEEP_NULL(*) (also `t.*`), as in Snowflake: an
 * object of the columns the star names, keyed by column name. The star is expanded in the
 * query's AST, against the columns of its FROM clause (what `SELECT *` would list: a USING
 * join's merged copy is left out, `t.*` is that table's columns), into the explicit
 * `OBJECT_CONSTRUCT('A', A, 'B', B, ...)` before anything is bound, so every clause binds it
 * as written out: grouped, aggregated or windowed like any other call.
 *
 * Contract: `expandStarArgs` returns the select (and its query's ORDER BY) with every such call
 * outside subqueries expanded; `t.*` naming no table of the FROM clause is INVALID_IDENTIFIER.
 * A star in any other function (ARRAY_CONSTRUCT(*): Snowflake has no such form) is left for
 * the binder to refuse. Snowflake's `* ILIKE` / `* EXCLUDE` filters inside the call are not
 * parsed by Firn.
 */
import { CompilationError } from '../../storage/errors/firn-error.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import type { Expr, OrderItem, Select } from '../sql/ast.js';
import { mapExprChildren } from './bind-subqueries.js';
import type { Scope } from './scope.js';

const STAR_FUNCTIONS = new Set(['OBJECT_CONSTRUCT', 'OBJECT_CONSTRUCT_KEEP_NULL']);

export function expandStarArgs(select: Select, orderBy: readonly OrderItem[], scope: Scope): { select: Select; orderBy: OrderItem[] } {
  const x = (e: Expr): Expr => expand(e, scope);
  const xs = (e: Expr | null): Expr | null => (e === null ? null : x(e));
  return {
    select: {
      ...select,
      items: select.items.map((i) => (i.kind === 'expr' ? { ...i, expr: x(i.expr) } : i)),
      where: xs(select.where),
      having: xs(select.having),
      qualify: xs(select.qualify),
    },
    orderBy: orderBy.map((o) => ({ ...o, expr: x(o.expr) })),
  };
}

/** Whether the select or its ORDER BY calls one of the functions with a star (so most queries skip the rewrite). */
export function hasStarArgs(select: Select, orderBy: readonly OrderItem[]): boolean {
  const texts = [...select.items.map((i) => (i.kind === 'expr' ? i.expr : null)), select.where, select.having, select.qualify, ...orderBy.map((o) => o.expr)];
  return texts.some((e) => e !== null && JSON.stringify(e).includes('"kind":"star"'));
}

function expand(e: Expr, scope: Scope): Expr {
  if (e.kind === 'function' && STAR_FUNCTIONS.has(e.name) && e.args.length === 1 && e.args[0].kind === 'star') {
    const table = e.args[0].table;
    const cols = scope.columns.filter((c) => !c.outer && (table === null ? !c.merged : c.qualifier === table));
    if (table !== null && cols.length === 0) throw new CompilationError('INVALID_IDENTIFIER', `SQL compilation error: invalid identifier '${clipValue(table)}.*'`);
    return { ...e, args: cols.flatMap((c): Expr[] => [{ kind: 'string', value: c.name }, { kind: 'column', table: c.qualifier, name: c.name }]) };
  }
  if (e.kind === 'window') {
    return { ...e, fn: expand(e.fn, scope) as typeof e.fn, partitionBy: e.partitionBy.map((p) => expand(p, scope)), orderBy: e.orderBy.map((o) => ({ ...o, expr: expand(o.expr, scope) })) };
  }
  return mapExprChildren(e, (c) => expand(c, scope));
}
