/**
 * Select-list aliases in QUALIFY: Snowflake lets QUALIFY name a select item by its alias
 * (`SELECT ROW_NUMBER() OVER (...) AS rn FROM t QUALIFY rn = 1`), also inside a window call's
 * arguments, PARTITION BY and ORDER BY (`QUALIFY ROW_NUMBER() OVER (ORDER BY x) = 1` with x an alias).
 *
 * Contract: `withSelectAliases` returns the expression with every unqualified column name that
 * the FROM scope does not have, and some select item is named, replaced by that item's
 * expression (the first item of the name); a column of the FROM scope wins over an alias, as in
 * GROUP BY. Subqueries are left alone (their names resolve in their own scope).
 */
import type { Expr } from '../sql/ast.js';
import { mapExprChildren } from './bind-subqueries.js';
import type { Scope } from './scope.js';

export function withSelectAliases(e: Expr, items: readonly { expr: Expr; name: string }[], scope: Scope): Expr {
  const replace = (x: Expr): Expr => {
    if (x.kind === 'column') {
      if (x.table !== null || scope.has(null, x.name)) return x;
      return items.find((it) => it.name === x.name)?.expr ?? x;
    }
    if (x.kind === 'window') {
      return {
        ...x,
        fn: { ...x.fn, args: x.fn.args.map(replace) },
        partitionBy: x.partitionBy.map(replace),
        orderBy: x.orderBy.map((o) => ({ ...o, expr: replace(o.expr) })),
      };
    }
    return mapExprChildren(x, replace);
  };
  return replace(e);
}
