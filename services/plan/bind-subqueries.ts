/**
 * Subqueries in a WHERE clause become joins (decorrelation), so they run as set operations
 * instead of once per row:
 *   [NOT] EXISTS (q)        -> SEMI / ANTI join of the outer rows with q's rows, on q's
 *                              correlated conjuncts (those naming outer columns);
 *   x [NOT] IN (q)          -> SEMI / NULL-aware ANTI join on x = q's one column;
 *   a correlated scalar q   -> q's aggregate grouped by the inner side of its correlated
 *                              equalities (inner = outer), LEFT-joined on them; the subquery
 *                              becomes a reference to the joined value column.
 * Only top-level AND conjuncts of the WHERE are rewritten. Uncorrelated scalar subqueries
 * are left for init plans (ExprBinder's subquery hook). A correlated COUNT subquery over no
 * rows gives NULL here, not 0 (the classic "COUNT bug"), so it is refused.
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import type { Expr, Query, Select } from '../sql/ast.js';
import { childExprs, containsAggregate } from './bind-expr.js';
import { bindFrom, bindQuery, bindSelect, exprBinder, type BindContext } from './bind-query.js';
import { planColumns, type JoinType, type LogicalPlan } from './logical-plan.js';
import { Scope } from './scope.js';

export type Relation = { plan: LogicalPlan; scope: Scope };

/** Qualifier of the columns subquery joins add: reachable only by the rewritten references. */
const SUBQUERY_QUALIFIER = '$SUBQUERY';

export function splitConjuncts(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === 'AND' ? [...splitConjuncts(e.left), ...splitConjuncts(e.right)] : [e];
}

export function andAll(parts: Expr[]): Expr | null {
  return parts.reduce<Expr | null>((acc, p) => (acc ? { kind: 'binary', op: 'AND', left: acc, right: p } : p), null);
}

/**
 * Rewrites the subqueries among `where`'s conjuncts into joins of `rel`; returns the new
 * relation and the conjuncts still to filter by (with correlated scalar subqueries replaced).
 */
export function bindWhereSubqueries(ctx: BindContext, rel: Relation, where: Expr): { rel: Relation; rest: Expr[] } {
  const rest: Expr[] = [];
  for (const conjunct of splitConjuncts(where)) {
    if (conjunct.kind === 'exists') {
      rel = existsJoin(ctx, rel, conjunct.query, conjunct.negated);
    } else if (conjunct.kind === 'unary' && conjunct.op === 'NOT' && conjunct.expr.kind === 'exists') {
      rel = existsJoin(ctx, rel, conjunct.expr.query, !conjunct.expr.negated);
    } else if (conjunct.kind === 'in_subquery') {
      rel = inJoin(ctx, rel, conjunct.expr, conjunct.query, conjunct.negated);
    } else {
      const replaced = replaceCorrelatedScalars(ctx, rel, conjunct);
      rel = replaced.rel;
      rest.push(replaced.expr);
    }
  }
  return { rel, rest };
}

/** The scope a subquery body sees: its own FROM columns, then the outer ones (shadowed). */
function correlatedScope(outer: Scope, inner: Scope): Scope {
  return new Scope([...inner.columns, ...outer.columns.map((c) => ({ ...c, outer: true }))]);
}

/** True when some column reference in `e` (outside nested subqueries) resolves to an outer column. */
function refersOuter(e: Expr, scope: Scope): boolean {
  if (e.kind === 'column') return scope.isOuter(e.table, e.name);
  return childExprs(e).some((c) => refersOuter(c, scope));
}

function simpleSelect(q: Query, what: string): Select {
  if (q.body.kind !== 'select' || q.with.length > 0 || q.orderBy.length > 0 || q.limit || q.offset) {
    throw new NotSupportedError(`${what} subqueries other than a plain SELECT when correlated`);
  }
  return q.body;
}

