/**
 * Subqueries become joins (decorrelation), so they run as set operations instead of once
 * per row. A conjunct at the top level of a WHERE filters rows directly:
 *   [NOT] EXISTS (q)          -> SEMI / ANTI join of the outer rows with q's rows, on q's
 *                                correlated conjuncts (those naming outer columns);
 *   x IN (q), x = ANY (q)     -> SEMI join on x = q's column (and q's correlated conjuncts);
 *   x NOT IN (q), x <> ALL (q) -> NULL-aware ANTI join on the same condition.
 * Anywhere else in the WHERE (under OR or NOT, inside CASE) and in the select list of a query
 * without aggregates, a subquery becomes a column joined onto the outer rows:
 *   EXISTS (q)                -> a MARK join's mark (TRUE/FALSE);
 *   x IN (q), x = ANY (q)     -> a NULL-aware MARK join's mark (TRUE/FALSE/NULL as IN says);
 *   x <op> ANY|ALL (q)        -> (other operators) a LEFT join of MIN, MAX, COUNT(*) and
 *                                COUNT of q's column (grouped by the correlation keys when
 *                                correlated), read by a CASE with SQL's rules: ANY over no
 *                                rows is FALSE, ALL over no rows is TRUE, and a comparison no
 *                                row decides is NULL when x or some row is NULL;
 *   a correlated scalar q     -> q grouped by the inner side of its correlated equalities
 *                                (inner = outer), LEFT-joined on them. An aggregate q's value
 *                                for an outer row without a match is the aggregate over no
 *                                rows (COUNT gives 0, not NULL: the "COUNT bug"); any other q
 *                                keeps ANY_VALUE and COUNT(*) per key and reads the value
 *                                through $single_row, which raises Snowflake's "Single-row
 *                                subquery returns more than one row." when a key has several.
 * Uncorrelated scalar subqueries are left for init plans (ExprBinder's subquery hook).
 * Correlation is supported in q's WHERE only (not its FROM, GROUP BY or HAVING), and scalar
 * and ANY/ALL subqueries correlate by equalities only; other forms raise NotSupportedError.
 * The columns joins add are reachable only through the rewritten references.
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { Types } from '../../storage/types/data-type.js';
import type { AggregateCall, BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { aggregateResultType } from '../../warehouse/execute/aggregate/aggregate-result-type.js';
import { SINGLE_ROW_CHECK } from '../../warehouse/execute/functions/single-row-check.js';
import type { ComparisonOp, Expr, Query, Select } from '../sql/ast.js';
import { balancedChain } from '../sql/logical-chain.js';
import { ExprBinder, childExprs, containsAggregate, containsSubquery, containsWindow, isAggregateCall } from './bind-expr.js';
import type { SubqueryContext } from './bind-context.js';
import { exprText } from './expr-text.js';
import { foldConstants } from './fold-constants.js';
import { collectColumns } from '../../warehouse/fragment/bound-expr-walk.js';
import { planColumns, type JoinType, type LogicalPlan } from './logical-plan.js';
import { Scope } from './scope.js';
import { clipValue } from '../../storage/errors/clip-value.js';

export type Relation = { plan: LogicalPlan; scope: Scope };

/** Qualifier of the columns subquery joins add: reachable only by the rewritten references. */
const SUBQUERY_QUALIFIER = '$SUBQUERY';

/** Aggregates whose value over no rows is 0 rather than NULL. */
const COUNTING_AGGREGATES = new Set(['COUNT', 'COUNT_IF', 'APPROX_COUNT_DISTINCT', 'HLL', 'REGR_COUNT', 'HASH_AGG']);

/** The conjuncts of `e` in source order (iterative: chains can be long). */
export function splitConjuncts(e: Expr): Expr[] {
  const out: Expr[] = [];
  const stack: Expr[] = [e];
  while (stack.length > 0) {
    const x = stack.pop() as Expr;
    if (x.kind === 'binary' && x.op === 'AND') stack.push(x.right, x.left);
    else out.push(x);
  }
  return out;
}

