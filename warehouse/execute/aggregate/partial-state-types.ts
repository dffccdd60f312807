/**
 * The partial-state layout of hash aggregation: what a worker's partial aggregate emits and
 * the services-side final aggregate reads (it crosses threads as Arrow IPC, so every state
 * column is an ordinary Firn type).
 *
 * Contract: the partial batch has the GROUP BY key columns first (their own types), then
 * the state columns of each aggregate, in call order:
 *   COUNT(*), COUNT(x)         [count NUMBER(18,0), never NULL]
 *   SUM(x), AVG(x), x NUMBER   [sum NUMBER(38,s) (NULL when no value), count NUMBER(18,0)]
 *   SUM(x), AVG(x), x FLOAT    [sum FLOAT (NULL when no value), count NUMBER(18,0)]
 *   MIN(x), MAX(x)             [extreme of x's type, NULL when no value]
 *   any DISTINCT aggregate     [one value of x's type]
 * DISTINCT aggregates cannot be merged from per-worker results, so the partial carries the
 * distinct (group, value) pairs instead: a group with k distinct values of some DISTINCT
 * aggregate spans k rows (the most over its DISTINCT aggregates; at least one). Row j of a
 * group carries that group's j-th distinct value in each DISTINCT column (NULL once a
 * column runs out; NULL is no value, as DISTINCT aggregates ignore NULLs). The first row of
 * a group carries the non-DISTINCT states; its other rows carry the identity states (count
 * 0, sum/min/max NULL), so the final step may simply merge every row.
 */
import { CompilationError } from '../../../storage/errors/firn-error.js';
import { MAX_PRECISION, Types, typeToSql, type DataType } from '../../../storage/types/data-type.js';
import type { AggregateCall, BoundExpr } from '../../fragment/bound-expr.js';
import { COUNT_TYPE } from './aggregate-result-type.js';

/** Column types of the whole partial batch: keys, then each aggregate's states. */
export function partialStateTypes(groupBy: readonly BoundExpr[], aggregates: readonly AggregateCall[]): DataType[] {
  return [...groupBy.map((g) => g.type), ...aggregates.flatMap(aggregateStateTypes)];
}

/** The state columns of one aggregate call in the partial batch. */
export function aggregateStateTypes(call: AggregateCall): DataType[] {
  const argType = call.arg?.type ?? Types.null;
  if (call.distinct && call.fn !== 'count_star') return [argType];
  switch (call.fn) {
    case 'count_star':
    case 'count':
      return [COUNT_TYPE];
    case 'min':
    case 'max':
      return [argType];
    case 'sum':
    case 'avg':
      return [sumStateType(call.fn, argType), COUNT_TYPE];
  }
}

/** The type a SUM/AVG accumulates in: FLOAT for FLOAT, NUMBER(38,s) for NUMBER(p,s). */
export function sumStateType(fn: 'sum' | 'avg', argType: DataType): DataType {
  if (argType.kind === 'FLOAT') return Types.float;
  if (argType.kind === 'NUMBER') return Types.number(MAX_PRECISION, argType.scale);
  if (argType.kind === 'NULL') return Types.number(MAX_PRECISION, 0);
  throw new CompilationError('TYPE_MISMATCH', `SQL compilation error: ${fn.toUpperCase()} is not defined for an argument of type ${typeToSql(argType)}`);
}
