/**
 * Result types of the aggregate functions, following Snowflake. The binder calls this to
 * type an AggregateCall; the aggregate operator relies on the same rules for its states.
 *
 * Contract:
 *   COUNT(*), COUNT(x)        -> NUMBER(18,0)
 *   SUM(NUMBER(p,s))          -> NUMBER(38,s)        SUM(FLOAT) -> FLOAT
 *   AVG(NUMBER(p,s))          -> NUMBER(38, max(s, min(s+6, 12)))   AVG(FLOAT) -> FLOAT
 *   MIN(x), MAX(x)            -> the type of x (any type)
 *   SUM/AVG of an untyped NULL are typed as over NUMBER(38,0); other argument types are a
 *   CompilationError TYPE_MISMATCH.
 * AVG over NUMBER is SUM/COUNT, so its scale is Snowflake's division rule ("Scale and
 * precision in arithmetic operations", https://docs.snowflake.com/sql-reference/operators-arithmetic:
 * the quotient's scale is max(S1, min(S1 + 6, 12)) for a numerator of scale S1); Snowpark's
 * documented AVG/MEAN examples over integers print six decimals (1.666667, 3.600000).
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { MAX_PRECISION, Types, typeToSql, type DataType } from '../../../storage/types/data-type.js';
import type { AggregateFn } from '../../fragment/bound-expr.js';

export const COUNT_TYPE: DataType = Types.number(18, 0);

export function aggregateResultType(fn: AggregateFn, argType: DataType): DataType {
  switch (fn) {
    case 'count_star':
    case 'count':
      return COUNT_TYPE;
    case 'min':
    case 'max':
      return argType;
    case 'sum':
    case 'avg': {
      if (argType.kind === 'FLOAT') return Types.float;
      const s = argType.kind === 'NUMBER' ? argType.scale : argType.kind === 'NULL' ? 0 : -1;
      if (s < 0) {
        throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${fn.toUpperCase()} is not defined for an argument of type ${typeToSql(argType)}`);
      }
      return Types.number(MAX_PRECISION, fn === 'sum' ? s : avgScale(s));
    }
  }
}

/** Snowflake's quotient scale for a numerator of scale s (see the module comment). */
export function avgScale(s: number): number {
  return Math.max(s, Math.min(s + 6, 12));
}
