/**
 * Chooses the accumulator for an aggregate call from its function, DISTINCT flag and
 * argument type: the one place that maps AggregateCall to state kernels.
 *
 * Contract: throws CompilationError TYPE_MISMATCH for an argument type the function does not
 * take (the binder normally catches this first, via aggregateResultType). DISTINCT wraps the
 * plain accumulator in a DistinctAccumulator, except where it cannot change the result
 * (COUNT(*), APPROX_COUNT_DISTINCT).
 */
import { CompilationError, NotSupportedError } from '../../../storage/errors/firn-error.js';
import { Types, isSemiStructured, typeToSql } from '../../../storage/types/data-type.js';
import type { AggregateCall } from '../../fragment/bound-expr.js';
import type { Accumulator } from './accumulator.js';
import { aggregateResultType } from './aggregate-result-type.js';
import { AnyValueAccumulator } from './any-value-accumulator.js';
import { ApproxCountDistinctAccumulator } from './approx-count-distinct-accumulator.js';
import { CollectAccumulator, isCollectCall } from './collect-accumulator.js';
import { CountAccumulator } from './count-accumulator.js';
import { CountIfAccumulator } from './count-if-accumulator.js';
import { DecimalSumAccumulator } from './decimal-sum-accumulator.js';
import { DistinctAccumulator } from './distinct-accumulator.js';
import { FloatSumAccumulator } from './float-sum-accumulator.js';
import { MedianAccumulator } from './median-accumulator.js';
import { NumericMinMaxAccumulator } from './numeric-min-max-accumulator.js';
import { TsMinMaxAccumulator } from './ts-min-max-accumulator.js';
import { isDistinctCall } from './partial-state-types.js';
import { StringMinMaxAccumulator } from './string-min-max-accumulator.js';
import { VarianceAccumulator } from './variance-accumulator.js';

export function createAccumulator(call: AggregateCall): Accumulator {
  const argType = call.arg?.type ?? Types.null;
  if (isCollectCall(call)) return new CollectAccumulator(call);
  if (isDistinctCall(call)) {
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
      if (isSemiStructured(argType)) throw new NotSupportedError(`${call.fn.toUpperCase()} of a ${argType.kind} value; cast it first`);
      if (argType.kind === 'VARCHAR') return new StringMinMaxAccumulator(call.fn === 'max', argType);
      if (argType.kind === 'TIMESTAMP_NTZ') return new TsMinMaxAccumulator(call.fn === 'max', argType);
      return new NumericMinMaxAccumulator(call.fn === 'max', argType);
    case 'count_if':
      aggregateResultType(call.fn, argType);
      return new CountIfAccumulator(argType);
    case 'any_value':
      return new AnyValueAccumulator(argType);
    case 'median':
      return new MedianAccumulator(argType, aggregateResultType(call.fn, argType));
    case 'var_samp':
    case 'var_pop':
    case 'stddev_samp':
    case 'stddev_pop':
      return new VarianceAccumulator(call.fn, argType, aggregateResultType(call.fn, argType));
    case 'approx_count_distinct':
      return new ApproxCountDistinctAccumulator(argType);
    case 'listagg':
    case 'array_agg':
    case 'object_agg':
      return new CollectAccumulator(call);
  }
}
