/**
 * The aggregate binder: binds expressions that sit above a GROUP BY (the select list,
 * HAVING, ORDER BY of an aggregate query) over the Aggregate node's output.
 *
 * Contract: the Aggregate node outputs the group keys first, then one column per aggregate
 * call. A sub-expression equal to a group key (compared as bound expressions) becomes a
 * reference to that key; an aggregate call is bound over the input scope and appended
 * (identical calls are shared); any other column reference is an error, as in Snowflake
 * ("is not a valid group by expression").
 *
 * GROUPING(k1, ..., km) (alias GROUPING_ID) takes group keys only; its value has one bit per
 * argument, k1 the most significant, set when that key is aggregated away in the row's
 * grouping set. Without grouping sets it is the constant 0. With them, each distinct call is
 * one more column of the grouping-sets plan (after the aggregates, a constant per set),
 * referenced here at GROUPING_BASE + its index in `groupings` until the caller places it.
 */
import { CompilationError, NotSupportedError } from '../../storage/errors/firn-error.js';
import { Types, type DataType } from '../../storage/types/data-type.js';
import type { AggregateCall, AggregateFn, BoundExpr } from '../../warehouse/fragment/bound-expr.js';
import { aggregateResultType } from '../../warehouse/execute/aggregate/aggregate-result-type.js';
import type { Expr } from '../sql/ast.js';
import { ExprBinder, GROUPING_FUNCTIONS, castTo, childExprs, containsAggregate, containsNextval, containsSubquery, containsWindow, isAggregateCall, type AggregateHook, type SequenceHook, type SubqueryHook } from './bind-expr.js';
import { bindExtendedAggregate } from './bind-extended-aggregates.js';
import { exprKey } from '../../warehouse/fragment/bound-expr-walk.js';
import { EXTENDED_AGGREGATES } from './extended-aggregate-names.js';
import { exprText } from './expr-text.js';
import { Scope } from './scope.js';
import { clipValue } from '../../storage/errors/clip-value.js';
import { orderable } from './variant-order.js';

/** The SQL names (with aliases) of the classic aggregates, each with its function. */
export const AGGREGATE_FN: Readonly<Record<string, AggregateFn>> = {
  SUM: 'sum',
  AVG: 'avg',
  MIN: 'min',
  MAX: 'max',
  COUNT: 'count',
  COUNT_IF: 'count_if',
  ANY_VALUE: 'any_value',
  MEDIAN: 'median',
  STDDEV: 'stddev_samp',
  STDDEV_SAMP: 'stddev_samp',
  STDDEV_POP: 'stddev_pop',
  VARIANCE: 'var_samp',
  VAR_SAMP: 'var_samp',
  VARIANCE_SAMP: 'var_samp',
  VAR_POP: 'var_pop',
  VARIANCE_POP: 'var_pop',
  APPROX_COUNT_DISTINCT: 'approx_count_distinct',
  HLL: 'approx_count_distinct',
  LISTAGG: 'listagg',
  ARRAY_AGG: 'array_agg',
  ARRAYAGG: 'array_agg',
  OBJECT_AGG: 'object_agg',
  OBJECTAGG: 'object_agg',
};

/** Column positions standing for GROUPING calls until the aggregate's width is known (below bind-query's WINDOW_BASE). */
export const GROUPING_BASE = 1 << 23;

export class AggregateBinder {
  readonly aggregates: AggregateCall[] = [];
  /** Each distinct GROUPING call of a grouping-sets query: its arguments' positions among the group keys. */
  readonly groupings: number[][] = [];
  private readonly aggregateKeys: string[] = [];
  private readonly groupKeys: string[];
  private readonly inputBinder: ExprBinder;
  readonly outputScope: Scope;