/** Splits a subquery's WHERE into conjuncts that name outer columns and those that do not. */
function splitCorrelation(ctx: BindContext, select: Select, outer: Scope): { innerScope: Scope; correlated: Expr[]; local: Expr[] } {
  const innerScope = bindFrom(ctx, select.from).scope;
  const seen = correlatedScope(outer, innerScope);
  const correlated: Expr[] = [];
  const local: Expr[] = [];
  for (const c of select.where ? splitConjuncts(select.where) : []) (refersOuter(c, seen) ? correlated : local).push(c);
  for (const item of select.items) {
    if (item.kind === 'expr' && refersOuter(item.expr, seen)) throw new NotSupportedError('Outer column references in a subquery\'s select list');
  }
  return { innerScope, correlated, local };
}

/** `ctx` with a query's own WITH clause visible, for looking at its FROM before binding it. */
function withCtes(ctx: BindContext, q: Query): BindContext {
  if (q.with.length === 0) return ctx;
  const ctes = new Map(ctx.ctes ?? []);
  for (const w of q.with) ctes.set(w.name, w);
  return { ...ctx, ctes };
}

function isCorrelated(ctx: BindContext, q: Query, outer: Scope): boolean {
  if (q.body.kind !== 'select' || !q.body.from) return false;
  const inner = bindFrom(withCtes(ctx, q), q.body.from).scope;
  const seen = correlatedScope(outer, inner);
  const s = q.body;
  return [...(s.where ? [s.where] : []), ...s.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : []))].some((e) => refersOuter(e, seen));
}

function join(rel: Relation, joinType: JoinType, right: LogicalPlan, condition: BoundExpr | null): LogicalPlan {
  return { kind: 'join', joinType, left: rel.plan, right, condition };
}

function existsJoin(ctx: BindContext, rel: Relation, q: Query, negated: boolean): Relation {
  if (!isCorrelated(ctx, q, rel.scope)) {
    // Uncorrelated: every outer row qualifies exactly when the subquery has a row.
    return { plan: join(rel, negated ? 'ANTI' : 'SEMI', bindQuery(ctx, q), null), scope: rel.scope };
  }
  const select = simpleSelect(q, 'EXISTS');
  if (select.groupBy.length > 0 || select.having || select.items.some((i) => i.kind === 'expr' && containsAggregate(i.expr))) {
    throw new NotSupportedError('EXISTS over an aggregate subquery');
  }
  const { innerScope, correlated, local } = splitCorrelation(ctx, select, rel.scope);
  const inner = bindSelect(ctx, { ...select, distinct: false, items: [{ kind: 'star', table: null }], where: andAll(local), qualify: null }, null);
  const innerCols = innerScope.columns.filter((c) => !c.merged);
  const both = new Scope([...rel.scope.columns.map((c) => ({ ...c, outer: true })), ...innerCols]);
  const on = andAll(correlated);
  const condition = on ? exprBinder(ctx, both, 'EXISTS').bindBoolean(on) : null;
  return { plan: join(rel, negated ? 'ANTI' : 'SEMI', inner, condition), scope: rel.scope };
}