/** The conjunction of `parts` (null for none), balanced so a long list nests only log2(n) deep. */
export function andAll(parts: Expr[]): Expr | null {
  return parts.length === 0 ? null : balancedChain('AND', parts);
}

/**
 * Rewrites the subqueries among `where`'s conjuncts into joins of `rel`; returns the new
 * relation and the conjuncts still to filter by (subqueries replaced by joined columns).
 */
export function bindWhereSubqueries(ctx: SubqueryContext, rel: Relation, where: Expr): { rel: Relation; rest: Expr[] } {
  const rest: Expr[] = [];
  for (const conjunct of splitConjuncts(where)) {
    const filter = asFilterJoin(conjunct);
    if (filter?.kind === 'exists') {
      const parts = existsParts(ctx, rel, filter.query);
      rel = { plan: join(rel.plan, filter.negated ? 'ANTI' : 'SEMI', parts.right, parts.condition), scope: rel.scope };
    } else if (filter?.kind === 'in') {
      const x = rewriteSubqueries(ctx, rel, filter.expr);
      const parts = inParts(ctx, x.rel, x.expr, filter.query);
      rel = { plan: join(parts.left.plan, filter.negated ? 'NULL_AWARE_ANTI' : 'SEMI', parts.right, parts.condition), scope: parts.left.scope };
    } else {
      const replaced = rewriteSubqueries(ctx, rel, conjunct);
      rel = replaced.rel;
      rest.push(replaced.expr);
    }
  }
  return { rel, rest };
}

/**
 * The select list of `select` (`exprs`, after * is expanded) with its EXISTS, IN, ANY/ALL and
 * correlated scalar subqueries replaced by columns joined onto `rel`. An aggregate query
 * would need the joins above its Aggregate: refused.
 */
export function bindSelectListSubqueries(ctx: SubqueryContext, rel: Relation, select: Select, exprs: Expr[]): { rel: Relation; exprs: Expr[] } {
  if (!exprs.some((e) => needsJoin(ctx, rel.scope, e))) return { rel, exprs };
  const aggregate = select.groupBy.length > 0 || select.groupByAll === true || select.groupingSets !== null || select.having !== null || exprs.some(containsAggregate);
  if (aggregate) throw new NotSupportedError('EXISTS, IN, ANY/ALL and correlated subqueries in the select list of an aggregate query');
  const out: Expr[] = [];
  for (const e of exprs) {
    const r = rewriteSubqueries(ctx, rel, e);
    rel = r.rel;
    out.push(r.expr);
  }
  return { rel, exprs: out };
}

/** True when `q` (a plain SELECT) names a column of `outer` in its WHERE or select list. */
export function isCorrelated(ctx: SubqueryContext, q: Query, outer: Scope): boolean {
  if (q.body.kind !== 'select' || !q.body.from) return false;
  const inner = fromScope(withCtes(ctx, q), q.body);
  const seen = correlatedScope(outer, inner);
  const s = q.body;
  return [...(s.where ? [s.where] : []), ...s.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : []))].some((e) => refersOuter(e, seen));
}

type FilterJoin = { kind: 'exists'; query: Query; negated: boolean } | { kind: 'in'; expr: Expr; query: Query; negated: boolean };

/** A WHERE conjunct that a SEMI/ANTI join applies by itself, else null. */
function asFilterJoin(e: Expr): FilterJoin | null {
  switch (e.kind) {
    case 'exists':
      return { kind: 'exists', query: e.query, negated: e.negated };
    case 'in_subquery':
      return { kind: 'in', expr: e.expr, query: e.query, negated: e.negated };
    case 'quantified':
      if (e.op === '=' && e.quantifier === 'ANY') return { kind: 'in', expr: e.expr, query: e.query, negated: false };
      if (e.op === '<>' && e.quantifier === 'ALL') return { kind: 'in', expr: e.expr, query: e.query, negated: true };
      return null;
    case 'unary': {
      const inner = e.op === 'NOT' ? asFilterJoin(e.expr) : null;
      return inner ? { ...inner, negated: !inner.negated } : null;
    }
    default:
      return null;
  }
}

