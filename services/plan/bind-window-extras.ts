/**
 * The window functions bound outside bind-windows.ts's generic path: the rank-related CUME_DIST,
 * PERCENT_RANK, NTH_VALUE and CONDITIONAL_TRUE_EVENT / CONDITIONAL_CHANGE_EVENT, which need
 * argument checks of their own; RATIO_TO_REPORT, which is a rewrite; and every aggregate with a
 * window form over the whole partition (BOOLOR_AGG, MODE, CORR, MEDIAN, HASH_AGG, ...:
 * partition-aggregate.ts), bound as the GROUP BY binder binds it.
 *
 * Contract: `bindExtraWindow` returns null for any other function. Otherwise either `call`, a
 * WindowCall for the window binder to register, or `rewrite`, an expression the caller binds in
 * place of the window call:
 *   RATIO_TO_REPORT(x) OVER (PARTITION BY p [ORDER BY ...]) = x / NULLIF(SUM(x) OVER (PARTITION BY p), 0)
 *   (Snowflake: the ratio to the partition's sum, NULL when x is NULL or the sum is 0; the ORDER BY
 *   "does not affect the calculation"; x must be a number; no frame).
 * A window call inside a CONDITIONAL_*_EVENT argument (Snowflake: "can contain the rank-related
 * functions LAG and LEAD") is bound by `nested`, the hook of the window binder below this one.
 * CUME_DIST, PERCENT_RANK, NTH_VALUE and the CONDITIONAL_*_EVENT functions need ORDER BY in OVER
 * ("Window function type [X] requires ORDER BY in window specification"); NTH_VALUE's n must be a
 * constant integer from 1 to 1000 (CONSTANT_ARGUMENT_REQUIRED, INVALID_ARGUMENT_VALUE); FROM LAST
 * belongs to NTH_VALUE only; CONDITIONAL_TRUE_EVENT's argument is cast to BOOLEAN. IGNORE NULLS
 * applies to NTH_VALUE only here. MIN_BY / MAX_BY have no window form (Snowflake's pages show
 * none), so they stay unsupported.
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { isNumeric, Types, type DataType } from '../../storage/types/data-type.js';
import { aggregateCallExprs, type AggregateCall, type AggregateFn, type SortKey } from '../../warehouse/fragment/bound-expr.js';
import type { WindowCall, WindowFn, WindowFrame } from '../../warehouse/fragment/window-call.js';
import { aggregateResultType } from '../../warehouse/execute/aggregate/aggregate-result-type.js';
import { windowResultType } from '../../warehouse/execute/window/window-result-type.js';
import type { Expr, WindowFrameSpec } from '../sql/ast.js';
import { bindExtendedAggregate, constantNumber } from './bind-extended-aggregates.js';
import { castTo, ExprBinder, type AggregateHook } from './bind-expr.js';
import { AGGREGATE_FN } from './bind-aggregates.js';
import { EXTENDED_AGGREGATES } from './extended-aggregate-names.js';
import { orderable } from './variant-order.js';

type WindowExpr = Extract<Expr, { kind: 'window' }>;

export type ExtraWindow = { kind: 'call'; call: WindowCall } | { kind: 'rewrite'; expr: Expr };

/** Turns a parsed frame into a bound one, given the first ORDER BY key's type (bind-windows.ts). */
export type FrameBinder = (frame: WindowFrameSpec, orderType: DataType | undefined) => WindowFrame;

const RANK_RELATED: Readonly<Record<string, WindowFn>> = {
  CUME_DIST: 'cume_dist',
  PERCENT_RANK: 'percent_rank',
  NTH_VALUE: 'nth_value',
  CONDITIONAL_TRUE_EVENT: 'conditional_true_event',
  CONDITIONAL_CHANGE_EVENT: 'conditional_change_event',
};

/** The functions of the GROUP BY binder's one-argument aggregates that have a window form here. */
const PARTITION_FNS: ReadonlySet<AggregateFn> = new Set(['median', 'stddev_samp', 'stddev_pop', 'var_samp', 'var_pop', 'count_if', 'any_value', 'approx_count_distinct']);

/** Their SQL names with every alias, as bind-aggregates.ts binds them. */
const PARTITION_AGGREGATES: Readonly<Record<string, AggregateFn>> = Object.fromEntries(Object.entries(AGGREGATE_FN).filter(([, fn]) => PARTITION_FNS.has(fn)));

/** Largest NTH_VALUE n (Snowflake's limit). */
const MAX_NTH = 1000;

