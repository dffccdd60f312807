/**
 * Result types of the aggregate functions, following Snowflake. The binder calls this to
 * type an AggregateCall; the aggregate operator relies on the same rules for its states.
 *
 * Contract:
 *   COUNT(*), COUNT(x), COUNT_IF(b), APPROX_COUNT_DISTINCT(x)   -> NUMBER(18,0)
 *   SUM(NUMBER(p,s))          -> NUMBER(38,s)        SUM(FLOAT) -> FLOAT
 *   AVG(NUMBER(p,s))          -> NUMBER(38, max(s, min(s+6, 12)))   AVG(FLOAT) -> FLOAT
 *   MIN(x), MAX(x), ANY_VALUE(x)   -> the type of x (any type)
 *   MEDIAN(NUMBER(p,s))       -> NUMBER(min(p+3, 38), min(s+3, 38))   MEDIAN(FLOAT) -> FLOAT
 *   VAR_SAMP / VAR_POP (VARIANCE) of NUMBER(p,s) -> NUMBER(38, max(s, 6)); of FLOAT -> FLOAT
 *   STDDEV_SAMP / STDDEV_POP (STDDEV)            -> FLOAT
 *   LISTAGG(x)                -> VARCHAR   ARRAY_AGG(x) -> ARRAY   OBJECT_AGG(k, v) -> OBJECT (the binder
 *                                casts x to VARCHAR / VARIANT, k to VARCHAR and v to VARIANT first)
 *   BOOLOR_AGG, BOOLAND_AGG, BOOLXOR_AGG -> BOOLEAN   BITAND_AGG, BITOR_AGG, BITXOR_AGG -> NUMBER(38,0)
 *   MIN_BY(x, k), MAX_BY(x, k), MODE(x), PERCENTILE_DISC -> the type of x (MIN_BY / MAX_BY with a
 *                                count: ARRAY, typed by the binder)
 *   PERCENTILE_CONT           -> as MEDIAN     APPROX_PERCENTILE -> FLOAT
 *   CORR, COVAR_*, REGR_* but REGR_COUNT -> FLOAT (the binder casts their arguments to FLOAT)
 *   REGR_COUNT                -> NUMBER(18,0)
 *   KURTOSIS, SKEW of NUMBER  -> NUMBER(38,12) (Snowpark's documented KURTOSIS of integers prints
 *                                3.613736609956); of FLOAT -> FLOAT
 *   HASH_AGG                  -> NUMBER(19,0)   ARRAY_UNION_AGG -> ARRAY
 *   COUNT_IF takes a BOOLEAN. SUM, AVG, MEDIAN, VAR_... and STDDEV_... of an untyped NULL are typed as over
 *   NUMBER(38,0); other argument types are a CompilationError TYPE_MISMATCH.
 * AVG over NUMBER is SUM/COUNT, so its scale is Snowflake's division rule ("Scale and
 * precision in arithmetic operations", https://docs.snowflake.com/sql-reference/operators-arithmetic:
 * the quotient's scale is max(S1, min(S1 + 6, 12)) for a numerator of scale S1); Snowpark's
 * documented AVG/MEAN examples over integers print six decimals (1.666667, 3.600000).
 * MEDIAN's three extra decimals and VARIANCE's six follow Snowpark's documented examples
 * (median of integers 3.000, var_samp of integers 1.200000); STDDEV is a FLOAT there (its
 * example casts the result to a DECIMAL to print it).
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { MAX_PRECISION, Types, typeToSql, type DataType } from '../../../storage/types/data-type.js';
import type { AggregateFn } from '../../fragment/bound-expr.js';
import { isCoMomentFn } from './co-moment-fns.js';

export const COUNT_TYPE: DataType = Types.number(18, 0);

/** Decimals of KURTOSIS and SKEW over NUMBER. */
export const MOMENT_SCALE = 12;

/** Extra decimals of MEDIAN over NUMBER. */
export const MEDIAN_EXTRA_SCALE = 3;
/** Smallest scale of VARIANCE over NUMBER. */
export const VARIANCE_MIN_SCALE = 6;

export function aggregateResultType(fn: AggregateFn, argType: DataType): DataType {
  if (fn === 'regr_count') return COUNT_TYPE;
  if (isCoMomentFn(fn)) {
    if (argType.kind !== 'FLOAT') numericScale(fn, argType);
    return Types.float;
  }
  switch (fn) {
    case 'count_star':
    case 'count':
    case 'approx_count_distinct':
      return COUNT_TYPE;
    case 'count_if':
      if (argType.kind !== 'BOOLEAN' && argType.kind !== 'NULL') throw notDefined(fn, argType);
      return COUNT_TYPE;
    case 'min':
    case 'max':
    case 'any_value':
      return argType;
    case 'sum':
    case 'avg': {
      if (argType.kind === 'FLOAT') return Types.float;
      const s = numericScale(fn, argType);
      return Types.number(MAX_PRECISION, fn === 'sum' ? s : avgScale(s));
    }
    case 'median':
    case 'percentile_cont': {
      if (argType.kind === 'FLOAT') return Types.float;
      const s = numericScale(fn, argType);
      const p = argType.kind === 'NUMBER' ? argType.precision : MAX_PRECISION;
      return Types.number(Math.min(p + MEDIAN_EXTRA_SCALE, MAX_PRECISION), Math.min(s + MEDIAN_EXTRA_SCALE, MAX_PRECISION));
    }
    case 'var_samp':
    case 'var_pop': {
      if (argType.kind === 'FLOAT') return Types.float;
      return Types.number(MAX_PRECISION, Math.max(numericScale(fn, argType), VARIANCE_MIN_SCALE));
    }
    case 'stddev_samp':
    case 'stddev_pop':
      if (argType.kind !== 'FLOAT') numericScale(fn, argType);
      return Types.float;
    case 'listagg':
      return Types.varchar;
    case 'array_agg':
    case 'array_union_agg':
      return Types.array;
    case 'object_agg':
      return Types.object;
    case 'boolor_agg':
    case 'booland_agg':
    case 'boolxor_agg':
      return Types.boolean;
    case 'bitand_agg':
    case 'bitor_agg':
    case 'bitxor_agg':
      return Types.number(MAX_PRECISION, 0);
    case 'min_by':
    case 'max_by':
    case 'mode':
      return argType;
    case 'percentile_disc':
      if (argType.kind !== 'FLOAT') numericScale(fn, argType);
      return argType.kind === 'NULL' ? Types.number(MAX_PRECISION, 0) : argType;
    case 'approx_percentile':
      if (argType.kind !== 'FLOAT') numericScale(fn, argType);
      return Types.float;
    case 'kurtosis':
    case 'skew':
      if (argType.kind === 'FLOAT') return Types.float;
      numericScale(fn, argType);
      return Types.number(MAX_PRECISION, MOMENT_SCALE);
    case 'hash_agg':
      return Types.number(19, 0);
  }
}

/** Snowflake's quotient scale for a numerator of scale s (see the module comment). */
export function avgScale(s: number): number {
  return Math.max(s, Math.min(s + 6, 12));
}

/** The scale of a NUMBER argument (0 for an untyped NULL); TYPE_MISMATCH for non-numbers. */
function numericScale(fn: AggregateFn, argType: DataType): number {
  if (argType.kind === 'NUMBER') return argType.scale;
  if (argType.kind === 'NULL') return 0;
  throw notDefined(fn, argType);
}

function notDefined(fn: AggregateFn, argType: DataType): CompilationError {
  return new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${fn.toUpperCase()} is not defined for an argument of type ${typeToSql(argType)}`);
}