/** Whether binding `e` needs a join: it holds EXISTS, IN, ANY/ALL or a correlated scalar subquery. */
function needsJoin(ctx: SubqueryContext, scope: Scope, e: Expr): boolean {
  if (e.kind === 'exists' || e.kind === 'in_subquery' || e.kind === 'quantified') return true;
  if (e.kind === 'subquery') return isCorrelated(ctx, e.query, scope);
  return childExprs(e).some((c) => needsJoin(ctx, scope, c));
}

/** `e` with each subquery that needs a join replaced by a column joined onto `rel`. */
function rewriteSubqueries(ctx: SubqueryContext, rel: Relation, e: Expr): { rel: Relation; expr: Expr } {
  switch (e.kind) {
    case 'subquery':
      return isCorrelated(ctx, e.query, rel.scope) ? correlatedScalar(ctx, rel, e.query) : { rel, expr: e };
    case 'exists': {
      const parts = existsParts(ctx, rel, e.query);
      const marked = addColumns(rel, join(rel.plan, 'MARK', parts.right, parts.condition), ['MARK']);
      return { rel: marked.rel, expr: negate(column(marked.names[0]), e.negated) };
    }
    case 'in_subquery':
      return markIn(ctx, rel, e.expr, e.query, e.negated);
    case 'quantified':
      if (e.op === '=' && e.quantifier === 'ANY') return markIn(ctx, rel, e.expr, e.query, false);
      if (e.op === '<>' && e.quantifier === 'ALL') return markIn(ctx, rel, e.expr, e.query, true);
      return quantifiedCompare(ctx, rel, e.expr, e.op, e.quantifier, e.query);
    case 'window':
      return { rel, expr: e };
    default: {
      let current = rel;
      const rebuilt = mapExprChildren(e, (child) => {
        const r = rewriteSubqueries(ctx, current, child);
        current = r.rel;
        return r.expr;
      });
      return { rel: current, expr: rebuilt };
    }
  }
}

function column(name: string): Expr {
  return { kind: 'column', table: SUBQUERY_QUALIFIER, name };
}

function negate(e: Expr, negated: boolean): Expr {
  return negated ? { kind: 'unary', op: 'NOT', expr: e } : e;
}

function join(left: LogicalPlan, joinType: JoinType, right: LogicalPlan, condition: BoundExpr | null): LogicalPlan {
  return { kind: 'join', joinType, left, right, condition };
}

/**
 * `plan` (rel's columns followed by new ones) as a relation whose scope names the new
 * columns `$SQn_<suffix>`; n is fresh, so names never repeat within a query.
 */
