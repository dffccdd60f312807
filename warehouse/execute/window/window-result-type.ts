/**
 * Result types of the window functions, following Snowflake; the binder calls this to type a
 * WindowCall (warehouse/fragment/window-call.ts) and to check its argument count.
 *
 * Contract:
 *   ROW_NUMBER, RANK, DENSE_RANK, NTILE(n)   -> NUMBER(18,0)
 *   CUME_DIST, PERCENT_RANK                  -> FLOAT
 *   NTH_VALUE(x, n)                          -> the type of x (n a number)
 *   CONDITIONAL_TRUE_EVENT(b), CONDITIONAL_CHANGE_EVENT(x)   -> NUMBER(18,0)
 *   an aggregate over the partition ('aggregate') -> its call's type (the binder types it)
 *   COUNT(x), COUNT(*)                       -> NUMBER(18,0)
 *   SUM(x), AVG(x)                           -> as the aggregates (aggregate-result-type.ts)
 *   LAG/LEAD(x [, offset [, default]]), FIRST_VALUE(x), LAST_VALUE(x), MIN(x), MAX(x)
 *                                            -> the type of x
 *   LISTAGG(x, ...keys), ARRAY_AGG(x, ...keys), OBJECT_AGG(k, v)
 *                                            -> VARCHAR, ARRAY, OBJECT (aggregate-result-type.ts)
 * NTILE's bucket count and LAG/LEAD's offset must be numbers (or an untyped NULL). A wrong
 * argument count or type is a CompilationError TYPE_MISMATCH.
 */
import { Types, type DataType } from '../../../storage/types/data-type.js';
import type { WindowAggregate, WindowFn } from '../../fragment/window-call.js';
import { aggregateResultType, COUNT_TYPE } from '../aggregate/aggregate-result-type.js';
import { checkArity, mismatch } from '../functions/type-rules.js';

export function windowResultType(fn: WindowFn, argTypes: readonly DataType[], aggregate?: WindowAggregate): DataType {
  switch (fn) {
    case 'cume_dist':
    case 'percent_rank':
      checkArity(fn, argTypes, 0, 0);
      return Types.float;
    case 'nth_value':
      checkArity(fn, argTypes, 2, 2);
      requireNumber(fn, argTypes, argTypes[1]);
      return argTypes[0];
    case 'conditional_true_event':
      checkArity(fn, argTypes, 1, 1);
      if (argTypes[0].kind !== 'BOOLEAN' && argTypes[0].kind !== 'NULL') throw mismatch(fn, argTypes);
      return COUNT_TYPE;
    case 'conditional_change_event':
      checkArity(fn, argTypes, 1, 1);
      return COUNT_TYPE;
    case 'aggregate':
      if (aggregate === undefined) throw mismatch(fn, argTypes);
      return aggregate.type;
    case 'row_number':
    case 'rank':
    case 'dense_rank':
    case 'count_star':
      checkArity(fn, argTypes, 0, 0);
      return COUNT_TYPE;
    case 'ntile':
      checkArity(fn, argTypes, 1, 1);
      requireNumber(fn, argTypes, argTypes[0]);
      return COUNT_TYPE;
    case 'count':
      checkArity(fn, argTypes, 1, 1);
      return COUNT_TYPE;
    case 'lag':
    case 'lead':
      checkArity(fn, argTypes, 1, 3);
      if (argTypes.length > 1) requireNumber(fn, argTypes, argTypes[1]);
      return argTypes[0];
    case 'first_value':
    case 'last_value':
    case 'min':
    case 'max':
      checkArity(fn, argTypes, 1, 1);
      return argTypes[0];
    case 'sum':
    case 'avg':
      checkArity(fn, argTypes, 1, 1);
      return aggregateResultType(fn, argTypes[0]);
    case 'listagg':
    case 'array_agg':
      checkArity(fn, argTypes, 1, Infinity);
      return aggregateResultType(fn, argTypes[0]);
    case 'object_agg':
      checkArity(fn, argTypes, 2, 2);
      return aggregateResultType(fn, argTypes[0]);
  }
}

function requireNumber(fn: string, all: readonly DataType[], t: DataType): void {
  if (t.kind !== 'NUMBER' && t.kind !== 'NULL') throw mismatch(fn, all);
}
