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
import { ArrayUnionAccumulator } from './array-union-accumulator.js';
import { BitAggAccumulator } from './bit-agg-accumulator.js';
import { BoolAggAccumulator } from './bool-agg-accumulator.js';
import { CoMomentAccumulator } from './co-moment-accumulator.js';
import { isCoMomentFn } from './co-moment-fns.js';
import { CollectAccumulator, isCollectCall } from './collect-accumulator.js';
import { CountAccumulator } from './count-accumulator.js';
import { CountIfAccumulator } from './count-if-accumulator.js';
import { DecimalSumAccumulator } from './decimal-sum-accumulator.js';
import { DistinctAccumulator } from './distinct-accumulator.js';
import { FloatSumAccumulator } from './float-sum-accumulator.js';
import { HashAggAccumulator } from './hash-agg-accumulator.js';
import { MedianAccumulator } from './median-accumulator.js';
import { MinMaxByAccumulator } from './min-max-by-accumulator.js';
import { ModeAccumulator } from './mode-accumulator.js';
import { MomentAccumulator } from './moment-accumulator.js';
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
  if (isCoMomentFn(call.fn)) return new CoMomentAccumulator(call.fn);
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
      if (argType.kind === 'VARCHAR' || argType.kind === 'BINARY') return new StringMinMaxAccumulator(call.fn === 'max', argType);
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
    case 'boolor_agg':
    case 'booland_agg':
    case 'boolxor_agg':
      return new BoolAggAccumulator(call.fn);
    case 'bitand_agg':
    case 'bitor_agg':
    case 'bitxor_agg':
      return new BitAggAccumulator(call.fn, call.type);
    case 'min_by':
    case 'max_by':
      return new MinMaxByAccumulator(call);
    case 'mode':
      return new ModeAccumulator(argType);
    case 'percentile_cont':
    case 'percentile_disc':
    case 'approx_percentile':
      aggregateResultType(call.fn, argType);
      return new MedianAccumulator(argType, call.type, {
        kind: call.fn === 'percentile_cont' ? 'cont' : call.fn === 'percentile_disc' ? 'disc' : 'approx',
        fraction: call.fraction ?? 0.5,
        desc: call.desc === true,
      });
    case 'kurtosis':
    case 'skew':
      return new MomentAccumulator(call.fn, call.type);
    case 'hash_agg':
      return new HashAggAccumulator();
    case 'array_union_agg':
      return new ArrayUnionAccumulator();
  }
}
