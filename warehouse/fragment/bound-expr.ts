/**
 * Bound expressions: the typed expression IR produced by the binder (services/plan) and
 * evaluated by the vectorized kernels (warehouse/execute). It lives here, below services,
 * because plan fragments carry it to worker threads.
 *
 * Contract: plain data only (structured-clone safe). Every node has its result `type`.
 * `column.index` is a position in the input batch of the operator that evaluates the
 * expression (not a table column id). Implicit casts are explicit `cast` nodes: kernels never
 * coerce. Operators are `call`s with stable names from the function registry
 * (warehouse/execute/functions): add, subtract, multiply, divide, modulo, negate,
 * eq, ne, lt, le, gt, ge, concat, upper, lower, length, substr, trim, ltrim, rtrim,
 * year, month, day, date_trunc, dateadd, datediff, coalesce, nullif, iff, abs, round, ...
 * AND/OR/NOT follow SQL three-valued logic.
 */
import type { DataType } from '../../storage/types/data-type.js';
import type { Scalar } from '../../storage/types/scalar.js';

export type BoundExpr =
  | { kind: 'column'; index: number; type: DataType; name?: string }
  | { kind: 'literal'; value: Scalar; type: DataType }
  /**
   * `zone` (call and cast): the session's TIMEZONE, stamped by the binder (services/plan/
   * stamp-zone.ts) on the nodes that touch TIMESTAMP_LTZ/TZ; absent: America/Los_Angeles.
   */
  | { kind: 'call'; fn: string; args: BoundExpr[]; type: DataType; zone?: string }
  | { kind: 'cast'; expr: BoundExpr; type: DataType; try: boolean; zone?: string }
  | { kind: 'case'; whens: { when: BoundExpr; then: BoundExpr }[]; else: BoundExpr | null; type: DataType }
  | { kind: 'in_list'; expr: BoundExpr; list: BoundExpr[]; negated: boolean; type: DataType }
  | { kind: 'is_null'; expr: BoundExpr; negated: boolean; type: DataType }
  | { kind: 'like'; expr: BoundExpr; pattern: BoundExpr; caseInsensitive: boolean; negated: boolean; type: DataType }
  | { kind: 'and'; args: BoundExpr[]; type: DataType }
  | { kind: 'or'; args: BoundExpr[]; type: DataType }
  | { kind: 'not'; expr: BoundExpr; type: DataType }
  /**
   * The value of init plan `id` (an uncorrelated scalar subquery). Services replaces it by a
   * literal before anything is evaluated or dispatched; kernels never see it.
   */
  | { kind: 'param'; id: number; type: DataType }
  /**
   * The next value of sequence `sequence` (its catalog id; `name` qualified, for EXPLAIN and
   * messages): seq.NEXTVAL, or a column DEFAULT that
   * takes a sequence's values. Found only in VALUES rows, where services puts reserved values in its
   * place before anything runs (services/plan/reserve-sequence-values.ts); elsewhere the binder makes
   * it a column of a `sequence` plan node, which nextval_exec fills. Kernels never see it.
   */
  | { kind: 'nextval'; sequence: number; name: string; type: DataType };

/** One ORDER BY key over the columns of a batch. NULLS LAST is Snowflake's default for ASC. */
export type SortKey = { expr: BoundExpr; desc: boolean; nullsFirst: boolean };

export const AggregateFn = {
  COUNT_STAR: 'count_star',
  COUNT: 'count',
  SUM: 'sum',
  AVG: 'avg',
  MIN: 'min',
  MAX: 'max',
  COUNT_IF: 'count_if',
  ANY_VALUE: 'any_value',
  MEDIAN: 'median',
  STDDEV_SAMP: 'stddev_samp',
  STDDEV_POP: 'stddev_pop',
  VAR_SAMP: 'var_samp',
  VAR_POP: 'var_pop',
  APPROX_COUNT_DISTINCT: 'approx_count_distinct',
  LISTAGG: 'listagg',
  ARRAY_AGG: 'array_agg',
  OBJECT_AGG: 'object_agg',
} as const;
export type AggregateFn = (typeof AggregateFn)[keyof typeof AggregateFn];

/**
 * One aggregate: its function, argument (null for COUNT(*)), DISTINCT, and result type.
 * The collecting aggregates (collect-accumulator.ts) add: `orderBy`, the WITHIN GROUP keys of
 * LISTAGG and ARRAY_AGG (absent: none); `delimiter`, LISTAGG's constant delimiter; `value`,
 * OBJECT_AGG's second argument (its VARIANT value; `arg` is the VARCHAR key).
 */
export type AggregateCall = {
  fn: AggregateFn;
  arg: BoundExpr | null;
  distinct: boolean;
  type: DataType;
  orderBy?: SortKey[];
  delimiter?: string;
  value?: BoundExpr;
};

/** Every expression an aggregate call reads: its argument, OBJECT_AGG's value, the WITHIN GROUP keys. */
export function aggregateCallExprs(a: AggregateCall): BoundExpr[] {
  return [...(a.arg ? [a.arg] : []), ...(a.value ? [a.value] : []), ...(a.orderBy ?? []).map((k) => k.expr)];
}

/** `a` with `f` applied to every expression it reads (see aggregateCallExprs). */
export function mapAggregateCall(a: AggregateCall, f: (e: BoundExpr) => BoundExpr): AggregateCall {
  const out: AggregateCall = { ...a, arg: a.arg ? f(a.arg) : null };
  if (a.value) out.value = f(a.value);
  if (a.orderBy) out.orderBy = a.orderBy.map((k) => ({ ...k, expr: f(k.expr) }));
  return out;
}
