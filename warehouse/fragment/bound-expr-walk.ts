/**
 * Generic walks over bound expressions: children, rebuilding with new children, and the
 * column references an expression uses (for projection push-down and remapping, and a scan's
 * filter columns), and the structural key the binders use to recognise the same bound
 * expression twice. They live beside the type so that services and the warehouse share them.
 */
import type { BoundExpr } from './bound-expr.js';

export function childrenOf(e: BoundExpr): BoundExpr[] {
  switch (e.kind) {
    case 'column':
    case 'literal':
    case 'param':
    case 'nextval':
      return [];
    case 'call':
    case 'and':
    case 'or':
      return e.args;
    case 'cast':
    case 'not':
    case 'is_null':
      return [e.expr];
    case 'case':
      return [...e.whens.flatMap((w) => [w.when, w.then]), ...(e.else ? [e.else] : [])];
    case 'in_list':
      return [e.expr, ...e.list];
    case 'like':
      return [e.expr, e.pattern];
  }
}

export function mapChildren(e: BoundExpr, f: (c: BoundExpr) => BoundExpr): BoundExpr {
  switch (e.kind) {
    case 'column':
    case 'literal':
    case 'param':
    case 'nextval':
      return e;
    case 'call':
      return { ...e, args: e.args.map(f) };
    case 'and':
    case 'or':
      return { ...e, args: e.args.map(f) };
    case 'cast':
    case 'not':
    case 'is_null':
      return { ...e, expr: f(e.expr) } as BoundExpr;
    case 'case':
      return { ...e, whens: e.whens.map((w) => ({ when: f(w.when), then: f(w.then) })), else: e.else ? f(e.else) : null };
    case 'in_list':
      return { ...e, expr: f(e.expr), list: e.list.map(f) };
    case 'like':
      return { ...e, expr: f(e.expr), pattern: f(e.pattern) };
  }
}

/** Adds every column index `e` reads to `into`. */
export function collectColumns(e: BoundExpr, into: Set<number>): Set<number> {
  if (e.kind === 'column') into.add(e.index);
  for (const c of childrenOf(e)) collectColumns(c, into);
  return into;
}

/** `e` with each column index i replaced by map[i]. */
export function remapColumns(e: BoundExpr, map: ArrayLike<number>): BoundExpr {
  if (e.kind === 'column') return { ...e, index: map[e.index] };
  return mapChildren(e, (c) => remapColumns(c, map));
}

/** `e` with each column reference i replaced by exprs[i] (pushing a predicate below a projection). */
export function substituteColumns(e: BoundExpr, exprs: readonly BoundExpr[]): BoundExpr {
  if (e.kind === 'column') return exprs[e.index];
  return mapChildren(e, (c) => substituteColumns(c, exprs));
}

/** Structural identity of bound expressions (names are labels, not identity). */
export function exprKey(x: unknown): string {
  return JSON.stringify(x, (k, v) => (k === 'name' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
}