function addColumns(rel: Relation, plan: LogicalPlan, suffixes: string[]): { rel: Relation; names: string[] } {
  const base = `$SQ${rel.scope.columns.filter((c) => c.qualifier === SUBQUERY_QUALIFIER).length}`;
  const cols = planColumns(plan);
  const width = rel.scope.columns.length;
  const names = suffixes.map((s) => `${base}_${s}`);
  const scope = new Scope([...rel.scope.columns, ...names.map((name, k) => ({ qualifier: SUBQUERY_QUALIFIER, name, type: cols[width + k].type, merged: true }))]);
  return { rel: { plan, scope }, names };
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

/** True when some column reference in `e` (outside nested subqueries) resolves to a column of the subquery. */
function refersInner(e: Expr, scope: Scope): boolean {
  if (e.kind === 'column') return scope.has(e.table, e.name) && !scope.isOuter(e.table, e.name);
  return childExprs(e).some((c) => refersInner(c, scope));
}

/** `q`'s body when it is a plain SELECT without WITH, ORDER BY or LIMIT (what a correlated subquery may be). */
function simpleSelect(q: Query, what: string): Select {
  if (q.body.kind !== 'select' || q.with.length > 0 || q.orderBy.length > 0 || q.limit || q.offset) {
    throw new NotSupportedError(`${what} subqueries other than a plain SELECT when correlated`);
  }
  return q.body;
}

/** simpleSelect without grouping, aggregates, windows or QUALIFY: a filter over q's FROM. */
function filterSelect(q: Query, what: string): Select {
  const s = simpleSelect(q, what);
  const items = s.items.flatMap((i) => (i.kind === 'expr' ? [i.expr] : []));
  if (s.groupBy.length > 0 || s.groupByAll || s.groupingSets || s.having || items.some(containsAggregate)) throw new NotSupportedError(`Correlated ${what} subqueries over an aggregate`);
  if (s.qualify || items.some(containsWindow)) throw new NotSupportedError(`Correlated ${what} subqueries with window functions`);
  return s;
}

/** Splits a subquery's WHERE into conjuncts that name outer columns and those that do not. */
function splitCorrelation(ctx: SubqueryContext, select: Select, outer: Scope, checkItems = true): { innerScope: Scope; correlated: Expr[]; local: Expr[] } {
  const innerScope = fromScope(ctx, select);
  const seen = correlatedScope(outer, innerScope);
  const correlated: Expr[] = [];
  const local: Expr[] = [];
  for (const c of select.where ? splitConjuncts(select.where) : []) (refersOuter(c, seen) ? correlated : local).push(c);
  for (const item of checkItems ? select.items : []) {
    if (item.kind === 'expr' && refersOuter(item.expr, seen)) throw new NotSupportedError('Outer column references in a subquery\'s select list');
  }
  return { innerScope, correlated, local };
}

/** The columns `select`'s FROM makes visible; init plans made on the way are dropped (the FROM is bound again later). */
function fromScope(ctx: SubqueryContext, select: Select): Scope {
  return ctx.binder.bindFrom({ ...ctx, initPlans: ctx.initPlans ? [] : undefined }, select.from).scope;
}

/** `ctx` with a query's own WITH clause visible, for looking at its FROM before binding it. */
function withCtes(ctx: SubqueryContext, q: Query): SubqueryContext {
  if (q.with.length === 0) return ctx;
  const ctes = new Map(ctx.ctes ?? []);
  for (const w of q.with) ctes.set(w.name, w);
  return { ...ctx, ctes };
}

/** The right side of an EXISTS join and its condition over rel's columns then the right's. */
function existsParts(ctx: SubqueryContext, rel: Relation, q: Query): { right: LogicalPlan; condition: BoundExpr | null } {
  // Uncorrelated: every outer row matches exactly when the subquery has a row.
  if (!isCorrelated(ctx, q, rel.scope)) return { right: ctx.binder.bindQuery(ctx, q), condition: null };
  const select = filterSelect(q, 'EXISTS');
  const { innerScope, correlated, local } = splitCorrelation(ctx, select, rel.scope, false);
  const right = ctx.binder.bindSelect(ctx, { ...select, distinct: false, items: [{ kind: 'star', table: null, exclude: [], rename: [] }], where: andAll(local) }, null);
  const both = new Scope([...rel.scope.columns.map((c) => ({ ...c, outer: true })), ...innerScope.columns.filter((c) => !c.merged)]);
  const on = andAll(correlated);
  return { right, condition: on ? ctx.binder.exprBinder(ctx, both, 'EXISTS').bindBoolean(on) : null };
}

/**
 * The parts of an `x IN (q)` join: the left relation (rel, plus x as a column when x reads
 * no column, so the IN comparison always has one side per input), the right side, and the
 * condition, whose first conjunct is the IN comparison (logical-plan.ts, JoinNode).
 */
function inParts(ctx: SubqueryContext, rel: Relation, x: Expr, q: Query): { left: Relation; right: LogicalPlan; condition: BoundExpr } {
  let left = rel;
  let xb = ctx.binder.exprBinder(ctx, rel.scope, 'IN').bind(x);
  if (collectColumns(xb, new Set()).size === 0) {
    const cols = planColumns(rel.plan);
    const exprs: BoundExpr[] = [...cols.map((c, i): BoundExpr => ({ kind: 'column', index: i, type: c.type })), xb];
    left = addColumns(rel, { kind: 'project', input: rel.plan, exprs, names: [...cols.map((c) => c.name), '$in'] }, ['IN']).rel;
    xb = { kind: 'column', index: cols.length, type: xb.type };
  }
  const width = left.scope.columns.length;
  const binder = ctx.binder.exprBinder(ctx, left.scope, 'IN');
  if (!isCorrelated(ctx, q, left.scope)) {
    const right = ctx.binder.bindQuery(ctx, q);
    const cols = planColumns(right);
    if (cols.length !== 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: IN subquery must return one column, not ${cols.length}`);
    return { left, right, condition: inComparison(binder, xb, { kind: 'column', index: width, type: cols[0].type }) };
  }
  const select = filterSelect(q, 'IN');
  if (select.items.length !== 1 || select.items[0].kind !== 'expr') throw new CompilationError('TYPE_MISMATCH', 'SQL compilation error: IN subquery must return one column');
  const { innerScope, correlated, local } = splitCorrelation(ctx, select, left.scope);
  const innerCols = innerScope.columns.filter((c) => !c.merged);
  const items = [{ kind: 'star' as const, table: null, exclude: [], rename: [] }, { kind: 'expr' as const, expr: select.items[0].expr, alias: '$IN' }];
  const right = ctx.binder.bindSelect(ctx, { ...select, distinct: false, items, where: andAll(local) }, null);
  const y: BoundExpr = { kind: 'column', index: width + innerCols.length, type: planColumns(right)[innerCols.length].type };
  const both = new Scope([...left.scope.columns.map((c) => ({ ...c, outer: true })), ...innerCols]);
  const on = ctx.binder.exprBinder(ctx, both, 'IN').bindBoolean(andAll(correlated)!);
  return { left, right, condition: { kind: 'and', args: [inComparison(binder, xb, y), on], type: Types.boolean } };
}

/** `x = y` typed as one hashable key (join-spec.ts), or NotSupportedError. */
function inComparison(binder: ExprBinder, x: BoundExpr, y: BoundExpr): BoundExpr {
  const eq = binder.call('eq', [x, y]);
  if (eq.kind !== 'call' || eq.args[0].type.kind !== eq.args[1].type.kind) throw new NotSupportedError(`IN subqueries comparing ${x.type.kind} with ${y.type.kind}`);
  return eq;
}

function markIn(ctx: SubqueryContext, rel: Relation, x: Expr, q: Query, negated: boolean): { rel: Relation; expr: Expr } {
  const rx = rewriteSubqueries(ctx, rel, x);
  const parts = inParts(ctx, rx.rel, rx.expr, q);
  const marked = addColumns(parts.left, join(parts.left.plan, 'NULL_AWARE_MARK', parts.right, parts.condition), ['MARK']);
  return { rel: marked.rel, expr: negate(column(marked.names[0]), negated) };
}

/**
 * `x <op> ANY|ALL (q)` for op other than `= ANY` and `<> ALL`: one row of MIN, MAX, COUNT(*)
 * and COUNT of q's column per outer row (LEFT-joined; grouped by the correlation keys when
 * q is correlated), read by a CASE (module comment).
 */
function quantifiedCompare(ctx: SubqueryContext, rel: Relation, x: Expr, op: ComparisonOp, quantifier: 'ANY' | 'ALL', q: Query): { rel: Relation; expr: Expr } {
  const rx = rewriteSubqueries(ctx, rel, x);
  rel = rx.rel;
  x = rx.expr;
  let names: string[];
  if (isCorrelated(ctx, q, rel.scope)) {
    const select = filterSelect(q, `${op} ${quantifier}`);
    if (select.items.length !== 1 || select.items[0].kind !== 'expr') throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${quantifier} subquery must return one column`);
    const y = select.items[0].expr;
    const r = groupedJoin(ctx, rel, select, [fn('MIN', [y]), fn('MAX', [y]), fn('COUNT', [], true), fn('COUNT', [y])]);
    rel = r.rel;
    names = r.values;
  } else {
    const inner = ctx.binder.bindQuery(ctx, q);
    const cols = planColumns(inner);
    if (cols.length !== 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${quantifier} subquery must return one column, not ${cols.length}`);
    const y: BoundExpr = { kind: 'column', index: 0, type: cols[0].type };
    const call = (fn: AggregateCall['fn'], arg: BoundExpr | null): AggregateCall => ({ fn, arg, distinct: false, type: aggregateResultType(fn, arg?.type ?? Types.null) });
    const aggregates = [call('min', y), call('max', y), call('count_star', null), call('count', y)];
    const stats: LogicalPlan = { kind: 'aggregate', input: inner, groupBy: [], groupNames: [], aggregates };
    const r = addColumns(rel, join(rel.plan, 'LEFT', stats, null), ['MIN', 'MAX', 'N', 'NN']);
    rel = r.rel;
    names = r.names;
  }
  const [mn, mx, n, nn] = names.map(column);
  const any = quantifier === 'ANY';
  const upward = op === '>' || op === '>=';
  // ANY: the row that makes x <op> v TRUE, if any, is the extreme one. ALL: likewise for FALSE.
  const decided: Expr =
    op === '<>' || op === '='
      ? { kind: 'binary', op: 'OR', left: { kind: 'binary', op: '<>', left: x, right: mn }, right: { kind: 'binary', op: '<>', left: x, right: mx } }
      : any
        ? { kind: 'binary', op, left: x, right: upward ? mn : mx }
        : { kind: 'unary', op: 'NOT', expr: { kind: 'binary', op, left: x, right: upward ? mx : mn } };
  const zero: Expr = { kind: 'number', text: '0' };
  const empty: Expr = { kind: 'binary', op: '=', left: fn('COALESCE', [n, zero]), right: zero };
  const unknown: Expr = { kind: 'binary', op: 'OR', left: { kind: 'is_null', expr: x, negated: false }, right: { kind: 'binary', op: '<', left: nn, right: n } };
  const expr: Expr = {
    kind: 'case',
    operand: null,
    whens: [
      { when: empty, then: { kind: 'boolean', value: !any } },
      { when: decided, then: { kind: 'boolean', value: any } },
      { when: unknown, then: { kind: 'null' } },
    ],
    else: { kind: 'boolean', value: !any },
  };
  return { rel, expr };
}

function fn(name: string, args: Expr[], star = false): Expr {
  return { kind: 'function', name, args, distinct: false, star };
}

/**
 * A correlated scalar subquery as a column: an aggregate keeps its value (and its value over
 * no rows for outer rows without a match); anything else must have one row per key.
 */
function correlatedScalar(ctx: SubqueryContext, rel: Relation, q: Query): { rel: Relation; expr: Expr } {
  const select = simpleSelect(q, 'Scalar');
  if (select.items.length !== 1 || select.items[0].kind !== 'expr') throw new CompilationError('TYPE_MISMATCH', 'SQL compilation error: a scalar subquery must return one column');
  const item = select.items[0].expr;
  if (select.groupBy.length > 0 || select.groupingSets) throw new NotSupportedError('Correlated scalar subqueries with GROUP BY');
  if (select.qualify || containsWindow(item)) throw new NotSupportedError('Correlated scalar subqueries with window functions');
  if (!containsAggregate(item)) {
    if (select.distinct || select.having) throw new NotSupportedError('Correlated scalar subqueries without an aggregate that use DISTINCT or HAVING');
    const r = groupedJoin(ctx, rel, select, [fn('ANY_VALUE', [item]), fn('COUNT', [], true)]);
    const [value, count] = r.values.map(column);
    const violated: Expr = { kind: 'binary', op: '>', left: count, right: { kind: 'number', text: '1' } };
    return { rel: r.rel, expr: fn(SINGLE_ROW_CHECK, [violated, value]) };
  }
  const r = groupedJoin(ctx, rel, select, [item]);
  const empty = valueOverNoRows(item);
  if (empty && select.having) throw new NotSupportedError('Correlated scalar subqueries with HAVING whose value over no rows is not NULL');
  const value = column(r.values[0]);
  if (!empty) return { rel: r.rel, expr: value };
  const unmatched: Expr = { kind: 'is_null', expr: column(r.keys[0]), negated: false };
  return { rel: r.rel, expr: { kind: 'case', operand: null, whens: [{ when: unmatched, then: empty }], else: value } };
}

/**
 * What an aggregate select item gives over no rows (COUNT 0, other aggregates NULL), or null
 * when that is NULL anyway, so an unmatched outer row can keep the LEFT join's NULL.
 */
function valueOverNoRows(item: Expr): Expr | null {
  const replace = (e: Expr): Expr => {
    if (isAggregateCall(e)) return COUNTING_AGGREGATES.has(e.name) ? { kind: 'number', text: '0' } : { kind: 'null' };
    if (e.kind === 'column') {
      throw new CompilationError('NOT_GROUP_BY', `SQL compilation error: '${clipValue(exprText(e))}' in select clause is neither an aggregate nor in the group by clause.`);
    }
    return mapExprChildren(e, replace);
  };
  const empty = replace(item);
  if (containsSubquery(empty)) return empty;
  const bound = foldConstants(new ExprBinder(new Scope([]), null, 'subquery').bind(empty));
  return bound.kind === 'literal' && bound.value === null ? null : empty;
}

/**
 * Joins `values` (expressions over the subquery's rows, aggregates or not) computed per key
 * of the subquery's correlated equalities `inner = outer` onto `rel` with a LEFT join; returns
 * the names of the key and value columns (a key column is NULL for outer rows without a match).
 */
function groupedJoin(ctx: SubqueryContext, rel: Relation, select: Select, values: Expr[]): { rel: Relation; keys: string[]; values: string[] } {
  const { innerScope, correlated, local } = splitCorrelation(ctx, select, rel.scope);
  const seen = correlatedScope(rel.scope, innerScope);
  const pairs = correlated.map((c) => {
    if (c.kind !== 'binary' || c.op !== '=') throw new NotSupportedError('Correlated subquery conditions other than equalities');
    const leftOuter = refersOuter(c.left, seen);
    const rightOuter = refersOuter(c.right, seen);
    const outer = leftOuter ? c.left : c.right;
    if (leftOuter === rightOuter || refersInner(outer, seen)) throw new NotSupportedError('Correlated equalities that mix inner and outer columns on one side');
    return leftOuter ? { inner: c.right, outer: c.left } : { inner: c.left, outer: c.right };
  });
  const inner = ctx.binder.bindSelect(
    ctx,
    {
      ...select,
      distinct: false,
      items: [
        ...pairs.map((p, k) => ({ kind: 'expr' as const, expr: p.inner, alias: `$K${k}` })),
        ...values.map((v, k) => ({ kind: 'expr' as const, expr: v, alias: `$V${k}` })),
      ],
      where: andAll(local),
      groupBy: pairs.map((p) => p.inner),
    },
    null,
  );
  const innerCols = planColumns(inner);
  const width = rel.scope.columns.length;
  const binder = ctx.binder.exprBinder(ctx, rel.scope, 'subquery correlation');
  const conds = pairs.map((p, k) => binder.call('eq', [binder.bind(p.outer), { kind: 'column', index: width + k, type: innerCols[k].type }]));
  const condition: BoundExpr = conds.length === 1 ? conds[0] : { kind: 'and', args: conds, type: Types.boolean };
  const r = addColumns(rel, join(rel.plan, 'LEFT', inner, condition), innerCols.map((_, k) => (k < pairs.length ? `K${k}` : `V${k - pairs.length}`)));
  return { rel: r.rel, keys: r.names.slice(0, pairs.length), values: r.names.slice(pairs.length) };
}

/** `e` with its direct child expressions replaced by f(child), in childExprs order. */
export function mapExprChildren(e: Expr, f: (c: Expr) => Expr): Expr {
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
    case 'like_quantified':
      return { ...e, expr: f(e.expr), patterns: e.patterns.map(f), escape: e.escape ? f(e.escape) : null };
    case 'in_subquery':
    case 'quantified':
      return { ...e, expr: f(e.expr) };
    default:
      return e;
  }
}
