/**
 * Any aggregate function over a window's whole partition (BOOLOR_AGG, MODE, CORR, MEDIAN,
 * HASH_AGG, ... OVER (PARTITION BY ...)): the partitions are the groups of one accumulator
 * (create-accumulator.ts), so every aggregate the GROUP BY operator computes is a window
 * function too, with the same state, NULL rules and result type.
 *
 * Contract: `call` is the aggregate (window-call.ts 'aggregate'); `inputs` are its argument and
 * extras evaluated over the batch, in that order. Each row gets its partition's result
 * (gathered from the accumulator's one row per partition), in input row order. The frame is
 * the whole partition (resolve-frame.ts refuses anything else).
 */
import type { Vector } from '../../../storage/types/vector.js';
import type { AggregateCall } from '../../fragment/bound-expr.js';
import type { WindowAggregate } from '../../fragment/window-call.js';
import { createAccumulator } from '../aggregate/create-accumulator.js';
import { gatherVector } from '../batch/gather-vector.js';
import type { WindowLayout } from './window-layout.js';

export function partitionAggregate(aggregate: WindowAggregate, layout: WindowLayout, inputs: readonly Vector[], argExprs: AggregateCall['args']): Vector {
  const { n, perm, partitionStarts } = layout;
  const parts = partitionStarts.length - 1;
  const gids = new Int32Array(n);
  for (let k = 0; k < parts; k++) for (let p = partitionStarts[k]; p < partitionStarts[k + 1]; p++) gids[perm[p]] = k;
  const [arg, ...extras] = argExprs ?? [];
  const call: AggregateCall = { ...aggregate, arg: arg ?? null, ...(extras.length > 0 ? { args: extras } : {}) };
  const acc = createAccumulator(call);
  acc.resize(Math.max(parts, 1));
  acc.update(inputs[0] ?? null, gids, n, null, inputs.slice(1));
  return gatherVector(acc.emitResult(parts), gids, n);
}
