/**
 * Chooses the accumulator for an aggregate call from its function, DISTINCT flag and
 * argument type: the one place that maps AggregateCall to state kernels.
 *
 * Contract: throws CompilationError TYPE_MISMATCH for SUM/AVG over a non-numeric argument
 * (the binder normally catches this first, via aggregateResultType).
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { Types, typeToSql } from '../../../storage/types/data-type.js';
import type { AggregateCall } from '../../fragment/bound-expr.js';
import type { Accumulator } from './accumulator.js';
import { CountAccumulator } from './count-accumulator.js';
import { DecimalSumAccumulator } from './decimal-sum-accumulator.js';
import { DistinctAccumulator } from './distinct-accumulator.js';
import { FloatSumAccumulator } from './float-sum-accumulator.js';
import { NumericMinMaxAccumulator } from './numeric-min-max-accumulator.js';
import { StringMinMaxAccumulator } from './string-min-max-accumulator.js';

export function createAccumulator(call: AggregateCall): Accumulator {
  const argType = call.arg?.type ?? Types.null;
  if (call.distinct && call.fn !== 'count_star') {
    return new DistinctAccumulator(createAccumulator({ ...call, distinct: false }), argType);
  }
  switch (call.fn) {
    case 'count_star':
    case 'count':
      return new CountAccumulator();
    case 'sum':
    case 'avg':
      if (argType.kind === 'FLOAT') return new FloatSumAccumulator(call.fn);
      if (argType.kind === 'NUMBER' || argType.kind === 'NULL') return new DecimalSumAccumulator(call.fn, argType, call.type);
      throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${call.fn.toUpperCase()} is not defined for an argument of type ${typeToSql(argType)}`);
    case 'min':
    case 'max':
      if (argType.kind === 'VARCHAR') return new StringMinMaxAccumulator(call.fn === 'max', argType);
      return new NumericMinMaxAccumulator(call.fn === 'max', argType);
  }
}
