/**
 * The partial-state layout of hash aggregation: what a worker's partial aggregate emits and
 * the final aggregate of another task reads (it crosses threads as Arrow IPC, so every state
 * column is an ordinary Firn type).
 *
 * Contract: the partial batch has the GROUP BY key columns first (their own types), then
 * the state columns of each aggregate, in call order:
 *   COUNT(*), COUNT(x)         [count NUMBER(18,0), never NULL]
 *   SUM(x), AVG(x), x NUMBER   [sum NUMBER(38,s) (NULL when no value), count NUMBER(18,0)]
 *   SUM(x), AVG(x), x FLOAT    [sum FLOAT (NULL when no value), count NUMBER(18,0)]
 *   MIN(x), MAX(x)             [extreme of x's type, NULL when no value]
 *   COUNT_IF(b)                [count NUMBER(18,0), never NULL]
 *   ANY_VALUE(x)               [a value of x's type, NULL when no value]
 *   VAR_*(x), STDDEV_*(x)      [count NUMBER(18,0), mean FLOAT, m2 FLOAT] (Welford/Chan:
 *                              m2 is the sum of squared deviations from the mean)
 *   APPROX_COUNT_DISTINCT(x)   [sketch VARCHAR, NULL when no value] (the HyperLogLog
 *                              registers as text, see hyper-log-log.ts; DISTINCT is ignored)
 *   MEDIAN(x)                  [one value of x's type]  (a spanning state, see below)
 *   any DISTINCT aggregate     [one value of x's type]  (a spanning state)
 *   LISTAGG(x), ARRAY_AGG(x)   [one value of x's type, then one per WITHIN GROUP key]  (spanning,
 *                              DISTINCT or not; see collect-accumulator.ts)
 *   OBJECT_AGG(k, v)           [k's type, v's type]  (spanning)
 *   BOOLOR/BOOLAND/BOOLXOR_AGG [TRUE count NUMBER(18,0), non-NULL count NUMBER(18,0)]
 *   BITAND/BITOR/BITXOR_AGG    [value NUMBER(19,0), NULL when no value]
 *   CORR, COVAR_*, REGR_*      [count NUMBER(18,0), mean x, mean y, m2 x, m2 y, co-moment FLOAT]
 *   KURTOSIS, SKEW             [count NUMBER(18,0), mean, m2, m3, m4 FLOAT]
 *   HASH_AGG                   [sum of row hashes mod 2^64 NUMBER(19,0), never NULL]
 *   MIN_BY(x, k), MAX_BY       [x's type, k's type]  (spanning: each group's best entries)
 *   MODE(x)                    [x's type, count NUMBER(18,0)]  (spanning: each value once)
 *   PERCENTILE_*, APPROX_PERCENTILE   [one value of x's type]  (spanning, as MEDIAN)
 *   ARRAY_UNION_AGG(a)         [element VARIANT, count NUMBER(18,0)]  (spanning: each element
 *                              once, with its most occurrences in one array)
 * Spanning states cannot be merged from per-worker summaries, so the partial carries their
 * entries instead: DISTINCT aggregates the distinct (group, value) pairs, MEDIAN every
 * non-NULL (group, value). A group with k entries of some spanning aggregate spans k rows
 * (the most over its spanning aggregates; at least one). Row j of a group carries that
 * group's j-th entry in each spanning column (NULL once a column runs out; NULL is no
 * value, as these aggregates ignore NULLs). The first row of a group carries the other
 * aggregates' states; its other rows carry the identity states (count 0, sum/min/max NULL),
 * so the final step may simply merge every row.
 */
import { CompilationError, InternalError } from '../../../storage/errors/firn-error.js';
import { MAX_PRECISION, Types, typeToSql, type DataType } from '../../../storage/types/data-type.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import { COUNT_TYPE } from './aggregate-result-type.js';
import { isCoMomentFn } from './co-moment-fns.js';
import { collectExtras, isCollectCall } from './collect-accumulator.js';

/** Column types of the whole partial batch: keys, then each aggregate's states. */
export function partialStateTypes(groupBy: readonly BoundExpr[], aggregates: readonly AggregateCall[]): DataType[] {
  return [...groupBy.map((g) => g.type), ...aggregates.flatMap(aggregateStateTypes)];
}

/** The state columns of one aggregate call in the partial batch. */
export function aggregateStateTypes(call: AggregateCall): DataType[] {
  const argType = call.arg?.type ?? Types.null;
  if (isCollectCall(call)) return [argType, ...collectExtras(call).map((e) => e!.type)];
  if (isDistinctCall(call)) return [argType];
  if (isCoMomentFn(call.fn)) return [COUNT_TYPE, Types.float, Types.float, Types.float, Types.float, Types.float];
  switch (call.fn) {
    case 'count_star':
    case 'count':
    case 'count_if':
      return [COUNT_TYPE];
    case 'min':
    case 'max':
    case 'any_value':
    case 'median':
    case 'percentile_cont':
    case 'percentile_disc':
    case 'approx_percentile':
      return [argType];
    case 'boolor_agg':
    case 'booland_agg':
    case 'boolxor_agg':
      return [COUNT_TYPE, COUNT_TYPE];
    case 'bitand_agg':
    case 'bitor_agg':
    case 'bitxor_agg':
    case 'hash_agg':
      return [Types.number(19, 0)];
    case 'kurtosis':
    case 'skew':
      return [COUNT_TYPE, Types.float, Types.float, Types.float, Types.float];
    case 'min_by':
    case 'max_by':
      return [argType, ...(call.args ?? []).map((a) => a.type)];
    case 'mode':
      return [argType, COUNT_TYPE];
    case 'array_union_agg':
      return [Types.variant, COUNT_TYPE];
    case 'sum':
    case 'avg':
      return [sumStateType(call.fn, argType), COUNT_TYPE];
    case 'var_samp':
    case 'var_pop':
    case 'stddev_samp':
    case 'stddev_pop':
      return [COUNT_TYPE, Types.float, Types.float];
    case 'approx_count_distinct':
      return [Types.varchar];
    case 'listagg':
    case 'array_agg':
    case 'object_agg':
      throw new InternalError('collecting aggregates are handled above');
  }
}

/** Does the call deduplicate its values (DISTINCT, where it changes the result)? */
export function isDistinctCall(call: AggregateCall): boolean {
  return call.distinct && !IGNORES_DISTINCT.has(call.fn) && !isCollectCall(call);
}

/** Aggregates whose result DISTINCT cannot change (or does not by Snowflake's rules: its BIT*_AGG pages say DISTINCT has no effect). */
const IGNORES_DISTINCT: ReadonlySet<string> = new Set([
  'count_star',
  'approx_count_distinct',
  'boolor_agg',
  'booland_agg',
  'bitand_agg',
  'bitor_agg',
  'bitxor_agg',
  'array_union_agg',
]);

/** The type a SUM/AVG accumulates in: FLOAT for FLOAT, NUMBER(38,s) for NUMBER(p,s). */
export function sumStateType(fn: 'sum' | 'avg', argType: DataType): DataType {
  if (argType.kind === 'FLOAT') return Types.float;
  if (argType.kind === 'NUMBER') return Types.number(MAX_PRECISION, argType.scale);
  if (argType.kind === 'NULL') return Types.number(MAX_PRECISION, 0);
  throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${fn.toUpperCase()} is not defined for an argument of type ${typeToSql(argType)}`);
}