function inJoin(ctx: BindContext, rel: Relation, x: Expr, q: Query, negated: boolean): Relation {
  if (isCorrelated(ctx, q, rel.scope)) throw new NotSupportedError('Correlated IN subqueries');
  const inner = bindQuery(ctx, q);
  const cols = planColumns(inner);
  if (cols.length !== 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: IN subquery must return one column, not ${cols.length}`);
  const width = rel.scope.columns.length;
  const binder = exprBinder(ctx, rel.scope, 'IN');
  const condition = binder.call('eq', [binder.bind(x), { kind: 'column', index: width, type: cols[0].type }]);
  return { plan: join(rel, negated ? 'NULL_AWARE_ANTI' : 'SEMI', inner, condition), scope: rel.scope };
}

/** Replaces each correlated scalar subquery in `e` by a column joined onto `rel`. */
function replaceCorrelatedScalars(ctx: BindContext, rel: Relation, e: Expr): { rel: Relation; expr: Expr } {
  if (e.kind === 'subquery') {
    if (!isCorrelated(ctx, e.query, rel.scope)) return { rel, expr: e };
    return correlatedScalar(ctx, rel, e.query);
  }
  if (e.kind === 'exists' || e.kind === 'in_subquery') return { rel, expr: e };
  let current = rel;
  const rebuilt = mapExprChildren(e, (child) => {
    const r = replaceCorrelatedScalars(ctx, current, child);
    current = r.rel;
    return r.expr;
  });
  return { rel: current, expr: rebuilt };
}

function correlatedScalar(ctx: BindContext, rel: Relation, q: Query): { rel: Relation; expr: Expr } {
  const select = simpleSelect(q, 'Scalar');
  if (select.items.length !== 1 || select.items[0].kind !== 'expr') throw new CompilationError('TYPE_MISMATCH', 'SQL compilation error: a scalar subquery must return one column');
  const item = select.items[0].expr;
  if (!containsAggregate(item) || select.groupBy.length > 0) throw new NotSupportedError('Correlated scalar subqueries without an aggregate');
  if (callsFunction(item, 'COUNT')) throw new NotSupportedError('Correlated scalar subqueries with COUNT');
  const { innerScope, correlated, local } = splitCorrelation(ctx, select, rel.scope);
  const seen = correlatedScope(rel.scope, innerScope);
  // Each correlated conjunct must be inner_expr = outer_expr.
  const pairs = correlated.map((c) => {
    if (c.kind !== 'binary' || c.op !== '=') throw new NotSupportedError('Correlated subquery conditions other than equalities');
    const leftOuter = refersOuter(c.left, seen);
    const rightOuter = refersOuter(c.right, seen);
    if (leftOuter === rightOuter) throw new NotSupportedError('Correlated equalities that mix inner and outer columns on one side');
    return leftOuter ? { inner: c.right, outer: c.left } : { inner: c.left, outer: c.right };
  });
  const inner = bindSelect(
    ctx,
    {
      ...select,
      distinct: false,
      items: [...pairs.map((p, k) => ({ kind: 'expr' as const, expr: p.inner, alias: `$K${k}` })), { kind: 'expr', expr: item, alias: '$V' }],
      where: andAll(local),
      groupBy: pairs.map((p) => p.inner),
      qualify: null,
    },
    null,
  );
  const innerCols = planColumns(inner);
  const width = rel.scope.columns.length;
  const binder = exprBinder(ctx, rel.scope, 'subquery correlation');
  const conds = pairs.map((p, k) => binder.call('eq', [binder.bind(p.outer), { kind: 'column', index: width + k, type: innerCols[k].type }]));
  const condition: BoundExpr = conds.length === 1 ? conds[0] : { kind: 'and', args: conds, type: Types.boolean };
  const id = rel.scope.columns.filter((c) => c.qualifier === SUBQUERY_QUALIFIER).length;
  const name = `$SQ${id}`;
  const scope = new Scope([
    ...rel.scope.columns,
    ...innerCols.map((c, k) => ({ qualifier: SUBQUERY_QUALIFIER, name: k === pairs.length ? name : `${name}_K${k}`, type: c.type, merged: true })),
  ]);
  return { rel: { plan: join(rel, 'LEFT', inner, condition), scope }, expr: { kind: 'column', table: SUBQUERY_QUALIFIER, name } };
}

function callsFunction(e: Expr, name: string): boolean {
  return (e.kind === 'function' && e.name === name) || childExprs(e).some((c) => callsFunction(c, name));
}

/** `e` with its direct child expressions replaced by f(child), in childExprs order. */
function mapExprChildren(e: Expr, f: (c: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'binary':
      return { ...e, left: f(e.left), right: f(e.right) };
    case 'unary':
    case 'cast':
    case 'is_null':
      return { ...e, expr: f(e.expr) } as Expr;
    case 'function':
      return { ...e, args: e.args.map(f) };
    case 'case':
      return {
        ...e,
        operand: e.operand ? f(e.operand) : null,
        whens: e.whens.map((w) => ({ when: f(w.when), then: f(w.then) })),
        else: e.else ? f(e.else) : null,
      };
    case 'in_list':
      return { ...e, expr: f(e.expr), list: e.list.map(f) };
    case 'between':
      return { ...e, expr: f(e.expr), low: f(e.low), high: f(e.high) };
    case 'like':
      return { ...e, expr: f(e.expr), pattern: f(e.pattern), escape: e.escape ? f(e.escape) : null };
    default:
      return e;
  }
}
