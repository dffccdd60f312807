/**
 * The SQL names (with Snowflake's aliases) of the aggregates bind-extended-aggregates.ts binds,
 * each with its function: AggregateFn's names of every aggregate but the classic ones, and the
 * aliases. A leaf module: bind-expr.ts counts them as aggregate names without importing the
 * binder that imports it.
 */
import { AggregateFn } from '../../warehouse/fragment/bound-expr.js';

/** The aggregates the GROUP BY binder binds itself (bind-aggregates.ts); every other AggregateFn is extended. */
const CLASSIC_FNS = ['count_star', 'count', 'sum', 'avg', 'min', 'max', 'count_if', 'any_value', 'median', 'stddev_samp', 'stddev_pop', 'var_samp', 'var_pop', 'approx_count_distinct', 'listagg', 'array_agg', 'object_agg'] as const;

/** AggregateFn's extended aggregates; ARRAY_UNIQUE_AGG binds to one more function of its own. */
type NonClassicFn = Exclude<AggregateFn, (typeof CLASSIC_FNS)[number]>;

export type ExtendedFn = NonClassicFn | 'array_unique_agg';

/** Snowflake's other names of extended aggregates, beside AggregateFn's own (BITAND_AGG, ...). */
const ALIASES: Readonly<Record<string, ExtendedFn>> = {
  BITANDAGG: 'bitand_agg',
  BIT_AND_AGG: 'bitand_agg',
  BIT_ANDAGG: 'bitand_agg',
  BITORAGG: 'bitor_agg',
  BIT_OR_AGG: 'bitor_agg',
  BIT_ORAGG: 'bitor_agg',
  BITXORAGG: 'bitxor_agg',
  BIT_XOR_AGG: 'bitxor_agg',
  BIT_XORAGG: 'bitxor_agg',
  ARRAY_UNIQUE_AGG: 'array_unique_agg',
};

export const EXTENDED_AGGREGATES: Readonly<Record<string, ExtendedFn>> = {
  ...Object.fromEntries(Object.entries(AggregateFn).filter((e): e is [string, NonClassicFn] => !(CLASSIC_FNS as readonly string[]).includes(e[1]))),
  ...ALIASES,
};