  constructor(
    inputScope: Scope,
    readonly groupBy: BoundExpr[],
    readonly groupNames: string[],
    private readonly subquery: SubqueryHook | null = null,
    private readonly hasGroupingSets = false,
    /** Resolves a GROUPING argument that names a select item (`GROUPING(alias)`), as GROUP BY does. */
    private readonly groupItem: (e: Expr) => Expr = (e) => e,
  ) {
    this.inputBinder = new ExprBinder(inputScope, null, 'GROUP BY', subquery);
    this.groupKeys = groupBy.map(exprKey);
    this.outputScope = new Scope(groupBy.map((g, i) => ({ qualifier: null, name: groupNames[i], type: g.type })));
  }

  /**
   * A binder for expressions above the aggregate (select list, HAVING, ORDER BY); `first`
   * (the window binder's hook) sees each expression before the aggregate hook does.
   */
  binder(clause: string, first: AggregateHook | null = null, sequences: SequenceHook | null = null): ExprBinder {
    return new ExprBinder(this.outputScope, (e, b) => first?.(e, b) ?? this.hook(e), clause, this.subquery, sequences);
  }

  private hook(e: Expr): BoundExpr | null {
    if (e.kind === 'function' && GROUPING_FUNCTIONS.has(e.name)) return this.bindGrouping(e);
    if (isAggregateCall(e)) return this.bindAggregate(e);
    // Bind subqueries once, through the recursion (each one becomes an init plan).
    // seq.NEXTVAL is evaluated after the aggregate (a new value per group): bound by the binder's own hook.
    if (containsAggregate(e) || containsSubquery(e) || containsWindow(e) || containsGrouping(e) || containsNextval(e)) return null;
    const bound = this.inputBinder.bind(e);
    const k = this.groupKeys.indexOf(exprKey(bound));
    if (k >= 0) return { kind: 'column', index: k, type: bound.type, name: this.groupNames[k] };
    if (bound.kind === 'literal') return bound;
    if (e.kind === 'column') {
      throw new CompilationError('NOT_GROUP_BY', `SQL compilation error: '${clipValue(exprText(e))}' in select clause is neither an aggregate nor in the group by clause.`);
    }
    return null;
  }

