/**
 * The aggregates of a pair (y, x) kept as co-moments (CORR, COVAR_*, REGR_*): the binder,
 * the result and partial-state types and the accumulator factory treat them as one family
 * (both arguments cast to FLOAT, one six-value state, CoMomentAccumulator), so they are
 * listed once, here.
 */
/** The aggregates of a pair (y, x) kept as co-moments: one state, one accumulator, one cast of both to FLOAT. */
export const CO_MOMENT_FNS = ['corr', 'covar_samp', 'covar_pop', 'regr_slope', 'regr_intercept', 'regr_r2', 'regr_count', 'regr_avgx', 'regr_avgy', 'regr_sxx', 'regr_syy', 'regr_sxy'] as const;

export type CoMomentFn = (typeof CO_MOMENT_FNS)[number];

export function isCoMomentFn(fn: string): fn is CoMomentFn {
  return (CO_MOMENT_FNS as readonly string[]).includes(fn);
}
