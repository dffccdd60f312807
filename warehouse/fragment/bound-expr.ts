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
import type { ExprSettings } from './expr-settings.js';

export type BoundExpr =
  | { kind: 'column'; index: number; type: DataType; name?: string }
  | { kind: 'literal'; value: Scalar; type: DataType }
  /**
   * `zone` (call and cast): the session's TIMEZONE, stamped by the binder (services/plan/
   * stamp-zone.ts) on the nodes that touch TIMESTAMP_LTZ/TZ; absent: America/Los_Angeles.
   * `settings` (call and cast): the session's other parameters the value depends on (formats,
   * week policy: expr-settings.ts), stamped the same way, only where they differ from the defaults.
   */
  | { kind: 'call'; fn: string; args: BoundExpr[]; type: DataType; zone?: string; settings?: ExprSettings }
  | { kind: 'cast'; expr: BoundExpr; type: DataType; try: boolean; zone?: string; settings?: ExprSettings }
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
  BOOLOR_AGG: 'boolor_agg',
  BOOLAND_AGG: 'booland_agg',
  BOOLXOR_AGG: 'boolxor_agg',
  BITAND_AGG: 'bitand_agg',
  BITOR_AGG: 'bitor_agg',
  BITXOR_AGG: 'bitxor_agg',
  MIN_BY: 'min_by',
  MAX_BY: 'max_by',
  MODE: 'mode',
  PERCENTILE_CONT: 'percentile_cont',
  PERCENTILE_DISC: 'percentile_disc',
  APPROX_PERCENTILE: 'approx_percentile',
  CORR: 'corr',
  COVAR_SAMP: 'covar_samp',
  COVAR_POP: 'covar_pop',
  REGR_SLOPE: 'regr_slope',
  REGR_INTERCEPT: 'regr_intercept',
  REGR_R2: 'regr_r2',
  REGR_COUNT: 'regr_count',
  REGR_AVGX: 'regr_avgx',
  REGR_AVGY: 'regr_avgy',
  REGR_SXX: 'regr_sxx',
  REGR_SYY: 'regr_syy',
  REGR_SXY: 'regr_sxy',
  KURTOSIS: 'kurtosis',
  SKEW: 'skew',
  HASH_AGG: 'hash_agg',
  ARRAY_UNION_AGG: 'array_union_agg',
} as const;
export type AggregateFn = (typeof AggregateFn)[keyof typeof AggregateFn];

/**
 * One aggregate: its function, argument (null for COUNT(*)), DISTINCT, and result type.
 * The collecting aggregates (collect-accumulator.ts) add: `orderBy`, the WITHIN GROUP keys of
 * LISTAGG and ARRAY_AGG (absent: none); `delimiter`, LISTAGG's constant delimiter; `value`,
 * OBJECT_AGG's second argument (its VARIANT value; `arg` is the VARCHAR key).
 * Others add: `args`, the further per-row arguments (MIN_BY / MAX_BY: the key; CORR, COVAR_*
 * and REGR_*(y, x): x, with `arg` = y); `limit`, MIN_BY / MAX_BY's constant count (the ARRAY
 * form); `fraction` and `desc`, PERCENTILE_CONT / PERCENTILE_DISC's constant percentile and the
 * direction of their WITHIN GROUP (ORDER BY arg) (APPROX_PERCENTILE: `fraction`).
 */
export type AggregateCall = {
  fn: AggregateFn;
  arg: BoundExpr | null;
  distinct: boolean;
  type: DataType;
  orderBy?: SortKey[];
  delimiter?: string;
  value?: BoundExpr;
  args?: BoundExpr[];
  limit?: number;
  fraction?: number;
  desc?: boolean;
};

/** Every expression an aggregate call reads: its argument, then its extras (aggregateExtras). */
export function aggregateCallExprs(a: AggregateCall): BoundExpr[] {
  return [...(a.arg ? [a.arg] : []), ...aggregateExtras(a)];
}

/**
 * The per-row inputs of a call besides its argument, in the order its accumulator takes them:
 * OBJECT_AGG's value, the WITHIN GROUP keys of LISTAGG / ARRAY_AGG, the further `args`.
 */
export function aggregateExtras(a: AggregateCall): BoundExpr[] {
  return [...(a.value ? [a.value] : []), ...(a.orderBy ?? []).map((k) => k.expr), ...(a.args ?? [])];
}

/** `a` with `f` applied to every expression it reads (see aggregateCallExprs). */
export function mapAggregateCall(a: AggregateCall, f: (e: BoundExpr) => BoundExpr): AggregateCall {
  const out: AggregateCall = { ...a, arg: a.arg ? f(a.arg) : null };
  if (a.value) out.value = f(a.value);
  if (a.orderBy) out.orderBy = a.orderBy.map((k) => ({ ...k, expr: f(k.expr) }));
  if (a.args) out.args = a.args.map(f);
  return out;
}