  private bindGrouping(e: Extract<Expr, { kind: 'function' }>): BoundExpr {
    if (e.star || e.distinct || e.args.length === 0) {
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${e.name} takes one or more GROUP BY expressions`);
    }
    const keys = e.args.map((arg) => {
      if (containsAggregate(arg)) throw new CompilationError('AGGREGATE_MISUSE', `SQL compilation error: aggregate functions are not allowed in ${e.name}: ${exprText(e)}`);
      const k = this.groupKeys.indexOf(exprKey(this.inputBinder.bind(arg.kind === 'column' ? this.groupItem(arg) : arg)));
      if (k < 0) throw new CompilationError('NOT_GROUP_BY', `SQL compilation error: argument '${clipValue(exprText(arg))}' of ${e.name} is not a GROUP BY expression`);
      return k;
    });
    if (!this.hasGroupingSets) return { kind: 'literal', value: 0n, type: GROUPING_TYPE };
    const key = keys.join(',');
    let g = this.groupings.findIndex((x) => x.join(',') === key);
    if (g < 0) g = this.groupings.push(keys) - 1;
    return { kind: 'column', index: GROUPING_BASE + g, type: GROUPING_TYPE, name: exprText(e) };
  }

  private bindAggregate(e: Extract<Expr, { kind: 'function' }>): BoundExpr {
    let call: AggregateCall;
    if (Object.hasOwn(EXTENDED_AGGREGATES, e.name)) {
      for (const a of [...e.args, ...(e.withinGroup ?? []).map((o) => o.expr)]) {
        if (containsAggregate(a)) throw new CompilationError('AGGREGATE_MISUSE', `SQL compilation error: aggregate functions cannot be nested: ${exprText(e)}`);
      }
      call = bindExtendedAggregate(e, (x) => this.inputBinder.bind(x), this.inputBinder.scope);
    } else if (e.star) {
      if (e.name !== 'COUNT') throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${e.name}(*) is not valid`);
      call = { fn: 'count_star', arg: null, distinct: false, type: aggregateResultType('count_star', Types.null) };
    } else if (AGGREGATE_FN[e.name] === 'listagg' || AGGREGATE_FN[e.name] === 'array_agg' || AGGREGATE_FN[e.name] === 'object_agg') {
      call = this.bindCollect(e, AGGREGATE_FN[e.name] as 'listagg' | 'array_agg' | 'object_agg');
    } else {
      if (e.withinGroup) throw new NotSupportedError(`WITHIN GROUP on ${e.name}`);
      if (e.args.length !== 1) {
        throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${e.name} takes one argument, got ${e.args.length}`);
      }
      if (containsAggregate(e.args[0])) {
        throw new CompilationError('AGGREGATE_MISUSE', `SQL compilation error: aggregate functions cannot be nested: ${exprText(e)}`);
      }
      const arg = this.inputBinder.bind(e.args[0]);
      const fn = AGGREGATE_FN[e.name];
      call = { fn, arg, distinct: e.distinct, type: aggregateResultType(fn, arg.type) };
    }
    const key = exprKey(call);
    let index = this.aggregateKeys.indexOf(key);
    if (index < 0) {
      index = this.aggregates.length;
      this.aggregates.push(call);
      this.aggregateKeys.push(key);
    }
    return { kind: 'column', index: this.groupBy.length + index, type: call.type as DataType, name: exprText(e) };
  }

  /**
   * LISTAGG(x [, delimiter]) and ARRAY_AGG(x) [WITHIN GROUP (ORDER BY ...)], OBJECT_AGG(k, v):
   * x becomes VARCHAR (LISTAGG) or VARIANT (ARRAY_AGG), k VARCHAR and v VARIANT; the delimiter
   * must be a constant string (NULL or absent: '').
   */
  private bindCollect(e: Extract<Expr, { kind: 'function' }>, fn: 'listagg' | 'array_agg' | 'object_agg'): AggregateCall {
    const max = fn === 'array_agg' ? 1 : 2;
    const min = fn === 'object_agg' ? 2 : 1;
    if (e.args.length < min || e.args.length > max) {
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${e.name} takes ${min === max ? min : `${min} or ${max}`} arguments, got ${e.args.length}`);
    }
    if (fn === 'object_agg' && e.withinGroup) throw new NotSupportedError('WITHIN GROUP on OBJECT_AGG');
    for (const a of [...e.args, ...(e.withinGroup ?? []).map((o) => o.expr)]) {
      if (containsAggregate(a)) throw new CompilationError('AGGREGATE_MISUSE', `SQL compilation error: aggregate functions cannot be nested: ${exprText(e)}`);
    }
    const arg = castTo(this.inputBinder.bind(e.args[0]), fn === 'array_agg' ? Types.variant : Types.varchar);
    const call: AggregateCall = { fn, arg, distinct: e.distinct, type: aggregateResultType(fn, arg.type) };
    if (fn === 'object_agg') {
      call.value = castTo(this.inputBinder.bind(e.args[1]), Types.variant);
      return call;
    }
    if (fn === 'listagg') {
      const d = e.args.length > 1 ? this.inputBinder.bind(e.args[1]) : null;
      if (d !== null && d.kind !== 'literal') throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: the delimiter of LISTAGG must be a constant: ${exprText(e)}`);
      call.delimiter = d === null || d.value === null ? '' : String(d.value);
    }
    if (e.withinGroup && e.withinGroup.length > 0) {
      call.orderBy = e.withinGroup.map((o) => ({ expr: orderable(this.inputBinder.bind(o.expr)), desc: o.desc, nullsFirst: o.nullsFirst ?? o.desc }));
    }
    return call;
  }
}

export const GROUPING_TYPE = Types.number(38, 0);

/** GROUPING(...)'s value in a grouping set: bit j (from the left) set when keys[j] is not in `set`. */
export function groupingValue(keys: readonly number[], set: readonly number[]): bigint {
  let v = 0n;
  for (const k of keys) v = (v << 1n) | (set.includes(k) ? 0n : 1n);
  return v;
}

function containsGrouping(e: Expr): boolean {
  return (e.kind === 'function' && GROUPING_FUNCTIONS.has(e.name)) || childExprs(e).some(containsGrouping);
}