export function bindExtraWindow(w: WindowExpr, inner: ExprBinder, bindFrame: FrameBinder, nested: AggregateHook | null = null): ExtraWindow | null {
  const name = w.fn.name;
  if (w.fromLast && name !== 'NTH_VALUE') throw new CompilationError('SYNTAX', `SQL compilation error: FROM LAST is only valid for NTH_VALUE, not ${name}`);
  if (name === 'RATIO_TO_REPORT') return { kind: 'rewrite', expr: ratioToReport(w, inner) };
  const rank = Object.hasOwn(RANK_RELATED, name) ? RANK_RELATED[name] : null;
  const extended = Object.hasOwn(EXTENDED_AGGREGATES, name) && name !== 'MIN_BY' && name !== 'MAX_BY';
  const classic = Object.hasOwn(PARTITION_AGGREGATES, name);
  if (rank === null && !extended && !classic) return null;
  if (w.ignoreNulls && rank !== 'nth_value') throw new NotSupportedError(`IGNORE NULLS on ${name}`);
  const partitionBy = w.partitionBy.map((p) => inner.bind(p));
  const orderBy: SortKey[] = w.orderBy.map((o) => ({ expr: orderable(inner.bind(o.expr)), desc: o.desc, nullsFirst: o.nullsFirst ?? o.desc }));
  const frame = w.frame ? bindFrame(w.frame, orderBy[0]?.expr.type) : null;
  if (rank !== null) {
    if (w.fn.distinct || w.fn.star) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${name} does not take ${w.fn.star ? '*' : 'DISTINCT'}`);
    if (orderBy.length === 0) throw new CompilationError('SYNTAX', `SQL compilation error: Window function type [${name}] requires ORDER BY in window specification.`);
    // Snowflake lets a CONDITIONAL_*_EVENT argument use LAG and LEAD: window calls there are bound by `nested`.
    const conditional = rank === 'conditional_true_event' || rank === 'conditional_change_event';
    const argBinder = conditional && nested !== null ? withNestedWindows(inner, nested) : inner;
    let args = w.fn.args.map((a) => argBinder.bind(a));
    if (rank === 'conditional_true_event' && args.length === 1) args = [castTo(args[0], Types.boolean)];
    if (rank === 'nth_value' && args.length === 2) {
      const n = constantNumber(name, args[1], 'n');
      if (!Number.isInteger(n) || n < 1 || n > MAX_NTH) throw new CompilationError('INVALID_ARGUMENT_VALUE', `SQL compilation error: the n of NTH_VALUE must be an integer from 1 to ${MAX_NTH}, got ${n}`);
    }
    const call: WindowCall = { fn: rank, args, partitionBy, orderBy, frame, type: windowResultType(rank, args.map((a) => a.type)) };
    if (rank === 'nth_value') {
      call.ignoreNulls = w.ignoreNulls;
      if (w.fromLast) call.fromLast = true;
    }
    return { kind: 'call', call };
  }
  let aggregate: AggregateCall;
  if (extended) {
    aggregate = bindExtendedAggregate(w.fn, (x) => inner.bind(x), inner.scope);
  } else {
    if (w.fn.star || w.fn.args.length !== 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${name} takes one argument, got ${w.fn.args.length}`);
    if (w.fn.withinGroup) throw new NotSupportedError(`WITHIN GROUP on ${name}`);
    const fn = PARTITION_AGGREGATES[name];
    const arg = inner.bind(w.fn.args[0]);
    aggregate = { fn, arg, distinct: w.fn.distinct, type: aggregateResultType(fn, arg.type) };
  }
  const { arg: _arg, args: _args, value: _value, orderBy: _orderBy, ...shape } = aggregate;
  const call: WindowCall = { fn: 'aggregate', args: aggregateCallExprs(aggregate), partitionBy, orderBy, frame, aggregate: shape, type: aggregate.type };
  return { kind: 'call', call };
}

/** `inner` with window calls bound by `nested` (the rest as `inner` binds it). */
function withNestedWindows(inner: ExprBinder, nested: AggregateHook): ExprBinder {
  const hook: AggregateHook = (e, b) => (e.kind === 'window' ? nested(e, b) : (inner.hook?.(e, b) ?? null));
  return new ExprBinder(inner.scope, hook, inner.clause, inner.subquery);
}

function ratioToReport(w: WindowExpr, inner: ExprBinder): Expr {
  const e = w.fn;
  if (e.star || e.distinct || e.args.length !== 1) throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: RATIO_TO_REPORT takes one argument`);
  if (w.frame !== null) throw new CompilationError('SYNTAX', 'SQL compilation error: RATIO_TO_REPORT takes no window frame in OVER');
  if (w.ignoreNulls) throw new NotSupportedError('IGNORE NULLS on RATIO_TO_REPORT');
  const x = e.args[0];
  const t = inner.bind(x).type;
  if (!isNumeric(t) && t.kind !== 'NULL') throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: RATIO_TO_REPORT is not defined for an argument of type ${t.kind}`);
  const sum: Expr = { kind: 'window', fn: { kind: 'function', name: 'SUM', args: [x], distinct: false, star: false }, ignoreNulls: false, partitionBy: w.partitionBy, orderBy: [], frame: null };
  return { kind: 'binary', op: '/', left: x, right: { kind: 'function', name: 'NULLIF', args: [sum, { kind: 'number', text: '0' }], distinct: false, star: false } };
}
