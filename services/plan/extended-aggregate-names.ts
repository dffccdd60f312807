/**
 * The SQL names (with Snowflake's aliases) of the aggregates bind-extended-aggregates.ts binds,
 * each with its function. A leaf module: bind-expr.ts counts them as aggregate names without
 * importing the binder that imports it.
 */
import type { AggregateFn } from '../../warehouse/fragment/bound-expr.js';

export type ExtendedFn = Exclude<AggregateFn, 'count_star' | 'count' | 'sum' | 'avg' | 'min' | 'max' | 'count_if' | 'any_value' | 'median' | 'stddev_samp' | 'stddev_pop' | 'var_samp' | 'var_pop' | 'approx_count_distinct' | 'listagg' | 'array_agg' | 'object_agg'> | 'array_unique_agg';

export const EXTENDED_AGGREGATES: Readonly<Record<string, ExtendedFn>> = {
  BOOLOR_AGG: 'boolor_agg',
  BOOLAND_AGG: 'booland_agg',
  BOOLXOR_AGG: 'boolxor_agg',
  BITAND_AGG: 'bitand_agg',
  BITANDAGG: 'bitand_agg',
  BIT_AND_AGG: 'bitand_agg',
  BIT_ANDAGG: 'bitand_agg',
  BITOR_AGG: 'bitor_agg',
  BITORAGG: 'bitor_agg',
  BIT_OR_AGG: 'bitor_agg',
  BIT_ORAGG: 'bitor_agg',
  BITXOR_AGG: 'bitxor_agg',
  BITXORAGG: 'bitxor_agg',
  BIT_XOR_AGG: 'bitxor_agg',
  BIT_XORAGG: 'bitxor_agg',
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
  ARRAY_UNIQUE_AGG: 'array_unique_agg',
  ARRAY_UNION_AGG: 'array_union_agg',
};
